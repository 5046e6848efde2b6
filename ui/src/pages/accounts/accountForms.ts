import type { AccountDetail, AccountEdit, ExpiryInput, NewAccount, PanelKind } from "../../api/types";

export const GIB = 1024 ** 3;
const DAY_MS = 86_400_000;

/** Form text → bytes; blank means unlimited (null). NaN means "not a number" (a field error). */
export function gibToBytes(text: string): number | null {
  if (text.trim() === "") return null;
  const n = Number(text.replace(",", "."));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * GIB) : NaN;
}

export function bytesToGib(bytes: number | null): string {
  return bytes === null ? "" : String(Math.round((bytes / GIB) * 100) / 100);
}

/** `<input type="datetime-local">` value ⇄ epoch ms in the user's time zone. */
export function msToLocalInput(ms: number | null): string {
  if (ms === null) return "";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function localInputToMs(text: string): number | null {
  if (text.trim() === "") return null;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? null : ms;
}

export type ExpiryMode = "never" | "at" | "afterFirstUse";

/** Every field any kind's edit or create form has, as typed. */
export type AccountDraft = {
  kind: PanelKind;
  name: string;
  limitGib: string;
  expiryMode: ExpiryMode;
  expiresAt: string;
  afterFirstUseDays: string;
  ipLimit: string;
  note: string;
  group: string;
  enabled: boolean;
  resetDays: string;
  resetStrategy: "no_reset" | "day" | "week" | "month" | "year";
  permissions: string[];
  // Create only:
  inboundIds: number[];
  marzbanProtocols: ("vless" | "vmess" | "trojan" | "shadowsocks")[];
  password: string;
  serverIds: string[];
  onHold: boolean;
};

export function blankDraft(kind: PanelKind): AccountDraft {
  return {
    kind,
    name: "",
    limitGib: "",
    expiryMode: "never",
    expiresAt: "",
    afterFirstUseDays: "30",
    ipLimit: "",
    note: "",
    group: "",
    enabled: true,
    resetDays: "0",
    resetStrategy: "no_reset",
    permissions: [],
    inboundIds: [],
    marzbanProtocols: ["vless"],
    password: "",
    serverIds: [],
    onHold: false,
  };
}

function rawField(raw: unknown, key: string): unknown {
  return raw && typeof raw === "object" && key in raw ? (raw as Record<string, unknown>)[key] : undefined;
}

/** Fills the edit form from the account as the snapshot has it. */
export function draftFromDetail(detail: AccountDetail): AccountDraft {
  const a = detail.account;
  const strategy = rawField(detail.raw, "data_limit_reset_strategy");
  const reset = rawField(detail.raw, "reset");
  return {
    ...blankDraft(a.kind),
    name: a.name,
    limitGib: bytesToGib(a.limitBytes),
    expiryMode: a.expireAfterFirstUseMs !== null && a.expiresAtMs === null ? "afterFirstUse" : a.expiresAtMs === null ? "never" : "at",
    expiresAt: msToLocalInput(a.expiresAtMs),
    afterFirstUseDays: a.expireAfterFirstUseMs === null ? "30" : String(Math.round(a.expireAfterFirstUseMs / DAY_MS)),
    ipLimit: a.ipLimit === null ? "" : String(a.ipLimit),
    note: a.note ?? "",
    group: a.group ?? "",
    enabled: a.enabled,
    resetDays: typeof reset === "number" ? String(reset) : "0",
    resetStrategy: typeof strategy === "string" && ["no_reset", "day", "week", "month", "year"].includes(strategy) ? (strategy as AccountDraft["resetStrategy"]) : "no_reset",
    permissions: a.permissions,
    onHold: a.status === "on_hold",
  };
}

/** Problems the browser can see before asking Rust (which checks everything again). */
export function draftProblems(d: AccountDraft, t: (k: string) => string): Record<string, string> {
  const p: Record<string, string> = {};
  if (Number.isNaN(gibToBytes(d.limitGib))) p.limit = t("form2.notANumber");
  if (d.expiryMode === "at" && localInputToMs(d.expiresAt) === null) p.expiry = t("form2.pickDate");
  if (d.expiryMode === "afterFirstUse" && !(Number(d.afterFirstUseDays) > 0)) p.expiry = t("form2.positiveDays");
  if (d.ipLimit.trim() !== "" && !(Number.isInteger(Number(d.ipLimit)) && Number(d.ipLimit) >= 0)) p.ipLimit = t("form2.notANumber");
  return p;
}

function expiry(d: AccountDraft): ExpiryInput {
  if (d.expiryMode === "at") return { type: "at", ms: localInputToMs(d.expiresAt) ?? 0 };
  if (d.expiryMode === "afterFirstUse") return { type: "afterFirstUse", days: Number(d.afterFirstUseDays) };
  return { type: "never" };
}

const ipLimit = (d: AccountDraft) => (d.ipLimit.trim() === "" ? null : Number(d.ipLimit));
const limit = (d: AccountDraft) => {
  const b = gibToBytes(d.limitGib);
  return b === null || Number.isNaN(b) ? null : b;
};

export function toAccountEdit(d: AccountDraft): AccountEdit {
  switch (d.kind) {
    case "xui":
      return {
        kind: "xui",
        email: d.name.trim(),
        totalBytes: limit(d),
        expiry: expiry(d),
        limitIp: ipLimit(d) ?? 0,
        comment: d.note,
        group: d.group.trim() === "" ? null : d.group.trim(),
        subId: null,
        resetDays: Number(d.resetDays) || 0,
        enable: d.enabled,
        inboundIds: null,
      };
    case "marzban": {
      const e = expiry(d);
      return {
        kind: "marzban",
        dataLimitBytes: limit(d),
        expire: e.type === "at" ? e : { type: "never" },
        dataLimitResetStrategy: d.resetStrategy,
        status: d.onHold ? "on_hold" : d.enabled ? "active" : "disabled",
        note: d.note,
        onHoldExpireDurationSecs: d.onHold ? Number(d.afterFirstUseDays) * 86_400 : null,
        proxies: null,
        inbounds: null,
      };
    }
    case "userpass":
      return {
        kind: "userpass",
        userName: null,
        note: d.note,
        usageCapBytes: limit(d),
        ipUsageCap: ipLimit(d),
        status: d.enabled ? "active" : "disabled",
      };
    case "pterodactyl":
      return { kind: "pterodactyl", permissions: d.permissions };
    case "pasarguard": {
      const e = expiry(d);
      return {
        kind: "pasarguard",
        dataLimitBytes: limit(d),
        expire: e.type === "at" ? e : { type: "never" },
        dataLimitResetStrategy: d.resetStrategy,
        status: d.onHold ? "on_hold" : d.enabled ? "active" : "disabled",
        note: d.note,
        onHoldExpireDurationSecs: d.onHold ? Number(d.afterFirstUseDays) * 86_400 : null,
        groupIds: null,
        hwidLimit: null,
      };
    }
  }
}

export function toNewAccount(d: AccountDraft): NewAccount {
  switch (d.kind) {
    case "xui":
      return {
        kind: "xui",
        email: d.name.trim(),
        inboundIds: d.inboundIds,
        totalBytes: limit(d),
        expiry: expiry(d),
        limitIp: ipLimit(d) ?? 0,
        comment: d.note,
        group: d.group.trim() === "" ? null : d.group.trim(),
        resetDays: Number(d.resetDays) || 0,
      };
    case "marzban": {
      const e = expiry(d);
      return {
        kind: "marzban",
        username: d.name.trim(),
        proxies: d.marzbanProtocols,
        inbounds: [],
        expire: e.type === "at" ? e : { type: "never" },
        dataLimitBytes: limit(d),
        dataLimitResetStrategy: d.resetStrategy,
        templateId: null,
        status: d.onHold ? "on_hold" : "active",
        onHoldExpireDurationSecs: d.onHold ? Number(d.afterFirstUseDays) * 86_400 : null,
        note: d.note,
      };
    }
    case "userpass":
      return {
        kind: "userpass",
        userName: d.name.trim(),
        password: d.password === "" ? null : d.password,
        usageCapBytes: limit(d),
        ipUsageCap: ipLimit(d),
        note: d.note,
        status: "active",
      };
    case "pterodactyl":
      return { kind: "pterodactyl", email: d.name.trim(), serverIds: d.serverIds, permissions: d.permissions };
    case "pasarguard": {
      const e = expiry(d);
      // No groups picked: the user gets every group of the panel (a user without groups has
      // no inbounds).
      return {
        kind: "pasarguard",
        username: d.name.trim(),
        groupIds: [],
        groupNames: [],
        expire: e.type === "at" ? e : { type: "never" },
        dataLimitBytes: limit(d),
        dataLimitResetStrategy: d.resetStrategy,
        status: d.onHold ? "on_hold" : "active",
        onHoldExpireDurationSecs: d.onHold ? Number(d.afterFirstUseDays) * 86_400 : null,
        note: d.note,
        hwidLimit: null,
      };
    }
  }
}

/** The form after the account changed on the panel since it was opened: each field the admin
 *  left as it was shown takes the panel's value now; each field the admin changed keeps the
 *  admin's value. */
export function rebaseDraft(draft: AccountDraft, shown: AccountDraft, now: AccountDraft): AccountDraft {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const next = { ...draft } as Record<keyof AccountDraft, unknown>;
  for (const key of Object.keys(draft) as (keyof AccountDraft)[]) {
    if (same(draft[key], shown[key])) next[key] = now[key];
  }
  return next as AccountDraft;
}
