import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Input, Modal, Space, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { useSession } from "../session";
import { FilePicker } from "./upload";
import { useNarrow, wideScroll } from "./narrow";
import { StudentEditModal } from "./StudentEdit";

type Preview = Result<"/api/students/preview", "post">;
type Full = {
  name: string;
  studentNo: string;
  grade: string;
  class: string;
  guardians: { name: string; relation: string; phone: string }[];
};
type Found = Result<"/api/students/search", "get">["items"][number];

/** "Excel 第 3、4 行（序号 2、4）" — where the officer finds the rows left out, and what to do. */
function skippedText(skipped: Result<"/api/students", "post">["skipped"]): string {
  const shown = skipped.slice(0, 20);
  const more = skipped.length > shown.length ? ` 等 ${skipped.length} 行` : "";
  const seqs = shown.filter((r) => r.seq).map((r) => r.seq);
  const lines = shown.map((r) => r.line ?? r.index + 1).join("、");
  return `有 ${skipped.length} 行有错，没有导入：Excel 第 ${lines} 行${more}${seqs.length ? `（序号 ${seqs.join("、")}）` : ""}。请在原文件里改好这些行后重新上传整个文件（已导入的学生不会重复）。`;
}

export function StudentsPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const narrow = useNarrow();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Found[]>();
  const [full, setFull] = useState<Full>();
  const [editing, setEditing] = useState<Found>();
  const [skippedNote, setSkippedNote] = useState<string>();
  /** What was saved stays on the page (a toast is gone in 3 s, and the warning about skipped rows would stand alone). */
  const [savedNote, setSavedNote] = useState<string>();

  const pick = async (f: File) => {
    setFile(f);
    setPreview(undefined);
    setSavedNote(undefined);
    setSkippedNote(undefined);
    setError(undefined);
    setBusy(true);
    try {
      setPreview(await api("post", "/api/students/preview", { file: f }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  /** Saves the file; with `skip` the rows with problems are left out (the officer chose it after the preview). */
  const commit = async (skip = false) => {
    if (!file) return;
    setBusy(true);
    setSkippedNote(undefined);
    setSavedNote(undefined);
    try {
      const r = (await api("post", "/api/students", {
        file,
        query: skip ? { skipInvalid: "true" } : {},
      })) as Result<"/api/students", "post">;
      setSavedNote(`已保存 ${r.total} 名学生：新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}`);
      if (r.skipped.length > 0) setSkippedNote(skippedText(r.skipped));
      setPreview(undefined);
      setFile(undefined);
      void search(query);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const [query, setQuery] = useState("");
  const search = useCallback(
    async (q: string) => {
      setQuery(q);
      try {
        setFound((await api("get", "/api/students/search", { query: { q } })).items);
      } catch (e) {
        message.error(e instanceof ApiError ? e.message : String(e));
      }
    },
    [message],
  );
  // The school's students show when the page opens (in school order: 一年级 … 六年级, then by class).
  useEffect(() => {
    void search("");
  }, [search]);
  const showFull = async (id: string) => {
    try {
      const r = (await api("get", "/api/students/{id}/unmasked", { params: { id } })) as { student: Full };
      setFull(r.student);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };
  const bad = preview ? preview.total - preview.good : 0;
  const hasSeq = preview?.rows.some((r) => r.seq) ?? false;
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title="导入学生名单"
        extra={
          <a href="/api/students/template" download>
            下载模板
          </a>
        }
      >
        <FilePicker
          onFile={pick}
          testId="student-file"
          hint="学校导出的名单可直接上传：支持 GB18030 / UTF-8，多余的列（序号、性别、家庭住址…）会被忽略"
        />
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
        {savedNote && (
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            showIcon
            data-testid="student-saved"
            title={savedNote}
            closable
            onClose={() => setSavedNote(undefined)}
          />
        )}
        {skippedNote && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            data-testid="student-skipped"
            title={skippedNote}
            closable
            onClose={() => setSkippedNote(undefined)}
          />
        )}
        {preview && (
          <div style={{ marginTop: 12 }}>
            <Space wrap>
              <Tag color="blue">共 {preview.total} 行</Tag>
              <Tag color="green">可导入 {preview.good} 行</Tag>
              {bad > 0 && <Tag color="red">有问题 {bad} 行</Tag>}
            </Space>
            {preview.ignoredColumns.length > 0 && (
              <Alert
                style={{ marginTop: 8 }}
                type="info"
                showIcon
                title={`以下列不导入（系统不需要）：${preview.ignoredColumns.join("、")}`}
              />
            )}
            <Table
              style={{ marginTop: 8 }}
              size="small"
              rowKey="line"
              scroll={wideScroll(narrow, 700)}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              dataSource={preview.rows}
              rowClassName={(r) => (r.problems.length ? "row-bad" : "")}
              columns={[
                { title: "Excel 行号", dataIndex: "line", width: 72 },
                ...(hasSeq ? [{ title: "序号", dataIndex: "seq", width: 56 }] : []),
                { title: "姓名", dataIndex: "name" },
                { title: "学籍号", dataIndex: "studentNo", responsive: ["md"] },
                { title: "年级", dataIndex: "grade", responsive: ["md"] },
                { title: "班级", dataIndex: "class", responsive: ["md"] },
                { title: "监护人", dataIndex: "guardian", responsive: ["md"] },
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
            {bad > 0 && preview.good > 0 && (
              <Alert
                style={{ marginTop: 8 }}
                type="warning"
                showIcon
                title={`有问题的 ${bad} 行不会导入。可以先导入其余 ${preview.good} 行，把有问题的行在原文件里改好后再上传整个文件（已导入的学生不会重复）；也可以改好后一次导入。`}
              />
            )}
            <Space wrap style={{ marginTop: 8 }}>
              {bad === 0 && (
                <Button type="primary" loading={busy} onClick={() => commit()} data-testid="student-commit">
                  确认导入 {preview.good} 名学生
                </Button>
              )}
              {bad > 0 && preview.good > 0 && (
                <Button type="primary" loading={busy} onClick={() => commit(true)} data-testid="student-commit-skip">
                  跳过有错的 {bad} 行，导入其余 {preview.good} 行
                </Button>
              )}
              {bad > 0 && preview.good === 0 && (
                <Button disabled data-testid="student-commit">
                  没有可导入的行：请按行号改正后重新上传
                </Button>
              )}
            </Space>
          </div>
        )}
      </Card>
      <Card title="查找学生">
        <Input.Search
          placeholder="姓名或学籍号"
          enterButton="查找"
          onSearch={search}
          allowClear
          data-testid="student-search"
        />
        {found && (
          <Table
            data-testid="student-list"
            style={{ marginTop: 12 }}
            locale={{ emptyText: query ? "没有找到这个学生" : "还没有学生：请先导入学生名单" }}
            size="small"
            rowKey="id"
            scroll={wideScroll(narrow, 600)}
            dataSource={found}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            footer={found.length >= 50 ? () => "只显示前 50 名：请输入姓名或学籍号查找其他学生" : undefined}
            columns={[
              { title: "姓名", dataIndex: "name" },
              { title: "学籍号", dataIndex: "studentNo", responsive: ["md"] },
              { title: "学校", dataIndex: "schoolName", responsive: ["md"] },
              { title: "年级", dataIndex: "grade" },
              { title: "班级", dataIndex: "class" },
              {
                title: "",
                key: "actions",
                render: (_: unknown, r: Found) => (
                  <Space>
                    {session.account.role === "school" && <a onClick={() => showFull(r.id)}>查看完整信息</a>}
                    <a onClick={() => setEditing(r)}>修改</a>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <StudentEditModal
        student={editing}
        onClose={() => setEditing(undefined)}
        onSaved={(s) => {
          setEditing(undefined);
          setFound((list) => list?.map((x) => (x.id === s.id ? s : x)));
        }}
      />
      <Modal open={!!full} onCancel={() => setFull(undefined)} footer={null} title="学生完整信息（本次查看已记录）">
        {full && (
          <Descriptions column={1} size="small">
            <Descriptions.Item label="姓名">{full.name}</Descriptions.Item>
            <Descriptions.Item label="学籍号">{full.studentNo}</Descriptions.Item>
            <Descriptions.Item label="年级班级">
              {full.grade} {full.class}
            </Descriptions.Item>
            {full.guardians.map((g, i) => (
              <Descriptions.Item key={i} label={`监护人${i + 1}`}>
                {g.name}（{g.relation}）{g.phone}
              </Descriptions.Item>
            ))}
          </Descriptions>
        )}
      </Modal>
    </Space>
  );
}
