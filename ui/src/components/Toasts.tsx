import { Toast } from "radix-ui";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type ToastTone = "ok" | "error" | "info";
type Shown = { id: number; text: string; tone: ToastTone };

const ToastContext = createContext<((text: string, tone?: ToastTone) => void) | null>(null);

/**
 * Short confirmations ("Copied", "Sync started") in a Radix toast region: announced to screen
 * readers, reachable with F8, gone after a few seconds.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [shown, setShown] = useState<Shown[]>([]);
  const show = useCallback((text: string, tone: ToastTone = "info") => {
    setShown((s) => [...s.slice(-2), { id: Date.now() + Math.random(), text, tone }]);
  }, []);
  const rtl = i18n.dir(i18n.language) === "rtl";
  return (
    <ToastContext.Provider value={show}>
      <Toast.Provider duration={3500} swipeDirection={rtl ? "left" : "right"} label={t("win.toast.region")}>
        {children}
        {shown.map((s) => (
          <Toast.Root
            key={s.id}
            className={`toast ${s.tone}`}
            type={s.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => !open && setShown((all) => all.filter((x) => x.id !== s.id))}
            data-testid="toast"
          >
            <Toast.Description>{s.text}</Toast.Description>
            <Toast.Close className="toast-close" aria-label={t("common.close")}>
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

/** Shows a toast; outside a provider (unit tests of one component) it does nothing. */
export function useToast(): (text: string, tone?: ToastTone) => void {
  const show = useContext(ToastContext);
  return useMemo(() => show ?? (() => undefined), [show]);
}
