import { useCallback, useDeferredValue, useRef, useState, type CSSProperties, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";

import { keyRange, startSync, useSyncProgress } from "../../api/accounts";
import { copyText } from "../../api/transfer";
import { toApiError } from "../../api/client";
import { usePanels } from "../../api/panels";
import type { AccountKey, AccountRow, ApiError, SortColumn, SyncEvent } from "../../api/types";
import { useRegisterCommands, useSearchFocusTarget } from "../../components/commands";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatCount } from "../../util/format";
import { useOpenPanel } from "../../components/OpenPanelButton";
import { useToast } from "../../components/Toasts";
import { blankAction, type ActionDraft } from "../bulk/actions";
import { BulkDialog } from "../bulk/BulkDialog";
import { InterruptedNotice } from "../bulk/InterruptedNotice";
import { useAccountsTableModel } from "./accountColumns";
import { AccountDetailPane } from "./AccountDetailPane";
import { AccountsTable } from "./AccountsTable";
import { clearedFilters, useAccountsView } from "./AccountsView";
import { CreateAccountDialog } from "./CreateAccountDialog";
import { Filters } from "./Filters";
import { PaneResizer, usePaneWidth } from "./PaneResizer";
import { addRange, emptySelection, isSelected, selectedCount, toggle, type Selection } from "./selection";
import { SyncJob, SyncStatus } from "./SyncStatus";
import { SavedViewsMenu } from "./SavedViews";
import { ColumnChooser, type MenuEntry } from "./TableMenus";
import { TransferActions } from "../transfer/TransferActions";


