import { useEffect, useRef, useState } from "react";
import { Alert, Button, Card, Col, Progress, Row, Select, Space, Statistic, Table, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";
import { STAGES, terms } from "../labels";
import { echarts, peopleAndMoney, reachPie, stageBars, yuan } from "./dashboard-charts";
import type { EChartsCoreOption } from "echarts/core";
import { navigate, useSession } from "../session";

type Coverage = Result<"/api/dashboard/binding-coverage", "get">;
const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/**
 * A school's binding coverage: how many of its students have a guardian linked, per class — what the school can act
 * on (print 绑定告知单 for the classes behind), instead of the county's township chart.
 */
function BindingCoverageCard() {
  const [c, setC] = useState<Coverage>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    void api("get", "/api/dashboard/binding-coverage")
      .then((r) => live && setC(r))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, []);
  return (
    <Card
      title="家长绑定情况（按班级）"
      data-testid="binding-coverage"
      extra={<Button onClick={() => navigate("/slips")}>打印绑定告知单</Button>}
    >
      {error && <Alert type="error" showIcon title={error} />}
      {c && (
        <>
          <Typography.Paragraph data-testid="binding-coverage-total">
            全校 {c.students} 名学生中，{c.linked} 名已有家长绑定（{percent(c.linked, c.students)}%），
            {c.students - c.linked} 名还没有家长绑定，收不到审核、公示和发放通知。
          </Typography.Paragraph>
          <Table
            rowKey={(r) => `${r.grade}|${r.class}`}
            size="small"
            pagination={false}
            dataSource={c.classes}
            locale={{ emptyText: "还没有学生：请先在“学生”页导入名单" }}
            columns={[
              { title: "班级", key: "class", render: (_, r) => `${r.grade}${r.class}` },
              { title: "学生", dataIndex: "students" },
              { title: "已绑定", dataIndex: "linked" },
              { title: "未绑定", key: "unlinked", render: (_, r) => r.students - r.linked },
              {
                title: "覆盖率",
                key: "rate",
                render: (_, r) => (
                  <Progress percent={percent(r.linked, r.students)} size="small" format={(n) => `${n}%`} />
                ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}

type Figures = Result<"/api/dashboard", "get">;

function Chart({ option, testId, height = 300 }: { option: EChartsCoreOption; testId: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={el} data-testid={testId} style={{ width: "100%", height }} />;
}

const money = (fen: number) => yuan(fen).toLocaleString("zh-CN", { minimumFractionDigits: 2 });

/** A table as a CSV file (UTF-8 with BOM, so Excel opens the Chinese right); formula-like cells neutralised. */
function exportCsv(name: string, header: string[], rows: (string | number)[][]) {
  const cell = (v: string | number) => {
    const s = String(v);
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const text = "\uFEFF" + [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  a.download = `${name}.csv`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export default function DashboardPage() {
  const termOptions = terms();
  const [term, setTerm] = useState(termOptions[0]![0]);
  const [d, setD] = useState<Figures>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setD(undefined);
    void api("get", "/api/dashboard", { query: { term } })
      .then((f) => live && setD(f))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [term]);
  const stageLabel = new Map(STAGES);
  const { session } = useSession();
  const isSchool = session.account.role === "school";
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title="资助数据看板"
        extra={
          <Select
            data-testid="dashboard-term"
            style={{ width: 180 }}
            value={term}
            onChange={setTerm}
            options={termOptions.map(([value, label]) => ({ value, label }))}
          />
        }
      >
        {error && <Alert type="error" showIcon title={error} />}
        {d && (
          <Row gutter={16} data-testid="dashboard-totals">
            <Col xs={12} md={6}>
              <Statistic title="资助人数（已发放）" value={d.totals.paidStudents} suffix="人" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="资助金额（已发放）" value={money(d.totals.paidFen)} suffix="元" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="公示无异议待发放" value={money(d.totals.approvedFen)} suffix="元" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="申请总数" value={d.totals.applications} suffix="份" />
            </Col>
          </Row>
        )}
        {d && (
          <Typography.Text type="secondary">
            随每次审核、公示、发放同步计数，与申请记录一致（读取于{" "}
            {new Date(d.computedAt).toLocaleString("zh-CN", { hour12: false })}）
          </Typography.Text>
        )}
      </Card>
      {d && (
        <>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title="按资助项目">
                <Chart
                  testId="chart-programme"
                  option={peopleAndMoney(d.byProgramme.map((p) => ({ label: p.name, ...p })))}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              {isSchool ? (
                <BindingCoverageCard />
              ) : (
                <Card title="按乡镇">
                  <Chart
                    testId="chart-township"
                    option={peopleAndMoney(d.byTownship.map((t) => ({ label: t.township, ...t })))}
                  />
                </Card>
              )}
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} lg={14}>
              <Card title="申请所处环节">
                <Chart
                  testId="chart-stages"
                  option={stageBars(
                    d.stages.map((s) => ({ label: stageLabel.get(s.stage) ?? s.stage, count: s.count })),
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card title="本学期通知送达（按学生）">
                <Chart testId="chart-reach" option={reachPie(d.reach)} />
                <Typography.Text type="secondary" data-testid="dashboard-reach">
                  通知 {d.reach.events} 次：已送达 {d.reach.reached} 人次，未送达 {d.reach.unreached} 人次
                  {d.reach.inProgress > 0 ? `（${d.reach.inProgress} 次仍在发送）` : ""}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Card
            title="按资助项目"
            extra={
              <Button
                onClick={() =>
                  exportCsv(
                    `资助项目-${term}`,
                    ["资助项目", "申请数", "资助人数", "资助金额（元）", "待发放（元）"],
                    d.byProgramme.map((p) => [
                      p.name,
                      p.applications,
                      p.paidStudents,
                      yuan(p.paidFen),
                      yuan(p.approvedFen),
                    ]),
                  )
                }
              >
                导出
              </Button>
            }
          >
            <Table
              data-testid="dashboard-programmes"
              rowKey="programme"
              size="small"
              pagination={false}
              dataSource={d.byProgramme}
              columns={[
                { title: "资助项目", dataIndex: "name" },
                { title: "申请数", dataIndex: "applications", responsive: ["md"] },
                { title: "资助人数", dataIndex: "paidStudents" },
                { title: "资助金额（元）", key: "paid", render: (_, p) => money(p.paidFen) },
                { title: "待发放（元）", key: "approved", responsive: ["md"], render: (_, p) => money(p.approvedFen) },
              ]}
            />
          </Card>
          <Card
            title="按学校"
            extra={
              <Button
                onClick={() =>
                  exportCsv(
                    `学校-${term}`,
                    ["学校", "乡镇", "申请数", "资助人数", "资助金额（元）", "待发放（元）"],
                    d.bySchool.map((s) => [
                      s.name,
                      s.township,
                      s.applications,
                      s.paidStudents,
                      yuan(s.paidFen),
                      yuan(s.approvedFen),
                    ]),
                  )
                }
              >
                导出
              </Button>
            }
          >
            <Table
              data-testid="dashboard-schools"
              rowKey="schoolId"
              size="small"
              dataSource={d.bySchool}
              columns={[
                { title: "学校", dataIndex: "name" },
                { title: "乡镇", dataIndex: "township", responsive: ["md"] },
                { title: "申请数", dataIndex: "applications", responsive: ["md"] },
                { title: "资助人数", dataIndex: "paidStudents" },
                { title: "资助金额（元）", key: "paid", render: (_, s) => money(s.paidFen) },
                { title: "待发放（元）", key: "approved", responsive: ["md"], render: (_, s) => money(s.approvedFen) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
