import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Form, Input, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";

type Answer = Result<"/api/tenant", "get">;
type Values = {
  name: string;
  hotline: string;
  followUrl: string;
  templates: { publicity: string; payment: string; broadcast: string };
};
const TEMPLATES = [
  ["publicity", "公示通知模板 ID", "公示开始时发给家长"],
  ["payment", "发放通知模板 ID", "资助金发放后发给家长"],
  ["broadcast", "学校通知模板 ID", "学校发的班级、年级通知"],
] as const;
/** An empty optional field clears it. */
const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/**
 * 本县设置 (bureau): the county's name and hotline families see, the Official Account follow link the binding slips'
 * QR code opens (else the county's own web chat), and the WeChat template ids its notices are sent with. Every save
 * is audited with the fields changed.
 */
export function SettingsPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [data, setData] = useState<Answer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const show = useCallback(
    (r: Answer) => {
      setData(r);
      const t = r.tenant;
      form.setFieldsValue({
        name: t.name,
        hotline: t.hotline,
        followUrl: t.followUrl ?? "",
        templates: {
          publicity: t.templates.publicity ?? "",
          payment: t.templates.payment ?? "",
          broadcast: t.templates.broadcast ?? "",
        },
      });
    },
    [form],
  );
  useEffect(() => {
    api("get", "/api/tenant").then(show, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [show]);

  const save = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    // The server's messages of an earlier attempt go; this attempt's come back below if any.
    form.setFields(
      [
        ["name"],
        ["hotline"],
        ["followUrl"],
        ["templates", "publicity"],
        ["templates", "payment"],
        ["templates", "broadcast"],
      ].map((name) => ({ name: name as ["name"], errors: [] })),
    );
    try {
      const r = await api("put", "/api/tenant", {
        body: {
          name: v.name,
          hotline: v.hotline,
          followUrl: orNull(v.followUrl),
          templates: {
            publicity: orNull(v.templates.publicity),
            payment: orNull(v.templates.payment),
            broadcast: orNull(v.templates.broadcast),
          },
        },
      });
      message.success(r.changed.length ? `已保存：${r.changed.join("、")}` : "没有改动");
      show(r);
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        form.setFields(
          e.details
            .filter((d) => d.field)
            .map((d) => ({ name: d.field!.split(".") as ["name"], errors: [d.message.replace(/^[^：]+：/, "")] })),
        );
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };
  const t = data?.tenant;
  const slipUrl = t ? (t.followUrl ?? `${location.origin}/?tenant=${t.id}`) : "";
  return (
    <Card title="本县设置" loading={!data && !error}>
      <Typography.Paragraph type="secondary">
        名称和咨询电话会出现在家长看到的通知、绑定告知单和聊天回答里。模板 ID
        在微信公众平台“模板消息”中添加模板后复制过来；没填的那类通知，绑定微信的家长收不到（网页聊天的家长不受影响）。保存后一分钟内对新发出的通知生效；每次修改都会记录修改人。
      </Typography.Paragraph>
      {data?.missingTemplates?.map((m) => (
        <Alert key={m.kind} type="warning" showIcon style={{ marginBottom: 12 }} title={m.advice} />
      ))}
      {t && (
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }} data-testid="settings-state">
          <Descriptions.Item label="单位代码">{t.id}</Descriptions.Item>
          <Descriptions.Item label="绑定告知单二维码打开">
            <Typography.Text copyable data-testid="settings-slip-url">
              {slipUrl}
            </Typography.Text>
            {!t.followUrl && (
              <Typography.Text type="secondary">（本县网页聊天；填了公众号关注链接后改为关注公众号）</Typography.Text>
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Form form={form} layout="vertical" onFinish={save} style={{ maxWidth: 560 }} autoComplete="off">
        <Form.Item label="县（区）名称" name="name" extra="如：青川县学生资助管理中心">
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item label="咨询电话" name="hotline" extra="家长咨询资助政策打的电话，如 0839-7201234">
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          label="公众号关注链接"
          name="followUrl"
          extra="微信公众平台“设置与开发 → 公众号设置”里下载二维码，用扫码工具读出的网址（如 http://weixin.qq.com/r/…）；留空则告知单打开本县网页聊天"
        >
          <Input placeholder="http://weixin.qq.com/r/…" maxLength={500} />
        </Form.Item>
        {TEMPLATES.map(([k, label, hint]) => (
          <Form.Item key={k} label={label} name={["templates", k]} extra={`${hint}；留空表示不用`}>
            <Input maxLength={64} />
          </Form.Item>
        ))}
        {error && (
          <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} data-testid="settings-error" />
        )}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">
          保存
        </Button>
      </Form>
    </Card>
  );
}