export function AccountsPage() {
  const { t, i18n } = useTranslation();
  const panels = usePanels();
  const progress = useSyncProgress();
  const [query, setQuery] = useAccountsView();
  // Typing stays responsive: the table follows the search a frame later.
  const deferredQuery = useDeferredValue(query);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [active, setActive] = useState<AccountKey | null>(null);
  const [counts, setCounts] = useState<{ matched: number | null; total: number | null }>({ matched: null, total: null });
  const [syncing, setSyncing] = useState(false);
  // The panels' events when the current sync began: its progress counts only newer ones.
  const [syncBefore, setSyncBefore] = useState<Record<string, SyncEvent>>({});
  const [syncError, setSyncError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);
  const [bulkOpen, setBulkOpen] = useState<ActionDraft | null>(null);
  const search = useRef<HTMLInputElement>(null);
  useSearchFocusTarget(search);
  const model = useAccountsTableModel();
  const [paneWidth, setPaneWidth] = usePaneWidth();
  const toast = useToast();
  const openPanel = useOpenPanel();

  const onCounts = useCallback((matched: number | null, total: number | null) => setCounts({ matched, total }), []);
  const changeQuery = (q: typeof query) => {
    setQuery(q);
    setSelection(emptySelection());
  };
  const onSort = (column: SortColumn, descending?: boolean) =>
    setQuery((q) => ({ ...q, sort: column, descending: descending ?? (q.sort === column ? !q.descending : false) }));

  /** Adds rows `from`..`to` to the selection; the rows between may not be on screen, so Rust
   *  is asked for exactly that range. */
  const addRows = async (from: number, to: number, anchor: number) => {
    const lo = Math.min(from, to);
    const keys = await keyRange({ ...deferredQuery, offset: lo, limit: Math.abs(to - from) + 1 });
    setSelection((s) => addRange(s, keys, anchor));
  };

  const onRowClick = async (row: AccountRow, index: number, e: MouseEvent) => {
    if (e.shiftKey && selection.mode === "keys" && selection.anchor !== null) {
      await addRows(selection.anchor, index, index);
    } else if (e.ctrlKey || e.metaKey) {
      setSelection((s) => toggle(s, row.key, index));
    } else {
      setActive(row.key);
    }
  };

  const sync = async (panelId: string | null = null) => {
    setSyncing(true);
    setSyncBefore(progress);
    setSyncError(null);
    try {
      await startSync(panelId);
    } catch (err) {
      // A cancelled sync says so on its panel's line; it is no error.
      if (toApiError(err).code !== "cancelled") setSyncError(toApiError(err));
    } finally {
      setSyncing(false);
    }
  };

  const matched = counts.matched ?? 0;
  const chosen = selectedCount(selection, matched);
  const allCheck = {
    checked: selection.mode === "allMatching" && selection.excluded.size === 0 && matched > 0,
    mixed: chosen > 0 && !(selection.mode === "allMatching" && selection.excluded.size === 0),
    onChange: () => setSelection(chosen > 0 ? emptySelection() : { mode: "allMatching", excluded: new Set() }),
  };
  const copy = (text: string, what: string) =>
    void copyText(text).then((ok) => toast(ok ? t("win.copied", { what }) : t("links.copyFailed"), ok ? "ok" : "error"));
  const rowMenu = (row: AccountRow, index: number): MenuEntry[] => [
    { id: "open", label: t("win.open"), shortcut: "Enter", onSelect: () => setActive(row.key) },
    {
      id: "select",
      label: isSelected(selection, row.key) ? t("win.deselect") : t("win.select"),
      shortcut: t("win.key.space"),
      onSelect: () => setSelection((s) => toggle(s, row.key, index)),
    },
    { id: "copy-name", label: t("win.copyWhat", { what: t("win.what.name") }), onSelect: () => copy(row.name, t("win.what.name")), group: true },
    ...(row.email && row.email !== row.name
      ? [{ id: "copy-email", label: t("win.copyWhat", { what: t("win.what.email") }), onSelect: () => copy(row.email ?? "", t("win.what.email")) }]
      : []),
    { id: "bulk", label: t("bulk.open"), onSelect: () => setBulkOpen(blankAction()), disabled: chosen === 0, group: true },
    { id: "sync-panel", label: t("win.syncPanel", { panel: row.panelName }), onSelect: () => void sync(row.key.panelId), disabled: syncing },
    { id: "open-panel", label: t("browser.openPanel", { panel: row.panelName }), onSelect: () => openPanel({ id: row.key.panelId }) },
  ];
  const canCreate = (panels.data?.length ?? 0) > 0;
  useRegisterCommands("accounts", [
    ...(canCreate ? [{ id: "new-account", label: t("accounts.create"), group: "actions" as const, run: () => setCreating(true) }] : []),
    ...(chosen > 0
      ? [
          { id: "bulk", label: t("bulk.open"), group: "actions" as const, run: () => setBulkOpen(blankAction()) },
          {
            id: "extend-30",
            label: t("win.extendSelected", { count: chosen, days: 30 }),
            group: "actions" as const,
            keywords: ["expiry", "extend"],
            run: () => setBulkOpen({ ...blankAction(), type: "extendExpiry", days: "30" }),
          },
          { id: "clear-selection", label: t("accounts.clearSelection"), group: "actions" as const, run: () => setSelection(emptySelection()) },
        ]
      : []),
    ...(matched > 0
      ? [{ id: "select-all", label: t("accounts.selectAllMatching", { count: matched, n: formatCount(matched, i18n.language) }), group: "actions" as const, run: () => setSelection({ mode: "allMatching", excluded: new Set() }) }]
      : []),
    { id: "clear-filters", label: t("accounts.clearFilters"), group: "actions", run: () => changeQuery(clearedFilters(query)) },
  ]);
  return (
    <section className="page accounts-page">
      <header className="page-header">
        <div>
          <h1>{t("accounts.title")}</h1>
          <p className="muted" data-testid="accounts-counts">
            {counts.matched === null
              ? t("app.loading")
              : t("accounts.counts", {
                  count: counts.total ?? 0,
                  matched: formatCount(counts.matched, i18n.language),
                  total: formatCount(counts.total ?? 0, i18n.language),
                })}
          </p>
        </div>
        <div className="header-actions">
          <button type="button" onClick={() => setCreating(true)} disabled={!panels.data?.length}>
            {t("accounts.create")}
          </button>
          <TransferActions selection={selection} query={deferredQuery} matched={matched} panels={panels.data ?? []} />
          <button type="button" className="primary" onClick={() => void sync(null)} disabled={syncing} data-testid="sync-all">
            {syncing ? t("accounts.syncing") : t("accounts.syncNow")}
          </button>
        </div>
      </header>
      {panels.data?.length === 0 && (
        <div className="empty" data-testid="no-panels">
          <h2>{t("accounts.noPanelsTitle")}</h2>
          <p>{t("accounts.noPanelsBody")}</p>
          <a className="button primary" href="#/panels">
            {t("panels.add")}
          </a>
        </div>
      )}
      {syncing && <SyncJob progress={progress} before={syncBefore} />}
      <SyncStatus panels={panels.data ?? []} progress={progress} />
      <InterruptedNotice />
      {syncError && <ErrorNotice error={syncError} />}
      <div className="toolbar">
        <input
          type="search"
          ref={search}
          aria-label={t("accounts.searchPlaceholder")}
          className="search"
          data-testid="accounts-search"
          placeholder={t("accounts.searchPlaceholder")}
          value={query.search}
          onChange={(e) => changeQuery({ ...query, search: e.target.value })}
        />
        <button type="button" onClick={() => changeQuery(clearedFilters(query))} data-testid="clear-filters">
          {t("accounts.clearFilters")}
        </button>
        <SavedViewsMenu query={query} onQuery={changeQuery} model={model} />
        <ColumnChooser model={model} />
      </div>
      <Filters query={query} panels={panels.data ?? []} onChange={changeQuery} />
      <div className="selection-bar" aria-live="polite">
        <span>{t("accounts.selected", { count: chosen, n: formatCount(chosen, i18n.language) })}</span>
        {selection.mode === "keys" && matched > 0 && (
          <button
            type="button"
            className="link"
            data-testid="select-all-matching"
            onClick={() => setSelection({ mode: "allMatching", excluded: new Set() })}
          >
            {t("accounts.selectAllMatching", { count: matched, n: formatCount(matched, i18n.language) })}
          </button>
        )}
        {chosen > 0 && (
          <button type="button" className="link" onClick={() => setSelection(emptySelection())}>
            {t("accounts.clearSelection")}
          </button>
        )}
        {chosen > 0 && (
          <button type="button" className="bulk-open" onClick={() => setBulkOpen(blankAction())} data-testid="bulk-open">
            {t("bulk.open")}
          </button>
        )}
      </div>
      <div className={active ? "split with-detail" : "split"} style={{ "--pane": `${paneWidth}px` } as CSSProperties}>
        <AccountsTable
          model={model}
          query={deferredQuery}
          selection={selection}
          activeKey={active}
          onRowClick={(row, index, e) => void onRowClick(row, index, e)}
          onToggle={(row, index) => setSelection((s) => toggle(s, row.key, index))}
          onOpen={(row) => setActive(row.key)}
          onExtend={(from, to) => void addRows(from, to, selection.mode === "keys" && selection.anchor !== null ? selection.anchor : from)}
          onSort={onSort}
          onCounts={onCounts}
          allCheck={allCheck}
          rowMenu={rowMenu}
        />
        {active && <PaneResizer width={paneWidth} onWidth={setPaneWidth} />}
        {active && <AccountDetailPane accountKey={active} onClose={() => setActive(null)} onGone={() => setActive(null)} />}
      </div>
      {creating && <CreateAccountDialog panels={panels.data ?? []} onClose={() => setCreating(false)} />}
      {bulkOpen && <BulkDialog selection={selection} query={query} count={chosen} initial={bulkOpen} onClose={() => setBulkOpen(null)} />}
    </section>
  );
}
