import type { BulkAction, Field, FieldValue, ItemOp, ItemOutcome, OpTitle } from "../../api/types";
import { outcomeText } from "../../i18n/backendText";
import { formatBytes, formatDateTime } from "../../util/format";

type Translate = (key: string, options?: Record<string, unknown>) => string;

const DAY_MS = 86_400_000;

export function fieldLabel(field: Field, t: Translate): string {
  return t(`bulk.field.${field}`);
}

/** What no value means for a field: unlimited, never, no group, or none. */
function unset(field: Field, t: Translate): string {
  if (field === "limit" || field === "usageCap" || field === "ipCap") return t("bulk.value.unlimited");
  if (field === "expiry") return t("bulk.value.never");
  if (field === "group") return t("bulk.value.noGroup");
  return t("bulk.value.none");
}

/** A before/after value in the user's language; `null` means unlimited / never / unset. */
export function fieldValue(field: Field, value: FieldValue | null, t: Translate, locale: string): string {
  if (value === null) return unset(field, t);
  const num = (n: number) => n.toLocaleString(locale);
  switch (value.type) {
    case "bytes":
      return formatBytes(value.bytes, locale);
    case "moment":
      return formatDateTime(value.ms, locale);
    case "span":
      return t("bulk.value.days", { count: Math.ceil(value.ms / DAY_MS), n: num(Math.ceil(value.ms / DAY_MS)) });
    case "days":
      return t("bulk.value.days", { count: value.days, n: num(value.days) });
    case "count":
      return num(value.count);
    case "toggle":
      return t(value.on ? "bulk.value.enabled" : "bulk.value.disabled");
    case "word":
      return t(`bulk.value.${value.word}`);
    case "status":
      return t(`status.${value.status}`);
    case "fromTemplate":
      return t("bulk.value.fromTemplate", { id: num(value.templateId) });
    case "kept":
      return t("bulk.value.kept", { secrets: value.secrets.map((s) => t(`bulk.secret.${s}`)).join(t("bulk.listSeparator")) });
    case "text":
      return value.text;
    case "list":
      return value.items.join(t("bulk.listSeparator"));
  }
}

export function opLabel(op: ItemOp, t: Translate): string {
  return t(`bulk.op.${op.type}`);
}

/** A bulk action with its numbers, as a title says it. */
function actionTitle(a: BulkAction, t: Translate, locale: string): string {
  const num = (n: number) => n.toLocaleString(locale);
  const list = (items: (string | number)[]) =>
    items.map((i) => (typeof i === "number" ? num(i) : i)).join(t("bulk.listSeparator"));
  switch (a.type) {
    case "delete":
      return t(a.keepTraffic ? "bulk.titleAction.deleteKeepTraffic" : "bulk.titleAction.delete");
    case "extendExpiry":
      return t("bulk.titleAction.extendExpiry", { count: a.days, n: num(a.days) });
    case "setExpiry":
      return a.ms == null
        ? t("bulk.titleAction.setExpiryNever")
        : t("bulk.titleAction.setExpiry", { when: formatDateTime(a.ms, locale) });
    case "addTraffic":
      return t("bulk.titleAction.addTraffic", { size: formatBytes(a.bytes, locale) });
    case "setTrafficLimit":
      return a.bytes == null
        ? t("bulk.titleAction.setTrafficLimitUnlimited")
        : t("bulk.titleAction.setTrafficLimit", { size: formatBytes(a.bytes, locale) });
    case "attachInbounds":
    case "detachInbounds":
      return t(`bulk.titleAction.${a.type}`, { ids: list(a.inboundIds) });
    case "addToGroup":
      return t("bulk.titleAction.addToGroup", { group: a.group });
    case "applyTemplate":
      return t("bulk.titleAction.applyTemplate", { id: num(a.templateId) });
    case "setStatus":
      return t("bulk.titleAction.setStatus", { status: t(`bulk.statusValue.${a.status}`) });
    case "grantPermissions":
    case "revokePermissions":
    case "setPermissions":
      return t(`bulk.titleAction.${a.type}`, { keys: list(a.permissions) });
    default:
      return t(`bulk.actions.${a.type}`);
  }
}

/** An operation's title: what it does, then to how many accounts on how many panels. */
export function titleText(title: OpTitle, t: Translate, locale: string): string {
  const what = title.what;
  // A title journaled as text (imports, migrations, older journals) is shown as it is.
  if (what.type === "text" && title.accounts === 0 && title.panels === 0) return what.text;
  // One account from its detail pane: its name and what was done, no counts.
  if (what.type === "account") return titleHead(title, t, locale);
  return withCounts(titleHead(title, t, locale), title, t, locale);
}

/** What an operation does, without its counts. */
function titleHead(title: OpTitle, t: Translate, locale: string): string {
  const what = title.what;
  switch (what.type) {
    case "account":
      return t("bulk.opTitle.account", { name: what.name, op: t(`bulk.op.${what.op}`) });
    case "change":
      return actionTitle(what.action, t, locale);
    case "create":
      return t("bulk.opTitle.create", { count: what.names, n: what.names.toLocaleString(locale) });
    case "addPerson":
      return t("bulk.opTitle.addPerson", { email: what.email, count: what.servers, n: what.servers.toLocaleString(locale) });
    case "removePerson":
      return t("bulk.opTitle.removePerson", { email: what.email });
    case "import":
      return t("bulk.opTitle.import", { file: what.file, panel: what.panel });
    case "migrate":
      return t("bulk.opTitle.migrate", { from: what.from, to: what.to });
    case "revert":
      // The original's title (an older journal's text title keeps its own counts).
      return t("bulk.opTitle.revert", { what: titleHead(what.original, t, locale) });
    case "text":
      return what.text;
  }
}

function withCounts(head: string, title: OpTitle, t: Translate, locale: string): string {
  return t("bulk.opTitle.withCounts", {
    what: head,
    accounts: t("bulk.opTitle.accounts", { count: title.accounts, n: title.accounts.toLocaleString(locale) }),
    panels: t("bulk.opTitle.panels", { count: title.panels, n: title.panels.toLocaleString(locale) }),
  });
}

/** What a bulk item did; a single-account action says it in that action's words. */
export function itemOutcomeText(o: ItemOutcome, t: Translate, locale: string): string {
  switch (o.code) {
    case "action":
      return outcomeText(t, o.outcome);
    case "expiryExtended":
      return t("bulk.outcome.expiryExtended", { count: o.days, n: o.days.toLocaleString(locale) });
    // An older journal's sentence is shown as it is.
    case "text":
      return o.text;
    default: {
      const { code, ...args } = o;
      return t(`bulk.outcome.${code}`, args);
    }
  }
}

/** An item's error: the headline of its error code (or skip reason), when known. */
export function errorHeadline(code: string | null, t: Translate, exists: (key: string) => boolean): string | null {
  if (code === null) return null;
  if (exists(`errors.${code}`)) return t(`errors.${code}`);
  if (exists(`bulk.skip.${code}`)) return t(`bulk.skip.${code}`);
  return code;
}
