import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { STAGE_COLOR } from "../labels";
import { useSession } from "../session";
import { useNarrow, wideScroll } from "./narrow";

type Roster = Result<"/api/lists/{id}", "get">;
type Item = Result<"/api/review-queue", "get">["items"][number];
type Step = { kind: "object"; item: Item } | { kind: "resolve"; item: Item };

/**
 * 异议 on a 公示 list: any level records an objection raised during the period (the application goes to 异议复核中),
 * the county centre resolves it — it holds (未通过, with the reason the family reads) or it does not (公示无异议).
 * Shown under the roster, never printed with it.
 */
export function ObjectionsCard({ list, onChange }: { list: Roster; onChange: () => void }) {
  const narrow = useNarrow();
  const { message } = App.useApp();
  const { session } = useSession();
  const [items, setItems] = useState<Item[]>();
  const [error, setError] = useState<string>();
  const [step, setStep] = useState<Step>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string; result?: "approved" | "rejected" }>();
  const load = useCallback(async () => {
    try {
      const r = await api("get", "/api/review-queue", {
        query: { programme: list.programme as never, term: list.term, stage: "all" },
      });
      setItems(r.items.filter((i) => i.listId === list.id));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [list.id, list.programme, list.term]);
  useEffect(() => void load(), [load]);

  const open = (s: Step) => {
    form.resetFields();
    setError(undefined);
    setStep(s);
  };
  const submit = async (v: { reason: string; result?: "approved" | "rejected" }) => {
    if (!step) return;
    setBusy(true);
    try {
      if (step.kind === "object") {
        await api("post", "/api/applications/{id}/objections", {
          params: { id: step.item.id },
          body: { from: "publicizing", reason: v.reason },
        });
        message.success(`已登记 ${step.item.studentName} 的异议：转为“异议复核中”，待县资助中心复核`);
      } else {
        await api("post", "/api/applications/{id}/objections/resolve", {
          params: { id: step.item.id },
          body: { from: "objected", result: v.result!, reason: v.reason },
        });
        message.success(
          v.result === "rejected"
            ? `异议成立：${step.item.studentName} 的申请未通过，已通知绑定的家长（含复核意见）`
            : `异议不成立：${step.item.studentName} 恢复为公示无异议，已通知绑定的家长`,
        );
      }
      setStep(undefined);
      await load();
      onChange();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const isBureau = session.account.role === "bureau";
  const open_ = list.status !== "closed";
  const pending = (items ?? []).filter((i) => i.stage === "objected").length;
  return (
    <Card
      className="no-print"
      style={{ marginTop: 16 }}
      title={`异议登记与复核${pending ? `（待复核 ${pending}）` : ""}`}
      data-testid="objections"
    >
      <Typography.Paragraph type="secondary">
        公示期内收到的异议在这里登记（写明异议内容），申请转为“异议复核中”；县资助中心复核后，异议成立则申请未通过（原因会告诉家长），
        不成立则恢复为“公示无异议”。
      </Typography.Paragraph>
      {error && !step && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={!items && !error}
        dataSource={items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={wideScroll(narrow, 640)}
        columns={[
          { title: "姓名", dataIndex: "studentName" },
          { title: "学校", dataIndex: "schoolName", responsive: ["md"] },
          {
            title: "年级班级",
            key: "gc",
            responsive: ["md"],
            render: (_: unknown, r: Item) => `${r.grade} ${r.class}`,
          },
          {
            title: "状态",
            dataIndex: "stageLabel",
            render: (l: string, r: Item) => <Tag color={STAGE_COLOR[r.stage]}>{l}</Tag>,
          },
          {
            title: "异议 / 复核意见",
            dataIndex: "reason",
            render: (v?: string) => v ?? "",
          },
          {
            title: "",
            key: "act",
            render: (_: unknown, r: Item) =>
              r.stage === "publicizing" && open_ ? (
                <Button size="small" onClick={() => open({ kind: "object", item: r })}>
                  登记异议
                </Button>
              ) : r.stage === "objected" && isBureau ? (
                <Button size="small" type="primary" onClick={() => open({ kind: "resolve", item: r })}>
                  复核
                </Button>
              ) : r.stage === "objected" ? (
                <Typography.Text type="secondary">待县资助中心复核</Typography.Text>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!step}
        title={
          step?.kind === "object" ? `登记异议：${step.item.studentName}` : `复核异议：${step?.item.studentName ?? ""}`
        }
        onCancel={() => setStep(undefined)}
        footer={null}
        destroyOnHidden
      >
        {step?.kind === "resolve" && (
          <Typography.Paragraph>异议内容：{step.item.reason ?? "（未写明）"}</Typography.Paragraph>
        )}
        <Form form={form} layout="vertical" onFinish={submit}>
          {step?.kind === "resolve" && (
            <Form.Item label="复核结论" name="result" rules={[{ required: true, message: "请选择复核结论" }]}>
              <Radio.Group>
                <Radio value="rejected">异议成立：不予资助（申请未通过）</Radio>
                <Radio value="approved">异议不成立：恢复为公示无异议</Radio>
              </Radio.Group>
            </Form.Item>
          )}
          <Form.Item
            label={step?.kind === "object" ? "异议内容（谁反映、反映什么）" : "复核意见（异议成立时家长会看到）"}
            name="reason"
            rules={[{ required: true, message: "请填写" }]}
          >
            <Input.TextArea rows={3} maxLength={200} data-testid="objection-reason" />
          </Form.Item>
          {error && step && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="objection-submit">
            {step?.kind === "object" ? "登记异议" : "提交复核结论"}
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
