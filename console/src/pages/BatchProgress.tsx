import { useCallback, useEffect, useState } from "react";
import { Alert, Button, Card, Progress, Space, Statistic } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { navigate } from "../session";

type Report = Result<"/api/events/{id}/deliveries", "get">;

/** How long to wait between two readings of the batch's report while its notices are going out. */
const POLL_MS = 2000;

/**
 * A payment batch's confirmations to families, as they go out: notices finished of all, students reached and not
 * reached (GET /api/events/{id}/deliveries), read again every two seconds until the batch is done.
 */
export function BatchProgress({ eventId }: { eventId: string }) {
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setReport(await api("get", "/api/events/{id}/deliveries", { params: { id: eventId } }));
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [eventId]);
  useEffect(() => void load(), [load]);
  const done = report?.event.status === "done" || report?.event.status === "closed";
  useEffect(() => {
    if (done) return;
    const t = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(t);
  }, [report, error, done, load]);

  const c = report?.counts;
  const total = c ? Object.values(c).reduce((a, b) => a + b, 0) : 0;
  const pending = c ? c.queued + c.held : 0;
  const percent = done ? 100 : total ? Math.floor(((total - pending) / total) * 100) : 0;
  return (
    <Card title="到账通知发送进度" data-testid="batch-progress">
      {error && <Alert style={{ marginBottom: 12 }} type="warning" showIcon title={`${error}（稍后自动重试）`} />}
      <Progress percent={percent} status={done ? "success" : "active"} />
      <div data-testid="batch-progress-status" style={{ margin: "8px 0" }}>
        {!report
          ? "正在读取…"
          : done
            ? "已发完"
            : report.event.fanoutDone
              ? `发送中：还有 ${pending} 条通知在路上`
              : "正在准备家长名单…"}
      </div>
      {report && (
        <Space wrap size="large" data-testid="batch-progress-counts">
          <Statistic title="学生" value={report.students} suffix="名" />
          <Statistic title="已通知家长" value={report.counts.sent + report.counts.delivered} suffix="条" />
          <Statistic title="已收到通知的学生" value={report.reached} suffix="名" />
          <Statistic title="未收到（需当面告知）" value={report.unreached.total} suffix="名" />
        </Space>
      )}
      {done && report && report.unreached.total > 0 && (
        <div style={{ marginTop: 12 }}>
          <Button onClick={() => navigate(`/notices/${eventId}`)}>查看未收到的学生（当面告知）</Button>
        </div>
      )}
    </Card>
  );
}
