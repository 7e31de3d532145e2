import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";

type Answer = Result<"/api/tenant/wechat", "get">;
type Values = { appId?: string; appSecret?: string; token?: string; aesKey?: string };
const SECRETS = [
  ["appSecret", "AppSecret（开发者密码）", "32 位"],
  ["token", "Token（令牌）", "3–32 位字母或数字"],
  ["aesKey", "EncodingAESKey（消息加解密密钥）", "43 位"],
] as const;

/**
 * The county's own WeChat Official Account (服务号): the bureau enters AppID, AppSecret, Token and EncodingAESKey
 * from the WeChat admin. Secrets are never shown again — only 已设置 and their last four characters; an empty field
 * keeps what is stored. 测试连接 asks WeChat for an access token with what was saved.
 */
export function WechatPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [data, setData] = useState<Answer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<{ ok: boolean; message: string }>();
  const load = useCallback(async () => {
    try {
      const r = await api("get", "/api/tenant/wechat");
      setData(r);
      form.setFieldsValue({ appId: r.credentials.appId ?? "", appSecret: "", token: "", aesKey: "" });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [form]);
  useEffect(() => void load(), [load]);

  const save = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    setTest(undefined);
    try {
      const r = await api("put", "/api/tenant/wechat", {
        body: { appId: v.appId ?? "", appSecret: v.appSecret ?? "", token: v.token ?? "", aesKey: v.aesKey ?? "" },
      });
      message.success(r.changed.length ? `已保存：${r.changed.join("、")}` : "没有改动");
      setData(r);
      form.setFieldsValue({ appId: r.credentials.appId ?? "", appSecret: "", token: "", aesKey: "" });
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        form.setFields(
          e.details.filter((d) => d.field).map((d) => ({ name: d.field as keyof Values, errors: [d.message] })),
        );
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };
  const check = async () => {
    setTest(undefined);
    setBusy(true);
    try {
      setTest(await api("post", "/api/tenant/wechat/test"));
    } catch (e) {
      setTest({ ok: false, message: e instanceof ApiError ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  const c = data?.credentials;
  return (
    <Card title="公众号设置（本县服务号）" loading={!data && !error}>
      <Typography.Paragraph type="secondary">
        在微信公众平台“设置与开发 → 基本配置”中查看 AppID、重置
        AppSecret，并在“服务器配置”中填写下面的服务器地址和同一组
        Token、EncodingAESKey（消息加解密方式选“安全模式”）。密钥加密保存，保存后不再显示，只显示后四位；不改的项留空。保存后半分钟内生效：家长消息的接收、回复和通知的发送都改用这里的公众号；一项都没填时仍用系统默认的公众号。
      </Typography.Paragraph>
      {data && (
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }} data-testid="wechat-state">
          <Descriptions.Item label="服务器地址（URL）">
            <Typography.Text copyable>{`${location.origin}${data.serverPath}`}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="AppID">{c?.appId ?? <Tag>未设置</Tag>}</Descriptions.Item>
          {SECRETS.map(([k, label]) => (
            <Descriptions.Item key={k} label={label.replace(/（.*/, "")}>
              {c?.[k].set ? <Tag color="green">已设置（尾号 {c[k].last4}）</Tag> : <Tag>未设置</Tag>}
            </Descriptions.Item>
          ))}
          {c?.updatedBy && (
            <Descriptions.Item label="最后修改">
              {c.updatedBy} · {new Date(c.updatedAt!).toLocaleString("zh-CN", { hour12: false })}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      <Form form={form} layout="vertical" onFinish={save} style={{ maxWidth: 520 }} autoComplete="off">
        <Form.Item label="AppID（开发者ID）" name="appId">
          <Input placeholder="wx 开头的 18 位" maxLength={18} />
        </Form.Item>
        {SECRETS.map(([k, label, hint]) => (
          <Form.Item key={k} label={label} name={k}>
            <Input.Password
              placeholder={c?.[k].set ? `已设置（尾号 ${c[k].last4}）：不改请留空` : hint}
              autoComplete="new-password"
              visibilityToggle={false}
            />
          </Form.Item>
        ))}
        {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="wechat-save">
            保存
          </Button>
          <Button onClick={check} loading={busy} data-testid="wechat-test">
            测试连接
          </Button>
        </Space>
      </Form>
      {test && (
        <Alert
          style={{ marginTop: 12 }}
          type={test.ok ? "success" : "error"}
          showIcon
          title={test.message}
          data-testid="wechat-test-result"
        />
      )}
    </Card>
  );
}
