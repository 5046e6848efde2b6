import type { BulkAction, LimitChange, ProxyStatusInput } from "../../api/types";
import { GIB } from "../accounts/accountForms";

export type ActionType = BulkAction["type"];

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The actions offered, in the order of the menu. */
export const ACTIONS: ActionType[] = [
  "enable",
  "disable",
  "extendExpiry",
  "setExpiry",
  "addTraffic",
  "setTrafficLimit",
  "resetTraffic",
  "attachInbounds",
  "detachInbounds",
  "addToGroup",
  "removeFromGroup",
  "applyTemplate",
  "revokeSubscription",
  "setCaps",
  "setStatus",
  "grantPermissions",
  "revokePermissions",
  "setPermissions",
  "delete",
];

/** Actions that lose something on the panel: the run button turns red. */
export const DESTRUCTIVE: ReadonlySet<ActionType> = new Set<ActionType>([
  "delete",
  "resetTraffic",
  "revokeSubscription",
  "setPermissions",
]);

export type CapMode = LimitChange["type"];

/** The form as typed: every input of every action, as text, so nothing is lost on switching. */
export type ActionDraft = {
  type: ActionType;
  keepTraffic: boolean;
  days: string;
  expiryNever: boolean;
  /** `YYYY-MM-DDTHH:mm`, local time (an `<input type="datetime-local">`). */
  expiryAt: string;
  gib: string;
  limitUnlimited: boolean;
  inboundIds: string;
  group: string;
  templateId: string;
  usageCap: CapMode;
  usageCapGib: string;
  ipCap: CapMode;
  ipCapCount: string;
  status: ProxyStatusInput;
  permissions: string;
};

export const blankAction = (): ActionDraft => ({
  type: "enable",
  keepTraffic: false,
  days: "30",
  expiryNever: false,
  expiryAt: "",
  gib: "",
  limitUnlimited: false,
  inboundIds: "",
  group: "",
  templateId: "",
  usageCap: "keep",
  usageCapGib: "",
  ipCap: "keep",
  ipCapCount: "",
  status: "active",
  permissions: "",
});

/** Persian and Arabic-Indic digits as ASCII, so numbers typed on those keyboards parse. */
export function asciiDigits(text: string): string {
  return text
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u066B]/g, ".");
}

/** A whole number in [min, max], or null. */
export function parseCount(text: string, min: number, max: number): number | null {
  const s = asciiDigits(text).trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** Gibibytes (decimal point or comma) to bytes, more than zero; or null. */
export function gibToPositiveBytes(text: string): number | null {
  const s = asciiDigits(text).trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return null;
  const bytes = Math.round(Number(s) * GIB);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null;
}

/** Numbers separated by commas or spaces; null when any is not a positive whole number. */
export function parseIdList(text: string): number[] | null {
  const parts = asciiDigits(text)
    .split(/[\s,،]+/)
    .filter((p) => p !== "");
  const ids = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  return ids.every((n) => Number.isSafeInteger(n) && n > 0) ? [...new Set(ids)] : null;
}

/** A comma list of names (permission keys): trimmed, empty ones and repeats dropped. */
export function parseNameList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,،\n]+/)
        .map((p) => p.trim())
        .filter((p) => p !== ""),
    ),
  ];
}

/** Local `YYYY-MM-DDTHH:mm` to epoch ms, or null. */
export function localDateTimeToMs(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(text)) return null;
  const ms = new Date(text.includes("T") ? text : `${text}T00:00`).getTime();
  return Number.isFinite(ms) ? ms : null;
}

const MAX_DAYS = 36_500;
const MAX_IDS = 2_147_483_647;

function cap(mode: CapMode, value: number | null): LimitChange | null {
  if (mode === "keep") return { type: "keep" };
  if (mode === "unlimited") return { type: "unlimited" };
  return value === null ? null : { type: "to", value };
}

