import { describe, expect, it } from "vitest";

import { resources } from "./resources";

const { en, ru, fa } = resources;

/** Every key path, with plural suffixes folded (languages have different plural forms). */
function keys(obj: object, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") keys(v as object, path).forEach((p) => out.add(p));
    else out.add(path.replace(/_(zero|one|two|few|many|other)$/, ""));
  }
  return out;
}

describe("translations", () => {
  const english = keys(en);
  it.each([
    ["ru", ru],
    ["fa", fa],
  ])("%s has exactly the English keys", (_, locale) => {
    const other = keys(locale);
    expect([...english].filter((k) => !other.has(k))).toEqual([]);
    expect([...other].filter((k) => !english.has(k))).toEqual([]);
  });

  it("has a message for every error code", async () => {
    const bindings = await import("../bindings?raw");
    const match = /export type ErrorCode = ([^;]+);/.exec(bindings.default);
    const codes = (match?.[1] ?? "").match(/"[a-z_]+"/g)?.map((c) => c.slice(1, -1)) ?? [];
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(english.has(`errors.${code}`), code).toBe(true);
  });
});
