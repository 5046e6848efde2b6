import { useTranslation } from "react-i18next";

import { toApiError } from "../api/client";
import { openPanelInBrowser } from "../api/panels";
import type { PanelView } from "../api/types";
import { useToast } from "./Toasts";

/** Opens `panel` in the browser, or says in a toast why it could not. */
export function useOpenPanel(): (panel: Pick<PanelView, "id">) => void {
  const { t } = useTranslation();
  const toast = useToast();
  return (panel) => {
    openPanelInBrowser(panel.id).catch((e: unknown) => {
      const err = toApiError(e);
      toast(t("browser.failed", { error: `${t(`errors.${err.code}`)} ${err.message}` }), "error");
    });
  };
}

/** "Open in browser" for one panel (its page without any secret in the address). */
export function OpenPanelButton({ panel, compact = false }: { panel: PanelView; compact?: boolean }) {
  const { t } = useTranslation();
  const open = useOpenPanel();
  const label = t("browser.openPanel", { panel: panel.name });
  return (
    <button
      type="button"
      className={compact ? "icon-button" : undefined}
      onClick={() => open(panel)}
      aria-label={compact ? label : undefined}
      title={label}
      data-testid="open-panel"
    >
      {compact ? <span className="flip-rtl" aria-hidden>↗</span> : t("browser.open")}
    </button>
  );
}
