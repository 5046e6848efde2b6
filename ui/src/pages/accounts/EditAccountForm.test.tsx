import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { AccountDetail } from "../../api/types";
import { blankDraft, rebaseDraft } from "./accountForms";
import { EditAccountForm } from "./EditAccountForm";

const DAY = 86_400_000;
const T0 = Date.UTC(2027, 0, 10);

function detail(over: { expiresAtMs?: number; limitBytes?: number; note?: string }): AccountDetail {
  return {
    account: {
      key: { panelId: "p1", nativeId: "alice" },
      kind: "marzban",
      name: "alice",
      status: "active",
      enabled: true,
      usedBytes: 0,
      limitBytes: over.limitBytes ?? 10 * 1024 ** 3,
      expiresAtMs: over.expiresAtMs ?? T0,
      expireAfterFirstUseMs: null,
      ipLimit: null,
      note: over.note ?? "old note",
      group: null,
      permissions: [],
    },
    panel: { id: "p1", kind: "marzban" },
    raw: { data_limit_reset_strategy: "no_reset" },
  } as unknown as AccountDetail;
}

const seenBefore = detail({});
const onPanelNow = detail({ expiresAtMs: T0 + 5 * DAY, limitBytes: 20 * 1024 ** 3 });

const accountEdit = vi.fn();
const accountDetail = vi.fn(async () => ({ status: "ok", data: onPanelNow }));

vi.mock("../../bindings", () => ({
  commands: {
    accountEdit: (...args: unknown[]) => accountEdit(...args),
    accountDetail: () => accountDetail(),
    accountCreateOptions: async () => ({ status: "ok", data: { kind: "marzban", inbounds: [], templates: [] } }),
  },
  events: {},
}));

describe("edit account form", () => {
  it("keeps edited fields and takes the panel's value for the rest", () => {
    const shown = { ...blankDraft("marzban"), note: "a", limitGib: "10", ipLimit: "" };
    const mine = { ...shown, note: "mine" };
    const now = { ...shown, note: "theirs", limitGib: "20" };
    expect(rebaseDraft(mine, shown, now)).toEqual({ ...shown, note: "mine", limitGib: "20" });
  });

  it("sends nothing stale: after a change on the panel it shows what changed and saves the rebased form", async () => {
    accountEdit.mockResolvedValueOnce({
      status: "error",
      error: {
        code: "changed_on_panel",
        message: "changed on the panel since the form was opened",
        fields: [],
        fingerprint: null,
        changes: [{ field: "limit", before: { type: "bytes", bytes: 10 * 1024 ** 3 }, after: { type: "bytes", bytes: 20 * 1024 ** 3 } }],
      },
    });
    accountEdit.mockResolvedValueOnce({ status: "ok", data: { nativeId: "alice", message: null, secret: null, journal: null } });
    const done = vi.fn();
    const client = new QueryClient();
    render(
      <QueryClientProvider client={client}>
        <EditAccountForm detail={seenBefore} onDone={done} />
      </QueryClientProvider>,
    );
    const note = document.querySelector<HTMLTextAreaElement | HTMLInputElement>("[name=note]");
    if (!note) throw new Error("no note field");
    fireEvent.change(note, { target: { value: "new note" } });
    fireEvent.click(screen.getByTestId("save-account"));

    await screen.findByTestId("changed-on-panel");
    const [, firstEdit, firstSeen] = accountEdit.mock.calls[0] ?? [];
    expect(firstSeen).toEqual(seenBefore.account);
    expect(firstEdit).toMatchObject({ note: "new note", dataLimitBytes: 10 * 1024 ** 3 });
    expect(done).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId("save-account"));
    await waitFor(() => expect(done).toHaveBeenCalled());
    const [, edit, seen] = accountEdit.mock.calls[1] ?? [];
    expect(seen).toEqual(onPanelNow.account);
    expect(edit).toMatchObject({ note: "new note", dataLimitBytes: 20 * 1024 ** 3 });
    expect(edit.expire).toEqual({ type: "at", ms: T0 + 5 * DAY });
  });
});
