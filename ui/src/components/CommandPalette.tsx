import { Command as Cmdk } from "cmdk";
import { Dialog } from "radix-ui";
import { useTranslation } from "react-i18next";

import type { Command } from "./commands";

const GROUPS: Command["group"][] = ["actions", "pages", "views", "panels"];

/**
 * The command palette (Ctrl+K): type to filter pages, actions, saved views and panels; arrows
 * and Enter pick one. A Radix dialog around cmdk's list.
 */
export function CommandPalette({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const { t } = useTranslation();
  const run = (c: Command) => {
    onClose();
    // After the dialog is gone, so focus moves from where it returned to.
    window.setTimeout(c.run, 0);
  };
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="backdrop" />
        <Dialog.Content className="dialog palette" aria-describedby={undefined} data-testid="command-palette">
          <Dialog.Title className="visually-hidden">{t("win.palette")}</Dialog.Title>
          <Cmdk label={t("win.palette")} loop>
            <Cmdk.Input className="palette-input" placeholder={t("win.palettePlaceholder")} data-testid="palette-input" />
            <Cmdk.List className="palette-list">
              <Cmdk.Empty className="muted palette-empty">{t("win.paletteEmpty")}</Cmdk.Empty>
              {GROUPS.map((group) => {
                const items = commands.filter((c) => c.group === group);
                if (items.length === 0) return null;
                return (
                  <Cmdk.Group key={group} heading={t(`win.group.${group}`)} className="palette-group">
                    {items.map((c) => (
                      <Cmdk.Item
                        key={c.id}
                        value={`${c.id} ${c.label}`}
                        keywords={c.keywords}
                        className="palette-item"
                        onSelect={() => run(c)}
                        data-testid={`command-${c.id}`}
                      >
                        <span className="ellipsis">{c.label}</span>
                        {c.shortcut && <kbd>{c.shortcut}</kbd>}
                      </Cmdk.Item>
                    ))}
                  </Cmdk.Group>
                );
              })}
            </Cmdk.List>
          </Cmdk>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
