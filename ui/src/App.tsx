import { useTranslation } from "react-i18next";

import { useSnapshotChangedListener } from "./api/accounts";
import { useAppInfo, usePanelsChangedListener } from "./api/panels";
import { useShellTexts } from "./api/shell";
import { CommandsProvider } from "./components/commands";
import { Keyboard } from "./components/Keyboard";
import { Shell } from "./components/Shell";
import { useRoute } from "./components/useRoute";
import { AccountsPage } from "./pages/accounts/AccountsPage";
import { AccountsViewProvider } from "./pages/accounts/AccountsView";
import { AlertsPage } from "./pages/AlertsPage";
import { DashboardPage } from "./pages/DashboardPage";
import { OperationsPage } from "./pages/OperationsPage";
import { PanelsPage } from "./pages/PanelsPage";
import { SettingsPage } from "./pages/settings/SettingsPage";

/** Wraps a left-to-right value (a path, a URL) so a right-to-left sentence does not reorder it. */
const isolate = (text: string) => `\u2066${text}\u2069`;

export function App() {
  const { t } = useTranslation();
  const info = useAppInfo();
  const [route, navigate] = useRoute();
  usePanelsChangedListener();
  useSnapshotChangedListener();
  useShellTexts();
  if (info.isPending) return <p className="muted centered">{t("app.loading")}</p>;
  if (info.error) return <p className="notice error">{t("app.startFailed")}</p>;
  return (
    <AccountsViewProvider>
    <CommandsProvider>
    <Keyboard onNavigate={navigate} />
    <Shell demo={info.data.demo} route={route} onNavigate={navigate}>
      {route === "dashboard" && <DashboardPage />}
      {route === "accounts" && <AccountsPage />}
      {route === "operations" && <OperationsPage />}
      {route === "settings" && <SettingsPage />}
      {route === "alerts" && <AlertsPage />}
      {route === "panels" && <PanelsPage secretStore={info.data.secretStore} />}
      {route === "panels" && (
      <footer className="muted small footer">
        <span>{t("panels.dataDir", { dir: isolate(info.data.dataDir) })}</span>
        <span>{t("panels.secretStore", { store: info.data.secretStore })}</span>
        <span dir="ltr">v{info.data.version}</span>
      </footer>
      )}
    </Shell>
    </CommandsProvider>
    </AccountsViewProvider>
  );
}
