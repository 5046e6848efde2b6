import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { cancelBulk, useBulkHistory, useBulkItems, useBulkRefetchOnProgress } from "../api/bulk";
import { toApiError } from "../api/client";
import type { OpSummary, RunMode } from "../api/types";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatRelative } from "../util/format";
import { useNow } from "../util/useNow";
import { ExportJournal } from "./bulk/ExportJournal";
import { OperationRunDialog } from "./bulk/OperationRunDialog";
import { RevertDialog } from "./bulk/RevertDialog";
import { CountsLine, RecordList } from "./bulk/PlanItems";
import { titleText } from "./bulk/describe";

/** What can be done next with an operation of the history. */
export function nextStep(op: OpSummary): RunMode | null {
  if (op.interrupted || op.state === "cancelled") return "resume";
  if (op.state === "finished" && op.counts.failed > 0) return "retryFailed";
  return null;
}

/** Every bulk operation that ran: interrupted ones first, each with its journal and export. */
export function OperationsPage() {
  const { t } = useTranslation();
  const history = useBulkHistory();
  const now = useNow();
  useBulkRefetchOnProgress();
  const [open, setOpen] = useState<string | null>(null);
  const [running, setRunning] = useState<{ opId: string; mode: RunMode } | null>(null);
  const [reverting, setReverting] = useState<string | null>(null);
  // Interrupted first, then newest first (the order Rust gives).
  const ops = useMemo(() => {
    const all = history.data ?? [];
    return [...all.filter((o) => o.interrupted), ...all.filter((o) => !o.interrupted)];
  }, [history.data]);
  const interrupted = ops.filter((o) => o.interrupted).length;

  return (
    <section className="page operations-page">
      <header className="page-header">
        <div>
          <h1>{t("operations.title")}</h1>
          <p className="muted">{t("operations.subtitle")}</p>
        </div>
        <div className="header-actions">
          <button type="button" onClick={() => void history.refetch()} disabled={history.isFetching}>
            {t("operations.refresh")}
          </button>
        </div>
      </header>
      {history.isPending && <p className="muted">{t("app.loading")}</p>}
      {history.error && <ErrorNotice error={toApiError(history.error)} />}
      {interrupted > 0 && (
        <p className="notice warn" role="status" data-testid="ops-interrupted">
          <strong>{t("operations.interruptedTitle", { count: interrupted })}</strong>
          <span>{t("operations.interruptedBody")}</span>
        </p>
      )}
      {history.data?.length === 0 && (
        <div className="empty" data-testid="ops-empty">
          <h2>{t("operations.emptyTitle")}</h2>
          <p>{t("operations.emptyBody")}</p>
        </div>
      )}
      <ul className="ops-list">
        {ops.map((op) => (
          <OperationRow
            key={op.opId}
            op={op}
            now={now}
            open={open === op.opId}
            onToggle={() => setOpen((o) => (o === op.opId ? null : op.opId))}
            onRun={(mode) => setRunning({ opId: op.opId, mode })}
            onRevert={() => setReverting(op.opId)}
          />
        ))}
      </ul>
      {reverting && <RevertDialog opId={reverting} onClose={() => setReverting(null)} />}
      {running && <OperationRunDialog opId={running.opId} mode={running.mode} onClose={() => setRunning(null)} />}
    </section>
  );
}

type RowProps = {
  op: OpSummary;
  now: number;
  open: boolean;
  onToggle: () => void;
  onRun: (mode: RunMode) => void;
  onRevert: () => void;
};

/** A finished operation that changed something can be reverted (what cannot is listed as skipped). */
export const revertible = (op: OpSummary) => op.state === "finished" && !op.interrupted && op.counts.done > 0;

function OperationRow({ op, now, open, onToggle, onRun, onRevert }: RowProps) {
  const { t, i18n } = useTranslation();
  const when = op.startedAtMs ?? op.createdAtMs;
  const step = nextStep(op);
  const detailId = `op-${op.opId}`;
  return (
    <li className={op.interrupted ? "ops-row interrupted" : "ops-row"} data-testid="ops-row" data-op={op.opId}>
      <div className="ops-line">
        <button type="button" className="ops-summary" aria-expanded={open} aria-controls={detailId} onClick={onToggle}>
          <bdi className="ops-title">{titleText(op.title, t, i18n.language)}</bdi>
          <span className="ops-meta muted small">
            <bdi>{op.actor || t("operations.unknownActor")}</bdi>
            {t("common.sep")}
            <time dateTime={new Date(when).toISOString()} title={new Date(when).toLocaleString(i18n.language)}>
              {formatRelative(when, now, i18n.language)}
            </time>
          </span>
          <span className="ops-state">
            <span className={`badge op-${op.interrupted ? "interrupted" : op.state}`}>
              {op.interrupted ? t("operations.interrupted") : t(`operations.state.${op.state}`)}
            </span>
            <CountsLine counts={op.counts} testId={`ops-counts-${op.opId}`} />
          </span>
        </button>
        {op.state === "running" && !op.interrupted && (
          <button type="button" className="danger" onClick={() => void cancelBulk(op.opId)} data-testid="ops-cancel">
            {t("bulk.cancel")}
          </button>
        )}
        {step && (
          <button
            type="button"
            className={op.interrupted ? "primary" : undefined}
            onClick={() => onRun(step)}
            data-testid={step === "resume" ? "ops-resume" : "ops-retry"}
          >
            {step === "resume" ? t("bulk.resume") : t("bulk.retryFailed", { count: op.counts.failed })}
          </button>
        )}
        {revertible(op) && (
          <button type="button" onClick={onRevert} data-testid="ops-revert">
            {t("operations.revert")}
          </button>
        )}
      </div>
      {open && (
        <div id={detailId} className="ops-detail">
          <OperationItems opId={op.opId} />
          <ExportJournal opId={op.opId} />
        </div>
      )}
    </li>
  );
}

function OperationItems({ opId }: { opId: string }) {
  const { t } = useTranslation();
  const items = useBulkItems(opId);
  if (items.isPending) return <p className="muted small">{t("app.loading")}</p>;
  if (items.error) return <ErrorNotice error={toApiError(items.error)} />;
  return (
    <div className="ops-items" data-testid="ops-items">
      <h3>{t("operations.items", { count: items.data.length })}</h3>
      <RecordList records={items.data} page={100} showState />
    </div>
  );
}
