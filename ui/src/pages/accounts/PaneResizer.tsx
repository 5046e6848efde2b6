import { useCallback, useState, type KeyboardEvent, type PointerEvent } from "react";
import { useTranslation } from "react-i18next";

const KEY = "paneldeck.detail.width";
const MIN = 300;
const MAX = 640;
const DEFAULT = 360;
const clamp = (w: number) => Math.max(MIN, Math.min(MAX, Math.round(w)));

/** The detail pane's width, px, kept across restarts. */
export function usePaneWidth(): [number, (w: number) => void] {
  const [width, setWidth] = useState(() => clamp(Number(localStorage.getItem(KEY)) || DEFAULT));
  const set = useCallback((w: number) => {
    const next = clamp(w);
    localStorage.setItem(KEY, String(next));
    setWidth(next);
  }, []);
  return [width, set];
}

/**
 * The handle between the table and the detail pane: drag it, or focus it and press the arrow
 * keys. The pane is at the inline end, so its width grows as the handle moves toward the start.
 */
export function PaneResizer({ width, onWidth }: { width: number; onWidth: (w: number) => void }) {
  const { t, i18n } = useTranslation();
  const rtl = i18n.dir(i18n.language) === "rtl";
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startX = e.clientX;
    const startWidth = width;
    const move = (ev: globalThis.PointerEvent) => onWidth(startWidth + (rtl ? ev.clientX - startX : startX - ev.clientX));
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const toStart = rtl ? "ArrowRight" : "ArrowLeft";
    const toEnd = rtl ? "ArrowLeft" : "ArrowRight";
    if (e.key !== toStart && e.key !== toEnd) return;
    e.preventDefault();
    onWidth(width + (e.key === toStart ? 24 : -24));
  };
  return (
    <div
      className="pane-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={t("win.resizePane")}
      aria-valuemin={MIN}
      aria-valuemax={MAX}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      data-testid="pane-resizer"
    />
  );
}
