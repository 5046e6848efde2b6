import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { ImportOptions, PanelView, PlanPreview } from "../../api/types";
import { MultiCombobox } from "../../components/Combobox";
import { formatCount } from "../../util/format";
import { useCreateOptions } from "../accounts/AccountFields";
import type { OptionsDraft } from "./PlanOptionsFields";

/** Rows that no inbound of the 3x-ui target fits ("choose inbounds to attach"). */
export function rowsWithoutInbound(preview: PlanPreview): number {
  return preview.rows.filter((r) => r.reason?.code === "noInboundFits").length;
}

/**
 * The inbounds picked in the conflict fix. Kept in a ref, because the preview runs again in
 * the same click; also written into the form's inbound field, and forgotten once the user
 * edits that field.
 */
export function useInboundChoice(draft: OptionsDraft, setDraft: (d: OptionsDraft) => void) {
  const chosen = useRef<number[] | null>(null);
  return {
    chosen: () => chosen.current ?? [],
    /** The options the next preview is made with. */
    withChoice: (o: ImportOptions): ImportOptions => (chosen.current ? { ...o, xuiInboundIds: chosen.current } : o),
    apply: (ids: number[], again: () => void) => {
      chosen.current = ids;
      setDraft({ ...draft, inbounds: ids.join(", ") });
      again();
    },
    /** The form's own change: a typed inbound list replaces the picked one. */
    onDraft: (d: OptionsDraft) => {
      if (d.inbounds !== draft.inbounds) chosen.current = null;
      setDraft(d);
    },
  };
}

type Props = {
  preview: PlanPreview;
  target: PanelView | undefined;
  /** The inbounds the current preview was made with. */
  chosen: number[];
  /** Previews again with these inbounds for the rows that fit none of their own. */
  onApply: (inboundIds: number[]) => void;
};

/**
 * The fix for "no inbound of this panel fits": where the conflict shows, pick the target's
 * inbounds to attach those rows to, and preview again with them.
 */
export function InboundConflictFix({ preview, target, chosen, onApply }: Props) {
  const { t, i18n } = useTranslation();
  const count = rowsWithoutInbound(preview);
  const xui = target?.kind === "xui";
  const options = useCreateOptions(count > 0 && xui ? target.id : null);
  const [picked, setPicked] = useState<number[]>(chosen);
  if (count === 0 || !xui) return null;
  const inbounds = options.data?.kind === "xui" ? options.data.inbounds : [];
  const same = picked.length === chosen.length && picked.every((id) => chosen.includes(id));
  return (
    <div className="notice warn conflict-fix" data-testid="inbound-fix">
      <p>{t("conflictFix.inbounds", { count, n: formatCount(count, i18n.language) })}</p>
      <div className="conflict-fix-row">
        <div className="inbound-fix-picker">
          <MultiCombobox
            label={t("importDialog.inboundsOnPanel")}
            options={inbounds.map((inbound) => ({
              value: String(inbound.id),
              label: `${inbound.id} ${inbound.remark || inbound.protocol}`,
              hint: inbound.enable ? inbound.protocol : `${inbound.protocol} · ${t("importDialog.inboundDisabled")}`,
            }))}
            values={picked.map(String)}
            onChange={(ids) => setPicked(ids.map(Number))}
            summary={picked.length === 0 ? t("conflictFix.choose") : t("conflictFix.chosen", { count: picked.length })}
            disabled={inbounds.length === 0}
            testId="inbound-fix-picker"
          />
        </div>
        <button type="button" className="primary" disabled={picked.length === 0 || same} onClick={() => onApply(picked)} data-testid="inbound-fix-apply">
          {t("conflictFix.apply")}
        </button>
      </div>
    </div>
  );
}
