import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import type {
  ActionMessage,
  ConflictReason,
  FieldProblem,
  ImportProblem,
  NotCarried,
  PatternProblem,
  PlanPreview,
} from "../api/types";
import { PlanPreviewView } from "../pages/transfer/PlanPreviewView";
import i18n from "./index";
import { fieldProblemText, outcomeText, probeText } from "./backendText";
import { resources } from "./resources";

/**
 * Every code the backend sends in place of a sentence, one fixture each. The mapped types make
 * `tsc` fail when a code is added to Rust without a fixture here; the bindings check below
 * makes this test fail too.
 */
type Fixtures<U extends { code: string }> = { [C in U["code"]]: Extract<U, { code: C }> };

const outcomes: Fixtures<ActionMessage> = {
  clientEnabled: { code: "clientEnabled" },
  clientDisabled: { code: "clientDisabled" },
  trafficReset: { code: "trafficReset" },
  clientDeleted: { code: "clientDeleted" },
  clientDeletedTrafficKept: { code: "clientDeletedTrafficKept" },
  ipsCleared: { code: "ipsCleared" },
  clientSaved: { code: "clientSaved" },
  clientSavedAs: { code: "clientSavedAs", email: "b@c" },
  clientCreatedOnOneInbound: { code: "clientCreatedOnOneInbound" },
  clientCreated: { code: "clientCreated", inbounds: 3 },
  clientCreatedDisabled: { code: "clientCreatedDisabled", inbounds: 1 },
  userEnabled: { code: "userEnabled" },
  userDisabled: { code: "userDisabled" },
  usedTrafficReset: { code: "usedTrafficReset" },
  userDeleted: { code: "userDeleted" },
  subscriptionRevoked: { code: "subscriptionRevoked" },
  userSaved: { code: "userSaved" },
  userCreated: { code: "userCreated" },
  userCreatedDisabled: { code: "userCreatedDisabled" },
  proxyUserEnabled: { code: "proxyUserEnabled" },
  proxyUserDisabled: { code: "proxyUserDisabled" },
  proxyUserDeleted: { code: "proxyUserDeleted" },
  passwordRegenerated: { code: "passwordRegenerated" },
  proxyUserSaved: { code: "proxyUserSaved" },
  proxyUserCreated: { code: "proxyUserCreated" },
  permissionsSaved: { code: "permissionsSaved", count: 5 },
  subuserRemoved: { code: "subuserRemoved" },
  subuserSaved: { code: "subuserSaved" },
  subuserAdded: {
    code: "subuserAdded",
    email: "p@q",
    server: "s3",
    notAdded: [{ server: "s2", code: "forbidden", message: "This action is unauthorized." }],
  },
};

const problems: Fixtures<ImportProblem> = {
  fileEmpty: { code: "fileEmpty" },
  fileTooLarge: { code: "fileTooLarge", maxMb: 512 },
  wrongSeparator: { code: "wrongSeparator", separator: "\t" },
  columnTwice: { code: "columnTwice" },
  unknownColumn: { code: "unknownColumn" },
  noNameColumn: { code: "noNameColumn" },
  unclosedQuote: { code: "unclosedQuote" },
  fieldCount: { code: "fieldCount", found: 3, expected: 4 },
  fieldTooLong: { code: "fieldTooLong", bytes: 70000, max: 65536 },
  cellNotUtf8: { code: "cellNotUtf8", byte: 2 },
  fileNotUtf8: { code: "fileNotUtf8" },
  unreadableRow: { code: "unreadableRow", detail: "Seek" },
  jsonUnreadable: { code: "jsonUnreadable", detail: "EOF while parsing at line 1 column 2" },
  unknownFormat: { code: "unknownFormat", value: "other" },
  newerVersion: { code: "newerVersion", version: 9, supported: 1 },
  noAccountsList: { code: "noAccountsList" },
  expectedObject: { code: "expectedObject" },
  expectedList: { code: "expectedList" },
  expectedValue: { code: "expectedValue" },
  nameEmpty: { code: "nameEmpty" },
  nameControlCharacter: { code: "nameControlCharacter", character: "U+001B" },
  unknownKind: { code: "unknownKind", value: "wireguard" },
  unknownStatus: { code: "unknownStatus", value: "sleepy" },
  notWholeNumberOf: { code: "notWholeNumberOf", unit: "bytes", value: "abc" },
  notWholeNumber: { code: "notWholeNumber", value: "1.5" },
  notANumber: { code: "notANumber", value: "x" },
  notATime: { code: "notATime", value: "tomorrow" },
  notADuration: { code: "notADuration", value: "-1" },
  notABoolean: { code: "notABoolean", value: "maybe" },
  notAUuid: { code: "notAUuid", value: "123" },
  clientNoEmail: { code: "clientNoEmail" },
  notInboundIds: { code: "notInboundIds" },
  duplicate: { code: "duplicate", name: "alice", firstLine: 2 },
};

