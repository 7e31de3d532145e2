import { useCallback, useEffect, useState } from "react";
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Select,
  Table,
  Tag,
  Typography,
} from "antd";
import { ApiError, api, type Body, type Result } from "../api/client";
import { useNarrow, wideScroll } from "./narrow";

type School = Result<"/api/schools", "get">["items"][number];
type Values = Body<"/api/schools", "post">;

const KINDS: [School["kind"], string][] = [
  ["kindergarten", "幼儿园"],
  ["primary", "小学"],
  ["junior", "初中"],
  ["nine_year", "九年一贯制学校"],
  ["senior", "普通高中"],
  ["vocational", "中职学校"],
  ["special", "特殊教育学校"],
];
const KIND_LABEL = Object.fromEntries(KINDS) as Record<string, string>;

/**
 * 学校 (bureau): the county's schools by township, and adding one by its Chinese name. The school's 编号 is made
 * from the name by the server (城关一小 → cgyx); the township is picked from those already in use, so a misspelt
 * township (青松 for 青松镇) is not created by accident — a new one is said to be new before saving.
 */
export function SchoolsPage() {
  const { message } = App.useApp();
  const narrow = useNarrow();
  const [form] = Form.useForm<Values>();
  const [items, setItems] = useState<School[]>();
  const [error, setError] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [formError, setFormError] = useState<string>();
  const township = Form.useWatch("township", form);
  const load = useCallback(async () => {
    try {
      setItems((await api("get", "/api/schools")).items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  const townships = [...new Set((items ?? []).map((s) => s.township))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  const newTownship = !!township?.trim() && !townships.includes(township.trim());

  const add = async (v: Values) => {
    setFormError(undefined);
    try {
      const r = await api("post", "/api/schools", {
        body: { name: v.name, kind: v.kind, township: v.township, directlyUnderCounty: !!v.directlyUnderCounty },
      });
      message.success(`已添加：${r.school.name}（编号 ${r.school.id}）`);
      setAdding(false);
      form.resetFields();
      await load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFormError(e.message);
        form.setFields(
          e.details
            .filter((d) => d.field)
            .map((d) => ({ name: d.field as keyof Values, errors: [d.message.replace(/^[^：]+：/, "")] })),
        );
      } else setFormError(String(e));
    }
  };

  return (
    <Card
      title="学校"
      extra={
        <Button type="primary" onClick={() => setAdding(true)} data-testid="school-add">
          添加学校
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        全县的学校，按乡镇排列。添加时只填中文名称和所在乡镇，编号由系统生成；县直学校不经乡镇审核，由县里直接审核。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={!items && !error}
        dataSource={[...(items ?? [])].sort(
          (a, b) => a.township.localeCompare(b.township, "zh-CN") || a.name.localeCompare(b.name, "zh-CN"),
        )}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={wideScroll(narrow, 560)}
        data-testid="school-table"
        columns={[
          { title: "学校名称", dataIndex: "name" },
          { title: "所在乡镇", dataIndex: "township" },
          { title: "类型", dataIndex: "kind", responsive: ["md"], render: (k: string) => KIND_LABEL[k] ?? k },
          {
            title: "审核",
            key: "direct",
            render: (_: unknown, s: School) => (s.directlyUnderCounty ? <Tag color="blue">县直</Tag> : "乡镇 → 县"),
          },
          {
            title: "编号",
            dataIndex: "id",
            responsive: ["md"],
            render: (id: string) => <Typography.Text type="secondary">{id}</Typography.Text>,
          },
        ]}
      />
      <Modal
        open={adding}
        title="添加学校"
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okText="添加"
        cancelText="取消"
      >
        <Form form={form} layout="vertical" onFinish={add} initialValues={{ kind: "primary" }}>
          <Form.Item label="学校名称" name="name" rules={[{ required: true, message: "请填写学校全称" }]}>
            <Input placeholder="如：青松镇中心小学" maxLength={60} />
          </Form.Item>
          <Form.Item label="学校类型" name="kind">
            <Select options={KINDS.map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item
            label="所在乡镇"
            name="township"
            rules={[{ required: true, message: "请选择或填写所在乡镇" }]}
            extra={
              newTownship
                ? `“${township?.trim()}”是新的乡镇：请核对写法（如 青松镇，不是 青松）`
                : "从已有乡镇中选择，或填写新的乡镇全称"
            }
          >
            <AutoComplete
              options={townships.map((t) => ({ value: t }))}
              filterOption={(input, o) => String(o?.value ?? "").includes(input)}
              placeholder="如：城关镇"
              data-testid="school-township"
            />
          </Form.Item>
          <Form.Item name="directlyUnderCounty" valuePropName="checked">
            <Checkbox>县直学校（不经乡镇审核）</Checkbox>
          </Form.Item>
          {formError && <Alert type="error" showIcon title={formError} data-testid="school-error" />}
        </Form>
      </Modal>
    </Card>
  );
}
