import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Checkbox, Descriptions, Input, Select, Space, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { navigate, useSession } from "../session";
import { useNarrow, wideScroll } from "./narrow";
import { TemplateWarnings } from "./TemplateWarnings";

type Options = Result<"/api/broadcasts/audience", "get">;
type Count = Result<"/api/broadcasts/count", "post">;
type History = Result<"/api/broadcasts", "get">["items"];
type FollowUp = Result<"/api/events/{id}/follow-up", "get">;
/** GET /api/events/{id}/deliveries (core/notifications/report.ts DeliveryReport; the route declares no schema). */
type Report = {
  event: { status: string };
  students: number;
  counts: Record<"queued" | "sent" | "delivered" | "failed" | "held" | "unreachable" | "skipped", number>;
};

const STATUS: Record<string, [string, string]> = {
  preparing: ["准备中", "default"],
  scheduled: ["定时发送", "blue"],
  sending: ["发送中", "orange"],
  done: ["已发完", "green"],
  closed: ["已结束", "default"],
};
const when = (iso: string) => new Date(iso).toLocaleString("zh-CN", { hour12: false });
const scopeLabel = (h: { grade?: string; class?: string }, school: string) =>
  [school, h.grade ?? "全校", h.class].filter(Boolean).join(" ");

export function NoticesPage({ path }: { path: string }) {
  const id = /^\/notices\/(evt_[0-9a-z]+)/.exec(path)?.[1];
  return id ? <FollowUpView id={id} /> : <Composer />;
}

