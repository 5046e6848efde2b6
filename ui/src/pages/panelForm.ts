import type { CredentialsInput, PanelInput, PanelKind, PanelView } from "../api/types";

/** The add/edit form's state: every field as typed. */
export type PanelDraft = {
  kind: PanelKind;
  name: string;
  baseUrl: string;
  color: string;
  tag: string;
  pinnedCert: string;
  xuiAuth: "token" | "password";
  username: string;
  secret: string;
  keyInQuery: boolean;
  gatewayHost: string;
  httpPort: string;
  socksPort: string;
  /** The answer size cap in MiB as typed; empty = the default. */
  maxAnswerMib: string;
};

/** The cap on every answer a panel sends unless its own is set (`DEFAULT_MAX_ANSWER_BYTES`). */
export const DEFAULT_MAX_ANSWER_MIB = 128;
/** The highest cap a panel may get (`registry::MAX_ANSWER_MIB_CEILING`, checked again there). */
export const MAX_ANSWER_MIB_CEILING = 4096;

export const KINDS: PanelKind[] = ["xui", "marzban", "pasarguard", "userpass", "pterodactyl"];

export function emptyDraft(kind: PanelKind = "xui"): PanelDraft {
  return {
    kind,
    name: "",
    baseUrl: "",
    color: "#3b82f6",
    tag: "",
    pinnedCert: "",
    xuiAuth: "token",
    username: "",
    secret: "",
    keyInQuery: false,
    gatewayHost: "",
    httpPort: "",
    socksPort: "",
    maxAnswerMib: "",
  };
}

/** Fills the form from a stored panel. Secrets are never sent to the UI, so they stay empty. */
export function draftFromPanel(p: PanelView): PanelDraft {
  const gw = p.settings.gateway ?? null;
  return {
    ...emptyDraft(p.kind),
    name: p.name,
    baseUrl: p.baseUrl,
    color: p.color,
    tag: p.tag,
    pinnedCert: p.pinnedCert ?? "",
    xuiAuth: p.settings.xuiAuth ?? "token",
    username: p.settings.username ?? "",
    keyInQuery: p.settings.keyInQuery,
    gatewayHost: gw?.host ?? "",
    httpPort: gw?.httpPort?.toString() ?? "",
    socksPort: gw?.socks5Port?.toString() ?? "",
    maxAnswerMib: p.settings.maxAnswerMib?.toString() ?? "",
  };
}

/** Which secret field the kind uses (also the field name errors come back under). */
export function secretField(d: Pick<PanelDraft, "kind" | "xuiAuth">): "token" | "password" | "apiKey" {
  if (d.kind === "xui") return d.xuiAuth === "token" ? "token" : "password";
  if (d.kind === "marzban" || d.kind === "pasarguard") return "password";
  return "apiKey";
}

function port(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isInteger(n) && n > 0 && n < 65536 ? n : null;
}

function credentials(d: PanelDraft): CredentialsInput {
  const secret = d.secret.trim() === "" ? null : d.secret;
  switch (d.kind) {
    case "xui":
      return d.xuiAuth === "token"
        ? { type: "xuiToken", token: secret }
        : { type: "xuiPassword", username: d.username, password: secret };
    case "marzban":
      return { type: "marzban", username: d.username, password: secret };
    case "userpass":
      return {
        type: "userpass",
        apiKey: secret,
        keyInQuery: d.keyInQuery,
        gateway:
          d.gatewayHost.trim() === ""
            ? null
            : { host: d.gatewayHost.trim(), httpPort: port(d.httpPort), socks5Port: port(d.socksPort) },
      };
    case "pterodactyl":
      return { type: "pterodactyl", apiKey: secret };
    case "pasarguard":
      // Without a user name the secret is an API key (PasarGuard 5.1+).
      return { type: "pasarguard", username: d.username.trim() === "" ? null : d.username, password: secret };
  }
}

export function toPanelInput(d: PanelDraft): PanelInput {
  return {
    name: d.name,
    baseUrl: d.baseUrl,
    color: d.color,
    tag: d.tag,
    pinnedCert: d.pinnedCert.trim() === "" ? null : d.pinnedCert.trim(),
    credentials: credentials(d),
  };
}

/** What is wrong with a typed answer cap: not a whole number, or outside 1–ceiling. */
export type MaxAnswerProblem = "notWholeNumber" | "outOfRange";

export function maxAnswerProblem(text: string): MaxAnswerProblem | null {
  const typed = text.trim();
  if (typed === "") return null;
  if (!/^[+-]?\d+$/.test(typed)) return "notWholeNumber";
  const n = Number(typed);
  return n >= 1 && n <= MAX_ANSWER_MIB_CEILING ? null : "outOfRange";
}

/** The cap to store: null (the default) when empty. Call after [`maxAnswerProblem`]. */
export function maxAnswerMib(d: Pick<PanelDraft, "maxAnswerMib">): number | null {
  const typed = d.maxAnswerMib.trim();
  return typed === "" ? null : Number(typed);
}

/** Checks the browser can do before asking Rust (which validates everything again). */
export function localProblems(d: PanelDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [field, text] of [["httpPort", d.httpPort], ["socksPort", d.socksPort]] as const) {
    if (d.kind === "userpass" && text.trim() !== "" && port(text) === null) problems[field] = "1–65535";
  }
  return problems;
}
