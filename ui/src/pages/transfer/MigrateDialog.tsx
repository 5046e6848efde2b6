import { useState } from "react";
import { useTranslation } from "react-i18next";

import { previewMigration } from "../../api/transfer";
import type { AccountSelection, PanelView } from "../../api/types";
import { Field } from "../../components/Field";
import { PanelPicker } from "../../components/PanelPicker";
import { fieldErrorText } from "../../i18n/backendText";
import { InboundConflictFix, useInboundChoice } from "./InboundConflictFix";
import { PlanFlowDialog } from "./PlanFlowDialog";
import { blankOptions, PlanOptionsFields, toImportOptions, type OptionsDraft } from "./PlanOptionsFields";

type Props = {
  panels: PanelView[];
  /** The accounts picked in the table, if any: the migration can be limited to them. */
  selected?: { selection: AccountSelection; description: string } | null;
  onClose: () => void;
};

/**
 * The panel a migration from `fromId` goes to unless the user picks one: another panel of the
 * same kind, else another proxy panel (a game panel's subusers are no proxy accounts, and the
 * other way round), else any other.
 */
export function defaultTarget(panels: PanelView[], fromId: string): string {
  const from = panels.find((p) => p.id === fromId);
  const others = panels.filter((p) => p.id !== fromId);
  const game = (p: PanelView) => p.kind === "pterodactyl";
  const pick =
    others.find((p) => p.kind === from?.kind) ?? others.find((p) => from !== undefined && game(p) === game(from)) ?? others[0];
  return pick?.id ?? "";
}

/** Copy one panel's accounts (all, or the selected ones on it) onto another panel. */
export function MigrateDialog({ panels, selected, onClose }: Props) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(panels[0]?.id ?? "");
  const [to, setTo] = useState(() => defaultTarget(panels, panels[0]?.id ?? ""));
  /** The user chose the target: a new source no longer moves it (unless onto the source). */
  const [toChosen, setToChosen] = useState(false);
  const [onlySelected, setOnlySelected] = useState(Boolean(selected));
  const [draft, setDraft] = useState<OptionsDraft>(blankOptions);
  const target = panels.find((p) => p.id === to);
  const options = toImportOptions(draft, target);
  const inbounds = useInboundChoice(draft, setDraft);
  const same = from !== "" && from === to;

  const chooseFrom = (id: string) => {
    setFrom(id);
    // The two must differ: move the target off the new source.
    if (id === to || !toChosen) setTo(defaultTarget(panels, id));
  };

  return (
    <PlanFlowDialog
      title={t("migrate.title")}
      canPreview={from !== "" && target !== undefined && !same && "options" in options}
      makePreview={() => {
        if (!("options" in options)) throw new Error("unreachable: the preview button is disabled");
        return previewMigration(from, to, onlySelected && selected ? selected.selection : null, inbounds.withChoice(options.options));
      }}
      previewExtra={(preview, again) => (
        <InboundConflictFix preview={preview.preview} target={target} chosen={inbounds.chosen()} onApply={(ids) => inbounds.apply(ids, again)} />
      )}
      confirmLabel={(count) => t("migrate.confirm", { count })}
      onClose={onClose}
      form={(error) => (
        <>
          <p className="muted small">{t("migrate.intro")}</p>
          {panels.length < 2 && <p className="notice warn">{t("migrate.needsTwo")}</p>}
          <div className="row">
            <Field label={t("migrate.from")} error={fieldErrorText(t, error, "from")}>
              <PanelPicker label={t("migrate.from")} panels={panels} value={from} onChange={chooseFrom} testId="migrate-from" />
            </Field>
            <Field
              label={t("migrate.to")}
              error={same ? t("migrate.samePanel") : fieldErrorText(t, error, "to")}
            >
              <PanelPicker
                label={t("migrate.to")}
                panels={panels.filter((p) => p.id !== from)}
                value={to}
                onChange={(id) => {
                  setTo(id);
                  setToChosen(true);
                }}
                testId="migrate-to"
              />
            </Field>
          </div>
          {selected && (
            <label className="check">
              <input
                type="checkbox"
                checked={onlySelected}
                onChange={(e) => setOnlySelected(e.target.checked)}
                data-testid="migrate-only-selected"
              />
              {t("migrate.onlySelected", { description: selected.description })}
            </label>
          )}
          <PlanOptionsFields target={target} draft={draft} onChange={inbounds.onDraft} error={error} />
        </>
      )}
    />
  );
}
