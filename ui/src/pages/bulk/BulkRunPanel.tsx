import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { accountKeys } from "../../api/accounts";
import { cancelBulk, discardBulk, invalidateJournal, runBulk, sumCounts, useBulkProgress } from "../../api/bulk";
import { toApiError } from "../../api/client";
import type { ApiError, BulkPlan, BulkReport, Counts, IfChanged, PanelPlan, RunMode } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { usePaceText } from "../../components/JobProgress";
import { KindBadge } from "../../components/KindBadge";
import { CountsLine, PlanItemList, ProgressBar, RecordList, type ItemFilter } from "./PlanItems";

/**
 * A plan, its run and its report; other screens (import) embed it with this exact signature.
 * `autoStart` runs the plan as soon as it is shown (the user confirmed it elsewhere).
 */
export function BulkRunPanel(props: { plan: BulkPlan; onClose: () => void; autoStart?: boolean }) {
  return <RunView plan={props.plan} onClose={props.onClose} start={props.autoStart ? "execute" : undefined} />;
}

type Phase = "preview" | "running" | "report" | "error";

/** Operations that lose something on the panel: the run button turns red. */
const LOSSY: ReadonlySet<string> = new Set(["delete", "resetTraffic", "revokeSubscription"]);

export type RunViewProps = {
  plan: BulkPlan;
  onClose: () => void;
  /** Start this run on mount (resume and retry from the operations page, or a confirmed plan). */
  start?: RunMode | undefined;
  /** The journal's report so far (for resume / retry): the counts shown before events come. */
  initial?: BulkReport | undefined;
  /** "Back" on the preview: the plan is discarded and the caller shows its form again. */
  onBack?: (() => void) | undefined;
  /** Called once a run is asked for (the plan is no longer discardable). */
  onStarted?: (() => void) | undefined;
};

/** Counts of a panel before anything ran, from its plan. */
const planned = (p: PanelPlan): Counts => ({
  total: p.items.length,
  done: 0,
  failed: 0,
  skipped: p.skipped,
  left: p.toChange,
});

function countsFrom(plan: BulkPlan, report: BulkReport | null | undefined): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  for (const p of plan.panels) out[p.panelId] = planned(p);
  for (const p of report?.panels ?? []) out[p.panelId] = p.counts;
  return out;
}

/** "Running… · 120/s · about 40 s left" while a run goes. */
function RunningLine({ counts, cancelling }: { counts: Counts; cancelling: boolean }) {
  const { t } = useTranslation();
  const pace = usePaceText(counts.done + counts.failed + counts.skipped, counts.total);
  return (
    <p className="muted small" role="status">
      {cancelling ? t("bulk.cancelling") : t("bulk.running")}
      {pace !== null && !cancelling && <span data-testid="bulk-pace">{` · ${pace}`}</span>}
    </p>
  );
}

