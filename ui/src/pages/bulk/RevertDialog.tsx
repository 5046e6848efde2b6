import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { revertPlan } from "../../api/bulk";
import { toApiError } from "../../api/client";
import type { OpId } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { RunView } from "./BulkRunPanel";
import { titleText } from "./describe";

/** Reverting an operation of the history: the plan that puts its before-values back, previewed, then run. */
export function RevertDialog({ opId, onClose }: { opId: OpId; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // A plan is journaled each time one is made: made once per dialog, never refetched.
  const plan = useQuery({ queryKey: ["bulk", "revert", opId], queryFn: () => revertPlan(opId), staleTime: Infinity, gcTime: 0, retry: false });
  return (
    <Dialog
      wide
      title={plan.data ? titleText(plan.data.title, t, i18n.language) : t("operations.revert")}
      onClose={onClose}
      footer={
        plan.data ? undefined : (
          <button type="button" onClick={onClose}>
            {t("common.close")}
          </button>
        )
      }
    >
      {plan.error ? (
        <ErrorNotice error={toApiError(plan.error)} />
      ) : plan.data ? (
        <RunView plan={plan.data} onClose={onClose} />
      ) : (
        <p className="muted">{t("app.loading")}</p>
      )}
    </Dialog>
  );
}
