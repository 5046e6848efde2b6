import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import type { PanelView } from "../api/types";
import { Combobox, type ComboOption } from "./Combobox";

/** Panels as combobox choices: the name, its colour, and the kind as the hint. */
export function panelOptions(panels: PanelView[], t: TFunction): ComboOption[] {
  return panels.map((p) => ({ value: p.id, label: p.name, hint: t(`kinds.${p.kind}`), color: p.color }));
}

type Props = { label: string; panels: PanelView[]; value: string; onChange: (id: string) => void; testId?: string };

/** Picks one panel of however many, by typing part of its name or kind. */
export function PanelPicker({ label, panels, value, onChange, testId }: Props) {
  const { t } = useTranslation();
  return <Combobox label={label} options={panelOptions(panels, t)} value={value} onChange={onChange} {...(testId ? { testId } : {})} />;
}
