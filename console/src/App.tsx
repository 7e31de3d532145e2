import { lazy, Suspense, useCallback, useContext, useEffect, useState } from "react";
import { Button, Drawer, Grid, Layout, Menu, Spin, Typography } from "antd";
import { ApiError, api, setCsrf } from "./api/client";
import { SessionContext, navigate, type SessionInfo } from "./session";
import { LoginPage } from "./pages/Login";
import { ChangePasswordPage } from "./pages/ChangePassword";
import { StudentsPage } from "./pages/Students";
import { ApplicationsPage } from "./pages/Applications";
import { ReviewPage } from "./pages/Review";
import { ListsPage } from "./pages/Lists";
import { PaymentsPage } from "./pages/Payments";
import { AccountsPage } from "./pages/Accounts";
import { NoticesPage } from "./pages/Notices";
import { SlipsPage } from "./pages/Slips";
import { WechatPage } from "./pages/Wechat";
import { SettingsPage } from "./pages/Settings";
import { SchoolsPage } from "./pages/Schools";
import { HandoffsPage } from "./pages/Handoffs";

// ECharts stays out of the first page's bundle: the dashboard is its own chunk, loaded when opened.
const DashboardPage = lazy(() => import("./pages/Dashboard"));

const { Header, Sider, Content } = Layout;

function usePath() {
  const [path, setPath] = useState(() => location.pathname.replace(/^\/console/, "") || "/");
  useEffect(() => {
    const on = () => setPath(location.pathname.replace(/^\/console/, "") || "/");
    window.addEventListener("popstate", on);
    return () => window.removeEventListener("popstate", on);
  }, []);
  return path;
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      const s = await api("get", "/api/session");
      setCsrf(s.csrf);
      setSession(s);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setSession(null);
      else setSession(null);
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  if (session === undefined) return <Spin style={{ margin: 80 }} />;
  if (session === null)
    return (
      <LoginPage
        onLogin={(s) => {
          setCsrf(s.csrf);
          setSession(s);
        }}
      />
    );
  return (
    <SessionContext.Provider value={{ session, refresh }}>
      {session.account.mustChangePassword ? <ChangePasswordPage first /> : <Shell onLogout={() => setSession(null)} />}
    </SessionContext.Provider>
  );
}

function Shell({ onLogout }: { onLogout: () => void }) {
  const path = usePath();
  const screens = Grid.useBreakpoint();
  const [open, setOpen] = useState(false);
  const s = useContext(SessionContext)?.session;
  const role = s?.account.role;
  const items = [
    { key: "/students", label: "学生" },
    { key: "/slips", label: "绑定告知单" },
    { key: "/applications", label: "申请导入" },
    { key: "/review", label: "审核" },
    { key: "/lists", label: "公示" },
    { key: "/notices", label: "通知" },
    { key: "/handoffs", label: "家长求助" },
    { key: "/dashboard", label: "数据看板" },
    ...(role === "bureau" ? [{ key: "/payments", label: "资金发放" }] : []),
    ...(role !== "school" ? [{ key: "/accounts", label: "账号管理" }] : []),
    ...(role === "bureau" ? [{ key: "/schools", label: "学校" }] : []),
    ...(role === "bureau" ? [{ key: "/settings", label: "本县设置" }] : []),
    ...(role === "bureau" ? [{ key: "/wechat", label: "公众号设置" }] : []),
    { key: "/password", label: "修改密码" },
  ];
  // A page the role has no menu item for (an address left from another user of the same tab) shows the first page.
  const view = items.some((i) => path.startsWith(i.key)) ? path : "/students";
  const current = items.find((i) => view.startsWith(i.key))?.key ?? "/students";
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[current]}
      items={items}
      onClick={(e) => {
        navigate(e.key);
        setOpen(false);
      }}
    />
  );
  const logout = async () => {
    await api("delete", "/api/session").catch(() => undefined);
    // The next person to log in on this tab starts on the first page, not on this one's.
    navigate("/");
    onLogout();
  };
  const page = (() => {
    if (view.startsWith("/applications")) return <ApplicationsPage />;
    if (view.startsWith("/review")) return <ReviewPage />;
    if (view.startsWith("/lists")) return <ListsPage path={view} />;
    if (view.startsWith("/payments")) return <PaymentsPage />;
    if (view.startsWith("/notices")) return <NoticesPage path={view} />;
    if (view.startsWith("/slips")) return <SlipsPage />;
    if (view.startsWith("/handoffs")) return <HandoffsPage path={view} />;
    if (view.startsWith("/dashboard"))
      return (
        <Suspense fallback={<Spin style={{ margin: 40 }} />}>
          <DashboardPage />
        </Suspense>
      );
    if (view.startsWith("/accounts")) return <AccountsPage />;
    if (view.startsWith("/wechat")) return <WechatPage />;
    if (view.startsWith("/settings")) return <SettingsPage />;
    if (view.startsWith("/schools")) return <SchoolsPage />;
    if (view.startsWith("/password")) return <ChangePasswordPage />;
    return <StudentsPage />;
  })();
  return (
    <Layout style={{ minHeight: "100vh" }}>
      {screens.md ? (
        <Sider theme="light" width={200} className="no-print">
          <div style={{ padding: 16, fontWeight: 600, color: "#c0392b" }}>资助通 · 管理台</div>
          {menu}
        </Sider>
      ) : (
        <Drawer placement="left" open={open} onClose={() => setOpen(false)} width={220} title="资助通 · 管理台">
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header
          className="no-print"
          style={{ background: "#fff", padding: "0 16px", display: "flex", alignItems: "center", gap: 12 }}
        >
          {!screens.md && (
            <Button onClick={() => setOpen(true)} aria-label="菜单">
              ☰
            </Button>
          )}
          <Typography.Text
            strong
            style={{ flex: 1, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}
          >
            {s?.unit ? `${s.account.name}（${s.unit} · ${s.account.title}）` : s?.person}
          </Typography.Text>
          <Button onClick={logout}>退出</Button>
        </Header>
        <Content style={{ margin: screens.md ? 16 : 8 }}>{page}</Content>
      </Layout>
    </Layout>
  );
}