const conflicts: Fixtures<ConflictReason> = {
  repeatedName: { code: "repeatedName", name: "bob", firstLine: 3 },
  otherUuid: { code: "otherUuid", name: "carol", have: "b831381d", want: "0f0e0d0c" },
  existsAndDiffers: { code: "existsAndDiffers", name: "dave" },
  notEditable: { code: "notEditable" },
  noInboundFits: { code: "noInboundFits", name: "erin", protocols: [] },
  notMarzbanUsername: { code: "notMarzbanUsername", name: "x" },
  notPasarguardUsername: { code: "notPasarguardUsername", name: "a--b" },
  noServer: { code: "noServer" },
  otherPanel: { code: "otherPanel", name: "carol", panel: "Frankfurt" },
};

const notCarried: Record<NotCarried, true> = {
  group: true,
  ipLimit: true,
  expiry: true,
  trafficLimit: true,
  resetDays: true,
  resetStrategy: true,
  vmessUuid: true,
  subscription: true,
  subscriptionToken: true,
  telegramAndDevices: true,
  usedTraffic: true,
  permissions: true,
};

const fieldProblems: Fixtures<FieldProblem> = {
  required: { code: "required" },
  blankPassword: { code: "blankPassword" },
  tooLong: { code: "tooLong", max: 64 },
  noSpaces: { code: "noSpaces" },
  usernameFormat: { code: "usernameFormat", min: 3, max: 32 },
  notPositive: { code: "notPositive" },
  outOfRange: { code: "outOfRange", min: 1, max: 4096 },
  atLeastOneDay: { code: "atLeastOneDay" },
  pickExpiry: { code: "pickExpiry" },
  pickAtLeastOne: { code: "pickAtLeastOne" },
  onHoldNeedsPeriod: { code: "onHoldNeedsPeriod" },
  onHoldNoExpiry: { code: "onHoldNoExpiry" },
  inboundsOutsideProtocols: { code: "inboundsOutsideProtocols", protocol: "VLESS" },
  templateGone: { code: "templateGone" },
  unknownServer: { code: "unknownServer", id: "1a2b3c4d" },
  unknownPermissions: { code: "unknownPermissions", names: ["control.fly", "file.juggle"] },
  legacyOneInbound: { code: "legacyOneInbound" },
  legacyNoGroups: { code: "legacyNoGroups" },
  noForm: { code: "noForm", kind: "marzban", panel: "m1" },
  badPattern: { code: "badPattern", pattern: "shop-{9..1}", why: "rangeGoesDown" },
  tooManyNames: { code: "tooManyNames", pattern: "u{1..999999}", max: 100000 },
  invalidUrl: { code: "invalidUrl" },
  invalidFingerprint: { code: "invalidFingerprint" },
  invalidColor: { code: "invalidColor" },
  nameTaken: { code: "nameTaken" },
  kindFixed: { code: "kindFixed" },
  notAbsolute: { code: "notAbsolute", example: "/home/u/x.csv" },
  fileTooBig: { code: "fileTooBig", bytes: 600000000, max: 536870912 },
  panel: { code: "panel", text: "0" },
};

const patternProblems: Record<PatternProblem, true> = {
  emptyName: true,
  unclosedBrace: true,
  severalRanges: true,
  noRange: true,
  notNumbers: true,
  numberTooLarge: true,
  rangeGoesDown: true,
};

/** Every field problem, and the bad-pattern one with each reason. */
const allFieldProblems: FieldProblem[] = [
  ...Object.values(fieldProblems),
  ...(Object.keys(patternProblems) as PatternProblem[]).map(
    (why): FieldProblem => ({ code: "badPattern", pattern: "a{x", why }),
  ),
];

const preview: PlanPreview = {
  panelId: "m1",
  kind: "marzban",
  counts: { create: 1, update: 0, unchanged: 0, conflict: 7, errors: 32 },
  rows: [
    {
      line: 2,
      name: "alice",
      action: "create",
      changes: [],
      reason: null,
      notCarried: Object.keys(notCarried) as NotCarried[],
      keepsCredentials: false,
    },
    ...Object.values(conflicts).map((reason, i) => ({
      line: 10 + i,
      name: `row${i}`,
      action: "conflict",
      changes: [],
      reason,
      notCarried: [],
      keepsCredentials: false,
    })),
  ],
  errors: Object.values(problems).map((reason, i) => ({ line: 100 + i, column: "", reason })),
};

