import { useEffect, useState } from "react";
import { Alert, Button } from "antd";
import { api, type Result } from "../api/client";
import { navigate, useSession } from "../session";

type Missing = Result<"/api/tenant", "get">["missingTemplates"];
type Kind = "publicity" | "payment" | "broadcast";

/**
 * The WeChat templates the county still lacks for the notices a page sends: each says what to create in the WeChat
 * admin; the bureau gets a link to 本县设置 where the id goes, other staff are told who fills it in. `missing` comes
 * with the page's own data when it has it; otherwise (bureau pages) the county's settings are read here.
 */
export function TemplateWarnings({ kinds, missing }: { kinds: Kind[]; missing?: Missing }) {
  const { session } = useSession();
  const bureau = session.account.role === "bureau";
  const [read, setRead] = useState<Missing>();
  useEffect(() => {
    if (missing || !bureau) return;
    api("get", "/api/tenant").then(
      (r) => setRead(r.missingTemplates),
      () => setRead([]),
    );
  }, [missing, bureau]);
  const shown = (missing ?? read ?? []).filter((m) => kinds.includes(m.kind));
  return (
    <>
      {shown.map((m) => (
        <Alert
          key={m.kind}
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={m.advice}
          data-testid="template-warning"
          action={
            bureau ? (
              <Button size="small" type="link" onClick={() => navigate("/settings")} data-testid="to-settings">
                去本县设置
              </Button>
            ) : (
              <span style={{ whiteSpace: "nowrap" }}>请联系县资助中心填写</span>
            )
          }
        />
      ))}
    </>
  );
}
