import { describe, expect, it } from "vitest";

import i18n from "../../i18n";
import type { ItemOp, SkipReason } from "../../api/types";
import { ACTIONS, actionProblems, blankAction, parseIdList, toAction, type ActionDraft } from "./actions";
import { fieldValue } from "./describe";

const t = i18n.getFixedT("en");
const draft = (d: Partial<ActionDraft>): ActionDraft => ({ ...blankAction(), ...d });
const valid = (d: ActionDraft) => Object.keys(actionProblems(d, t)).length === 0;

describe("bulk action drafts", () => {
  it("turns gigabytes (binary, comma or point, Persian digits) into bytes", () => {
    expect(toAction(draft({ type: "addTraffic", gib: "2.5" }))).toEqual({ type: "addTraffic", bytes: 2.5 * 1024 ** 3 });
    expect(toAction(draft({ type: "addTraffic", gib: "۱۰" }))).toEqual({ type: "addTraffic", bytes: 10 * 1024 ** 3 });
    expect(toAction(draft({ type: "setTrafficLimit", gib: "0,5" }))).toEqual({ type: "setTrafficLimit", bytes: 512 * 1024 ** 2 });
    expect(valid(draft({ type: "addTraffic", gib: "0" }))).toBe(false);
    expect(valid(draft({ type: "addTraffic", gib: "-1" }))).toBe(false);
    expect(valid(draft({ type: "setTrafficLimit", gib: "", limitUnlimited: true }))).toBe(true);
  });

  it("reads days and expiry dates", () => {
    expect(toAction(draft({ type: "extendExpiry", days: "30" }))).toEqual({ type: "extendExpiry", days: 30 });
    expect(valid(draft({ type: "extendExpiry", days: "0" }))).toBe(false);
    expect(valid(draft({ type: "extendExpiry", days: "1.5" }))).toBe(false);
    expect(toAction(draft({ type: "setExpiry", expiryAt: "2030-05-01T12:30" }))).toEqual({
      type: "setExpiry",
      ms: new Date(2030, 4, 1, 12, 30).getTime(),
    });
    expect(toAction(draft({ type: "setExpiry", expiryNever: true }))).toEqual({ type: "setExpiry", ms: null });
    expect(actionProblems(draft({ type: "setExpiry", expiryAt: "" }), t)).toEqual({ ms: "Pick a date and time." });
  });

  it("reads inbound ids and permission lists", () => {
    expect(parseIdList("1, 4 4,7")).toEqual([1, 4, 7]);
    expect(parseIdList("1, x")).toBeNull();
    expect(toAction(draft({ type: "detachInbounds", inboundIds: "3,5" }))).toEqual({ type: "detachInbounds", inboundIds: [3, 5] });
    expect(valid(draft({ type: "attachInbounds", inboundIds: " , " }))).toBe(false);
    expect(toAction(draft({ type: "grantPermissions", permissions: " control.start, control.console ,, control.start" }))).toEqual({
      type: "grantPermissions",
      permissions: ["control.start", "control.console"],
    });
    expect(valid(draft({ type: "setPermissions", permissions: " , " }))).toBe(false);
  });

  it("builds proxy caps, and refuses to change nothing", () => {
    expect(toAction(draft({ type: "setCaps", usageCap: "to", usageCapGib: "1", ipCap: "unlimited" }))).toEqual({
      type: "setCaps",
      usageCapBytes: { type: "to", value: 1024 ** 3 },
      ipUsageCap: { type: "unlimited" },
    });
    expect(toAction(draft({ type: "setCaps", usageCap: "keep", ipCap: "to", ipCapCount: "3" }))).toEqual({
      type: "setCaps",
      usageCapBytes: { type: "keep" },
      ipUsageCap: { type: "to", value: 3 },
    });
    expect(Object.keys(actionProblems(draft({ type: "setCaps" }), t))).toEqual(["caps"]);
    expect(Object.keys(actionProblems(draft({ type: "setCaps", ipCap: "to", ipCapCount: "0" }), t))).toEqual(["ipUsageCap"]);
  });

  it("trims the group and keeps the delete option", () => {
    expect(toAction(draft({ type: "addToGroup", group: "  vip " }))).toEqual({ type: "addToGroup", group: "vip" });
    expect(valid(draft({ type: "addToGroup", group: "   " }))).toBe(false);
    expect(toAction(draft({ type: "delete", keepTraffic: true }))).toEqual({ type: "delete", keepTraffic: true });
    expect(toAction(draft({ type: "setStatus", status: "disabled" }))).toEqual({ type: "setStatus", status: "disabled" });
    expect(toAction(draft({ type: "applyTemplate", templateId: "12" }))).toEqual({ type: "applyTemplate", templateId: 12 });
  });
});

describe("bulk texts", () => {
  it("names every action, op and skip reason in every language", () => {
    // Records, so a new op or reason in the bindings fails to compile here until it is named.
    const ops: Record<ItemOp["type"], true> = {
      enable: true, disable: true, delete: true, resetTraffic: true, setExpiry: true, setTrafficLimit: true,
      attachInbounds: true, detachInbounds: true, setGroup: true, applyTemplate: true, revokeSubscription: true,
      edit: true, create: true, clearIps: true, regeneratePassword: true, setPermissions: true, setTraffic: true,
    };
    const reasons: Record<SkipReason, true> = {
      unsupported: true, unlimited_expiry: true, unlimited_traffic: true, not_found: true, already_exists: true,
      no_change: true, invalid_input: true, changed_on_panel: true, irreversible: true, blocked_by_provider: true,
    };
    const keys = [
      ...ACTIONS.flatMap((a) => [`bulk.actions.${a}`, `bulk.hint.${a}`]),
      ...Object.keys(ops).map((o) => `bulk.op.${o}`),
      ...Object.keys(reasons).map((r) => `bulk.skip.${r}`),
    ];
    for (const lng of ["en", "ru", "fa"]) {
      for (const key of keys) expect(i18n.exists(key, { lng, fallbackLng: false }), `${lng}: ${key}`).toBe(true);
    }
  });

  it("words a missing value by what the field means", () => {
    expect(fieldValue("limit", null, t, "en")).toBe("unlimited");
    expect(fieldValue("expiry", null, t, "en")).toBe("never");
    expect(fieldValue("group", null, t, "en")).toBe("no group");
    expect(fieldValue("enabled", { type: "toggle", on: false }, t, "en")).toBe("disabled");
    expect(fieldValue("limit", { type: "bytes", bytes: 10 * 1024 ** 3 }, t, "en")).toBe("10 GiB");
  });
});
