import { expect, it } from "vitest";

import type { PanelKind, PanelView } from "../../api/types";
import { defaultTarget } from "./MigrateDialog";

const panel = (id: string, kind: PanelKind) => ({ id, kind, name: id }) as PanelView;

it("migrates to a panel of the same kind, else to another proxy panel, never to a game panel first", () => {
  const panels = [panel("x1", "xui"), panel("g1", "pterodactyl"), panel("m1", "marzban"), panel("x2", "xui")];
  expect(defaultTarget(panels, "x1")).toBe("x2");
  expect(defaultTarget([panel("x1", "xui"), panel("g1", "pterodactyl"), panel("m1", "marzban")], "x1")).toBe("m1");
  expect(defaultTarget([panel("g1", "pterodactyl"), panel("x1", "xui"), panel("g2", "pterodactyl")], "g1")).toBe("g2");
  // Nothing better: any other panel.
  expect(defaultTarget([panel("x1", "xui"), panel("g1", "pterodactyl")], "x1")).toBe("g1");
  expect(defaultTarget([panel("x1", "xui")], "x1")).toBe("");
});
