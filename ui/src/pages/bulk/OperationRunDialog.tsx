import { useTranslation } from "react-i18next";

import { useStoredOperation } from "../../api/bulk";
import { toApiError } from "../../api/client";
import type { OpId, RunMode } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { RunView } from "./BulkRunPanel";
import { titleText } from "./describe";

/** Resume or retry an operation of the history: its stored plan, run with live progress. */
export function OperationRunDialog({ opId, mode, onClose }: { opId: OpId; mode: RunMode; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { plan, status } = useStoredOperation(opId);
  const error = plan.error ?? status.error;
  return (
    <Dialog
      wide
      title={plan.data ? titleText(plan.data.title, t, i18n.language) : t(mode === "resume" ? "bulk.resume" : "bulk.retryTitle")}
      onClose={onClose}
      footer={
        plan.data && status.data ? undefined : (
          <button type="button" onClick={onClose}>
            {t("common.close")}
          </button>
        )
      }
    >
      {error ? (
        <ErrorNotice error={toApiError(error)} />
      ) : plan.data && status.data ? (
        <RunView plan={plan.data} initial={status.data} start={mode} onClose={onClose} />
      ) : (
        <p className="muted">{t("app.loading")}</p>
      )}
    </Dialog>
  );
}
