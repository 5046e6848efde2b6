// Every value, field and title the backend sends for plans and history is worded by the UI:
// in Russian and Persian no key is missing and no English word reaches the page. The cases
// come from the generated bindings' unions, so a new variant without a translation fails.
import { afterAll, describe, expect, it } from "vitest";

import type { Field, FieldValue, ItemOutcome, OpTitle, OpWhat, SkipReason } from "../../api/types";
import bindings from "../../bindings?raw";
import i18n from "../../i18n";
import { errorHeadline, fieldLabel, fieldValue, itemOutcomeText, titleText } from "./describe";

/** The bindings without their doc comments (which may hold quotes and semicolons). */
const source = bindings.replace(/\/\*[\s\S]*?\*\//g, "");

/** A type's right-hand side (members are separated by "; " within a line, so it ends at ";\n"). */
const declaration = (name: string) => new RegExp(`export type ${name} = ([\\s\\S]*?);\n`).exec(source)?.[1] ?? "";

/** The members of a string union `export type Name = "a" | "b";`. */
const literals = (name: string) => [...declaration(name).matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");

/** The `type` tags of a tagged union `export type Name = { type: "a" … } | …;`. */
const tags = (name: string) => [...declaration(name).matchAll(/type: "([^"]+)"/g)].map((m) => m[1] ?? "");

// Data in the fixtures has no English words, so any found in the output is the UI's.
const VALUES: Record<FieldValue["type"], FieldValue[]> = {
  bytes: [{ type: "bytes", bytes: 1536 * 1024 * 1024 }],
  moment: [{ type: "moment", ms: 1_795_425_000_000 }],
  span: [{ type: "span", ms: 3 * 86_400_000 }],
  days: [
    { type: "days", days: 1 },
    { type: "days", days: 5 },
  ],
  count: [{ type: "count", count: 3 }],
  toggle: [
    { type: "toggle", on: true },
    { type: "toggle", on: false },
  ],
  word: literals("ValueWord").map((word) => ({ type: "word", word }) as FieldValue),
  fromTemplate: [{ type: "fromTemplate", templateId: 4 }],
  kept: [{ type: "kept", secrets: literals("KeptSecret") as never }],
  text: [{ type: "text", text: "g-7" }],
  list: [{ type: "list", items: ["1", "4"] }],
  status: literals("AccountStatus").map((status) => ({ type: "status", status }) as FieldValue),
};

/** An action as a title sends it back. */
type SentAction = Extract<OpWhat, { type: "change" }>["action"];

const ACTIONS: Record<SentAction["type"], SentAction[]> = {
  enable: [{ type: "enable" }],
  disable: [{ type: "disable" }],
  delete: [
    { type: "delete", keepTraffic: false },
    { type: "delete", keepTraffic: true },
  ],
  extendExpiry: [{ type: "extendExpiry", days: 30 }],
  setExpiry: [
    { type: "setExpiry", ms: 1_795_425_000_000 },
    { type: "setExpiry", ms: null },
  ],
  addTraffic: [{ type: "addTraffic", bytes: 1 << 30 }],
  setTrafficLimit: [
    { type: "setTrafficLimit", bytes: 1 << 30 },
    { type: "setTrafficLimit", bytes: null },
  ],
  resetTraffic: [{ type: "resetTraffic" }],
  attachInbounds: [{ type: "attachInbounds", inboundIds: [1, 4] }],
  detachInbounds: [{ type: "detachInbounds", inboundIds: [2] }],
  addToGroup: [{ type: "addToGroup", group: "g-7" }],
  removeFromGroup: [{ type: "removeFromGroup" }],
  applyTemplate: [{ type: "applyTemplate", templateId: 4 }],
  revokeSubscription: [{ type: "revokeSubscription" }],
  setCaps: [{ type: "setCaps", usageCapBytes: { type: "keep" }, ipUsageCap: { type: "unlimited" } }],
  setStatus: [
    { type: "setStatus", status: "active" },
    { type: "setStatus", status: "disabled" },
  ],
  grantPermissions: [{ type: "grantPermissions", permissions: ["control.start"] }],
  revokePermissions: [{ type: "revokePermissions", permissions: ["control.start"] }],
  setPermissions: [{ type: "setPermissions", permissions: ["control.start"] }],
};

const WHATS: Record<Exclude<OpWhat["type"], "text">, OpWhat[]> = {
  change: Object.values(ACTIONS)
    .flat()
    .map((action) => ({ type: "change", action })),
  create: [{ type: "create", names: 250 }],
  addPerson: [{ type: "addPerson", email: "x@y.z", servers: 3 }],
  removePerson: [{ type: "removePerson", email: "x@y.z" }],
  // Every operation a detail-pane action journals.
  account: ["enable", "disable", "resetTraffic", "delete", "clearIps", "revokeSubscription", "regeneratePassword", "setPermissions", "edit", "create"].map(
    (op) => ({ type: "account", op, name: "u-7" }),
  ),
  import: [{ type: "import", file: "a-1.db", panel: "p-1" }],
  migrate: [{ type: "migrate", from: "p-1", to: "p-2" }],
  revert: [
    { type: "revert", of: "op-1", original: { what: { type: "change", action: { type: "extendExpiry", days: 30 } }, accounts: 12, panels: 2 } },
    { type: "revert", of: "op-2", original: { what: { type: "account", op: "disable", name: "u-7" }, accounts: 1, panels: 1 } },
  ],
};

/** The `code` tags of a union `export type Name = { code: "a" … } | …;`. */
const codes = (name: string) => [...declaration(name).matchAll(/code: "([^"]+)"/g)].map((m) => m[1] ?? "");

/** One fixture per code; `tsc` fails when Rust adds a code without one here. */
type Fixtures<U extends { code: string }> = { [C in U["code"]]: Extract<U, { code: C }> };

const OUTCOMES: Fixtures<ItemOutcome> = {
  action: { code: "action", outcome: { code: "clientEnabled" } },
  notSent: { code: "notSent" },
  alreadyDeleted: { code: "alreadyDeleted" },
  alreadyCreated: { code: "alreadyCreated" },
  nothingToDo: { code: "nothingToDo", reason: "42" },
  enabled: { code: "enabled" },
  disabled: { code: "disabled" },
  deleted: { code: "deleted" },
  trafficReset: { code: "trafficReset" },
  expiryExtended: { code: "expiryExtended", days: 30 },
  trafficLimitRaised: { code: "trafficLimitRaised" },
  inboundsAttached: { code: "inboundsAttached" },
  inboundsDetached: { code: "inboundsDetached" },
  addedToGroup: { code: "addedToGroup", group: "g-7" },
  removedFromGroup: { code: "removedFromGroup" },
  created: { code: "created" },
  expirySet: { code: "expirySet" },
  trafficLimitSet: { code: "trafficLimitSet" },
  trafficSet: { code: "trafficSet" },
  templateApplied: { code: "templateApplied", template: "t-4" },
  // An older journal's sentence, shown as it is.
  text: { code: "text", text: "g-7" },
};

/** Words that are the same in every language (units, acronyms). */
const SHARED = new Set(["GiB", "MiB", "KiB", "TiB", "UUID"]);

describe("bulk words in every language", () => {
  afterAll(() => void i18n.changeLanguage("en"));

  it("has fixtures for every variant the backend sends", () => {
    expect(Object.keys(VALUES).sort()).toEqual(tags("FieldValue").sort());
    expect(Object.keys(ACTIONS).sort()).toEqual(tags("BulkAction_Serialize").sort());
    expect([...Object.keys(WHATS), "text"].sort()).toEqual(tags("OpWhat_Serialize").sort());
    expect(literals("Field_Serialize").length).toBeGreaterThan(10);
    expect(Object.keys(OUTCOMES).sort()).toEqual(codes("ItemOutcome").sort());
    expect(literals("SkipReason").length).toBeGreaterThan(5);
  });

  it.each(["ru", "fa"])("words plans and titles in %s", async (lng) => {
    await i18n.changeLanguage(lng);
    const missing: string[] = [];
    const fixed = i18n.getFixedT(lng);
    const t = (key: string, options?: Record<string, unknown>) => {
      if (!i18n.exists(key, { ...options, lng, fallbackLng: false })) missing.push(key);
      return fixed(key, options);
    };
    const shown: string[] = [];
    for (const field of literals("Field_Serialize") as Field[]) {
      shown.push(fieldLabel(field, t), fieldValue(field, null, t, lng));
      for (const v of Object.values(VALUES).flat()) shown.push(fieldValue(field, v, t, lng));
    }
    for (const outcome of Object.values(OUTCOMES)) shown.push(itemOutcomeText(outcome, t, lng));
    const exists = (key: string) => i18n.exists(key, { lng, fallbackLng: false });
    for (const reason of literals("SkipReason") as SkipReason[]) shown.push(errorHeadline(reason, t, exists) ?? "");
    for (const what of Object.values(WHATS).flat()) {
      const title: OpTitle = { what, accounts: 3, panels: 2 };
      shown.push(titleText(title, t, lng));
    }
    expect(missing).toEqual([]);
    const english = shown.flatMap((s) => s.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !SHARED.has(w));
    // Permission keys are data ("control.start").
    expect(english.filter((w) => w !== "control" && w !== "start")).toEqual([]);
  });
});
