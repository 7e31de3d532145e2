import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Drawer, Input, Modal, Select, Space, Table, Tag, Timeline, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { STAGES, STAGE_COLOR, terms } from "../labels";
import { useProgrammes } from "./programmes";
import { useNarrow, wideScroll } from "./narrow";
import { useSession } from "../session";

type Item = Result<"/api/review-queue", "get">["items"][number];
type Trail = {
  at: string;
  action: string;
  from?: string;
  to?: string;
  reason?: string;
  actor: { id: string; role: string; name?: string };
}[];
const STAGE = Object.fromEntries(STAGES);
const ACTION: Record<string, string> = { withdraw: "撤回", view_unmasked: "查看完整信息" };

export function ReviewPage() {
  const { message, modal } = App.useApp();
  const { session } = useSession();
  const [programme, setProgramme] = useState("compulsory_living");
  const offered = useProgrammes();
  const narrow = useNarrow();
  // A school not of the 义务教育 kind opens on its own first programme.
  useEffect(() => {
    if (offered.loaded && offered.list.length > 0 && !offered.list.some(([id]) => id === programme))
      setProgramme(offered.list[0]![0]);
  }, [offered, programme]);
  const [term, setTerm] = useState(terms()[0]![0]);
  const [stage, setStage] = useState("mine");
  const [school, setSchool] = useState<string>();
  const [items, setItems] = useState<Item[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [reject, setReject] = useState<{ ids: string[]; withdraw?: boolean }>();
  const [reason, setReason] = useState("");
  const [detail, setDetail] = useState<{ item: Item; trail: Trail }>();

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      const r = await api("get", "/api/review-queue", {
        query: { programme: programme as never, term, stage: stage as never },
      });
      setItems(r.items);
      setSelected([]);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [programme, term, stage]);
  useEffect(() => void load(), [load]);

  const run = async (ids: string[], act: (id: string) => Promise<unknown>, verb: string) => {
    const failed: string[] = [];
    for (const id of ids) {
      try {
        await act(id);
      } catch (e) {
        const name = items.find((i) => i.id === id)?.studentName ?? id;
        failed.push(`${name}：${e instanceof ApiError ? e.message : String(e)}`);
      }
    }
    if (failed.length) setError(`${failed.length} 份未能${verb}：\n${failed.join("\n")}`);
    else message.success(`已${verb} ${ids.length} 份`);
    await load();
  };
  // Each action names the stage the officer saw, so a stale or double click cannot move an application twice.
  const seen = (id: string) => items.find((i) => i.id === id)!.stage;
  const doApprove = (ids: string[]) =>
    run(
      ids,
      (id) => api("post", "/api/applications/{id}/approve", { params: { id }, body: { from: seen(id) } }),
      "审核通过",
    );
  // Approving many at once is one click away from a mistake that reaches the next level: name what will happen first.
  const approve = () => {
    const ids = [...selected];
    const names = ids.map((id) => items.find((i) => i.id === id)?.studentName).filter(Boolean) as string[];
    modal.confirm({
      title: `确定审核通过这 ${ids.length} 份申请？`,
      content: `${names.slice(0, 10).join("、")}${names.length > 10 ? ` 等 ${names.length} 人` : ""}。通过后进入上一级审核，本级不能再改；如有录错，请先撤回；不符合条件的，设为不通过。`,
      okText: "确定通过",
      cancelText: "再看看",
      onOk: () => doApprove(ids),
    });
  };
  const confirmReject = async () => {
    if (!reject) return;
    const r = reason.trim();
    if (r.length < 2) return void message.error("请写明原因（至少 2 个字）");
    const ids = reject.ids;
    setReject(undefined);
    setReason("");
    if (reject.withdraw)
      await run(
        ids,
        (id) => api("post", "/api/applications/{id}/withdraw", { params: { id }, body: { reason: r } }),
        "撤回",
      );
    else
      await run(
        ids,
        (id) => api("post", "/api/applications/{id}/reject", { params: { id }, body: { reason: r, from: seen(id) } }),
        "设为不通过",
      );
  };
  const open = async (item: Item) => {
    try {
      const r = (await api("get", "/api/applications/{id}", { params: { id: item.id } })) as { trail: Trail };
      setDetail({ item, trail: r.trail });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };
  const shown = school ? items.filter((i) => i.schoolId === school) : items;
  const schools = [...new Map(items.map((i) => [i.schoolId, i.schoolName])).entries()];
  const selectedSubmitted = selected.filter((id) => items.find((i) => i.id === id)?.stage === "submitted");
  return (
    <Card title="审核">
      <Space wrap style={{ marginBottom: 12 }} className="no-print">
        <Select
          style={{ width: 260 }}
          value={programme}
          onChange={setProgramme}
          options={offered.list.map(([value, label]) => ({ value, label }))}
          data-testid="review-programme"
        />
        <Select
          style={{ width: 150 }}
          value={term}
          onChange={setTerm}
          options={terms().map(([value, label]) => ({ value, label }))}
        />
        <Select
          style={{ width: 150 }}
          value={stage}
          onChange={setStage}
          options={[
            { value: "mine", label: "待我审核" },
            { value: "all", label: "全部" },
            ...STAGES.map(([value, label]) => ({ value, label })),
          ]}
          data-testid="stage-filter"
        />
        {session.account.role !== "school" && (
          <Select
            style={{ width: 180 }}
            allowClear
            placeholder="全部学校"
            value={school}
            onChange={setSchool}
            options={schools.map(([value, label]) => ({ value, label }))}
          />
        )}
      </Space>
      {error && (
        <Alert
          style={{ marginBottom: 12, whiteSpace: "pre-wrap" }}
          type="error"
          showIcon
          title={error}
          closable
          onClose={() => setError(undefined)}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" disabled={!selected.length} onClick={approve} data-testid="approve-selected">
          审核通过所选（{selected.length}）
        </Button>
        <Button danger disabled={!selected.length} onClick={() => setReject({ ids: selected })}>
          不通过所选
        </Button>
        <Button
          disabled={!selectedSubmitted.length}
          onClick={() => setReject({ ids: selectedSubmitted, withdraw: true })}
        >
          撤回录错的（{selectedSubmitted.length}）
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={loading}
        scroll={wideScroll(narrow, 800)}
        dataSource={shown}
        pagination={{ pageSize: 100, hideOnSinglePage: true }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        columns={[
          {
            title: "姓名",
            dataIndex: "studentName",
            render: (v: string, r: Item) => (
              <>
                <a onClick={() => open(r)}>{v}</a>
                {narrow && (
                  <div style={{ color: "#888", fontSize: 12 }}>
                    {r.grade}
                    {r.class}
                  </div>
                )}
              </>
            ),
          },
          { title: "学校", dataIndex: "schoolName", responsive: ["md"] },
          { title: "年级", dataIndex: "grade", responsive: ["md"] },
          { title: "班级", dataIndex: "class", responsive: ["md"] },
          { title: "项目", dataIndex: "programmeLabel", responsive: ["md"] },
          { title: "金额（元）", dataIndex: "amountYuan" },
          {
            title: "状态",
            dataIndex: "stageLabel",
            render: (v: string, r: Item) => <Tag color={STAGE_COLOR[r.stage]}>{v}</Tag>,
          },
        ]}
      />
      <Typography.Text type="secondary">
        当前身份：{session.person}。通过即进入上一级审核；县直学校由学校直接报县级。
      </Typography.Text>
      <Modal
        open={!!reject}
        title={reject?.withdraw ? "撤回录错的申请（家长不会看到“未通过”）" : "不通过（家长会看到“未通过”和您写的原因）"}
        onOk={confirmReject}
        onCancel={() => setReject(undefined)}
        okText="确定"
        cancelText="取消"
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="请写明原因"
          data-testid="reason"
        />
      </Modal>
      <Drawer
        open={!!detail}
        onClose={() => setDetail(undefined)}
        title={detail ? `${detail.item.studentName} · ${detail.item.programmeLabel}` : ""}
        width={Math.min(480, window.innerWidth)}
      >
        {detail && (
          <Timeline
            items={detail.trail.map((t) => ({
              color: t.to === "rejected" ? "red" : "blue",
              content: (
                <div>
                  <div>{new Date(t.at).toLocaleString("zh-CN", { hour12: false })}</div>
                  <div>
                    <b>{t.actor.name ?? (t.actor.role === "system" ? "系统" : t.actor.id)}</b>{" "}
                    {ACTION[t.action] ??
                      (t.from
                        ? `${STAGE[t.from] ?? t.from} → ${STAGE[t.to ?? ""] ?? t.to}`
                        : `创建（${STAGE[t.to ?? ""] ?? t.to ?? ""}）`)}
                  </div>
                  {t.reason && <div style={{ color: "#888" }}>原因：{t.reason}</div>}
                </div>
              ),
            }))}
          />
        )}
      </Drawer>
    </Card>
  );
}