/** The problems of the draft, by field name (the same names Rust's field errors use). */
export function actionProblems(d: ActionDraft, t: Translate): Record<string, string> {
  const p: Record<string, string> = {};
  switch (d.type) {
    case "extendExpiry":
      if (parseCount(d.days, 1, MAX_DAYS) === null) p.days = t("bulk.invalid.days", { max: MAX_DAYS });
      break;
    case "setExpiry":
      if (!d.expiryNever && localDateTimeToMs(d.expiryAt) === null) p.ms = t("bulk.invalid.date");
      break;
    case "addTraffic":
      if (gibToPositiveBytes(d.gib) === null) p.bytes = t("bulk.invalid.gib");
      break;
    case "setTrafficLimit":
      if (!d.limitUnlimited && gibToPositiveBytes(d.gib) === null) p.bytes = t("bulk.invalid.gib");
      break;
    case "attachInbounds":
    case "detachInbounds": {
      const ids = parseIdList(d.inboundIds);
      if (ids === null || ids.length === 0) p.inboundIds = t("bulk.invalid.inboundIds");
      break;
    }
    case "addToGroup":
      if (d.group.trim() === "") p.group = t("bulk.invalid.group");
      break;
    case "applyTemplate":
      if (parseCount(d.templateId, 1, MAX_IDS) === null) p.templateId = t("bulk.invalid.templateId");
      break;
    case "setCaps":
      if (d.usageCap === "to" && gibToPositiveBytes(d.usageCapGib) === null) p.usageCapBytes = t("bulk.invalid.gib");
      if (d.ipCap === "to" && parseCount(d.ipCapCount, 1, MAX_IDS) === null) p.ipUsageCap = t("bulk.invalid.ipCap");
      if (d.usageCap === "keep" && d.ipCap === "keep") p.caps = t("bulk.invalid.capsKeep");
      break;
    case "grantPermissions":
    case "revokePermissions":
    case "setPermissions":
      if (parseNameList(d.permissions).length === 0) p.permissions = t("bulk.invalid.permissions");
      break;
    default:
      break;
  }
  return p;
}

/** The action the draft describes; call only when `actionProblems` is empty. */
export function toAction(d: ActionDraft): BulkAction {
  const must = <T>(v: T | null): T => {
    if (v === null) throw new Error(`invalid ${d.type} input`);
    return v;
  };
  switch (d.type) {
    case "delete":
      return { type: "delete", keepTraffic: d.keepTraffic };
    case "extendExpiry":
      return { type: "extendExpiry", days: must(parseCount(d.days, 1, MAX_DAYS)) };
    case "setExpiry":
      return { type: "setExpiry", ms: d.expiryNever ? null : must(localDateTimeToMs(d.expiryAt)) };
    case "addTraffic":
      return { type: "addTraffic", bytes: must(gibToPositiveBytes(d.gib)) };
    case "setTrafficLimit":
      return { type: "setTrafficLimit", bytes: d.limitUnlimited ? null : must(gibToPositiveBytes(d.gib)) };
    case "attachInbounds":
    case "detachInbounds":
      return { type: d.type, inboundIds: must(parseIdList(d.inboundIds)) };
    case "addToGroup":
      return { type: "addToGroup", group: d.group.trim() };
    case "applyTemplate":
      return { type: "applyTemplate", templateId: must(parseCount(d.templateId, 1, MAX_IDS)) };
    case "setCaps":
      return {
        type: "setCaps",
        usageCapBytes: must(cap(d.usageCap, gibToPositiveBytes(d.usageCapGib))),
        ipUsageCap: must(cap(d.ipCap, parseCount(d.ipCapCount, 1, MAX_IDS))),
      };
    case "setStatus":
      return { type: "setStatus", status: d.status };
    case "grantPermissions":
    case "revokePermissions":
    case "setPermissions":
      return { type: d.type, permissions: parseNameList(d.permissions) };
    case "enable":
    case "disable":
    case "resetTraffic":
    case "removeFromGroup":
    case "revokeSubscription":
      return { type: d.type };
  }
}
