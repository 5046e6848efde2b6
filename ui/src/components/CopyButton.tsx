import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { copyText } from "../api/transfer";
import { Tip } from "./Tip";
import { useToast } from "./Toasts";

type Props = {
  text: string;
  /** What is copied ("UUID"): makes a small icon button with this as its name and tooltip. */
  what?: string;
  testId?: string;
};

/** Copies `text`; says "Copied" for a moment (and in a toast), or that copying failed. */
export function CopyButton({ text, what, testId = "link-copy" }: Props) {
  const { t } = useTranslation();
  const toast = useToast();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = () =>
    void copyText(text).then((ok) => {
      setState(ok ? "copied" : "failed");
      if (what) toast(ok ? t("win.copied", { what }) : t("links.copyFailed"), ok ? "ok" : "error");
    });
  if (what) {
    const name = t("win.copyWhat", { what });
    return (
      <Tip label={name}>
        <button type="button" className={"icon-button" + (state === "copied" ? " copied" : "")} aria-label={name} data-testid={testId} onClick={copy}>
          <span aria-hidden>{state === "copied" ? "✓" : "⧉"}</span>
        </button>
      </Tip>
    );
  }
  return (
    <button type="button" data-testid={testId} className={state === "copied" ? "copied" : undefined} onClick={copy}>
      <span aria-live="polite">
        {state === "copied" ? t("links.copied") : state === "failed" ? t("links.copyFailed") : t("links.copy")}
      </span>
    </button>
  );
}
