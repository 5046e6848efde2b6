import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { matchingKeys } from "../../api/accounts";
import { discardBulk, planBulk } from "../../api/bulk";
import { toApiError } from "../../api/client";
import { cancelJob, newJobId, useJobStep } from "../../api/jobs";
import type { AccountQuery, ApiError, BulkPlan } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { JobProgress } from "../../components/JobProgress";
import { resolveSelection, type Selection } from "../accounts/selection";
import { fieldErrorText } from "../../i18n/backendText";
import { ActionFields } from "./ActionFields";
import { actionProblems, blankAction, DESTRUCTIVE, toAction, type ActionDraft } from "./actions";
import { RunView } from "./BulkRunPanel";

type Props = {
  /** The accounts page's selection; `allMatching` is relative to `query`. */
  selection: Selection;
  query: AccountQuery;
  /** How many accounts the selection holds (for the heading). */
  count: number;
  /** The action to start from (the palette's "extend selected by 30 days"). */
  initial?: ActionDraft;
  onClose: () => void;
};

/** Pick an action for the selected accounts, preview its plan, then run it. */
export function BulkDialog({ selection, query, count, initial, onClose }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ActionDraft>(() => initial ?? blankAction());
  const [touched, setTouched] = useState(false);
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [planning, setPlanning] = useState(false);
  // The preview of many accounts takes seconds: its steps show, and Cancel stops it.
  const [jobId, setJobId] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const step = useJobStep(jobId);
  // A plan that was never run is discarded when the dialog closes.
  const started = useRef(false);

  const local = actionProblems(draft, t);
  const errors = (field: string) =>
    (touched ? local[field] : undefined) ?? fieldErrorText(t, error, field);
  const set = <K extends keyof ActionDraft>(key: K, value: ActionDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setError(null);
  };

  const preview = async () => {
    setTouched(true);
    if (Object.keys(local).length > 0) return;
    setPlanning(true);
    setError(null);
    setCancelled(false);
    setCancelling(false);
    const id = newJobId();
    setJobId(id);
    try {
      const { selection: accounts } = await resolveSelection(selection, query, count, matchingKeys);
      setPlan(await planBulk({ type: "change", selection: accounts, action: toAction(draft) }, id));
      started.current = false;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "cancelled") setCancelled(true);
      else setError(err);
    } finally {
      setPlanning(false);
      setJobId(null);
    }
  };
  const cancelPreview = () => {
    if (jobId === null) return;
    setCancelling(true);
    void cancelJob(jobId);
  };

  // Kept in a ref so the dialog's close handler stays the same while the page re-renders
  // (the dialog moves focus whenever its handler changes).
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);
  const closeOnly = useCallback(() => onCloseRef.current(), []);
  const close = useCallback(() => {
    if (plan && !started.current) void discardBulk(plan.id).catch(() => undefined);
    // Closing while it plans stops the preview (no plan is kept).
    if (jobId !== null) void cancelJob(jobId);
    onCloseRef.current();
  }, [plan, jobId]);
  const onStarted = useCallback(() => {
    started.current = true;
  }, []);

  const everyMatch = selection.mode === "allMatching";
  return (
    <Dialog
      wide
      title={plan ? t(`bulk.actions.${draft.type}`) : t("bulk.title", { count })}
      onClose={close}
      footer={
        plan ? undefined : (
          <>
            <button type="button" onClick={close}>
              {t("common.cancel")}
            </button>
            <span className="spacer" />
            <button
              type="button"
              className={DESTRUCTIVE.has(draft.type) ? "primary danger" : "primary"}
              disabled={planning || (touched && Object.keys(local).length > 0)}
              onClick={() => void preview()}
              data-testid="bulk-preview"
            >
              {planning ? t("bulk.planning") : t("bulk.preview")}
            </button>
          </>
        )
      }
    >
      {plan ? (
        <RunView
          plan={plan}
          onClose={closeOnly}
          onStarted={onStarted}
          onBack={() => {
            setPlan(null);
            setError(null);
          }}
        />
      ) : (
        <>
          <p className="muted" data-testid="bulk-scope">
            {everyMatch ? t("bulk.scopeAllMatching", { count }) : t("bulk.scopeSelected", { count })}
          </p>
          <ActionFields draft={draft} set={set} errors={errors} />
          {DESTRUCTIVE.has(draft.type) && <p className="notice warn">{t(`bulk.warn.${draft.type}`)}</p>}
          {planning && step && (
            <JobProgress
              done={step.done}
              total={step.total}
              label={t(`job.phase.${step.phase}`)}
              onCancel={cancelPreview}
              cancelling={cancelling}
              testId="bulk-preview-progress"
            />
          )}
          {cancelled && (
            <p className="notice info" role="status" data-testid="bulk-preview-cancelled">
              {t("job.previewCancelled")}
            </p>
          )}
          {error && <ErrorNotice error={error} />}
        </>
      )}
    </Dialog>
  );
}
