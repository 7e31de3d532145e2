import { useEffect, useState } from "react";
import { Alert, App, Button, Form, InputNumber, Modal, Select, Space, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { terms } from "../labels";

type Hit = Result<"/api/students/search", "get">["items"][number];
type Option = Result<"/api/programmes", "get">["items"][number];
type Existing = Result<"/api/students/{id}", "get">["applications"][number];
interface Values {
  studentId: string;
  programme: string;
  term: string;
  amount: number;
}

/**
 * One application for one student, besides the file: find the student by name in one's own schools, pick a
 * programme that fits the student's school and grade (GET /api/programmes?studentId=…), the amount filled in from
 * the programme's standard (changeable), and the student's applications shown so a repeat is seen before saving.
 */
export function NewApplicationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [hits, setHits] = useState<Hit[]>([]);
  const [options, setOptions] = useState<Option[]>();
  const [existing, setExisting] = useState<Existing[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const studentId = Form.useWatch("studentId", form);
  const programme = Form.useWatch("programme", form);
  const term = Form.useWatch("term", form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setHits([]);
    setOptions(undefined);
    setExisting([]);
    setError(undefined);
  }, [open, form]);

  const search = async (q: string) => {
    if (!q.trim()) return;
    try {
      setHits((await api("get", "/api/students/search", { query: { q: q.trim() } })).items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const pickStudent = async (id: string) => {
    setOptions(undefined);
    setExisting([]);
    form.setFieldsValue({ programme: undefined, amount: undefined });
    try {
      const [offered, one] = await Promise.all([
        api("get", "/api/programmes", { query: { studentId: id } }),
        api("get", "/api/students/{id}", { params: { id } }),
      ]);
      setOptions(offered.items);
      setExisting(one.applications);
      if (offered.items.length === 1) pickProgramme(offered.items[0]!.id, offered.items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  // One standard fills the amount; several (寄宿 / 非寄宿) leave it to the officer: a default would be a guess about
  // the child that decides how much money is claimed.
  const pickProgramme = (id: string, list = options ?? []) => {
    const standards = list.find((o) => o.id === id)?.standards ?? [];
    form.setFieldsValue({ programme: id, amount: standards.length === 1 ? standards[0]!.yuan : undefined });
  };
  const chosen = options?.find((o) => o.id === programme);
  const repeat = existing.find((a) => a.programme === programme && a.term === term);
  const student = hits.find((h) => h.id === studentId);

  const save = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api("post", "/api/applications", {
        body: { studentId: v.studentId, programme: v.programme as never, term: v.term, amount: String(v.amount) },
      });
      if (r.created === false) message.warning("该生这个学期已有这份申请，没有重复录入");
      else message.success(`已录入${student?.name ?? ""}的申请（${r.application.programmeLabel}），等待学校审核`);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title="录入一份申请" onCancel={onClose} footer={null} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ term: terms()[0]![0] }}
        data-testid="new-application-form"
      >
        <Form.Item
          label="学生（输入姓名查找本校学生）"
          name="studentId"
          rules={[{ required: true, message: "请选择学生" }]}
        >
          <Select
            showSearch
            filterOption={false}
            onSearch={search}
            onChange={pickStudent}
            placeholder="输入学生姓名"
            notFoundContent="输入姓名后显示本校学生"
            data-testid="new-app-student"
            options={hits.map((h) => ({
              value: h.id,
              label: `${h.name}（${h.grade}${h.class}，学籍号 ${h.studentNo}）`,
            }))}
          />
        </Form.Item>
        {existing.length > 0 && (
          <Typography.Paragraph type="secondary" data-testid="new-app-existing">
            该生已有申请：
            {existing.map((a) => (
              <Tag key={a.id}>
                {a.termLabel} {a.programmeLabel}（{a.stageLabel}）
              </Tag>
            ))}
          </Typography.Paragraph>
        )}
        <Form.Item
          label="资助项目（只列出适合该生学校和年级的）"
          name="programme"
          rules={[{ required: true, message: "请选择资助项目" }]}
        >
          <Select
            disabled={!options}
            placeholder={studentId ? "正在读取…" : "先选学生"}
            onChange={(id: string) => pickProgramme(id)}
            data-testid="new-app-programme"
            options={(options ?? []).map((o) => ({ value: o.id, label: o.name }))}
            notFoundContent="没有适合该生的资助项目：请核对学生的年级"
          />
        </Form.Item>
        <Form.Item label="学期" name="term" rules={[{ required: true }]}>
          <Select options={terms().map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item
          label="金额（元）"
          name="amount"
          rules={[{ required: true, message: "请填写金额" }]}
          extra={
            chosen && chosen.standards.length > 0 ? (
              <Space wrap size={4}>
                国家基础标准：
                {chosen.standards.map((s) => (
                  <Button key={s.label} size="small" onClick={() => form.setFieldsValue({ amount: s.yuan })}>
                    {s.label} {s.yuan} 元
                  </Button>
                ))}
                {chosen.standards.length > 1
                  ? "（按该生实际情况点选一项；本县标准不同时请改金额）"
                  : "（本县标准不同时请改金额）"}
              </Space>
            ) : chosen ? (
              "这个项目按本地标准发放：请按本县通知填写金额"
            ) : undefined
          }
        >
          <InputNumber min={0.01} max={100000} precision={2} style={{ width: 180 }} data-testid="new-app-amount" />
        </Form.Item>
        {repeat && (
          <Alert
            style={{ marginBottom: 12 }}
            type="warning"
            showIcon
            data-testid="new-app-repeat"
            title={`重复申请：该生${repeat.termLabel}已有${repeat.programmeLabel}的申请（${repeat.stageLabel}，${repeat.amountYuan} 元），不能再录入一份`}
          />
        )}
        {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!!repeat} data-testid="new-app-submit">
            录入申请
          </Button>
          <Button onClick={onClose}>取消</Button>
        </Space>
      </Form>
    </Modal>
  );
}
