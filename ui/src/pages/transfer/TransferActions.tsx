import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

import { matchingKeys } from "../../api/accounts";
import { toApiError } from "../../api/client";
import type { AccountQuery, ApiError, PanelView } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { hasPicked, resolveSelection, type ResolvedSelection, type Selection } from "../accounts/selection";
import { ExportDialog } from "./ExportDialog";
import { ImportDialog } from "./ImportDialog";
import { MigrateDialog } from "./MigrateDialog";

type Props = {
  selection: Selection;
  query: AccountQuery;
  /** Accounts the filter matches (for "all N matching"). */
  matched: number;
  panels: PanelView[];
};

type Open =
  | { dialog: "export"; resolved: ResolvedSelection }
  | { dialog: "import" }
  | { dialog: "migrate"; resolved: ResolvedSelection | null };

/** The accounts page's "Export…", "Import…" and "Migrate…" buttons and their dialogs. */
export function TransferActions({ selection, query, matched, panels }: Props) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<Open | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // Stable: a dialog re-focuses its first field whenever its onClose changes.
  const close = useCallback(() => setOpen(null), []);

  const describe = (r: ResolvedSelection) =>
    r.scope === "selected"
      ? t("exportDialog.scopeSelected", { count: r.count, n: r.count.toLocaleString(i18n.language) })
      : t("exportDialog.scopeMatching", { count: r.count, n: r.count.toLocaleString(i18n.language) });

  const resolve = async (then: (r: ResolvedSelection) => Open) => {
    setBusy(true);
    setError(null);
    try {
      setOpen(then(await resolveSelection(selection, query, matched, matchingKeys)));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        disabled={busy || matched === 0}
        onClick={() => void resolve((resolved) => ({ dialog: "export", resolved }))}
        data-testid="open-export"
      >
        {t("exportDialog.open")}
      </button>
      <button type="button" disabled={panels.length === 0} onClick={() => setOpen({ dialog: "import" })} data-testid="open-import">
        {t("importDialog.open")}
      </button>
      <button
        type="button"
        disabled={busy || panels.length < 2}
        title={panels.length < 2 ? t("migrate.needsTwo") : undefined}
        onClick={() =>
          hasPicked(selection)
            ? void resolve((resolved) => ({ dialog: "migrate", resolved }))
            : setOpen({ dialog: "migrate", resolved: null })
        }
        data-testid="open-migrate"
      >
        {t("migrate.open")}
      </button>
      {error && <ErrorNotice error={error} />}
      {open?.dialog === "export" && (
        <ExportDialog selection={open.resolved.selection} description={describe(open.resolved)} onClose={close} />
      )}
      {open?.dialog === "import" && <ImportDialog panels={panels} onClose={close} />}
      {open?.dialog === "migrate" && (
        <MigrateDialog
          panels={panels}
          selected={open.resolved && { selection: open.resolved.selection, description: describe(open.resolved) }}
          onClose={close}
        />
      )}
    </>
  );
}
