import { useEffect, useState } from "react";
import { Alert, App, Button, Form, Input, Modal, Space, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";

type Hit = Result<"/api/students/search", "get">["items"][number];
type Values = {
  name: string;
  grade: string;
  class: string;
  village?: string;
  guardians: { name: string; relation: string; phone?: string }[];
  reason: string;
};

/** "guardians.0.phone" (the API's detail field) → the form's name path. */
const namePath = (field: string) => field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/**
 * Correct a student's name, grade, class, village and guardians. Phones are shown masked: an empty phone keeps the
 * number on record, a new one replaces it. The reason is required and goes into the student's audit trail.
 */
export function StudentEditModal({
  student,
  onClose,
  onSaved,
}: {
  student: Hit | undefined;
  onClose: () => void;
  onSaved: (s: Hit) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setError(undefined);
    if (student)
      form.setFieldsValue({
        name: student.name,
        grade: student.grade,
        class: student.class,
        village: student.village ?? "",
        guardians: student.guardians.map((g) => ({ name: g.name, relation: g.relation, phone: "" })),
        reason: "",
      });
  }, [student, form]);
  if (!student) return null;
  const save = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api("put", "/api/students/{id}", {
        params: { id: student.id },
        body: {
          name: v.name,
          grade: v.grade,
          class: v.class,
          village: v.village ?? "",
          guardians: (v.guardians ?? []).map((g) => ({ name: g.name, relation: g.relation, phone: g.phone ?? "" })),
          reason: v.reason,
          updatedAt: student.updatedAt,
        },
      });
      message.success(r.changed.length ? `已保存：修改了${r.changed.join("、")}` : "没有改动，无需保存");
      onSaved({ ...student, ...r.student });
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        form.setFields(
          e.details.filter((d) => d.field).map((d) => ({ name: namePath(d.field!) as never, errors: [d.message] })),
        );
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`修改学生信息：${student.name}`} onCancel={onClose} footer={null} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        学籍号 {student.studentNo}（不可修改）· {student.schoolName}。电话只显示后四位：不改号码请留空。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save} data-testid="student-edit-form">
        <Form.Item label="姓名" name="name" rules={[{ required: true, message: "请填写姓名" }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Space wrap>
          <Form.Item label="年级" name="grade" rules={[{ required: true, message: "请填写年级" }]}>
            <Input maxLength={12} placeholder="如 五年级 或 5" />
          </Form.Item>
          <Form.Item label="班级" name="class" rules={[{ required: true, message: "请填写班级" }]}>
            <Input maxLength={12} placeholder="如 2班 或 2" />
          </Form.Item>
          <Form.Item label="村（社区）" name="village">
            <Input maxLength={40} />
          </Form.Item>
        </Space>
        <Form.List name="guardians">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} wrap align="start">
                  <Form.Item
                    label={`监护人${i + 1}姓名`}
                    name={[f.name, "name"]}
                    rules={[{ required: true, message: "请填写监护人姓名" }]}
                  >
                    <Input maxLength={30} style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item
                    label="与学生关系"
                    name={[f.name, "relation"]}
                    rules={[{ required: true, message: "请填写关系" }]}
                  >
                    <Input maxLength={10} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item label="手机号" name={[f.name, "phone"]}>
                    <Input
                      maxLength={13}
                      style={{ width: 170 }}
                      placeholder={student.guardians[i] ? `不改请留空（${student.guardians[i].phone}）` : "11 位手机号"}
                      aria-label={`监护人${i + 1}手机号`}
                    />
                  </Form.Item>
                  <Form.Item label=" ">
                    <Button onClick={() => remove(f.name)}>删除</Button>
                  </Form.Item>
                </Space>
              ))}
              {fields.length < 4 && (
                <Button onClick={() => add({ name: "", relation: "", phone: "" })} style={{ marginBottom: 12 }}>
                  添加监护人
                </Button>
              )}
            </>
          )}
        </Form.List>
        <Form.Item label="修改原因（记入留痕）" name="reason" rules={[{ required: true, message: "请写明修改原因" }]}>
          <Input maxLength={200} placeholder="如：家长来电更正电话" />
        </Form.Item>
        {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="student-edit-save">
            保存
          </Button>
          <Button onClick={onClose}>取消</Button>
        </Space>
      </Form>
    </Modal>
  );
}
