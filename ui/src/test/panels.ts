import type { PanelView } from "../api/types";

/** A panel as the registry lists it, for screens that only need its id, name and kind. */
export const panelView = (id: string, name: string, kind: PanelView["kind"]): PanelView => ({
  id,
  name,
  kind,
  baseUrl: `https://${id}.example/`,
  color: "#16a34a",
  tag: "",
  pinnedCert: null,
  settings: { username: "admin", keyInQuery: false },
  createdAt: 0,
  updatedAt: 0,
});
