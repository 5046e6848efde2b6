import { DropdownMenu } from "radix-ui";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import type { AccountQuery } from "../../api/types";
import { useRegisterCommands } from "../../components/commands";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import type { AccountsTableModel, Layout } from "./accountColumns";
import { initialQuery } from "./AccountsView";

/** A named table: its search, filters and sort, and its columns. */
export type SavedView = { name: string; query: Omit<AccountQuery, "offset" | "limit">; layout: Layout };

const KEY = "paneldeck.views";

/** What a view keeps of a query: everything but the window of rows. */
export function viewQuery(q: AccountQuery): SavedView["query"] {
  const kept: Partial<AccountQuery> = { ...q };
  delete kept.offset;
  delete kept.limit;
  return kept as SavedView["query"];
}

function savedViews(): SavedView[] {
  try {
    const views = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(views) ? (views as SavedView[]).filter((v) => typeof v?.name === "string" && v.query && v.layout) : [];
  } catch {
    return [];
  }
}

/** The saved views, kept in localStorage; a view saved under a taken name replaces it. */
export function useSavedViews(): [SavedView[], (v: SavedView) => void, (name: string) => void] {
  const [views, setViews] = useState<SavedView[]>(savedViews);
  useEffect(() => localStorage.setItem(KEY, JSON.stringify(views)), [views]);
  const save = (v: SavedView) => setViews((all) => [...all.filter((x) => x.name !== v.name), v].sort((a, b) => a.name.localeCompare(b.name)));
  const remove = (name: string) => setViews((all) => all.filter((x) => x.name !== name));
  return [views, save, remove];
}

type Props = { query: AccountQuery; onQuery: (q: AccountQuery) => void; model: AccountsTableModel };

/** The toolbar's "Views" menu: put a saved view back, save the current one, delete one. */
export function SavedViewsMenu({ query, onQuery, model }: Props) {
  const { t } = useTranslation();
  const [views, save, remove] = useSavedViews();
  const [naming, setNaming] = useState(false);
  const apply = (v: SavedView) => {
    onQuery({ ...initialQuery, ...v.query });
    model.setLayout(v.layout);
  };
  useRegisterCommands(
    "views",
    views.map((v) => ({ id: `view-${v.name}`, label: t("win.views.apply", { name: v.name }), group: "views", keywords: [v.name], run: () => apply(v) })),
  );
  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <button type="button" data-testid="views-menu">
            {t("win.views.title")} ▾
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
            {views.length === 0 && <DropdownMenu.Label className="menu-label">{t("win.views.none")}</DropdownMenu.Label>}
            {views.map((v) => (
              <DropdownMenu.Item key={v.name} className="menu-item" onSelect={() => apply(v)} data-testid="view-item">
                <span className="ellipsis" dir="auto">
                  {v.name}
                </span>
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Separator className="menu-sep" />
            <DropdownMenu.Item className="menu-item" onSelect={() => setNaming(true)} data-testid="view-save">
              {t("win.views.save")}
            </DropdownMenu.Item>
            {views.length > 0 && (
              <DropdownMenu.Sub>
                <DropdownMenu.SubTrigger className="menu-item">{t("win.views.delete")} ›</DropdownMenu.SubTrigger>
                <DropdownMenu.Portal>
                  <DropdownMenu.SubContent className="menu">
                    {views.map((v) => (
                      <DropdownMenu.Item key={v.name} className="menu-item" onSelect={() => remove(v.name)}>
                        <span className="ellipsis" dir="auto">
                          {v.name}
                        </span>
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.SubContent>
                </DropdownMenu.Portal>
              </DropdownMenu.Sub>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {naming && (
        <SaveViewDialog
          onClose={() => setNaming(false)}
          onSave={(name) => {
            save({ name, query: viewQuery(query), layout: model.layout });
            setNaming(false);
          }}
        />
      )}
    </>
  );
}

function SaveViewDialog({ onSave, onClose }: { onSave: (name: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const trimmed = name.trim();
  return (
    <Dialog
      title={t("win.views.save")}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <span className="spacer" />
          <button type="button" className="primary" disabled={trimmed === ""} onClick={() => onSave(trimmed)} data-testid="view-save-confirm">
            {t("common.save")}
          </button>
        </>
      }
    >
      <p className="muted small">{t("win.views.hint")}</p>
      <Field label={t("win.views.name")}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t("win.views.example")} data-testid="view-name" dir="auto" />
      </Field>
    </Dialog>
  );
}
