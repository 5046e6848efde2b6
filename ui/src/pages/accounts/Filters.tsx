import { useTranslation } from "react-i18next";

import type { AccountQuery, AccountStatus, PanelKind, PanelView } from "../../api/types";
import { MultiCombobox } from "../../components/Combobox";
import { panelOptions } from "../../components/PanelPicker";
import { KINDS } from "../panelForm";

export const STATUSES: AccountStatus[] = ["active", "disabled", "expired", "depleted", "on_hold", "limited"];

type Props = { query: AccountQuery; panels: PanelView[]; onChange: (q: AccountQuery) => void };

function flip<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

/** The filter bar: toggle chips, a panel picker to type into and small selects, applied in Rust. */
export function Filters({ query, panels, onChange }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<AccountQuery>) => onChange({ ...query, ...patch });
  const panelSummary = (ids: string[]) => {
    if (ids.length === 0) return t("win.allPanels");
    const only = ids.length === 1 ? panels.find((p) => p.id === ids[0]) : undefined;
    return only ? only.name : t("win.panelsChosen", { count: ids.length });
  };
  return (
    <div className="filters" role="group" aria-label={t("accounts.filters")}>
      <div className="chips">
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={query.statuses.includes(s) ? "chip on" : "chip"}
            aria-pressed={query.statuses.includes(s)}
            onClick={() => set({ statuses: flip(query.statuses, s) })}
            data-testid={`status-${s}`}
          >
            {t(`status.${s}`)}
          </button>
        ))}
      </div>
      <div className="chips">
        {KINDS.map((k: PanelKind) => (
          <button
            key={k}
            type="button"
            data-testid={`kind-${k}`}
            className={query.kinds.includes(k) ? "chip on" : "chip"}
            aria-pressed={query.kinds.includes(k)}
            onClick={() => set({ kinds: flip(query.kinds, k) })}
          >
            {t(`kinds.${k}`)}
          </button>
        ))}
      </div>
      <div className="chips">
        <div className="panel-filter">
          <MultiCombobox
            label={t("win.panelFilter")}
            options={panelOptions(panels, t)}
            values={query.panelIds}
            onChange={(panelIds) => set({ panelIds })}
            summary={panelSummary(query.panelIds)}
            testId="panel-filter"
          />
        </div>
        <label className="inline">
          {t("accounts.expiringWithin")}
          <select
            value={query.expiringWithinDays ?? ""}
            onChange={(e) => set({ expiringWithinDays: e.target.value === "" ? null : Number(e.target.value) })}
          >
            <option value="">{t("accounts.any")}</option>
            {[1, 3, 7, 30].map((d) => (
              <option key={d} value={d}>
                {t("accounts.days", { count: d })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={query.depleted ? "chip on" : "chip"} aria-pressed={query.depleted} onClick={() => set({ depleted: !query.depleted })}>
          {t("accounts.depletedOnly")}
        </button>
        <button
          type="button"
          className={query.online === true ? "chip on" : "chip"}
          aria-pressed={query.online === true}
          onClick={() => set({ online: query.online === true ? null : true })}
        >
          {t("accounts.onlineOnly")}
        </button>
        <input
          className="small-input"
          placeholder={t("accounts.group")}
          value={query.group ?? ""}
          onChange={(e) => set({ group: e.target.value.trim() === "" ? null : e.target.value })}
        />
        <input
          className="small-input"
          placeholder={t("accounts.protocol")}
          value={query.protocol ?? ""}
          onChange={(e) => set({ protocol: e.target.value.trim() === "" ? null : e.target.value })}
        />
      </div>
    </div>
  );
}