export function RunView({ plan, onClose, start, initial, onBack, onStarted }: RunViewProps) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [live, resetLive] = useBulkProgress(plan.id);
  const [phase, setPhase] = useState<Phase>(start ? "running" : "preview");
  const [report, setReport] = useState<BulkReport | null>(initial ?? null);
  // Per-panel counts when the current run began; events replace them panel by panel.
  const [base, setBase] = useState<Record<string, Counts>>(() => countsFrom(plan, initial));
  const [error, setError] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const [filter, setFilter] = useState<ItemFilter>("all");
  const [ifChanged, setIfChanged] = useState<IfChanged>("apply");

  const run = useCallback(
    async (mode: RunMode, from: BulkReport | null) => {
      resetLive();
      setBase(countsFrom(plan, from));
      setPhase("running");
      setError(null);
      setCancelling(false);
      onStarted?.();
      try {
        const r = await runBulk(plan.id, mode, ifChanged);
        setReport(r);
        setPhase("report");
      } catch (e) {
        setError(toApiError(e));
        setPhase("error");
      } finally {
        void client.invalidateQueries({ queryKey: accountKeys.all });
        invalidateJournal(client);
      }
    },
    [client, ifChanged, onStarted, plan, resetLive],
  );

  // Runs once even when React mounts twice in development.
  const autoStarted = useRef(false);
  useEffect(() => {
    if (!start || autoStarted.current) return;
    autoStarted.current = true;
    void run(start, initial ?? null);
  }, [start, initial, run]);

  const cancel = async () => {
    setCancelling(true);
    const accepted = await cancelBulk(plan.id).catch(() => false);
    if (!accepted) setCancelling(false);
  };

  const discard = async (then: () => void) => {
    setDiscarding(true);
    setError(null);
    try {
      await discardBulk(plan.id);
      invalidateJournal(client);
      then();
    } catch (e) {
      setError(toApiError(e));
      setDiscarding(false);
    }
  };

  const shown = (panelId: string): Counts => {
    const fromReport = phase === "report" ? report?.panels.find((r) => r.panelId === panelId) : undefined;
    const fromEvents = phase !== "preview" ? live[panelId] : undefined;
    return fromReport?.counts ?? fromEvents?.counts ?? base[panelId] ?? { total: 0, done: 0, failed: 0, skipped: 0, left: 0 };
  };
  const totals = phase === "report" && report ? report.counts : sumCounts(plan.panels.map((p) => shown(p.panelId)));
  const page = plan.panels.length > 4 ? 10 : 50;
  const destructive = useMemo(
    () => plan.panels.some((p) => p.items.some((i) => i.skip === null && LOSSY.has(i.op.type))),
    [plan],
  );
  const ran = phase !== "preview";

  return (
    <div className="bulk-run" data-testid="bulk-run-panel" data-phase={phase}>
      <p className="bulk-totals" data-testid="bulk-totals" data-to-change={plan.toChange} data-skipped={plan.skipped}>
        <strong>{t("bulk.toChange", { count: plan.toChange })}</strong>
        {t("common.sep")}
        <span className="muted">{t("bulk.skippedTotal", { count: plan.skipped })}</span>
        {t("common.sep")}
        <span className="muted">{t("bulk.panels", { count: plan.panels.length })}</span>
      </p>

      {ran && (
        <div className="bulk-overall">
          <ProgressBar counts={totals} label={t("bulk.overall")} />
          <CountsLine counts={totals} testId="bulk-done" />
        </div>
      )}

      {phase === "running" && <RunningLine counts={totals} cancelling={cancelling} />}

      {phase === "preview" && plan.skipped > 0 && plan.toChange > 0 && (
        <fieldset className="segmented bulk-filter">
          <legend>{t("bulk.show")}</legend>
          {(["all", "change", "skipped"] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="bulk-filter" checked={filter === f} onChange={() => setFilter(f)} />
              {t(`bulk.filter.${f}`)}
            </label>
          ))}
        </fieldset>
      )}

      {plan.toChange === 0 && phase === "preview" && <p className="notice info">{t("bulk.nothingToDo")}</p>}

      {phase === "preview" && plan.toChange > 0 && !createsOnly(plan) && (
        <label className="bulk-if-changed small">
          {t("bulk.ifChanged.label")}{" "}
          <select value={ifChanged} onChange={(e) => setIfChanged(e.target.value as IfChanged)} data-testid="bulk-if-changed">
            <option value="apply">{t("bulk.ifChanged.apply")}</option>
            <option value="skip">{t("bulk.ifChanged.skip")}</option>
          </select>
        </label>
      )}

      <div className="bulk-panels">
        {plan.panels.map((p) => {
          const c = shown(p.panelId);
          return (
            <section key={p.panelId} className="bulk-panel" data-testid={`bulk-panel-${p.panelId}`}>
              <header className="bulk-panel-head">
                <bdi className="bulk-panel-name">{p.panelName}</bdi>
                <KindBadge kind={p.kind} />
                <span className="muted small">
                  {t("bulk.toChange", { count: p.toChange })} · {t("bulk.skippedTotal", { count: p.skipped })}
                </span>
              </header>
              {ran && (
                <div className="bulk-progress" data-testid={`bulk-progress-${p.panelId}`}>
                  <ProgressBar counts={c} label={p.panelName} />
                  <CountsLine counts={c} testId={`bulk-counts-${p.panelId}`} />
                </div>
              )}
              {ran ? (
                <details>
                  <summary className="small">{t("bulk.planItems", { count: p.items.length })}</summary>
                  <PlanItemList items={p.items} filter="all" page={page} />
                </details>
              ) : (
                <PlanItemList items={p.items} filter={filter} page={page} />
              )}
            </section>
          );
        })}
      </div>

      {phase === "report" && report && <Report report={report} />}
      {error && <ErrorNotice error={error} />}

      <div className="bulk-buttons">
        {phase === "preview" && (
          <>
            {onBack && (
              <button type="button" disabled={discarding} onClick={() => void discard(onBack)} data-testid="bulk-back">
                {t("bulk.back")}
              </button>
            )}
            <button type="button" disabled={discarding} onClick={() => void discard(onClose)} data-testid="bulk-discard">
              {t("bulk.discard")}
            </button>
            <span className="spacer" />
            <button
              type="button"
              className={destructive ? "primary danger" : "primary"}
              disabled={discarding || plan.toChange === 0}
              onClick={() => void run("execute", null)}
              data-testid="bulk-run"
            >
              {t("bulk.run", { count: plan.toChange })}
            </button>
          </>
        )}
        {phase === "running" && (
          <>
            <button type="button" onClick={onClose} data-testid="bulk-hide">
              {t("bulk.hide")}
            </button>
            <span className="spacer" />
            <button type="button" className="danger" disabled={cancelling} onClick={() => void cancel()} data-testid="bulk-cancel">
              {cancelling ? t("bulk.cancelling") : t("bulk.cancel")}
            </button>
          </>
        )}
        {(phase === "report" || phase === "error") && (
          <>
            <button type="button" onClick={onClose} data-testid="bulk-close">
              {t("common.close")}
            </button>
            <span className="spacer" />
            {(phase === "error" || report?.cancelled || (report?.counts.left ?? 0) > 0) && (
              <button type="button" onClick={() => void run("resume", report)} data-testid="bulk-resume">
                {t("bulk.resume")}
              </button>
            )}
            {report && report.counts.failed > 0 && (
              <button type="button" className="primary" onClick={() => void run("retryFailed", report)} data-testid="bulk-retry">
                {t("bulk.retryFailed", { count: report.counts.failed })}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/** A plan of creates only: nothing on the panel to have changed since the preview. */
const createsOnly = (plan: BulkPlan) => plan.panels.every((p) => p.items.every((i) => i.skip !== null || i.op.type === "create"));

/** The end of a run: how it went, how long it took, and every failure with its message. */
function Report({ report }: { report: BulkReport }) {
  const { t, i18n } = useTranslation();
  const c = report.counts;
  const tone = report.cancelled ? "warn" : c.failed > 0 ? "error" : "ok";
  const seconds = (report.tookMs / 1000).toLocaleString(i18n.language, { maximumFractionDigits: 1 });
  return (
    <div className="bulk-report" data-testid="bulk-report">
      <p className={`notice ${tone}`} role="status">
        <strong>
          {report.cancelled
            ? t("bulk.report.cancelled", { done: c.done, left: c.left })
            : c.failed > 0
              ? t("bulk.report.withFailures", { count: c.failed, done: c.done })
              : t("bulk.report.ok", { count: c.done })}
        </strong>
        <span className="bulk-took">{t("bulk.report.took", { seconds })}</span>
      </p>
      {report.changed.length > 0 && (
        <div className="bulk-changed" data-testid="bulk-changed">
          <h3>{t("bulk.report.changed", { count: report.changed.length })}</h3>
          <RecordList records={report.changed} page={50} showState={true} />
        </div>
      )}
      {report.failures.length > 0 && (
        <div className="bulk-failures" data-testid="bulk-failures">
          <h3>{t("bulk.report.failures", { count: report.failures.length })}</h3>
          <RecordList records={report.failures} page={50} showState={false} />
        </div>
      )}
    </div>
  );
}