function Composer() {
  const narrow = useNarrow();
  const { message, modal } = App.useApp();
  const [options, setOptions] = useState<Options>();
  const [schoolId, setSchoolId] = useState<string>();
  const [grade, setGrade] = useState<string>();
  const [klass, setKlass] = useState<string>();
  const [count, setCount] = useState<Count>();
  const [text, setText] = useState("");
  const [urgent, setUrgent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [history, setHistory] = useState<History>([]);

  const loadHistory = useCallback(async () => setHistory((await api("get", "/api/broadcasts")).items), []);
  useEffect(() => {
    void api("get", "/api/broadcasts/audience").then((o) => {
      setOptions(o);
      if (o.schools.length === 1) setSchoolId(o.schools[0]!.id);
    });
    void loadHistory();
  }, [loadHistory]);
  // A report still filling: look again while any notice is being sent.
  useEffect(() => {
    if (!history.some((h) => h.status === "sending" || h.status === "preparing")) return;
    const t = setTimeout(() => void loadHistory(), 2000);
    return () => clearTimeout(t);
  }, [history, loadHistory]);

  useEffect(() => {
    setCount(undefined);
    if (!schoolId) return;
    let live = true;
    void api("post", "/api/broadcasts/count", {
      body: { audience: { schoolId, ...(grade ? { grade } : {}), ...(grade && klass ? { class: klass } : {}) } },
    })
      .then((c) => live && setCount(c))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [schoolId, grade, klass]);

  const school = options?.schools.find((s) => s.id === schoolId);
  const grades = school?.grades ?? [];
  const classes = grades.find((g) => g.grade === grade)?.classes ?? [];
  const schoolName = (sid: string) => options?.schools.find((s) => s.id === sid)?.name ?? sid;
  const quiet = options?.quietHours;

  /** What the officer agrees to before anything goes out: who can receive it, and who cannot. */
  const confirmSend = () => {
    if (!schoolId || !count || count.students === 0) return;
    const reach = count.wechat + count.web;
    modal.confirm({
      title: "确认发送通知？",
      okText: "确认发送",
      cancelText: "取消",
      content: (
        <div data-testid="notice-confirm">
          <p>
            发给 {scopeLabel({ grade, class: klass }, schoolName(schoolId))} 共 {count.students} 名学生的家长，其中：
          </p>
          <ul style={{ paddingLeft: 20 }}>
            <li>微信可送达 {count.wechat} 名</li>
            <li>网页聊天可送达 {count.web} 名（家长下次打开网页聊天时看到）</li>
            <li>家长未绑定 {count.notLinked} 名（收不到，发出后请按「送达情况」逐户告知）</li>
            {count.unsubscribed > 0 && <li>已退订 {count.unsubscribed} 名（不会收到）</li>}
          </ul>
          <p>
            实际能收到的是 <b>{reach}</b> 名学生的家长。
            {urgent ? "已标为紧急，会立即发出。" : ""}
          </p>
        </div>
      ),
      onOk: send,
    });
  };

  const send = async () => {
    if (!schoolId || !count || count.students === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await api("post", "/api/broadcasts", {
        body: {
          audience: { schoolId, ...(grade ? { grade } : {}), ...(grade && klass ? { class: klass } : {}) },
          text,
          urgent,
        },
      });
      const reach = count.wechat + count.web;
      const missed = count.students - reach;
      message.success(
        `通知已提交：${reach} 名学生的家长可以收到（微信 ${count.wechat}、网页聊天 ${count.web}）` +
          (missed > 0 ? `；另有 ${missed} 名收不到，请按「送达情况」告知` : ""),
      );
      setText("");
      await loadHistory();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card title="发送通知">
        {options && <TemplateWarnings kinds={["broadcast"]} missing={options.missingTemplates} />}
        <Space wrap>
          {(options?.schools.length ?? 0) > 1 && (
            <Select
              data-testid="notice-school"
              placeholder="选择学校"
              style={{ minWidth: 200 }}
              value={schoolId}
              onChange={(v) => {
                setSchoolId(v);
                setGrade(undefined);
                setKlass(undefined);
              }}
              options={options?.schools.map((s) => ({ value: s.id, label: `${s.name}（${s.township}）` }))}
            />
          )}
          <Select
            data-testid="notice-grade"
            placeholder="全部年级"
            allowClear
            style={{ minWidth: 140 }}
            value={grade}
            onChange={(v) => {
              setGrade(v);
              setKlass(undefined);
            }}
            disabled={!schoolId}
            options={grades.map((g) => ({ value: g.grade, label: `${g.grade}（${g.students} 人）` }))}
          />
          <Select
            data-testid="notice-class"
            placeholder="全部班级"
            allowClear
            style={{ minWidth: 140 }}
            value={klass}
            onChange={setKlass}
            disabled={!grade}
            options={classes.map((c) => ({ value: c.class, label: `${c.class}（${c.students} 人）` }))}
          />
        </Space>
        {count && (
          <div style={{ marginTop: 12 }} data-testid="notice-count">
            <Space wrap>
              <Tag>共 {count.students} 名学生</Tag>
              <Tag color="green">微信可送达 {count.wechat}</Tag>
              <Tag color="blue">网页聊天可送达 {count.web}</Tag>
              <Tag color="red">家长未绑定 {count.notLinked}</Tag>
              {count.unsubscribed > 0 && <Tag>已退订 {count.unsubscribed}</Tag>}
            </Space>
            {count.students === 0 && (
              <Alert
                style={{ marginTop: 8 }}
                type="error"
                showIcon
                title="所选范围没有学生，通知不会发给任何人：请换一个年级或班级"
              />
            )}
            {count.students > 0 && count.wechat + count.web === 0 && (
              <Alert
                style={{ marginTop: 8 }}
                type="warning"
                showIcon
                title="所选范围没有家长绑定，发出后无人收到：请发送后按「送达情况」逐户告知"
              />
            )}
          </div>
        )}
        <Input.TextArea
          data-testid="notice-text"
          style={{ marginTop: 12 }}
          rows={4}
          maxLength={500}
          showCount
          placeholder="通知内容（最多 500 字）"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Space wrap style={{ marginTop: 12 }}>
          <Checkbox checked={urgent} onChange={(e) => setUrgent(e.target.checked)} data-testid="notice-urgent">
            紧急（不受免打扰时段限制）
          </Checkbox>
          {quiet && (
            <Typography.Text type="secondary" data-testid="quiet-hours">
              {quiet.window
                ? `免打扰时段 ${quiet.window}：非紧急通知在此时段内不发送，时段结束后自动发出${quiet.now && !urgent ? `（现在正处于免打扰时段，将于 ${when(quiet.until!)} 发出）` : ""}`
                : "未设置免打扰时段：通知立即发出"}
            </Typography.Text>
          )}
        </Space>
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
        <div style={{ marginTop: 12 }}>
          <Button
            type="primary"
            data-testid="notice-send"
            loading={busy}
            disabled={!count || count.students === 0 || text.trim() === ""}
            onClick={confirmSend}
          >
            {count ? `发送给 ${count.students} 名学生的家长` : "发送"}
          </Button>
        </div>
      </Card>
      <Card title="已发通知">
        <Table
          data-testid="notice-history"
          size="small"
          rowKey="id"
          dataSource={history}
          scroll={wideScroll(narrow, 720)}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: "时间", dataIndex: "createdAt", render: when, width: 170, responsive: ["md"] },
            {
              title: "范围",
              responsive: ["md"],
              render: (_: unknown, h: History[number]) => scopeLabel(h, schoolName(h.schoolId)),
            },
            { title: "内容", dataIndex: "text", ellipsis: true },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: string, h: History[number]) => (
                <Space size={4}>
                  <Tag color={STATUS[s]?.[1]}>{STATUS[s]?.[0] ?? s}</Tag>
                  {h.urgent && <Tag color="red">紧急</Tag>}
                </Space>
              ),
            },
            {
              title: "送达",
              render: (_: unknown, h: History[number]) =>
                h.counts ? (
                  <Space size={4}>
                    {`${h.counts.reached} / ${h.counts.students} 名学生`}
                    {h.status === "done" && h.counts.reached < h.counts.students && (
                      <Tag color="orange">{h.counts.students - h.counts.reached} 名未收到</Tag>
                    )}
                  </Space>
                ) : (
                  "统计中"
                ),
            },
            {
              title: "",
              render: (_: unknown, h: History[number]) => (
                <Button size="small" onClick={() => navigate(`/notices/${h.id}`)}>
                  送达情况
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

function FollowUpView({ id }: { id: string }) {
  const narrow = useNarrow();
  const { message } = App.useApp();
  const { session } = useSession();
  const [data, setData] = useState<FollowUp>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const [f, r] = await Promise.all([
        api("get", "/api/events/{id}/follow-up", { params: { id } }),
        api("get", "/api/events/{id}/deliveries", { params: { id } }),
      ]);
      setData(f);
      setReport(r as unknown as Report);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!report || report.event.status === "done" || report.event.status === "closed") return;
    const t = setTimeout(() => void load(), 2000);
    return () => clearTimeout(t);
  }, [report, load]);

  const told = async (studentId: string) => {
    try {
      await api("post", "/api/events/{id}/follow-up/{studentId}/told", { params: { id, studentId }, body: {} });
      message.success("已登记：已当面告知");
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const download = async () => {
    const blob = (await api("get", "/api/events/{id}/follow-up.xlsx", { params: { id } })) as unknown as Blob;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "未送达名单.xlsx";
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const own = session.account.role === "school";
  const c = report?.counts;
  return (
    <Card title="送达情况" extra={<Button onClick={() => navigate("/notices")}>返回通知</Button>}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {report && c && (
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 4 }} data-testid="delivery-summary">
          <Descriptions.Item label="状态">{STATUS[report.event.status]?.[0] ?? report.event.status}</Descriptions.Item>
          <Descriptions.Item label="学生">{report.students} 名</Descriptions.Item>
          <Descriptions.Item label="已送达">
            {c.sent + c.delivered} 条（微信 {c.sent}，网页聊天 {c.delivered}）
          </Descriptions.Item>
          <Descriptions.Item label="未送达学生">{data?.total ?? 0} 名</Descriptions.Item>
          {c.queued + c.held > 0 && <Descriptions.Item label="待发送">{c.queued + c.held} 条</Descriptions.Item>}
        </Descriptions>
      )}
      <Space style={{ margin: "12px 0" }} wrap>
        <Typography.Text type="secondary">
          以下学生的家长没有收到通知，请电话或上门告知。
          {own ? "查看监护人电话会被记录。" : "监护人电话只对学生所在学校显示。"}
        </Typography.Text>
        <Button onClick={download} data-testid="follow-up-export">
          导出 Excel
        </Button>
      </Space>
      <Table
        data-testid="follow-up"
        size="small"
        rowKey="studentId"
        dataSource={data?.lines ?? []}
        scroll={wideScroll(narrow, 720)}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: "学生", dataIndex: "student" },
          { title: "学校", dataIndex: "school", responsive: ["md"] },
          { title: "年级", dataIndex: "grade", responsive: ["md"] },
          { title: "班级", dataIndex: "class", responsive: ["md"] },
          { title: "未送达原因", dataIndex: "reasonLabel", render: (r: string) => <Tag color="red">{r}</Tag> },
          ...(own
            ? [
                {
                  title: "监护人电话",
                  render: (_: unknown, l: FollowUp["lines"][number]) =>
                    l.guardians?.length
                      ? l.guardians.map((g) => `${g.name}（${g.relation}）${g.phone}`).join("；")
                      : "未登记",
                },
              ]
            : []),
          {
            title: "当面告知",
            render: (_: unknown, l: FollowUp["lines"][number]) =>
              l.told ? (
                <Tag color="green">已告知 · {l.told.by}</Tag>
              ) : own ? (
                <Button size="small" onClick={() => told(l.studentId)}>
                  登记为已当面告知
                </Button>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </Card>
  );
}
