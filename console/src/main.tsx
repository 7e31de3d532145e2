import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import { App } from "./App";
import "./print.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: "#c0392b", borderRadius: 6 } }}
    >
      <AntApp message={{ duration: 6 }}>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
