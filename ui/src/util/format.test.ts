import { describe, expect, it } from "vitest";

import { formatBytes, formatRelative, usageShare } from "./format";

describe("formatBytes", () => {
  it("uses binary units with sensible precision", () => {
    expect(formatBytes(0, "en")).toBe("0 B");
    expect(formatBytes(1023, "en")).toBe("1,023 B");
    expect(formatBytes(1536, "en")).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 ** 3, "en")).toBe("10 GiB");
    expect(formatBytes(123.4 * 1024 ** 4, "en")).toBe("123 TiB");
  });
});

describe("formatRelative", () => {
  const now = Date.UTC(2026, 0, 10);
  it("speaks in the largest fitting unit", () => {
    expect(formatRelative(now + 3 * 24 * 3600 * 1000, now, "en")).toBe("in 3 days");
    expect(formatRelative(now - 2 * 3600 * 1000, now, "en")).toBe("2 hours ago");
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
