import { Direction, Tooltip } from "radix-ui";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { ToastProvider } from "./Toasts";

/** Fields whose own menu (cut, copy, paste) stays: text being edited. */
function editable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, [contenteditable=true]") !== null;
}

/**
 * What every screen shares: the reading direction for Radix's menus and popovers, tooltips'
 * timing, toasts — and no webview menu (Back, Reload, Inspect) on right-click, which only a
 * browser page would want; our own menus open instead where they exist.
 */
export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  useEffect(() => {
    const suppress = (e: MouseEvent) => {
      if (!e.defaultPrevented && !editable(e.target)) e.preventDefault();
    };
    document.addEventListener("contextmenu", suppress);
    return () => document.removeEventListener("contextmenu", suppress);
  }, []);
  return (
    <Direction.Provider dir={i18n.dir(i18n.language)}>
      <Tooltip.Provider delayDuration={400}>
        <ToastProvider>{children}</ToastProvider>
      </Tooltip.Provider>
    </Direction.Provider>
  );
}
