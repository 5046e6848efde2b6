import { describe, expect, it } from "vitest";

import { formatBytes, formatDateTime, formatRelative, formatSeconds, usageShare } from "./format";

describe("formatBytes", () => {
  it("uses binary units with sensible precision", () => {
    expect(formatBytes(0, "en")).toBe("0 B");
    expect(formatBytes(1023, "en")).toBe("1,023 B");
    expect(formatBytes(1536, "en")).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 ** 3, "en")).toBe("10 GiB");
    expect(formatBytes(123.4 * 1024 ** 4, "en")).toBe("123 TiB");
  });
  it("writes numbers in each locale's digits, whichever locale formatted first", () => {
    for (const locale of ["en", "ru", "fa", "en"]) {
      expect(formatBytes(1536, locale)).toBe(`${(1.5).toLocaleString(locale, { maximumFractionDigits: 2 })} KiB`);
      expect(formatBytes(12345, locale)).toBe(`${(12345 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} KiB`);
    }
  });
});

describe("formatDateTime", () => {
  it("matches Date.toLocaleString in every UI locale", () => {
    const ms = Date.UTC(2026, 0, 10, 15, 4, 5);
    for (const locale of ["en", "ru", "fa"]) {
      expect(formatDateTime(ms, locale)).toBe(new Date(ms).toLocaleString(locale));
    }
  });
});

describe("formatRelative", () => {
  const now = Date.UTC(2026, 0, 10);
  it("speaks in the largest fitting unit", () => {
    expect(formatRelative(now + 3 * 24 * 3600 * 1000, now, "en")).toBe("in 3 days");
    expect(formatRelative(now - 2 * 3600 * 1000, now, "en")).toBe("2 hours ago");
  });
  it("keeps each locale's words apart", () => {
    const day = 24 * 3600 * 1000;
    for (const locale of ["en", "ru", "fa"]) {
      const expected = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(3, "day");
      expect(formatRelative(now + 3 * day, now, locale)).toBe(expected);
    }
  });
});

describe("usageShare", () => {
  it("is null for unlimited and capped at 1", () => {
    expect(usageShare(5, null)).toBeNull();
    expect(usageShare(5, 0)).toBeNull();
    expect(usageShare(5, 10)).toBe(0.5);
    expect(usageShare(50, 10)).toBe(1);
  });
});

describe("formatSeconds", () => {
  it("writes seconds with one decimal in the locale's digits", () => {
    expect(formatSeconds(3400, "en")).toBe("3.4");
    expect(formatSeconds(3400, "ru")).toBe("3,4");
    expect(formatSeconds(3400, "fa")).toBe("۳٫۴");
    expect(formatSeconds(12_000, "en")).toBe("12");
  });
});
