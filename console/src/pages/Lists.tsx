import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Form, Input, Select, Space, Steps, Table, Tag, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { terms } from "../labels";
import { useProgrammes } from "./programmes";
import { useNarrow, wideScroll } from "./narrow";
import { navigate, useSession } from "../session";
import { TemplateWarnings } from "./TemplateWarnings";
import { ObjectionsCard } from "./Objections";

type Summary = Result<"/api/lists", "get">["items"][number];
type Roster = Result<"/api/lists/{id}", "get">;
type Item = Result<"/api/review-queue", "get">["items"][number];
type School = { id: string; name: string };

export function ListsPage({ path }: { path: string }) {
  const id = /^\/lists\/(evt_\w+)/.exec(path)?.[1];
  if (path.startsWith("/lists/new")) return <PublishWizard />;
  if (id) return <RosterView id={id} />;
  return <ListIndex />;
}

function ListIndex() {
  const narrow = useNarrow();
  const { session } = useSession();
  const [items, setItems] = useState<Summary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api("get", "/api/lists").then(
      (r) => setItems(r.items),
      (e) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, []);
  return (
    <Card
      title="公示"
      extra={
        session.account.role === "bureau" && (
          <Button type="primary" onClick={() => navigate("/lists/new")} data-testid="new-list">
            发布公示
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={!items && !error}
        dataSource={items ?? []}
        scroll={wideScroll(narrow, 640)}
        columns={[
          {
            title: "项目",
            dataIndex: "programmeLabel",
            render: (v: string, r: Summary) => <a onClick={() => navigate(`/lists/${r.id}`)}>{v}</a>,
          },
          { title: "学期", dataIndex: "termLabel", responsive: ["md"] },
          { title: "范围", dataIndex: "scopeLabel" },
          {
            title: "公示期",
            key: "p",
            responsive: ["md"],
            render: (_: unknown, r: Summary) => `${r.start} 至 ${r.end}`,
          },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => (s === "closed" ? <Tag>已结束</Tag> : <Tag color="orange">公示中</Tag>),
          },
        ]}
      />
    </Card>
  );
}

function PublishWizard() {
  const { message } = App.useApp();
  const offered = useProgrammes();
  const narrow = useNarrow();
  const [step, setStep] = useState(0);
  const [schools, setSchools] = useState<School[]>([]);
  const [form, setForm] = useState<{
    programme: string;
    term: string;
    schoolId: string;
    start: string;
    end: string;
    objectionContact: string;
  }>();
  const [candidates, setCandidates] = useState<Item[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api("get", "/api/schools").then(
      (r) => setSchools((r as { items: School[] }).items),
      () => undefined,
    );
  }, []);
  const today = new Date().toISOString().slice(0, 10);
  const next = async (v: NonNullable<typeof form>) => {
    setError(undefined);
    try {
      const r = await api("get", "/api/review-queue", {
        query: { programme: v.programme as never, term: v.term, stage: "county_approved", schoolId: v.schoolId },
      });
      if (r.items.length === 0) return setError("这所学校这个项目和学期没有“县级审核通过”的申请：请先完成三级审核");
      setForm(v);
      setCandidates(r.items);
      setSelected(r.items.map((i) => i.id));
      setStep(1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const publish = async () => {
    if (!form) return;
    try {
      const r = (await api("post", "/api/lists", {
        body: {
          programme: form.programme as never,
          term: form.term,
          scope: { kind: "school", schoolId: form.schoolId },
          applicationIds: selected,
          publicity: { start: form.start, end: form.end },
          objectionContact: form.objectionContact,
        },
      })) as { list: { id: string }; moved: number; refused: { applicationId: string; message: string }[] };
      message.success(`已发布：${r.moved} 名学生进入公示${r.refused.length ? `，${r.refused.length} 份未列入` : ""}`);
      navigate(`/lists/${r.list.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Card title="发布公示">
      <TemplateWarnings kinds={["publicity"]} />
      <Steps
        current={step}
        items={[{ title: "填写公示信息" }, { title: "预览名单" }, { title: "发布" }]}
        style={{ marginBottom: 16 }}
      />
      {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
      {step === 0 && (
        <Form
          layout="vertical"
          onFinish={next}
          initialValues={{
            programme: "compulsory_living",
            term: terms()[0]![0],
            start: today,
            objectionContact: "县学生资助管理中心 0000-0000000",
          }}
          style={{ maxWidth: 520 }}
        >
          <Form.Item label="资助项目" name="programme" rules={[{ required: true }]}>
            <Select options={offered.list.map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="学期" name="term" rules={[{ required: true }]}>
            <Select options={terms().map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="公示范围（学校）" name="schoolId" rules={[{ required: true, message: "请选择学校" }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={schools.map((s) => ({ value: s.id, label: s.name }))}
              data-testid="list-school"
            />
          </Form.Item>
          <Space wrap>
            <Form.Item label="公示开始" name="start" rules={[{ required: true, message: "请选择开始日期" }]}>
              <Input type="date" />
            </Form.Item>
            <Form.Item
              label="公示结束（不少于 5 个工作日）"
              name="end"
              rules={[{ required: true, message: "请选择结束日期" }]}
            >
              <Input type="date" data-testid="list-end" />
            </Form.Item>
          </Space>
          <Form.Item
            label="异议受理（单位和电话）"
            name="objectionContact"
            rules={[{ required: true, message: "请填写受理异议的单位和电话" }]}
          >
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            下一步：预览名单
          </Button>
        </Form>
      )}
      {step === 1 && form && (
        <>
          <Typography.Paragraph>
            以下为县级审核通过的学生，勾选的列入本次公示（共 {selected.length}{" "}
            名）。公示名单只含姓名、学校、年级、班级、项目和金额。
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="id"
            dataSource={candidates}
            pagination={false}
            scroll={wideScroll(narrow, 560)}
            rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) }}
            columns={[
              { title: "姓名", dataIndex: "studentName" },
              { title: "年级", dataIndex: "grade" },
              { title: "班级", dataIndex: "class" },
              { title: "金额（元）", dataIndex: "amountYuan" },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Button onClick={() => setStep(0)}>上一步</Button>
            <Button type="primary" disabled={!selected.length} onClick={publish} data-testid="publish">
              发布公示（{selected.length} 名）
            </Button>
          </Space>
        </>
      )}
    </Card>
  );
}

function RosterView({ id }: { id: string }) {
  const { message } = App.useApp();
  const { session } = useSession();
  const [r, setR] = useState<Roster>();
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api("get", "/api/lists/{id}", { params: { id } }).then(setR, (e) =>
        setError(e instanceof ApiError ? e.message : String(e)),
      ),
    [id],
  );
  useEffect(() => void load(), [load]);
  const close = async () => {
    try {
      const out = (await api("post", "/api/lists/{id}/close", { params: { id } })) as {
        approved: number;
        objected: string[];
      };
      message.success(
        `公示已结束：${out.approved} 名公示无异议${out.objected.length ? `，${out.objected.length} 名异议复核中` : ""}`,
      );
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!r) return <Card loading />;
  return (
    <>
      <Card
        title={<span className="no-print">公示名单</span>}
        extra={
          <Space className="no-print" wrap>
            <Button onClick={() => window.print()} data-testid="print">
              打印（A4）
            </Button>
            {session.account.role === "bureau" && r.status !== "closed" && (
              <Button
                type="primary"
                disabled={!r.closable}
                onClick={close}
                title={r.closable ? "" : `公示期满后（${r.closableFrom} 起）可结束`}
              >
                {r.closable ? "结束公示" : `${r.closableFrom} 起可结束公示`}
              </Button>
            )}
          </Space>
        }
      >
        <div className="roster" data-testid="roster">
          <h2>
            {r.termLabel}
            {r.programmeLabel}拟资助学生名单公示
          </h2>
          <p>
            公示范围：{r.scopeLabel}　公示期：{r.start} 至 {r.end}　共 {r.total} 名，合计 {r.totalYuan} 元
          </p>
          <table>
            <thead>
              <tr>
                <th>序号</th>
                <th>姓名</th>
                <th>学校</th>
                <th>年级</th>
                <th>班级</th>
                <th>资助项目</th>
                <th>金额（元）</th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{l.name}</td>
                  <td>{l.schoolName}</td>
                  <td>{l.grade}</td>
                  <td>{l.class}</td>
                  <td>{l.programmeLabel}</td>
                  <td>{l.amountYuan}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>如有异议，请于公示期内向 {r.objectionContact} 反映。</p>
          {r.status === "closed" && (
            <p className="no-print">
              <Tag>公示已结束</Tag>
            </p>
          )}
        </div>
      </Card>
      <ObjectionsCard list={r} onChange={() => void load()} />
    </>
  );
}
