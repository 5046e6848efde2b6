import { describe, expect, it } from "vitest";

import type { PanelView } from "../api/types";
import { draftFromPanel, emptyDraft, localProblems, secretField, toPanelInput } from "./panelForm";

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
});
