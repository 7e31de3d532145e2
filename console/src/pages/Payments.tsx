import { useCallback, useState } from "react";
import { Alert, App, Button, Card, Space, Table, Tag, Typography } from "antd";
import { ApiError, api } from "../api/client";
import { FilePicker } from "./upload";
import { BatchProgress } from "./BatchProgress";
import { ImportJobProgress, type ImportJob } from "./ImportJobProgress";
import { useNarrow, wideScroll } from "./narrow";
import { TemplateWarnings } from "./TemplateWarnings";

type Preview = {
  batchId?: string;
  rows: {
    line: number;
    studentNo: string;
    programme: string;
    term: string;
    amountFen: number;
    paidDate: string;
    accountLast4: string;
  }[];
  totalFen: number;
  errors: { line?: number; field?: string; message: string }[];
  /** A long file: only its own problems and first 200 rows are listed; the job checks the rest after confirming. */
  long?: boolean;
  total?: number;
};

export function PaymentsPage() {
  const narrow = useNarrow();
  const { message } = App.useApp();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [eventId, setEventId] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  // A long file's job over: a paid batch shows its notices going out; an invalid one only its errors.
  const finished = useCallback((job: ImportJob) => {
    if (job.state === "done" && job.eventId) setEventId(job.eventId);
  }, []);
  const pick = async (f: File) => {
    setFile(f);
    setPreview(undefined);
    setError(undefined);
    setEventId(undefined);
    setJobId(undefined);
    try {
      setPreview((await api("post", "/api/payments/preview", { file: f })) as Preview);
    } catch (e) {
      setError(
        e instanceof ApiError
          ? `${e.message}${e.details.length ? "\n" + e.details.map((d) => `第 ${d.line} 行：${d.message}`).join("\n") : ""}`
          : String(e),
      );
    }
  };
  const commit = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const r = (await api("post", "/api/payments", { file })) as {
        eventId: string;
        rows: number;
        totalFen: number;
        duplicate: boolean;
        job?: { id: string };
      };
      if (r.job) {
        // More than 1,000 rows: checked and paid in the background; the progress card polls the job.
        setJobId(r.job.id);
        message.info(`文件较长（${r.rows} 行），正在后台核对并发放，可在下方查看进度`);
      } else {
        setEventId(r.eventId);
        message.success(
          r.duplicate
            ? "这个批次之前已导入过，未重复发放"
            : `已导入 ${r.rows} 笔，合计 ${(r.totalFen / 100).toFixed(2)} 元；家长将收到到账通知`,
        );
      }
      setPreview(undefined);
      setFile(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      <Card title="资金发放（导入银行发放明细）">
        <TemplateWarnings kinds={["payment"]} />
        <Typography.Paragraph type="secondary">
          表头可用银行导出的写法：批次号、学籍号、项目、学期、发放金额（元）/实发金额、发放日期、卡号后四位。
        </Typography.Paragraph>
        <FilePicker
          onFile={pick}
          testId="payment-file"
          hint="银行的 Excel（.xlsx）或 CSV（UTF-8 或 GB18030）；先预览，全部无误再确认导入"
        />
        {error && <Alert style={{ marginTop: 12, whiteSpace: "pre-wrap" }} type="error" showIcon title={error} />}
        {preview && (
          <div style={{ marginTop: 12 }}>
            <Space wrap>
              <Tag color="blue">批次 {preview.batchId ?? "—"}</Tag>
              <Tag color="green">
                {preview.rows.length} 笔，合计 {(preview.totalFen / 100).toFixed(2)} 元
              </Tag>
              {preview.errors.length > 0 && <Tag color="red">{preview.errors.length} 处错误</Tag>}
            </Space>
            {preview.long && (
              <Alert
                style={{ marginTop: 8 }}
                type="info"
                showIcon
                data-testid="payment-long"
                title={`长文件：共 ${preview.total ?? preview.rows.length} 行，下面只列出文件本身的问题和前 ${preview.rows.length} 行。确认导入后，后台会逐行核对学生和申请（全部无误才发放，有错误会按行号列出），并显示进度。`}
              />
            )}
            {preview.errors.length > 0 && (
              <Table
                style={{ marginTop: 8 }}
                size="small"
                rowKey={(_, i) => String(i)}
                dataSource={preview.errors}
                pagination={false}
                columns={[
                  { title: "行", dataIndex: "line", width: 56 },
                  {
                    title: "问题",
                    dataIndex: "message",
                    render: (m: string) => <Typography.Text type="danger">{m}</Typography.Text>,
                  },
                ]}
              />
            )}
            <Table
              style={{ marginTop: 8 }}
              size="small"
              rowKey="line"
              dataSource={preview.rows}
              scroll={wideScroll(narrow, 600)}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              columns={[
                { title: "行", dataIndex: "line", width: 56 },
                { title: "学籍号", dataIndex: "studentNo" },
                { title: "金额（元）", dataIndex: "amountFen", render: (f: number) => (f / 100).toFixed(2) },
                { title: "发放日期", dataIndex: "paidDate", responsive: ["md"] },
                { title: "卡号后四位", dataIndex: "accountLast4", responsive: ["md"] },
              ]}
            />
            <Button
              type="primary"
              disabled={preview.errors.length > 0}
              loading={busy}
              onClick={commit}
              style={{ marginTop: 8 }}
              data-testid="payment-commit"
            >
              {preview.errors.length
                ? "请改正以上错误后重新上传"
                : `确认导入 ${preview.total ?? preview.rows.length} 笔发放`}
            </Button>
          </div>
        )}
      </Card>
      {jobId && <ImportJobProgress jobId={jobId} onFinished={finished} />}
      {eventId && <BatchProgress eventId={eventId} />}
    </Space>
  );
}
