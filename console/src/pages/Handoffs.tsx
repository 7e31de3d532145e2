import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Empty, Input, Segmented, Space, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { navigate, useSession } from "../session";

type Inbox = Result<"/api/handoffs/inbox", "get">;
type Detail = Result<"/api/handoffs/{id}", "get">;
type Listed = Result<"/api/handoffs", "get">["items"][number];

const when = (iso: string) => new Date(iso).toLocaleString("zh-CN", { hour12: false });
const CHANNEL: Record<string, string> = { wechat: "微信", web: "网页聊天" };
const FROM: Record<string, string> = { parent: "家长", bot: "机器人", staff: "老师" };
const waited = (m: number) =>
  m < 60 ? `${m} 分钟` : m < 1440 ? `${Math.floor(m / 60)} 小时` : `${Math.floor(m / 1440)} 天`;

function StatusTags({ h }: { h: Inbox["items"][number] | Detail | Listed }) {
  const flags = "overdue" in h ? h : undefined;
  return (
    <Space size={4} wrap>
      {h.crisis && <Tag color="red">危机</Tag>}
      {h.status !== "closed" && flags?.escalated && <Tag color="volcano">已升级至县资助中心</Tag>}
      {h.status !== "closed" && flags?.overdue && !flags.escalated && <Tag color="orange">超时未认领</Tag>}
      {h.status === "open" && <Tag>待认领</Tag>}
      {h.status === "claimed" && <Tag color="blue">{h.owner?.name ?? ""} 处理中</Tag>}
      {h.status === "closed" && <Tag color="green">已结束</Tag>}
    </Space>
  );
}

export function HandoffsPage({ path }: { path: string }) {
  const id = /^\/handoffs\/(hnd_[0-9a-f]+)/.exec(path)?.[1];
  return id ? <HandoffView id={id} /> : <InboxView />;
}

