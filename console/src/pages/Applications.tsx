import { useState } from "react";
import { Alert, App, Button, Card, Progress, Space, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { FilePicker } from "./upload";
import { terms } from "../labels";
import { useProgrammes } from "./programmes";
import { NewApplicationModal } from "./NewApplication";
import { useNarrow, wideScroll } from "./narrow";

/** A CSV the import reads back: the header, and one example row in this term's words (Excel opens it via the BOM). */
function downloadTemplate(programme: string) {
  const term = terms()[0]![1];
  const rows = [
    ["学籍号", "姓名", "项目", "学期", "金额（元）"],
    ["G510000201601010001", "张小明", programme, term, "625"],
  ];
  const blob = new Blob(["\ufeff" + rows.map((r) => r.join(",")).join("\r\n") + "\r\n"], {
    type: "text/csv;charset=utf-8",
  });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "申请导入模板.csv";
  a.click();
  URL.revokeObjectURL(a.href);
}

type Preview = Result<"/api/applications/preview", "post">;

export function ApplicationsPage() {
  const { message } = App.useApp();
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [progress, setProgress] = useState<number>();
  const [single, setSingle] = useState(false);
  const offered = useProgrammes();
  const narrow = useNarrow();
  const pick = async (f: File) => {
    setPreview(undefined);
    setError(undefined);
    try {
      setPreview(await api("post", "/api/applications/preview", { file: f }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const good = preview?.rows.filter((r) => r.problems.length === 0) ?? [];
  const bad = (preview?.rows.length ?? 0) - good.length;
  const commit = async () => {
    let done = 0;
    const failures: string[] = [];
    setProgress(0);
    for (const r of good) {
      try {
        await api("post", "/api/applications", {
          body: { studentId: r.studentId!, programme: r.programme as never, term: r.term!, amount: r.amount! },
        });
      } catch (e) {
        failures.push(`第 ${r.line} 行：${e instanceof ApiError ? e.message : String(e)}`);
      }
      done++;
      setProgress(Math.round((done / good.length) * 100));
    }
    setProgress(undefined);
    if (failures.length) setError(failures.join("\n"));
    else {
      message.success(
        bad > 0
          ? `已录入 ${good.length} 份申请，等待学校审核；有问题的 ${bad} 行没有录入`
          : `已录入 ${good.length} 份申请，等待学校审核`,
      );
      setPreview(undefined);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title="录入一份申请"
        extra={
          <Button type="primary" onClick={() => setSingle(true)} data-testid="new-application">
            录入一份申请
          </Button>
        }
      >
        <Typography.Text type="secondary">
          为一名学生录入：按姓名查找本校学生，只列出适合该生的资助项目，金额按标准自动填好（可改）。多名学生请用下面的文件导入。
        </Typography.Text>
      </Card>
      <NewApplicationModal open={single} onClose={() => setSingle(false)} />
      <Card title="从文件导入申请（按学籍号）">
        <Typography.Paragraph type="secondary">
          表头：学籍号、姓名、项目（全称）、学期（如 {terms()[0]![1]}
          ）、金额（元）。系统会核对学生是否在本校、项目是否适合学校类型和年级。
          <Button
            type="link"
            size="small"
            onClick={() => downloadTemplate(offered.list[0]?.[1] ?? "")}
            data-testid="application-template"
          >
            下载模板
          </Button>
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          “项目”一列请填以下全称之一（只列出本校可申请的项目）：
          <span data-testid="offered-programmes">
            {offered.loaded ? offered.list.map(([, label]) => label).join("、") : "正在读取…"}
          </span>
          。
        </Typography.Paragraph>
        <FilePicker onFile={pick} testId="application-file" hint="每行一份申请；同一学生同一项目同一学期只录一次" />
        {error && <Alert style={{ marginTop: 12, whiteSpace: "pre-wrap" }} type="error" showIcon title={error} />}
        {preview && (
          <div style={{ marginTop: 12 }}>
            <Space wrap>
              <Tag color="green">可录入 {good.length} 份</Tag>
              {bad > 0 && <Tag color="red">有问题 {bad} 行</Tag>}
            </Space>
            <Table
              style={{ marginTop: 8 }}
              size="small"
              rowKey="line"
              scroll={wideScroll(narrow, 760)}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              dataSource={preview.rows}
              columns={[
                { title: "Excel 行号", dataIndex: "line", width: 72 },
                { title: "姓名", dataIndex: "studentName" },
                { title: "学校", dataIndex: "schoolName", responsive: ["md"] },
                { title: "年级", dataIndex: "grade", responsive: ["md"] },
                { title: "项目", dataIndex: "programmeLabel", responsive: ["md"] },
                { title: "金额（元）", dataIndex: "amount" },
                {
                  title: "问题",
                  dataIndex: "problems",
                  render: (p: string[]) =>
                    p.length ? (
                      <Typography.Text type="danger">{p.join("；")}</Typography.Text>
                    ) : (
                      <Tag color="green">无</Tag>
                    ),
                },
              ]}
            />
            {progress !== undefined && <Progress percent={progress} />}
            {bad > 0 && good.length > 0 && (
              <Alert
                style={{ marginTop: 8 }}
                type="warning"
                showIcon
                title={`有问题的 ${bad} 行不会录入（重复申请的不必再录）。可以先录入其余 ${good.length} 份，改好的行以后再上传。`}
              />
            )}
            <Button
              type="primary"
              disabled={good.length === 0 || progress !== undefined}
              onClick={commit}
              style={{ marginTop: 8 }}
              data-testid="application-commit"
            >
              {good.length === 0
                ? "没有可录入的行：请按行号改正后重新上传"
                : bad > 0
                  ? `跳过有问题的 ${bad} 行，录入其余 ${good.length} 份`
                  : `确认录入 ${good.length} 份申请`}
            </Button>
          </div>
        )}
      </Card>
    </Space>
  );
}
