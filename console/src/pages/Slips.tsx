import { useEffect, useState } from "react";
import { Alert, App, Button, Card, QRCode, Select, Space, Typography } from "antd";
import { ApiError, api, type Result } from "../api/client";

type Options = Result<"/api/broadcasts/audience", "get">;
type Sheet = Result<"/api/binding-slips", "post">;
const day = (iso: string) => new Date(iso).toLocaleDateString("zh-CN");

/**
 * 绑定告知单: one slip per pupil of a class, cut apart and handed out. The parent scans the QR code (the Official
 * Account, or the web chat), then sends the code on the slip. Printing again retires the codes of the last print.
 */
export function SlipsPage() {
  const { modal } = App.useApp();
  const [options, setOptions] = useState<Options>();
  const [schoolId, setSchoolId] = useState<string>();
  const [grade, setGrade] = useState<string>();
  const [klass, setKlass] = useState<string>();
  const [sheet, setSheet] = useState<Sheet>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api("get", "/api/broadcasts/audience", {})
      .then((o) => {
        setOptions(o);
        if (o.schools.length === 1) setSchoolId(o.schools[0]!.id);
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);
  const school = options?.schools.find((s) => s.id === schoolId);
  const gradeInfo = school?.grades.find((g) => g.grade === grade);
  const classInfo = gradeInfo?.classes.find((c) => c.class === klass);
  const print = () =>
    modal.confirm({
      title: `为 ${grade} ${klass} 的 ${classInfo?.students ?? 0} 名学生生成绑定告知单？`,
      content: "每名学生一个新的绑定码（14 天内有效，只能用一次）。这个班上次打印的告知单上、还没用过的绑定码会作废。",
      okText: "生成",
      cancelText: "取消",
      onOk: async () => {
        setBusy(true);
        setError(undefined);
        try {
          setSheet(
            await api("post", "/api/binding-slips", {
              body: { schoolId: schoolId!, grade: grade!, class: klass! },
            }),
          );
        } catch (e) {
          setError(e instanceof ApiError ? e.message : String(e));
        } finally {
          setBusy(false);
        }
      },
    });
  // The county's own entry, as the server chose it: its Official Account, else its web chat (?tenant=…).
  const url = sheet?.follow.url ?? "";
  const viaAccount = sheet?.follow.kind === "official_account";
  return (
    <Space direction="vertical" style={{ width: "100%" }} size={16}>
      <Card title="绑定告知单" className="no-print">
        <Typography.Paragraph type="secondary">
          按班级打印，每名学生一张：家长用微信扫码，发送单上的绑定码，就能查孩子的资助进度、收到公示和发放通知。单上只有姓名、学校和班级，没有学籍号和身份证号。
        </Typography.Paragraph>
        <Space wrap>
          <Select
            data-testid="slip-school"
            placeholder="学校"
            style={{ minWidth: 200 }}
            value={schoolId}
            onChange={(v) => {
              setSchoolId(v);
              setGrade(undefined);
              setKlass(undefined);
            }}
            options={options?.schools.map((s) => ({ value: s.id, label: s.name }))}
          />
          <Select
            data-testid="slip-grade"
            placeholder="年级"
            style={{ minWidth: 140 }}
            value={grade}
            disabled={!school}
            onChange={(v) => {
              setGrade(v);
              setKlass(undefined);
            }}
            options={school?.grades.map((g) => ({ value: g.grade, label: `${g.grade}（${g.students} 人）` }))}
          />
          <Select
            data-testid="slip-class"
            placeholder="班级"
            style={{ minWidth: 140 }}
            value={klass}
            disabled={!gradeInfo}
            onChange={setKlass}
            options={gradeInfo?.classes.map((c) => ({ value: c.class, label: `${c.class}（${c.students} 人）` }))}
          />
          <Button type="primary" data-testid="slip-make" disabled={!classInfo} loading={busy} onClick={print}>
            生成告知单
          </Button>
        </Space>
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
      </Card>
      {sheet && (
        <Card
          title={`共 ${sheet.slips.length} 张`}
          extra={
            <Button className="no-print" onClick={() => window.print()}>
              打印
            </Button>
          }
        >
          <div className="slips" data-testid="slips">
            {sheet.slips.map((s) => (
              <div className="slip" key={s.code}>
                <div data-testid="slip-qr" data-url={url}>
                  <QRCode value={url} size={104} bordered={false} />
                </div>
                <div className="slip-text">
                  <div className="slip-title">{sheet.follow.accountName} · 学生资助绑定告知单</div>
                  <div>
                    {s.schoolName} {s.grade} {s.class} <b>{s.studentName}</b> 的家长：
                  </div>
                  <div>① 用微信扫左边的二维码{viaAccount ? "，关注公众号" : "，打开资助助手"}；</div>
                  <div>
                    ② 发送：<b className="slip-code">绑定码 {s.code}</b>
                  </div>
                  <div>③ 绑定后可查孩子的资助进度，收到公示和发放通知。</div>
                  <div className="slip-note">
                    绑定码 {day(s.expiresAt)}{" "}
                    前有效，只能用一次，请勿转给他人。不会向您收取任何费用，也不会要银行卡密码。
                    {sheet.follow.hotline && `咨询：${sheet.follow.hotline}`}
                  </div>
                </div>
              </div>
            ))}
          </div>
        </Card>
      )}
    </Space>
  );
}
