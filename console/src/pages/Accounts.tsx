import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Form, Input, Modal, Select, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { ROLE_LABEL } from "../labels";
import { currentTenant, useSession } from "../session";
import { useNarrow, wideScroll } from "./narrow";

type Account = Result<"/api/accounts", "get">["items"][number];
type School = { id: string; name: string; township: string };

export function AccountsPage() {
  const narrow = useNarrow();
  const { modal } = App.useApp();
  const { session } = useSession();
  const [items, setItems] = useState<Account[]>([]);
  const [schools, setSchools] = useState<School[]>([]);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm();
  const role = Form.useWatch("role", form);
  const load = useCallback(async () => {
    try {
      setItems((await api("get", "/api/accounts")).items);
      setSchools(((await api("get", "/api/schools")) as { items: School[] }).items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  const showPassword = (title: string, username: string, password: string) =>
    modal.success({
      title,
      content: (
        <div>
          单位代码：<b>{currentTenant()}</b>
          <br />
          用户名：<b>{username}</b>
          <br />
          初始密码：
          <Typography.Text copyable strong>
            {password}
          </Typography.Text>
          <br />
          登录网址：
          <Typography.Text
            copyable
          >{`${location.origin}/console/?t=${encodeURIComponent(currentTenant())}`}</Typography.Text>
          <br />
          登录时三项都要填。请当面或电话告知本人；首次登录须改密码。此密码不会再显示。
        </div>
      ),
    });
  const create = async (v: {
    name: string;
    username: string;
    role: "bureau" | "township" | "school";
    schoolId?: string;
    township?: string;
  }) => {
    try {
      const r = await api("post", "/api/accounts", { body: v });
      setCreating(false);
      form.resetFields();
      showPassword("账号已开通", r.account.username, r.password);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const reset = async (a: Account) => {
    try {
      const r = await api("post", "/api/accounts/{username}/reset", { params: { username: a.username } });
      showPassword(`已重置 ${a.name} 的密码`, a.username, r.password);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const townships = [...new Set(schools.map((s) => s.township))];
  const roles = session.account.role === "bureau" ? (["school", "township", "bureau"] as const) : (["school"] as const);
  return (
    <Card
      title="账号管理"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          开通账号
        </Button>
      }
    >
      {error && (
        <Alert
          style={{ marginBottom: 12 }}
          type="error"
          showIcon
          title={error}
          closable
          onClose={() => setError(undefined)}
        />
      )}
      <Table
        size="small"
        rowKey="username"
        dataSource={items}
        scroll={wideScroll(narrow, 640)}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: "姓名", dataIndex: "name" },
          { title: "用户名", dataIndex: "username" },
          { title: "角色", dataIndex: "title", responsive: ["md"] },
          {
            title: "单位",
            key: "scope",
            render: (_: unknown, a: Account) =>
              a.township ?? schools.find((s) => s.id === a.schoolId)?.name ?? "县资助中心",
          },
          {
            title: "状态",
            key: "st",
            render: (_: unknown, a: Account) =>
              a.lockedUntil && a.lockedUntil > new Date().toISOString() ? (
                <Tag color="red">已锁定</Tag>
              ) : a.mustChangePassword ? (
                <Tag>待首次登录</Tag>
              ) : (
                <Tag color="green">正常</Tag>
              ),
          },
          {
            title: "",
            key: "reset",
            render: (_: unknown, a: Account) =>
              a.username !== session.account.username ? <a onClick={() => reset(a)}>重置密码</a> : null,
          },
        ]}
      />
      <Modal
        open={creating}
        title="开通账号"
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="开通"
        cancelText="取消"
      >
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ role: "school" }}>
          <Form.Item label="姓名" name="name" rules={[{ required: true, message: "请填写姓名" }]}>
            <Input placeholder="如：李老师" />
          </Form.Item>
          <Form.Item
            label="用户名（字母开头，或手机号）"
            name="username"
            rules={[{ required: true, message: "请填写用户名" }]}
          >
            <Input />
          </Form.Item>
          <Form.Item label="角色" name="role">
            <Select options={roles.map((r) => ({ value: r, label: ROLE_LABEL[r] }))} />
          </Form.Item>
          {role === "school" && (
            <Form.Item label="学校" name="schoolId" rules={[{ required: true, message: "请选择学校" }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={schools.map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
          )}
          {role === "township" && (
            <Form.Item label="乡镇" name="township" rules={[{ required: true, message: "请选择乡镇" }]}>
              <Select options={townships.map((t) => ({ value: t, label: t }))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
