import { Upload, Typography } from "antd";

/** A file picker that hands the file to the page (no automatic upload). */
export function FilePicker({ onFile, hint, testId }: { onFile: (f: File) => void; hint: string; testId: string }) {
  return (
    <Upload.Dragger
      accept=".xlsx,.csv,.txt"
      multiple={false}
      showUploadList={false}
      beforeUpload={(file) => {
        onFile(file);
        return false;
      }}
      data-testid={testId}
    >
      <p style={{ fontSize: 32, margin: 0, color: "#c0392b" }}>＋</p>
      <Typography.Text>点击或拖入文件（Excel .xlsx 或 CSV）</Typography.Text>
      <br />
      <Typography.Text type="secondary">{hint}</Typography.Text>
    </Upload.Dragger>
  );
}