/** A request's whole message and every child, shown when its row is expanded (展开行). */
function Expanded({ h }: { h: Inbox["items"][number] | Listed }) {
  return (
    <Descriptions size="small" column={1} data-testid="handoff-expanded">
      <Descriptions.Item label="家长留言">
        <span style={{ whiteSpace: "pre-wrap" }}>{h.text}</span>
      </Descriptions.Item>
      <Descriptions.Item label="孩子">
        {h.children.length ? h.children.map((k) => k.name).join("、") : "未绑定孩子"}
      </Descriptions.Item>
      <Descriptions.Item label="提出时间">{when(h.at)}</Descriptions.Item>
      {h.owner && <Descriptions.Item label="处理人">{h.owner.name}</Descriptions.Item>}
      {h.closeNote && (
        <Descriptions.Item label="处理结果">
          {h.closeNote}（{when(h.closedAt ?? h.at)}）
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/**
 * The rows carry `children` (the family's children): antd would read that as tree data and draw its own "+" inside
 * the status cell, expanding into rows that are not requests. The table's children column is therefore a name no
 * row has, and the "+" is the expand column of its own.
 */
const EXPANDABLE = {
  childrenColumnName: "__noTreeData",
  columnWidth: 40,
  expandedRowRender: (h: Inbox["items"][number] | Listed) => <Expanded h={h} />,
};

type Show = "pending" | "closed";

function InboxView() {
  const [show, setShow] = useState<Show>("pending");
  const [inbox, setInbox] = useState<Inbox>();
  const [closed, setClosed] = useState<{ items: Listed[]; cursor?: string | null }>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setInbox(await api("get", "/api/handoffs/inbox"));
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  const loadClosed = useCallback(async (cursor?: string) => {
    setMore(true);
    try {
      const page = await api("get", "/api/handoffs", cursor ? { query: { cursor } } : {});
      const done = page.items.filter((h) => h.status === "closed");
      setClosed((prev) => ({ items: [...(cursor ? (prev?.items ?? []) : []), ...done], cursor: page.cursor }));
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setMore(false);
    }
  }, []);
  useEffect(() => {
    if (show === "closed") {
      void loadClosed();
      return;
    }
    void load();
    // New requests arrive while the page is open: look again every 15 seconds.
    const t = setInterval(() => void load(), 15_000);
    return () => clearInterval(t);
  }, [load, loadClosed, show]);
  const c = inbox?.counts;
  const common = [
    {
      title: "状态",
      key: "status",
      render: (_: unknown, h: Inbox["items"][number] | Listed) => <StatusTags h={h} />,
    },
    {
      title: "孩子",
      key: "children",
      render: (_: unknown, h: Inbox["items"][number] | Listed) =>
        h.children.length ? h.children.map((k) => k.name).join("、") : "未绑定孩子",
    },
    {
      title: "渠道",
      key: "channel",
      render: (_: unknown, h: Inbox["items"][number] | Listed) => CHANNEL[h.channel] ?? h.channel,
    },
    { title: "家长留言", dataIndex: "text", ellipsis: true },
  ];
  const view = {
    title: "",
    key: "open",
    render: (_: unknown, h: { id: string }) => <Button onClick={() => navigate(`/handoffs/${h.id}`)}>查看</Button>,
  };
  return (
    <Card
      title="家长求助（转人工）"
      extra={
        <Segmented<Show>
          data-testid="handoff-show"
          value={show}
          onChange={setShow}
          options={[
            { label: "待处理", value: "pending" },
            { label: "已结束", value: "closed" },
          ]}
        />
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {show === "pending" && c && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="handoff-counts">
          <Tag>待认领 {c.open}</Tag>
          <Tag color="blue">处理中 {c.claimed}</Tag>
          <Tag color="red">危机 {c.crisis}</Tag>
          <Tag color="orange">超时 {c.overdue}</Tag>
          <Tag color="volcano">已升级 {c.escalated}</Tag>
          <Typography.Text type="secondary">
            超过 {inbox.overdueMinutes} 分钟无人认领即为超时，超过 {inbox.overdueMinutes * 2} 分钟升级至县资助中心
          </Typography.Text>
        </Space>
      )}
      {show === "pending" ? (
        <Table<Inbox["items"][number]>
          data-testid="handoff-inbox"
          rowKey="id"
          size="middle"
          loading={!inbox && !error}
          dataSource={inbox?.items ?? []}
          locale={{ emptyText: <Empty description="没有待处理的求助" /> }}
          pagination={false}
          expandable={EXPANDABLE}
          rowClassName={(h) => (h.crisis ? "handoff-crisis" : "")}
          columns={[...common, { title: "等待", key: "wait", render: (_, h) => waited(h.waitingMinutes) }, view]}
        />
      ) : (
        <>
          <Table<Listed>
            data-testid="handoff-inbox"
            rowKey="id"
            size="middle"
            loading={!closed && !error}
            dataSource={closed?.items ?? []}
            locale={{ emptyText: <Empty description="没有已结束的求助" /> }}
            pagination={false}
            expandable={EXPANDABLE}
            columns={[
              ...common,
              { title: "结束于", key: "closedAt", render: (_, h) => when(h.closedAt ?? h.at) },
              { title: "处理结果", dataIndex: "closeNote", ellipsis: true },
              view,
            ]}
          />
          {closed?.cursor && (
            <Button
              style={{ marginTop: 12 }}
              loading={more}
              onClick={() => void loadClosed(closed.cursor ?? undefined)}
            >
              加载更早的求助
            </Button>
          )}
        </>
      )}
    </Card>
  );
}

function HandoffView({ id }: { id: string }) {
  const { message } = App.useApp();
  const { session } = useSession();
  const [h, setH] = useState<Detail>();
  const [error, setError] = useState<string>();
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [held, setHeld] = useState<string>();
  const load = useCallback(async () => {
    try {
      setH(await api("get", "/api/handoffs/{id}", { params: { id } }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
    // The family may write while staff read: refresh the conversation every 5 seconds.
    const t = setInterval(() => void load(), 5_000);
    return () => clearInterval(t);
  }, [load]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const claim = () => act(() => api("post", "/api/handoffs/{id}/claim", { params: { id } }));
  const reply = () =>
    act(async () => {
      const r = await api("post", "/api/handoffs/{id}/reply", { params: { id }, body: { text } });
      setText("");
      if (r.delivery === "pending") setHeld(r.message);
      else message.success(r.message);
    });
  const nudge = () =>
    act(async () => {
      await api("post", "/api/handoffs/{id}/nudge", { params: { id } });
      message.success("模板通知已发出");
    });
  const close = () =>
    act(async () => {
      await api("post", "/api/handoffs/{id}/close", { params: { id }, body: { note } });
      message.success("已结束");
    });

  if (!h) return error ? <Alert type="error" showIcon title={error} /> : null;
  const mine = h.owner?.id === `acc:${session.account.username}`;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Button onClick={() => navigate("/handoffs")}>← 返回求助列表</Button>
      <Card
        title={
          <Space wrap>
            <span>{h.children.length ? h.children.map((k) => k.name).join("、") : "未绑定孩子的家长"}</span>
            <Typography.Text type="secondary">
              {CHANNEL[h.channel] ?? h.channel} · {when(h.at)}
            </Typography.Text>
            <StatusTags h={h} />
          </Space>
        }
        extra={
          h.status === "open" && (
            <Button type="primary" onClick={claim} loading={busy} data-testid="handoff-claim">
              认领
            </Button>
          )
        }
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {h.crisis && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title="危机求助：机器人已给家长 110 / 120 / 12355 等紧急电话。请尽快电话联系家长或学校负责人。"
          />
        )}
        <div data-testid="handoff-thread">
          {h.thread.map((e, i) => (
            <div key={`${e.at}-${i}`} style={{ margin: "8px 0", textAlign: e.from === "parent" ? "left" : "right" }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {e.from === "staff" ? (e.by ?? "老师") : FROM[e.from]} · {when(e.at)}
                {e.delivery === "pending" ? " · 待家长下次发消息时送达" : ""}
              </Typography.Text>
              <div
                className={`handoff-line handoff-${e.from}`}
                style={{
                  display: "inline-block",
                  maxWidth: "80%",
                  marginLeft: 8,
                  padding: "6px 10px",
                  borderRadius: 8,
                  background: e.from === "parent" ? "#f5f5f5" : e.from === "staff" ? "#e6f4ff" : "#fafafa",
                  whiteSpace: "pre-wrap",
                }}
              >
                {e.text}
              </div>
            </div>
          ))}
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          家长的电话、身份证号、学籍号、银行卡号已隐去。
        </Typography.Paragraph>
        {h.status === "claimed" && mine && (
          <>
            {(!h.windowOpen || held) && (
              <Alert
                data-testid="handoff-window"
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={
                  held ??
                  "家长最后一条消息已超过 48 小时，微信不允许再发客服消息。回复会在家长下次发消息时送达；也可以发模板通知请家长打开对话，或电话联系。"
                }
                action={
                  h.channel === "wechat" && (
                    <Button onClick={nudge} loading={busy} data-testid="handoff-nudge">
                      发模板通知
                    </Button>
                  )
                }
              />
            )}
            {h.channel === "wechat" && h.windowOpen && h.windowUntil && (
              <Typography.Paragraph type="secondary">
                微信客服消息可发送至 {when(h.windowUntil)}（家长最后一条消息后 48 小时）
              </Typography.Paragraph>
            )}
            <Input.TextArea
              data-testid="handoff-reply-text"
              rows={3}
              maxLength={500}
              showCount
              placeholder="回复家长（会以您的名义发到家长的微信或网页聊天）"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <Space wrap style={{ marginTop: 12 }}>
              <Button type="primary" onClick={reply} loading={busy} disabled={!text.trim()} data-testid="handoff-reply">
                发送回复
              </Button>
            </Space>
          </>
        )}
        {h.status !== "closed" && (
          <Space.Compact style={{ width: "100%", marginTop: 16 }}>
            <Input
              data-testid="handoff-note"
              placeholder="处理结果（结束时必填，例如：已电话说明发放时间）"
              value={note}
              maxLength={300}
              onChange={(e) => setNote(e.target.value)}
            />
            <Button onClick={close} loading={busy} disabled={!note.trim()} data-testid="handoff-close">
              结束求助
            </Button>
          </Space.Compact>
        )}
        {h.status === "closed" && (
          <Alert type="success" showIcon title={`已于 ${when(h.closedAt ?? h.at)} 结束：${h.closeNote ?? ""}`} />
        )}
      </Card>
    </Space>
  );
}
