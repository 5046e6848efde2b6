import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { FieldChange, NotCarried, PlanCounts, PlanPreview, PreviewRow, RowError } from "../../api/types";
import { conflictText, importProblemText, notCarriedText } from "../../i18n/backendText";
import { formatNumber } from "../../util/format";
import { fieldLabel, fieldValue } from "../bulk/describe";

/** Height of one row of the windowed rows list, in pixels. */
export const ROW_HEIGHT = 48;
/** Rows rendered beyond the visible ones. */
const OVERSCAN = 8;
/** Bad rows listed; the rest are counted. */
export const MAX_ERRORS_SHOWN = 200;
/** Height used when the list has not been laid out (tests, first frame). */
const FALLBACK_HEIGHT = 320;

const ACTIONS = ["create", "update", "unchanged", "conflict"] as const;
type Action = (typeof ACTIONS)[number];
type Filter = "all" | Action;

const isAction = (a: string): a is Action => (ACTIONS as readonly string[]).includes(a);

/** The diff of an import or a migration: counts, bad rows, and every row, windowed. */
export function PlanPreviewView({ preview }: { preview: PlanPreview }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>("all");
  const [picked, setPicked] = useState<PreviewRow | null>(null);
  const rows = useMemo(
    () => (filter === "all" ? preview.rows : preview.rows.filter((r) => r.action === filter)),
    [preview.rows, filter],
  );
  const lost = useMemo(() => notCarriedSummary(preview.rows), [preview.rows]);
  return (
    <div className="plan-preview" data-testid="plan-preview">
      <Counts counts={preview.counts} />
      {lost.length > 0 && (
        <details className="plan-lost">
          <summary>{t("importDialog.notCarriedSummary", { count: lost.length })}</summary>
          <ul className="plain small">
            {lost.map(([what, n]) => (
              <li key={what}>
                <span dir="auto">{notCarriedText(t, what)}</span>
                <span className="muted">{t("importDialog.rowsCount", { count: n })}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {preview.errors.length > 0 && <BadRows errors={preview.errors} />}
      <div className="chips" role="group" aria-label={t("importDialog.filter")}>
        {(["all", ...ACTIONS] as const).map((f) => (
          <button
            key={f}
            type="button"
            className={filter === f ? "chip on" : "chip"}
            aria-pressed={filter === f}
            onClick={() => {
              setFilter(f);
              setPicked(null);
            }}
          >
            {f === "all" ? t("importDialog.filterAll", { n: preview.rows.length }) : t(`importDialog.filterAction.${f}`, { n: preview.counts[f] })}
          </button>
        ))}
      </div>
      {preview.rows.length === 0 ? (
        <p className="muted">{t("importDialog.noRows")}</p>
      ) : (
        <RowsList rows={rows} picked={picked} onPick={setPicked} />
      )}
      {picked && <RowDetail row={picked} />}
    </div>
  );
}

function Counts({ counts }: { counts: PlanCounts }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => v.toLocaleString(i18n.language);
  const cells: [keyof PlanCounts, string][] = [
    ["create", t("importDialog.count.create")],
    ["update", t("importDialog.count.update")],
    ["unchanged", t("importDialog.count.unchanged")],
    ["conflict", t("importDialog.count.conflict")],
    ["errors", t("importDialog.count.errors")],
  ];
  return (
    <dl className="plan-counts">
      {cells.map(([k, label]) => (
        <div key={k} className={`plan-count count-${k}${counts[k] > 0 ? " some" : ""}`} data-testid={`plan-count-${k}`}>
          <dt>{label}</dt>
          <dd>{n(counts[k])}</dd>
        </div>
      ))}
    </dl>
  );
}

function BadRows({ errors }: { errors: RowError[] }) {
  const { t } = useTranslation();
  const shown = errors.slice(0, MAX_ERRORS_SHOWN);
  return (
    <div className="bad-rows">
      <h3>{t("importDialog.badRowsTitle", { count: errors.length })}</h3>
      <p className="muted small">{t("importDialog.badRowsHint")}</p>
      <ul className="bad-row-list" data-testid="plan-errors">
        {shown.map((e, i) => (
          <li key={`${e.line}:${e.column}:${i}`} data-testid="plan-error">
            <span className="bad-row-where">
              {e.column ? t("importDialog.lineColumn", { line: e.line, column: e.column }) : t("importDialog.line", { line: e.line })}
            </span>
            <span dir="auto">{importProblemText(t, e.reason)}</span>
          </li>
        ))}
      </ul>
      {errors.length > shown.length && (
        <p className="muted small">{t("importDialog.moreErrors", { count: errors.length - shown.length })}</p>
      )}
    </div>
  );
}

/** Only the rows on screen exist in the DOM, so a preview of 100,000 rows stays responsive. */
function RowsList({ rows, picked, onPick }: { rows: PreviewRow[]; picked: PreviewRow | null; onPick: (r: PreviewRow) => void }) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: FALLBACK_HEIGHT });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = 0;
    setView({ top: 0, height: el.clientHeight || FALLBACK_HEIGHT });
  }, [rows]);
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length - 1, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const visible: { index: number; row: PreviewRow }[] = [];
  for (let i = first; i <= last; i++) {
    const row = rows[i];
    if (row) visible.push({ index: i, row });
  }
  return (
    <div className="plan-table" role="table" aria-rowcount={rows.length} data-testid="plan-rows">
      <div className="plan-tr plan-head" role="row">
        <span role="columnheader">{t("importDialog.col.line")}</span>
        <span role="columnheader">{t("importDialog.col.action")}</span>
        <span role="columnheader">{t("importDialog.col.name")}</span>
        <span role="columnheader">{t("importDialog.col.details")}</span>
      </div>
      <div
        className="plan-body"
        ref={scroller}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight || FALLBACK_HEIGHT })}
      >
        <div style={{ blockSize: rows.length * ROW_HEIGHT, position: "relative" }}>
          {visible.map(({ index, row }) => (
            <div
              key={`${row.line}:${index}`}
              role="row"
              aria-rowindex={index + 1}
              aria-selected={picked === row}
              tabIndex={0}
              className={picked === row ? "plan-tr picked" : "plan-tr"}
              style={{ insetBlockStart: index * ROW_HEIGHT, blockSize: ROW_HEIGHT }}
              data-testid="plan-row"
              onClick={() => onPick(row)}
              onKeyDown={(e) => {
                if (e.key !== "Enter" && e.key !== " ") return;
                e.preventDefault();
                onPick(row);
              }}
            >
              <span role="cell" className="num mono">
                {formatNumber(row.line, i18n.language, false)}
              </span>
              <span role="cell">
                <ActionBadge action={row.action} />
              </span>
              <span role="cell" className="ellipsis" dir="auto" title={row.name}>
                {row.name}
              </span>
              <span role="cell" className="plan-summary">
                <RowSummary row={row} />
              </span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

function ActionBadge({ action }: { action: string }) {
  const { t } = useTranslation();
  return <span className={`badge action action-${action}`}>{isAction(action) ? t(`importDialog.action.${action}`) : action}</span>;
}

/** One line about the row: its changes, or why it conflicts, plus markers. */
function RowSummary({ row }: { row: PreviewRow }) {
  const { t, i18n } = useTranslation();
  const text = row.reason
    ? conflictText(t, row.reason)
    : row.changes.length > 0
      ? row.changes.map((c) => changeText(c, t, i18n.language, i18n.dir())).join("; ")
      : "";
  return (
    <>
      {/* A translated sentence: it runs in the page's direction even when it starts with a
          Latin name, so a cut line loses its end, not its start. */}
      <span className="ellipsis plan-summary-text" dir={i18n.dir()} title={text}>
        {text}
      </span>
      {row.keepsCredentials && (
        <span className="badge keeps" title={t("importDialog.keepsCredentialsHint")}>
          {t("importDialog.keepsCredentials")}
        </span>
      )}
      {row.notCarried.length > 0 && (
        <span className="badge lost" title={row.notCarried.map((n) => notCarriedText(t, n)).join("\n")}>
          {t("importDialog.notCarriedCount", { count: row.notCarried.length })}
        </span>
      )}
    </>
  );
}

function RowDetail({ row }: { row: PreviewRow }) {
  const { t, i18n } = useTranslation();
  const arrow = i18n.dir() === "rtl" ? "←" : "→";
  return (
    <div className="plan-detail" data-testid="plan-row-detail" aria-live="polite">
      <h3>
        <span className="muted">{t("importDialog.line", { line: row.line })}</span> <ActionBadge action={row.action} />{" "}
        <span dir="auto">{row.name}</span>
      </h3>
      {row.reason && (
        <p className="error-text" dir="auto">
          {conflictText(t, row.reason)}
        </p>
      )}
      {row.changes.length > 0 && (
        <ul className="plain change-list">
          {row.changes.map((c) => (
            <li key={c.field}>
              <strong>{fieldLabel(c.field, t)}</strong>: <bdi>{fieldValue(c.field, c.before, t, i18n.language)}</bdi>{" "}
              <span aria-hidden="true">{arrow}</span> <bdi>{fieldValue(c.field, c.after, t, i18n.language)}</bdi>
            </li>
          ))}
        </ul>
      )}
      {row.keepsCredentials && <p className="small">{t("importDialog.keepsCredentialsHint")}</p>}
      {row.notCarried.length > 0 && (
        <>
          <h3>{t("importDialog.notCarried")}</h3>
          <ul className="small">
            {row.notCarried.map((n) => (
              <li key={n} dir="auto">
                {notCarriedText(t, n)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** `field: before → after` in the UI language, the arrow following the reading direction. */
export function changeText(c: FieldChange, t: Translate, locale: string, dir: "ltr" | "rtl" = "ltr"): string {
  const arrow = dir === "rtl" ? "←" : "→";
  return `${fieldLabel(c.field, t)}: ${fieldValue(c.field, c.before, t, locale)} ${arrow} ${fieldValue(c.field, c.after, t, locale)}`;
}

/** Each thing the target cannot carry, with how many rows lose it, most common first. */
export function notCarriedSummary(rows: PreviewRow[]): [NotCarried, number][] {
  const counts = new Map<NotCarried, number>();
  for (const r of rows) for (const n of r.notCarried) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
