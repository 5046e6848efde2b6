import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";

import { accountKeys, invalidateChanged } from "./accounts";
import { transferKeys } from "./transfer";

vi.mock("../bindings", () => ({ commands: {}, events: {} }));

const alice = { panelId: "p1", nativeId: "alice" };
const bob = { panelId: "p1", nativeId: "bob" };

function cached() {
  const client = new QueryClient();
  for (const key of [accountKeys.detail(alice), accountKeys.detail(bob), transferKeys.links(alice), transferKeys.links(bob), transferKeys.qr("vless://x"), accountKeys.dashboard]) {
    client.setQueryData(key, { any: "thing" });
  }
  const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? false;
  return { client, stale };
}

describe("snapshot changes", () => {
  it("refetch the changed account's detail and links (its proxy strings), not the others'", () => {
    const { client, stale } = cached();
    invalidateChanged(client, { type: "accounts", keys: [alice] });
    expect(stale(accountKeys.detail(alice))).toBe(true);
    expect(stale(transferKeys.links(alice))).toBe(true);
    expect(stale(accountKeys.dashboard)).toBe(true);
    expect(stale(accountKeys.detail(bob))).toBe(false);
    expect(stale(transferKeys.links(bob))).toBe(false);
    expect(stale(transferKeys.qr("vless://x"))).toBe(false);
  });

  it("after a panel's sync refetch every detail and every account's links", () => {
    const { client, stale } = cached();
    invalidateChanged(client, { type: "panel", panelId: "p1" });
    for (const key of [accountKeys.detail(alice), accountKeys.detail(bob), transferKeys.links(alice), transferKeys.links(bob)]) {
      expect(stale(key)).toBe(true);
    }
    expect(stale(transferKeys.qr("vless://x"))).toBe(false);
  });
});
