// Intl formatters are expensive to construct (tens to hundreds of microseconds each in WebKit),
// and the accounts table formats several values per row on every scroll frame: every formatter
// is built once per locale and options, then reused.
const numberFormats = new Map<string, Intl.NumberFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** The formatter `cache` holds under `key`, made by `make` the first time. */
function reused<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function numberFormat(locale: string | undefined, maximumFractionDigits: number, useGrouping = true): Intl.NumberFormat {
  return reused(
    numberFormats,
    `${locale ?? ""}|${maximumFractionDigits}|${useGrouping}`,
    () => new Intl.NumberFormat(locale, { maximumFractionDigits, useGrouping }),
  );
}

/** Any number in the locale's digits (up to 3 decimals, as Intl writes it by default); no
 * grouping for what names rather than counts (a line, an id). */
export function formatNumber(n: number, locale?: string, grouping = true): string {
  return numberFormat(locale, 3, grouping).format(n);
}

function relativeFormat(locale: string | undefined): Intl.RelativeTimeFormat {
  return reused(relativeFormats, locale ?? "", () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
}

function dateTimeFormat(locale: string | undefined): Intl.DateTimeFormat {
  // The options `Date.prototype.toLocaleString(locale)` uses when given none.
  return reused(
    dateTimeFormats,
    locale ?? "",
    () =>
      new Intl.DateTimeFormat(locale, {
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      }),
  );
}

/** Bytes in binary units (the unit panels use for quotas), e.g. 1.5 GiB. */
export function formatBytes(bytes: number, locale?: string): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${numberFormat(locale, digits).format(value)} ${units[unit]}`;
}

/** A count with the locale's digit grouping: 100,000 / 100 000 / ۱۰۰٬۰۰۰. */
export function formatCount(n: number, locale?: string): string {
  return numberFormat(locale, 0).format(n);
}

/** Milliseconds as seconds with one decimal, in the locale's digits: 3.4 / 3,4 / ۳٫۴. */
export function formatSeconds(ms: number, locale?: string): string {
  return numberFormat(locale, 1).format(ms / 1000);
}

/** Date and time, as `new Date(ms).toLocaleString(locale)` writes it. */
export function formatDateTime(ms: number, locale?: string): string {
  return dateTimeFormat(locale).format(ms);
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600 * 1000],
  ["month", 30 * 24 * 3600 * 1000],
  ["day", 24 * 3600 * 1000],
  ["hour", 3600 * 1000],
  ["minute", 60 * 1000],
];

/** "in 3 days", "2 hours ago", in the UI language. */
export function formatRelative(ms: number, now: number, locale?: string): string {
  const diff = ms - now;
  const rtf = relativeFormat(locale);
  for (const [unit, size] of STEPS) {
    if (Math.abs(diff) >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(Math.round(diff / 1000), "second");
}

/** A share 0..1 of used against a limit, or null when unlimited. */
export function usageShare(used: number, limit: number | null): number | null {
  if (limit === null || limit <= 0) return null;
  return Math.min(1, used / limit);
}
