import { useState } from "react";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { ApiError, api, setCsrf } from "../api/client";
import { useSession } from "../session";

export function ChangePasswordPage({ first = false }: { first?: boolean }) {
  const { refresh } = useSession();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const submit = async (v: { current: string; next: string }) => {
    setError(undefined);
    try {
      const s = await api("post", "/api/session/password", { body: { current: v.current, next: v.next } });
      setCsrf(s.csrf);
      setDone(true);
      await refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "修改失败：请稍后重试");
    }
  };
  return (
    <div
      style={{
        display: "flex",
        justifyContent: "center",
        padding: 12,
        minHeight: first ? "100vh" : undefined,
        alignItems: first ? "center" : undefined,
      }}
    >
      <Card style={{ width: "100%", maxWidth: 420 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {first ? "首次登录：请设置您自己的密码" : "修改密码"}
        </Typography.Title>
        {first && (
          <Typography.Paragraph type="secondary">
            初始密码由上一级设置，只能用一次。新密码至少 8 位，须同时含字母和数字。
          </Typography.Paragraph>
        )}
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />}
        {done && <Alert type="success" title="密码已修改" showIcon style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit}>
          <Form.Item label="当前密码" name="current" rules={[{ required: true, message: "请输入当前密码" }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            label="新密码"
            name="next"
            rules={[
              { required: true, message: "请输入新密码" },
              { min: 8, message: "新密码至少 8 位" },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="再输一次新密码"
            name="again"
            dependencies={["next"]}
            rules={[
              { required: true, message: "请再输一次新密码" },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v === getFieldValue("next") ? Promise.resolve() : Promise.reject(new Error("两次输入的新密码不一致")),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            保存新密码
          </Button>
        </Form>
      </Card>
    </div>
  );
}
