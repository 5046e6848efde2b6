import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatCount } from "../util/format";

/** One reading of a job's progress: `done` steps at `at` ms. */
export type Sample = { at: number; done: number };

/** Throughput and time left; `null` until two readings far enough apart tell them. */
export type Rate = { perSecond: number | null; secondsLeft: number | null };

/** Readings older than this do not count: the pace shown is the recent one. */
const WINDOW_MS = 5000;
/** Readings closer together than this give no pace yet (it would jump about). */
const MIN_SPAN_MS = 250;

/** The pace over `samples` (oldest first) and, at that pace, the seconds until `total`. */
export function rateOf(samples: readonly Sample[], total: number | null): Rate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at - first.at < MIN_SPAN_MS || last.done <= first.done) {
    return { perSecond: null, secondsLeft: null };
  }
  const perSecond = ((last.done - first.done) * 1000) / (last.at - first.at);
  const secondsLeft = total === null ? null : Math.max(0, total - last.done) / perSecond;
  return { perSecond, secondsLeft };
}

/**
 * The pace of a job whose progress is `done` (of `total`), from the readings seen while this
 * component lived. A `done` below the last reading (a new phase) starts the readings over.
 */
export function useRate(done: number, total: number | null): Rate {
  const [samples, setSamples] = useState<Sample[]>([]);
  const last = samples[samples.length - 1];
  if (!last || done !== last.done) {
    // A new reading, kept during render (React's pattern for values from earlier renders). Its
    // time is what is stored; a render React throws away only leaves a reading out.
    // eslint-disable-next-line react-hooks/purity -- see above
    const now = performance.now();
    const recent = last && done < last.done ? [] : samples.filter((s) => now - s.at <= WINDOW_MS);
    const kept = recent.length === 0 && last && done >= last.done ? [last] : recent;
    setSamples([...kept, { at: now, done }]);
  }
  return rateOf(samples, total);
}

/** "8 s" / "3 min" in the UI language (minutes rounded up past a minute). */
export function formatDuration(seconds: number, locale: string): string {
  const [value, unit] = seconds < 60 ? [Math.max(1, Math.ceil(seconds)), "second"] : [Math.ceil(seconds / 60), "minute"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(value);
}

/** "3,400/s · about 29 s left" for a job at `done` of `total`, once its pace is known. */
export function usePaceText(done: number, total: number | null): string | null {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rate = useRate(done, total);
  const parts: string[] = [];
  if (rate.perSecond !== null) parts.push(t("job.rate", { rate: formatCount(Math.round(rate.perSecond), lang) }));
  if (rate.secondsLeft !== null) parts.push(t("job.left", { time: formatDuration(rate.secondsLeft, lang) }));
  return parts.length > 0 ? parts.join(t("common.sep")) : null;
}

type Props = {
  done: number;
  /** `null` while the job does not know its size yet (the bar is then indeterminate). */
  total: number | null;
  /** What the job is doing now ("Drawing QR codes"). */
  label: string;
  onCancel: () => void;
  cancelling: boolean;
  testId: string;
};

/**
 * A long job as it runs: a bar, "1,200 of 100,000 · 3,400/s · about 29 s left", and Cancel.
 * The pace and time left come from how fast `done` grows.
 */
export function JobProgress({ done, total, label, onCancel, cancelling, testId }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const pace = usePaceText(done, total);
  const share = total ? Math.min(1, done / total) : null;
  const parts = [
    total === null ? formatCount(done, lang) : t("job.count", { done: formatCount(done, lang), total: formatCount(total, lang) }),
  ];
  if (pace !== null) parts.push(pace);
  return (
    <div className="job-progress" data-testid={testId} role="group" aria-label={label}>
      <div className="job-progress-head">
        <span className="spinner" aria-hidden />
        <strong>{label}</strong>
        <span className="spacer" />
        <button type="button" onClick={onCancel} disabled={cancelling} data-testid={`${testId}-cancel`}>
          {cancelling ? t("job.cancelling") : t("common.cancel")}
        </button>
      </div>
      <div
        className={share === null ? "bulk-bar job-bar indeterminate" : "bulk-bar job-bar"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total === null ? undefined : done}
      >
        <span className="bulk-bar-done" style={{ inlineSize: share === null ? "30%" : `${share * 100}%` }} />
      </div>
      <p className="muted small" aria-live="polite" data-testid={`${testId}-text`}>
        {parts.join(t("common.sep"))}
      </p>
    </div>
  );
}
