import { renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Alert_Serialize } from "../bindings";
import { setLanguage } from "../i18n";
import { useAlertText } from "./RaisedAlerts";

const expiring: Alert_Serialize = {
  kind: { code: "accountsExpiring", withinDays: 3 },
  atMs: 0,
  count: 37,
  names: ["maria.vip-0001"],
  accounts: [],
  filter: null,
};

describe("alert wording", () => {
  it("words the typed alert in the UI's language, counting accounts by plural rules", () => {
    setLanguage("en");
    const { result, rerender } = renderHook(() => useAlertText());
    expect(result.current(expiring)).toBe("37 accounts expire within 3 days");
    expect(result.current({ ...expiring, kind: { code: "accountsDepleted" }, count: 1 })).toBe("1 account is out of traffic");
    setLanguage("ru");
    rerender();
    expect(result.current({ ...expiring, count: 5 })).toBe("5 аккаунтов истекают в течение 3 дн.");
    setLanguage("en");
  });
});
