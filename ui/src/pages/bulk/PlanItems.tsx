import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Counts, FieldChange, ItemRecord, PlanItem } from "../../api/types";
import { formatCount } from "../../util/format";
import { errorHeadline, fieldLabel, fieldValue, itemOutcomeText, opLabel } from "./describe";

export type ItemFilter = "all" | "change" | "skipped";

/** One `field: before → after` line; the arrow follows the reading direction. */
export function ChangeLine({ change }: { change: FieldChange }) {
  const { t, i18n } = useTranslation();
  const arrow = i18n.dir() === "rtl" ? "←" : "→";
  return (
    <li className="bulk-change">
      <span className="bulk-field">{fieldLabel(change.field, t)}:</span>{" "}
      <bdi>{fieldValue(change.field, change.before, t, i18n.language)}</bdi> <span aria-hidden="true">{arrow}</span>{" "}
      <bdi>{fieldValue(change.field, change.after, t, i18n.language)}</bdi>
    </li>
  );
}

function ItemRow({ item }: { item: PlanItem }) {
  const { t } = useTranslation();
  return (
    <li className={item.skip ? "bulk-item skipped" : "bulk-item"} data-testid="bulk-item">
      <span className="bulk-item-head">
        <bdi className="bulk-item-name">{item.name}</bdi>
        <span className="badge">{opLabel(item.op, t)}</span>
      </span>
      {item.skip ? (
        <span className="bulk-skip" title={item.skip.message} data-reason={item.skip.reason}>
          {t(`bulk.skip.${item.skip.reason}`)}
        </span>
      ) : (
        <ul className="bulk-changes">
          {item.changes.map((c) => (
            <ChangeLine key={c.field} change={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** A list that renders `page` rows, then "and N more" with a button for the next rows. */
function Capped<T>({ rows, page, render }: { rows: T[]; page: number; render: (row: T) => ReactNode }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(page);
  const rest = rows.length - shown;
  return (
    <>
      <ul className="bulk-items">{rows.slice(0, shown).map(render)}</ul>
      {rest > 0 && (
        <p className="bulk-more muted small">
          <span data-testid="bulk-more">{t("bulk.andMore", { count: rest })}</span>
          <button type="button" className="link" onClick={() => setShown((s) => s + Math.max(page, 200))}>
            {t("bulk.showMore")}
          </button>
        </p>
      )}
    </>
  );
}

/**
 * Rows that `sameAs` gives a key, grouped by it where two or more share one (25,000 skips for
 * the same reason are one line, not 25,000); rows without a key, or alone with theirs, stay
 * single, in their order.
 */
export function groupSame<T>(rows: T[], sameAs: (row: T) => string | null): { single: T[]; groups: [string, T[]][] } {
  const byKey = new Map<string, T[]>();
  for (const row of rows) {
    const key = sameAs(row);
    if (key === null) continue;
    const group = byKey.get(key);
    if (group) group.push(row);
    else byKey.set(key, [row]);
  }
  const grouped = new Set([...byKey.values()].filter((g) => g.length > 1).flat());
  return { single: rows.filter((r) => !grouped.has(r)), groups: [...byKey.entries()].filter(([, g]) => g.length > 1) };
}

/** A group of identical rows: "N accounts: why", opening to the rows themselves. */
function SameGroup<T>({ what, rows, page, render }: { what: ReactNode; rows: T[]; page: number; render: (row: T) => ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <details className="bulk-group" data-testid="bulk-group" data-count={rows.length}>
      <summary>
        <strong>{t("win.sameGroup", { count: rows.length, n: formatCount(rows.length, i18n.language) })}</strong> {what}
      </summary>
      <Capped rows={rows} page={page} render={render} />
    </details>
  );
}

/** The items of one panel's plan, capped so ten thousand rows do not freeze the window; skips
 *  for the same reason are grouped. */
export function PlanItemList({ items, filter, page }: { items: PlanItem[]; filter: ItemFilter; page: number }) {
  const { t } = useTranslation();
  const { single, groups } = useMemo(() => {
    const rows = filter === "all" ? items : items.filter((i) => (filter === "skipped" ? i.skip !== null : i.skip === null));
    return groupSame(rows, (i) => i.skip?.reason ?? null);
  }, [items, filter]);
  if (single.length === 0 && groups.length === 0) return <p className="muted small">{t("bulk.noItems")}</p>;
  const render = (item: PlanItem) => <ItemRow key={item.seq} item={item} />;
  // Keyed by filter so switching it starts again from the first page.
  return (
    <div key={filter} className="bulk-item-groups">
      {single.length > 0 && <Capped rows={single} page={page} render={render} />}
      {groups.map(([reason, rows]) => (
        <SameGroup key={reason} what={<span className="bulk-skip">{t(`bulk.skip.${reason}`)}</span>} rows={rows} page={page} render={render} />
      ))}
    </div>
  );
}

/** What changed on the panel since the preview (the run read the account right before writing). */
function DriftLines({ drift }: { drift: FieldChange[] }) {
  const { t, i18n } = useTranslation();
  if (drift.length === 0) return null;
  const value = (c: FieldChange, v: FieldChange["before"]) => fieldValue(c.field, v, t, i18n.language);
  return (
    <span className="bulk-drift small" data-testid="bulk-drift">
      {t("bulk.drift.title")}{" "}
      {drift.map((c) => (
        <bdi key={c.field} className="bulk-drift-line">
          {t("bulk.drift.line", { field: fieldLabel(c.field, t), before: value(c, c.before), after: value(c, c.after) })}
        </bdi>
      ))}
    </span>
  );
}

/** Journal rows (failures of a run, or every item of an operation) with state and error. */
export function RecordList({ records, page, showState }: { records: ItemRecord[]; page: number; showState: boolean }) {
  const { t, i18n } = useTranslation();
  const exists = (key: string) => i18n.exists(key);
  // Identical failures (and skips) are one line each: same state, same error, same words.
  const { single, groups } = useMemo(
    () =>
      groupSame(records, (r) =>
        // A skip's detail is the planner's English, shown only on hover: skips group by their code.
        r.state === "skipped"
          ? JSON.stringify([r.state, r.error?.code ?? null])
          : r.state === "failed"
            ? JSON.stringify([r.state, r.error?.code ?? null, r.error?.detail ?? null, r.message])
            : null,
      ),
    [records],
  );
  const why = (r: ItemRecord) => {
    const headline = errorHeadline(r.error?.code ?? null, t, exists);
    const detail = r.error ? r.error.detail : r.message && itemOutcomeText(r.message, t, i18n.language);
    // As for one row: a skip's detail (the planner's English) only on hover.
    const skipped = r.state === "skipped";
    return (
      <span className={r.state === "failed" ? "bulk-error" : "muted small"} title={skipped && detail ? detail : undefined}>
        {headline && <strong>{headline}</strong>}
        {detail && detail !== headline && !skipped && <span className="bulk-error-detail"> {detail}</span>}
      </span>
    );
  };
  const list = (
    <Capped
      rows={single}
      page={page}
      render={(r) => {
        const headline = errorHeadline(r.error?.code ?? null, t, exists);
        const detail = r.error ? r.error.detail : r.message && itemOutcomeText(r.message, t, i18n.language);
        // A skip's detail is the planner's English sentence (or the panel's words) behind a
        // translated headline: shown on hover, as in the preview, not as a line of its own.
        const skipped = r.state === "skipped";
        return (
          <li key={`${r.panelId}/${r.seq}`} className={`bulk-item state-${r.state}`} data-testid="bulk-record">
            <span className="bulk-item-head">
              <bdi className="bulk-item-name">{r.name}</bdi>
              <span className="muted small">
                <bdi>{r.panelName}</bdi> · {opLabel(r.op, t)}
              </span>
              {showState && <span className={`badge item-${r.state}`}>{t(`bulk.itemState.${r.state}`)}</span>}
            </span>
            {(headline || detail) && (
              <span className={r.state === "failed" ? "bulk-error" : "muted small"} title={skipped && detail ? detail : undefined}>
                {headline && <strong>{headline}</strong>}
                {detail && detail !== headline && !skipped && <span className="bulk-error-detail"> {detail}</span>}
              </span>
            )}
            <DriftLines drift={r.drift} />
          </li>
        );
      }}
    />
  );
  if (groups.length === 0) return list;
  return (
    <div className="bulk-item-groups">
      {groups.map(([key, rows]) => (
        <SameGroup
          key={key}
          what={rows[0] && why(rows[0])}
          rows={rows}
          page={page}
          render={(r) => (
            <li key={`${r.panelId}/${r.seq}`} className={`bulk-item state-${r.state}`} data-testid="bulk-record">
              <span className="bulk-item-head">
                <bdi className="bulk-item-name">{r.name}</bdi>
                <span className="muted small">
                  <bdi>{r.panelName}</bdi> · {opLabel(r.op, t)}
                </span>
              </span>
            </li>
          )}
        />
      ))}
      {single.length > 0 && list}
    </div>
  );
}

/** done / failed / skipped / left of a total, as one bar. */
export function ProgressBar({ counts, label }: { counts: Counts; label: string }) {
  const total = Math.max(1, counts.total);
  const pct = (n: number) => `${(n / total) * 100}%`;
  const finished = counts.done + counts.failed + counts.skipped;
  return (
    <div
      className="bulk-bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={counts.total}
      aria-valuenow={finished}
    >
      <span className="bulk-bar-done" style={{ inlineSize: pct(counts.done) }} />
      <span className="bulk-bar-failed" style={{ inlineSize: pct(counts.failed) }} />
      <span className="bulk-bar-skipped" style={{ inlineSize: pct(counts.skipped) }} />
    </div>
  );
}

/** "12 done · 1 failed · 3 skipped · 40 left", with the numbers as data attributes for tests. */
export function CountsLine({ counts, testId }: { counts: Counts; testId: string }) {
  const { t } = useTranslation();
  return (
    <span
      className="bulk-counts small"
      data-testid={testId}
      data-done={counts.done}
      data-failed={counts.failed}
      data-skipped={counts.skipped}
      data-left={counts.left}
      data-total={counts.total}
    >
      <span className="ok-text">{t("bulk.count.done", { count: counts.done })}</span>
      {t("common.sep")}
      <span className={counts.failed > 0 ? "error-text" : undefined}>{t("bulk.count.failed", { count: counts.failed })}</span>
      {t("common.sep")}
      <span className="muted">{t("bulk.count.skipped", { count: counts.skipped })}</span>
      {t("common.sep")}
      <span>{t("bulk.count.left", { count: counts.left })}</span>
    </span>
  );
}
