import { useLayoutEffect, useRef, useState, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";

import { useAccountWindow } from "../../api/accounts";
import type { AccountKey, AccountQuery, AccountRow, SortColumn } from "../../api/types";
import { KindBadge } from "../../components/KindBadge";
import { StatusBadge } from "../../components/StatusBadge";
import { UsageBar } from "../../components/UsageBar";
import { formatRelative } from "../../util/format";
import { useNow } from "../../util/useNow";
import { isSelected, type Selection } from "./selection";

export const ROW_HEIGHT = 44;
/** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 10;

type Column = { id: SortColumn | null; label: string; className: string };

type Props = {
  query: AccountQuery;
  selection: Selection;
  activeKey: AccountKey | null;
  onRowClick: (row: AccountRow, index: number, e: MouseEvent) => void;
  onToggle: (row: AccountRow, index: number) => void;
  onSort: (column: SortColumn) => void;
  onCounts: (matched: number | null, total: number | null) => void;
};

/** The accounts table: only the rows on screen exist in the DOM, and only their blocks are
 *  fetched from Rust. */
export function AccountsTable({ query, selection, activeKey, onRowClick, onToggle, onSort, onCounts }: Props) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.floor((view.top + view.height) / ROW_HEIGHT) + OVERSCAN;
  const { rowAt, matched, total, error } = useAccountWindow(query, first, last);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => onCounts(matched, total), [matched, total, onCounts]);
  // A new filter starts at the top.
  useLayoutEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [query.search, query.statuses, query.panelIds, query.kinds, query.expiringWithinDays, query.depleted, query.online]);

  const columns: Column[] = [
    { id: "name", label: t("accounts.col.name"), className: "c-name" },
    { id: "panel", label: t("accounts.col.panel"), className: "c-panel" },
    { id: "status", label: t("accounts.col.status"), className: "c-status" },
    { id: "used", label: t("accounts.col.usage"), className: "c-usage" },
    { id: "expiry", label: t("accounts.col.expiry"), className: "c-expiry" },
    { id: "lastOnline", label: t("accounts.col.online"), className: "c-online" },
  ];
  const rows: { index: number; row: AccountRow | undefined }[] = [];
  const count = matched ?? 0;
  for (let i = first; i <= Math.min(last, count - 1); i++) rows.push({ index: i, row: rowAt(i) });
  const now = useNow();

  return (
    <div className="table" role="grid" aria-rowcount={count} data-testid="accounts-table">
      <div className="table-head" role="row">
        <span className="c-check" />
        {columns.map((c) => (
          <button
            key={c.label}
            type="button"
            role="columnheader"
            className={`th ${c.className}`}
            aria-sort={query.sort === c.id ? (query.descending ? "descending" : "ascending") : "none"}
            onClick={() => c.id && onSort(c.id)}
          >
            {c.label}
            {query.sort === c.id && <span aria-hidden>{query.descending ? " ▾" : " ▴"}</span>}
          </button>
        ))}
      </div>
      <div
        className="table-body"
        ref={scroller}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      >
        <div style={{ blockSize: count * ROW_HEIGHT, position: "relative" }}>
          {rows.map(({ index, row }) =>
            row ? (
              <div
                key={`${row.key.panelId}/${row.key.nativeId}`}
                role="row"
                aria-rowindex={index + 1}
                aria-selected={isSelected(selection, row.key)}
                data-testid="account-row"
                data-name={row.name}
                className={
                  "tr" +
                  (isSelected(selection, row.key) ? " selected" : "") +
                  (activeKey && activeKey.panelId === row.key.panelId && activeKey.nativeId === row.key.nativeId ? " active" : "")
                }
                style={{ insetBlockStart: index * ROW_HEIGHT, blockSize: ROW_HEIGHT }}
                onClick={(e) => onRowClick(row, index, e)}
              >
                <span className="c-check">
                  <input
                    type="checkbox"
                    aria-label={t("accounts.select", { name: row.name })}
                    checked={isSelected(selection, row.key)}
                    onClick={(e) => e.stopPropagation()}
                    onChange={() => onToggle(row, index)}
                  />
                </span>
                <span className="c-name">
                  <strong dir="auto">{row.name}</strong>
                  {row.email && row.email !== row.name && <span className="muted small" dir="auto">{row.email}</span>}
                </span>
                <span className="c-panel">
                  <span className="dot" style={{ background: row.panelColor }} aria-hidden />
                  <span className="ellipsis">{row.panelName}</span>
                  <KindBadge kind={row.kind} />
                </span>
                <span className="c-status">
                  <StatusBadge status={row.status} />
                </span>
                <span className="c-usage">
                  {row.limitBytes === null && row.usedBytes === 0 && row.kind === "pterodactyl" ? (
                    <span className="muted">—</span>
                  ) : (
                    <UsageBar used={Number(row.usedBytes)} limit={row.limitBytes === null ? null : Number(row.limitBytes)} />
                  )}
                </span>
                <span className="c-expiry">
                  {row.expiresAtMs === null ? (
                    <span className="muted">{t("accounts.never")}</span>
                  ) : (
                    <span title={new Date(Number(row.expiresAtMs)).toLocaleString(i18n.language)}>
                      {formatRelative(Number(row.expiresAtMs), now, i18n.language)}
                    </span>
                  )}
                </span>
                <span className="c-online">
                  {row.online ? (
                    <span className="online-dot" title={t("accounts.onlineNow")}>
                      {t("accounts.onlineNow")}
                    </span>
                  ) : row.lastOnlineMs ? (
                    <span className="muted">{formatRelative(Number(row.lastOnlineMs), now, i18n.language)}</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </span>
              </div>
            ) : (
              <div key={`pending-${index}`} className="tr pending" style={{ insetBlockStart: index * ROW_HEIGHT, blockSize: ROW_HEIGHT }} />
            ),
          )}
        </div>
        {matched === 0 && <p className="muted empty-table">{total === 0 ? t("accounts.emptySnapshot") : t("accounts.noMatch")}</p>}
        {error && <p className="notice error">{error.message}</p>}
      </div>
    </div>
  );
}
