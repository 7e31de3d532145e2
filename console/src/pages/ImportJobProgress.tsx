import { useCallback, useEffect, useState } from "react";
import { Alert, Card, Progress, Space, Statistic, Table, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";

export type ImportJob = Result<"/api/jobs/{id}", "get">;

/** How long to wait between two readings of a long file's job while it is checked and applied. */
const POLL_MS = 1500;
/** No progress for this long: a worker may have given up on a chunk; uploading the same file again resumes it. */
const STALL_MS = 90_000;

const over = (job?: ImportJob) => job?.state === "done" || job?.state === "invalid";

/**
 * A long payment file (more than 1,000 rows) as the imports queue checks and applies it: one bar for the checking
 * of every row and then the paying, read from GET /api/jobs/{id} every 1.5 s until the job is over; then its result
 * — paid, or every error with its line (nothing paid).
 */
export function ImportJobProgress({ jobId, onFinished }: { jobId: string; onFinished: (job: ImportJob) => void }) {
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<string>();
  const [moved, setMoved] = useState({ rows: -1, at: Date.now() });
  const load = useCallback(async () => {
    try {
      const next = await api("get", "/api/jobs/{id}", { params: { id: jobId } });
      setJob(next);
      const rows = next.rowsChecked + next.rowsDone;
      setMoved((m) => (m.rows === rows ? m : { rows, at: Date.now() }));
      setError(undefined);
      if (over(next)) onFinished(next);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [jobId, onFinished]);
  useEffect(() => void load(), [load]);
  const finished = over(job);
  useEffect(() => {
    if (finished) return;
    const t = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(t);
  }, [job, error, finished, load]);

  const total = job?.total ?? 0;
  // One bar for both steps (checking is the first half, paying the second), so it never goes back.
  const percent = finished
    ? 100
    : total && job
      ? Math.floor(((job.rowsChecked + job.rowsDone) / (2 * total)) * 100)
      : 0;
  return (
    <Card title="导入进度（长文件由后台分批检查、发放）" data-testid="import-job">
      {error && <Alert style={{ marginBottom: 12 }} type="warning" showIcon title={`${error}（稍后自动重试）`} />}
      {!finished && job && Date.now() - moved.at > STALL_MS && (
        <Alert
          style={{ marginBottom: 12 }}
          type="warning"
          showIcon
          title="进度已有一会儿没有变化：可以再上传一次同一个文件继续（已核对、已发放的部分不会重复）；仍不动请联系技术支持"
        />
      )}
      <Progress
        percent={percent}
        status={job?.state === "invalid" ? "exception" : finished ? "success" : "active"}
        data-testid="import-job-progress"
      />
      <div data-testid="import-job-status" style={{ margin: "8px 0" }}>
        {!job
          ? "正在读取…"
          : job.state === "checking"
            ? `第一步 核对学生和申请：已核对 ${job.rowsChecked} / ${total} 行（核对完全部无误才会发放）`
            : job.state === "applying"
              ? `第二步 发放：已处理 ${job.rowsDone} / ${total} 笔`
              : job.state === "done"
                ? `已完成：发放 ${job.rowsDone - job.failedRows} 笔，合计 ${(job.totalFen / 100).toFixed(2)} 元；家长将收到到账通知`
                : `文件有 ${job.errorCount} 处错误，未做任何发放：请按行号改正后重新上传`}
      </div>
      {job && (
        <Space wrap size="large">
          <Statistic title="明细行数" value={total} suffix="行" />
          <Statistic title="已核对" value={job.rowsChecked} suffix="行" />
          <Statistic title="已发放" value={job.rowsDone - job.failedRows} suffix="笔" />
        </Space>
      )}
      {finished && job && job.errors.length > 0 && (
        <>
          <Typography.Paragraph type="danger" style={{ marginTop: 12 }}>
            {job.state === "invalid"
              ? "以下各行有问题（列出前 200 处）："
              : `以下 ${job.failedRows} 行在核对后申请被改动，未发放：请核对后用新的批次号单独发放这些行`}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey={(_, i) => String(i)}
            dataSource={job.errors}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            data-testid="import-job-errors"
            columns={[
              { title: "行", dataIndex: "line", width: 64 },
              {
                title: "问题",
                dataIndex: "message",
                render: (m: string) => <Typography.Text type="danger">{m}</Typography.Text>,
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
