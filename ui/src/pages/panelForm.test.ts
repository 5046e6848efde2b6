import { describe, expect, it } from "vitest";

import type { PanelView } from "../api/types";
import {
  draftFromPanel,
  emptyDraft,
  localProblems,
  MAX_ANSWER_MIB_CEILING,
  maxAnswerMib,
  maxAnswerProblem,
  secretField,
  toPanelInput,
} from "./panelForm";

describe("panel form", () => {
  it("builds the credentials variant of each kind", () => {
    const base = { ...emptyDraft(), name: "eu1", baseUrl: "https://x", secret: "s3" };
    expect(toPanelInput({ ...base, kind: "xui" }).credentials).toEqual({ type: "xuiToken", token: "s3" });
    expect(toPanelInput({ ...base, kind: "xui", xuiAuth: "password", username: "admin" }).credentials).toEqual({
      type: "xuiPassword",
      username: "admin",
      password: "s3",
    });
    expect(toPanelInput({ ...base, kind: "marzban", username: "a" }).credentials).toEqual({
      type: "marzban",
      username: "a",
      password: "s3",
    });
    expect(toPanelInput({ ...base, kind: "pterodactyl" }).credentials).toEqual({ type: "pterodactyl", apiKey: "s3" });
  });

  it("sends an empty secret as null so an edit keeps the stored one", () => {
    const input = toPanelInput({ ...emptyDraft("marzban"), username: "a", secret: "   " });
    expect(input.credentials).toEqual({ type: "marzban", username: "a", password: null });
  });

  it("maps the proxy gateway and rejects bad ports locally", () => {
    const d = { ...emptyDraft("userpass"), gatewayHost: " gw.example ", httpPort: "8080", socksPort: "" };
    expect(toPanelInput(d).credentials).toEqual({
      type: "userpass",
      apiKey: null,
      keyInQuery: false,
      gateway: { host: "gw.example", httpPort: 8080, socks5Port: null },
    });
    expect(localProblems({ ...d, socksPort: "70000" })).toEqual({ socksPort: "1–65535" });
    expect(localProblems(d)).toEqual({});
  });

  it("never fills a secret when editing", () => {
    const p: PanelView = {
      id: "1",
      name: "n",
      kind: "xui",
      baseUrl: "https://x/",
      color: "#000000",
      tag: "",
      pinnedCert: null,
      settings: { xuiAuth: "password", username: "root", keyInQuery: false },
      createdAt: 0,
      updatedAt: 0,
    };
    const d = draftFromPanel(p);
    expect(d.secret).toBe("");
    expect(d.username).toBe("root");
    expect(secretField(d)).toBe("password");
  });

  it("takes an answer cap of whole MiB from 1 to the ceiling, empty meaning the default", () => {
    for (const ok of ["", "  ", "1", "256", " 512 ", String(MAX_ANSWER_MIB_CEILING)]) {
      expect(maxAnswerProblem(ok), ok).toBeNull();
    }
    for (const notNumber of ["abc", "1.5", "12MiB", "1e3", "0x10", "--1"]) {
      expect(maxAnswerProblem(notNumber), notNumber).toBe("notWholeNumber");
    }
    for (const outside of ["0", "-5", String(MAX_ANSWER_MIB_CEILING + 1), "99999999999999999999999"]) {
      expect(maxAnswerProblem(outside), outside).toBe("outOfRange");
    }
    expect(maxAnswerMib({ maxAnswerMib: " " })).toBeNull();
    expect(maxAnswerMib({ maxAnswerMib: " 256 " })).toBe(256);
  });

  it("shows a panel's own answer cap when editing, empty for the default", () => {
    const p: PanelView = {
      id: "1",
      name: "n",
      kind: "marzban",
      baseUrl: "https://x/",
      color: "#000000",
      tag: "",
      pinnedCert: null,
      settings: { username: "root", keyInQuery: false, maxAnswerMib: 512 },
      createdAt: 0,
      updatedAt: 0,
    };
    expect(draftFromPanel(p).maxAnswerMib).toBe("512");
    expect(draftFromPanel({ ...p, settings: { keyInQuery: false } }).maxAnswerMib).toBe("");
  });
});
