import type { ItemOp } from "../../api/types";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Fields the plan names (Rust's `plan.rs`); any other is shown as Rust wrote it. */
const FIELDS = [
  "account",
  "enabled",
  "expiry",
  "limit",
  "used",
  "inbounds",
  "group",
  "subscription",
  "usageCap",
  "ipCap",
  "permissions",
  "servers",
  "subuser",
  "form",
  "credentials",
] as const;

/** Display words Rust puts in before/after values that have a translation. */
const VALUES = ["enabled", "disabled", "current", "new", "edited"] as const;

const has = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

export function fieldLabel(field: string, t: Translate): string {
  return has(FIELDS, field) ? t(`bulk.field.${field}`) : field;
}

/** A before/after value; `null` means unlimited / never / unset, depending on the field. */
export function fieldValue(field: string, value: string | null, t: Translate): string {
  if (value === null) {
    if (field === "limit" || field === "usageCap" || field === "ipCap") return t("bulk.value.unlimited");
    if (field === "expiry") return t("bulk.value.never");
    if (field === "group") return t("bulk.value.noGroup");
    return t("bulk.value.none");
  }
  return has(VALUES, value) ? t(`bulk.value.${value}`) : value;
}

export function opLabel(op: ItemOp, t: Translate): string {
  return t(`bulk.op.${op.type}`);
}

/** An item's error: the headline of its error code (or skip reason), when known. */
export function errorHeadline(code: string | null, t: Translate, exists: (key: string) => boolean): string | null {
  if (code === null) return null;
  if (exists(`errors.${code}`)) return t(`errors.${code}`);
  if (exists(`bulk.skip.${code}`)) return t(`bulk.skip.${code}`);
  return code;
}
