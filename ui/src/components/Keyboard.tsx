import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { startSync } from "../api/accounts";
import { usePanels } from "../api/panels";
import { LANGUAGES, setLanguage } from "../i18n";
import { useOpenAccounts } from "../pages/accounts/AccountsView";
import { CommandPalette } from "./CommandPalette";
import { requestSearchFocus, typing, useRegisteredCommands, type Command } from "./commands";
import { ShortcutsSheet } from "./ShortcutsSheet";
import { useToast } from "./Toasts";
import { NAV, type Route } from "./useRoute";

/**
 * The app's keyboard: Ctrl+K the command palette, Ctrl+F and `/` the accounts search, `?` the
 * shortcuts sheet, Alt+1…4 the pages. Also offers the commands every page shares.
 */
export function Keyboard({ onNavigate }: { onNavigate: (r: Route) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<"palette" | "sheet" | null>(null);
  const registered = useRegisteredCommands();
  const panels = usePanels();
  const openAccounts = useOpenAccounts();
  const toast = useToast();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (ctrl && key === "k") {
        e.preventDefault();
        setOpen((o) => (o === "palette" ? null : "palette"));
      } else if ((ctrl && key === "f") || (e.key === "/" && !ctrl && !typing(e.target))) {
        e.preventDefault();
        setOpen(null);
        onNavigate("accounts");
        requestSearchFocus();
      } else if (e.key === "?" && !typing(e.target)) {
        e.preventDefault();
        setOpen("sheet");
      } else if (e.altKey && !ctrl && /^[1-9]$/.test(e.key) && NAV[Number(e.key) - 1]) {
        e.preventDefault();
        onNavigate(NAV[Number(e.key) - 1] as Route);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onNavigate]);

  const sync = (panelId: string | null) =>
    void startSync(panelId).catch((e: unknown) => toast(t("win.syncFailed", { error: String((e as { message?: string }).message ?? e) }), "error"));
  const shared = (): Command[] => [
    ...NAV.map((r, i) => ({ id: `page-${r}`, label: t(`nav.${r}`), group: "pages" as const, shortcut: `Alt+${i + 1}`, run: () => onNavigate(r) })),
    { id: "search", label: t("win.keys.search"), group: "actions", shortcut: "Ctrl+F", run: () => {
        onNavigate("accounts");
        requestSearchFocus();
      } },
    { id: "sync-all", label: t("accounts.syncNow"), group: "actions", run: () => sync(null) },
    { id: "shortcuts", label: t("win.shortcuts"), group: "actions", shortcut: "?", run: () => setOpen("sheet") },
    ...LANGUAGES.map((l) => ({ id: `lang-${l.code}`, label: `${t("settings.language")}: ${l.name}`, group: "actions" as const, run: () => setLanguage(l.code) })),
    ...(panels.data ?? []).flatMap((p) => [
      {
        id: `panel-accounts-${p.id}`,
        label: t("win.panelAccounts", { panel: p.name }),
        group: "panels" as const,
        keywords: [p.name, t(`kinds.${p.kind}`)],
        run: () => openAccounts({ panelIds: [p.id] }),
      },
      { id: `panel-sync-${p.id}`, label: t("win.syncPanel", { panel: p.name }), group: "panels" as const, keywords: [p.name], run: () => sync(p.id) },
    ]),
  ];

  return (
    <>
      {open === "palette" && <CommandPalette commands={[...registered(), ...shared()]} onClose={() => setOpen(null)} />}
      {open === "sheet" && <ShortcutsSheet onClose={() => setOpen(null)} />}
    </>
  );
}