/** The codes a union of the generated bindings names. */
async function bindingCodes(type: string): Promise<string[]> {
  const bindings = (await import("../bindings?raw")).default;
  const start = bindings.indexOf(`export type ${type} = `);
  const end = bindings.indexOf("\nexport ", start + 1);
  const decl = start < 0 ? "" : bindings.slice(start, end < 0 ? undefined : end).replace(/\/\*[\s\S]*?\*\//g, "");
  const quoted = decl.includes("code:") ? decl.match(/code: "[A-Za-z0-9]+"/g) : decl.match(/"[A-Za-z0-9]+"/g);
  return (quoted ?? []).map((c) => c.slice(c.indexOf('"') + 1, -1));
}

/** The fixed parts of every English message (what is left around its `{{values}}`). */
function englishFragments(): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(...v.split(/\{\{[^}]+\}\}/).map((s) => s.trim()).filter((s) => s.length >= 12));
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(resources.en);
  return out;
}

function Outcomes() {
  return (
    <ul>
      {Object.values(outcomes).map((o) => (
        <li key={o.code}>{outcomeText(i18n.t, o)}</li>
      ))}
    </ul>
  );
}

function FieldProblems() {
  return (
    <ul>
      {allFieldProblems.map((p, i) => (
        <li key={i} data-testid="field-problem">
          {fieldProblemText(i18n.t, p)}
        </li>
      ))}
    </ul>
  );
}

afterEach(async () => {
  cleanup();
  await i18n.changeLanguage("en");
});

describe("texts the backend sends as codes", () => {
  it.each([
    ["ActionMessage", Object.keys(outcomes)],
    ["ImportProblem", Object.keys(problems)],
    ["ConflictReason", Object.keys(conflicts)],
    ["NotCarried", Object.keys(notCarried)],
    ["FieldProblem", Object.keys(fieldProblems)],
    ["PatternProblem", Object.keys(patternProblems)],
  ])("has a fixture for every %s code", async (type, fixtures) => {
    const codes = await bindingCodes(type);
    expect(codes.length).toBeGreaterThan(5);
    expect([...codes].sort()).toEqual([...fixtures].sort());
  });

  it("reads in English as Rust words them", () => {
    expect(fieldProblemText(i18n.t, fieldProblems.badPattern)).toBe("'shop-{9..1}': the range goes down");
    expect(fieldProblemText(i18n.t, fieldProblems.invalidColor)).toBe("Pick a colour like #3b82f6.");
    expect(outcomeText(i18n.t, outcomes.clientSavedAs)).toBe("Client saved as b@c.");
    expect(outcomeText(i18n.t, outcomes.subuserAdded)).toBe(
      "Subuser p@q added to server s3. Not added on s2 (These credentials are not allowed to do this.).",
    );
  });

  it.each(["ru", "fa"])("reach a %s page translated, with no English and no missing key", async (lang) => {
    await i18n.changeLanguage(lang);
    const { container } = render(
      <>
        <PlanPreviewView preview={preview} />
        <Outcomes />
        <FieldProblems />
      </>,
    );
    const text = container.textContent ?? "";
    for (const prefix of ["outcome.", "importProblem.", "importConflict.", "notCarried.", "errors.", "fieldProblem."]) {
      expect(text).not.toContain(prefix);
    }
    const leaked = englishFragments().filter((f) => text.includes(f));
    expect(leaked).toEqual([]);
    // Everything was there to be checked: each bad row, each conflict, each outcome.
    expect(container.querySelectorAll("[data-testid=plan-error]")).toHaveLength(Object.keys(problems).length);
    expect(container.querySelectorAll("[data-testid=plan-row]")).toHaveLength(preview.rows.length);
    expect(container.querySelectorAll("li")).not.toHaveLength(0);
    expect(container.querySelectorAll("[data-testid=field-problem]")).toHaveLength(allFieldProblems.length);
  });
});

describe("what a connection test learned", () => {
  const info = {
    version: "0.8.4",
    apiGeneration: "Marzban 0.5+ API",
    signedInAs: "admin",
    accounts: 1280,
    inbounds: null,
    readOnly: false,
    summary: "Marzban 0.8.4 at https://x, signed in as admin (sudo admin), 1280 users",
  };

  it("is worded by the UI, not the backend's English sentence", async () => {
    await i18n.changeLanguage("fa");
    const line = probeText(i18n.t, info);
    expect(line).toBe("ورود با admin، ۱٬۲۸۰ حساب");
    await i18n.changeLanguage("ru");
    expect(probeText(i18n.t, { ...info, signedInAs: null, accounts: null, inbounds: 3, readOnly: false })).toBe("3 инбаунда");
    await i18n.changeLanguage("en");
    expect(probeText(i18n.t, { ...info, signedInAs: null, accounts: null, readOnly: true })).toBe("read-only token: server status only");
  });
});
