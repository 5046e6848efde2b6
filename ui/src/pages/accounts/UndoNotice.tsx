import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { revertPlan, runBulk } from "../../api/bulk";
import { toApiError } from "../../api/client";
import type { ApiError, OpId } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";

/** How long Undo is offered after a reversible change. */
export const UNDO_MS = 10_000;

type State = "offered" | "undoing" | "undone" | "nothing";

/**
 * After a reversible change from the detail pane (state, edit, permissions): what it did, and
 * Undo for a few seconds. Undo reverts the journaled operation, itself journaled, each account
 * read right before it is written.
 */
export function UndoNotice({ opId, text, onEnd }: { opId: OpId; text: string | null; onEnd: () => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>("offered");
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (state !== "offered") return;
    const timer = window.setTimeout(onEnd, UNDO_MS);
    return () => window.clearTimeout(timer);
  }, [state, onEnd]);
  const undo = async () => {
    setState("undoing");
    setError(null);
    try {
      const plan = await revertPlan(opId);
      if (plan.toChange === 0) {
        setState("nothing");
        return;
      }
      const report = await runBulk(plan.id, "execute");
      if (report.counts.failed > 0) setError(toApiError(report.failures[0]?.error?.detail ?? "failed"));
      setState("undone");
    } catch (e) {
      setError(toApiError(e));
      setState("offered");
    }
  };
  return (
    <div className="notice ok undo-notice" role="status" data-testid="undo-notice" data-state={state}>
      {state === "offered" || state === "undoing" ? (
        <>
          <span>{text ?? t("detail.undo.saved")}</span>
          <button type="button" className="link" disabled={state === "undoing"} onClick={() => void undo()} data-testid="undo-action">
            {t("detail.undo.button")}
          </button>
        </>
      ) : (
        <span>{t(state === "undone" ? "detail.undo.undone" : "detail.undo.nothing")}</span>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
