import type { TFunction } from "i18next";

import type { ActionMessage, ApiError, ConflictReason, FieldProblem, ImportProblem, NotCarried, ProbeInfo } from "../api/types";

/**
 * Words for what the backend sends as codes with arguments (outcomes of account actions,
 * import problems and conflicts, what an import cannot carry over, what is wrong with a form
 * field): each code is a key, its
 * arguments the key's values. Rust words the same codes in English for the CLI.
 */

/** What an action on one account did (`t` as narrow as bulk's words need, so they can reuse it). */
export function outcomeText(t: (key: string, options?: Record<string, unknown>) => string, m: ActionMessage): string {
  switch (m.code) {
    case "clientCreated":
    case "clientCreatedDisabled":
      return t(`outcome.${m.code}`, { count: m.inbounds });
    case "permissionsSaved":
      return t("outcome.permissionsSaved", { count: m.count });
    case "subuserAdded": {
      const added = t("outcome.subuserAdded", { email: m.email, server: m.server });
      if (m.notAdded.length === 0) return added;
      const servers = m.notAdded.map((r) => `${r.server} (${t(`errors.${r.code}`)})`).join("; ");
      return `${added} ${t("outcome.notAddedOn", { servers })}`;
    }
    default: {
      const { code, ...args } = m;
      return t(`outcome.${code}`, args);
    }
  }
}

/** Why a row of a file was left out. */
export function importProblemText(t: TFunction, p: ImportProblem): string {
  switch (p.code) {
    case "wrongSeparator":
      return t("importProblem.wrongSeparator", {
        separator: p.separator === "\t" ? t("importProblem.tabs") : `'${p.separator}'`,
      });
    case "notWholeNumberOf":
      return t("importProblem.notWholeNumberOf", { unit: t(`importProblem.unit.${p.unit}`), value: p.value });
    default: {
      const { code, ...args } = p;
      return t(`importProblem.${code}`, args);
    }
  }
}

/** Why a row cannot be created or updated. */
export function conflictText(t: TFunction, r: ConflictReason): string {
  if (r.code === "noInboundFits") {
    const protocols = r.protocols.length > 0 ? r.protocols.join(", ") : t("importConflict.noProtocols");
    return t("importConflict.noInboundFits", { name: r.name, protocols });
  }
  const { code, ...args } = r;
  return t(`importConflict.${code}`, args);
}

/** Something of a row the target panel kind cannot hold. */
export function notCarriedText(t: TFunction, n: NotCarried): string {
  return t(`notCarried.${n}`);
}

/** What is wrong with one form field. */
export function fieldProblemText(t: TFunction, p: FieldProblem): string {
  switch (p.code) {
    case "unknownPermissions":
      return t("fieldProblem.unknownPermissions", { names: p.names.join(", ") });
    case "noForm":
      return t("fieldProblem.noForm", { kind: t(`kinds.${p.kind}`), panel: p.panel });
    case "badPattern":
      return t("fieldProblem.badPattern", { pattern: p.pattern, why: t(`fieldProblem.pattern.${p.why}`) });
    default: {
      const { code, ...args } = p;
      return t(`fieldProblem.${code}`, args);
    }
  }
}

/** What the backend found wrong with the first of `fields` it names, in the reader's words. */
export function fieldErrorText(t: TFunction, error: ApiError | null | undefined, ...fields: string[]): string | undefined {
  const found = error?.fields.find((f) => fields.includes(f.field));
  return found ? fieldProblemText(t, found.problem) : undefined;
}

/** What "test connection" learned, as one line: signed in as whom, how many accounts or inbounds. */
export function probeText(t: TFunction, info: ProbeInfo): string {
  const parts: string[] = [];
  if (info.signedInAs) parts.push(t("probe.signedInAs", { name: info.signedInAs }));
  if (info.accounts != null) parts.push(t("probe.accounts", { count: info.accounts }));
  if (info.inbounds != null) parts.push(t("probe.inbounds", { count: info.inbounds }));
  if (info.readOnly) parts.push(t("probe.readOnly"));
  return parts.join(t("common.sep"));
}
