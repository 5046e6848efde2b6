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

/** Two sheets, one over the other (the system fonts have no such glyph). */
function CopyIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h1" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M3 8.5l3 3 7-7" />
    </svg>
  );
}

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
          {state === "copied" ? <CheckIcon /> : <CopyIcon />}
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
