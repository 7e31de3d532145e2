import { useState } from "react";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { ApiError, api } from "../api/client";
import { TENANT_KEY, type SessionInfo } from "../session";

export function LoginPage({ onLogin }: { onLogin: (s: SessionInfo) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The 单位代码 comes from the link the account was given (?t=…), else the one this browser last logged in with.
  const tenant = new URLSearchParams(location.search).get("t") ?? localStorage.getItem(TENANT_KEY) ?? "demo";
  const submit = async (v: { tenant: string; username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const session = await api("post", "/api/session", { body: v });
      localStorage.setItem(TENANT_KEY, v.tenant.trim());
      onLogin(session);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "登录失败：请稍后重试");
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "#f5f5f5",
        padding: 12,
      }}
    >
      <Card style={{ width: "100%", maxWidth: 380 }}>
        <Typography.Title level={3} style={{ textAlign: "center", marginTop: 0 }}>
          资助通 · 学生资助管理台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          县学生资助管理中心、乡镇中心校、学校资助专干登录
        </Typography.Paragraph>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} initialValues={{ tenant }} requiredMark={false}>
          <Form.Item
            label="单位代码"
            name="tenant"
            rules={[{ required: true, message: "请输入单位代码（县教育局提供）" }]}
          >
            <Input autoComplete="organization" />
          </Form.Item>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input autoComplete="username" placeholder="用户名或手机号" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
          忘记密码请联系上一级（学校找乡镇中心校，乡镇找县资助中心）重置。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
