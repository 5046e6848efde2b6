import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useBulkHistory } from "../../api/bulk";

const DISMISSED = "paneldeck.interruptedDismissed";

function dismissedIds(): string {
  try {
    return sessionStorage.getItem(DISMISSED) ?? "";
  } catch {
    return "";
  }
}

/**
 * On the accounts page: operations a previous run of the app left unfinished (a crash, a
 * kill), with a way to the operations page to resume them. Dismissed until another one appears.
 */
export function InterruptedNotice() {
  const { t } = useTranslation();
  const history = useBulkHistory();
  const [dismissed, setDismissed] = useState(dismissedIds);
  const ids = (history.data ?? [])
    .filter((o) => o.interrupted)
    .map((o) => o.opId)
    .join(",");
  if (ids === "" || ids === dismissed) return null;
  const count = ids.split(",").length;
  return (
    <div className="notice warn bulk-interrupted" role="status" data-testid="bulk-interrupted-notice">
      <strong>{t("operations.interruptedNotice", { count })}</strong>
      <span className="button-row">
        <a className="button" href="#/operations" data-testid="bulk-interrupted-open">
          {t("operations.openToResume")}
        </a>
        <button
          type="button"
          className="link"
          onClick={() => {
            try {
              sessionStorage.setItem(DISMISSED, ids);
            } catch {
              // not kept across reloads then
            }
            setDismissed(ids);
          }}
        >
          {t("operations.dismiss")}
        </button>
      </span>
    </div>
  );
}
