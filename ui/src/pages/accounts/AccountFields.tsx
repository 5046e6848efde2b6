import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { unwrap } from "../../api/client";
import type { CreateOptions, PanelId } from "../../api/types";
import { commands } from "../../bindings";
import { chosenSummary, MultiCombobox } from "../../components/Combobox";
import { Field } from "../../components/Field";
import type { AccountDraft, ExpiryMode } from "./accountForms";

export function useCreateOptions(panelId: PanelId | null) {
  return useQuery({
    queryKey: ["createOptions", panelId],
    queryFn: () => unwrap(commands.accountCreateOptions(panelId ?? "")),
    enabled: panelId !== null,
    staleTime: 60_000,
  });
}

type Props = {
  draft: AccountDraft;
  set: <K extends keyof AccountDraft>(key: K, value: AccountDraft[K]) => void;
  errors: (field: string) => string | undefined;
  mode: "edit" | "create";
  options: CreateOptions | undefined;
};

function flip<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

/** The fields of one kind's account form; which appear depends on the kind and the mode. */
export function AccountFields({ draft: d, set, errors, mode, options }: Props) {
  const { t } = useTranslation();
  const k = d.kind;
  const nameLabel = k === "xui" || k === "pterodactyl" ? t("detail.email") : t("form.username");
  const nameEditable = mode === "create" || k === "xui";
  const inboundOptions =
    options?.kind === "xui" ? options.inbounds.map((ib) => ({ value: String(ib.id), label: ib.remark || String(ib.id), hint: `${ib.protocol} · ${ib.port}` })) : [];
  const serverOptions = options?.kind === "pterodactyl" ? options.servers.map((s) => ({ value: s.identifier, label: s.name })) : [];
  return (
    <div className="form-grid">
      {nameEditable && (
        <Field label={nameLabel} error={errors(k === "xui" ? "email" : k === "marzban" ? "username" : k === "userpass" ? "userName" : "email")}>
          <input name="accountName" dir="ltr" value={d.name} onChange={(e) => set("name", e.target.value)} />
        </Field>
      )}
      {k === "userpass" && mode === "create" && (
        <Field label={t("form2.password")} hint={t("form2.passwordHint")} error={errors("password")}>
          <input name="password" dir="ltr" value={d.password} onChange={(e) => set("password", e.target.value)} />
        </Field>
      )}
      {k === "xui" && mode === "create" && options?.kind === "xui" && (
        <Field label={t("detail.inbounds")} error={errors("inboundIds")}>
          <MultiCombobox
            label={t("detail.inbounds")}
            options={inboundOptions}
            values={d.inboundIds.map(String)}
            onChange={(ids) => set("inboundIds", ids.map(Number))}
            summary={chosenSummary(inboundOptions, d.inboundIds.map(String), t)}
            testId="create-inbounds"
          />
        </Field>
      )}
      {k === "marzban" && mode === "create" && (
        <fieldset className="group">
          <legend>{t("form2.proxies")}</legend>
          {errors("proxies") && <span className="field-error">{errors("proxies")}</span>}
          {(["vless", "vmess", "trojan", "shadowsocks"] as const).map((p) => (
            <label key={p} className="check">
              <input type="checkbox" checked={d.marzbanProtocols.includes(p)} onChange={() => set("marzbanProtocols", flip(d.marzbanProtocols, p))} />
              {p}
            </label>
          ))}
        </fieldset>
      )}
      {k === "pterodactyl" && mode === "create" && options?.kind === "pterodactyl" && (
        <Field label={t("detail.servers")} error={errors("serverIds")}>
          <MultiCombobox
            label={t("detail.servers")}
            options={serverOptions}
            values={d.serverIds}
            onChange={(ids) => set("serverIds", ids)}
            summary={chosenSummary(serverOptions, d.serverIds, t)}
            testId="create-servers"
          />
        </Field>
      )}
      {k !== "pterodactyl" && (
        <div className="row">
          <Field label={t("form2.limitGib")} hint={t("form2.blankUnlimited")} error={errors("limit") ?? errors("totalBytes") ?? errors("dataLimitBytes") ?? errors("usageCapBytes")}>
            <input name="limitGib" inputMode="decimal" dir="ltr" value={d.limitGib} onChange={(e) => set("limitGib", e.target.value)} />
          </Field>
          {(k === "xui" || k === "userpass") && (
            <Field label={t("detail.ipLimit")} hint={t("form2.blankUnlimited")} error={errors("ipLimit") ?? errors("limitIp") ?? errors("ipUsageCap")}>
              <input name="ipLimit" inputMode="numeric" dir="ltr" value={d.ipLimit} onChange={(e) => set("ipLimit", e.target.value)} />
            </Field>
          )}
        </div>
      )}
      {(k === "xui" || k === "marzban") && (
        <fieldset className="group">
          <legend>{t("accounts.col.expiry")}</legend>
          <div className="segmented">
            {((k === "xui" ? ["never", "at", "afterFirstUse"] : ["never", "at"]) as ExpiryMode[]).map((m) => (
              <label key={m}>
                <input type="radio" name="expiryMode" checked={d.expiryMode === m} onChange={() => set("expiryMode", m)} />
                {t(`form2.expiry.${m}`)}
              </label>
            ))}
          </div>
          {d.expiryMode === "at" && <input type="datetime-local" name="expiresAt" value={d.expiresAt} onChange={(e) => set("expiresAt", e.target.value)} />}
          {d.expiryMode === "afterFirstUse" && (
            <label className="inline">
              <input name="afterFirstUseDays" inputMode="numeric" className="small-input" value={d.afterFirstUseDays} onChange={(e) => set("afterFirstUseDays", e.target.value)} />
              {t("form2.daysFromFirstUse")}
            </label>
          )}
          {(errors("expiry") ?? errors("expire")) && <span className="field-error">{errors("expiry") ?? errors("expire")}</span>}
        </fieldset>
      )}
      {k === "marzban" && (
        <>
          <Field label={t("form2.resetStrategy")} error={errors("dataLimitResetStrategy")}>
            <select value={d.resetStrategy} onChange={(e) => set("resetStrategy", e.target.value as AccountDraft["resetStrategy"])}>
              {(["no_reset", "day", "week", "month", "year"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`form2.reset.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <label className="check">
            <input type="checkbox" checked={d.onHold} onChange={(e) => set("onHold", e.target.checked)} />
            {t("form2.onHold")}
          </label>
          {d.onHold && (
            <label className="inline">
              <input className="small-input" inputMode="numeric" value={d.afterFirstUseDays} onChange={(e) => set("afterFirstUseDays", e.target.value)} />
              {t("form2.daysFromFirstUse")}
            </label>
          )}
        </>
      )}
      {k === "xui" && (
        <Field label={t("accounts.group")} error={errors("group")}>
          <input name="group" value={d.group} onChange={(e) => set("group", e.target.value)} />
        </Field>
      )}
      {k !== "pterodactyl" && (
        <Field label={t("detail.note")} error={errors("note") ?? errors("comment")}>
          <input name="note" dir="auto" value={d.note} onChange={(e) => set("note", e.target.value)} />
        </Field>
      )}
      {k !== "pterodactyl" && mode === "edit" && (
        <label className="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          {t("form2.enabled")}
        </label>
      )}
      {k === "pterodactyl" && options?.kind === "pterodactyl" && (
        <fieldset className="group permissions">
          <legend>{t("detail.permissions")}</legend>
          {errors("permissions") && <span className="field-error">{errors("permissions")}</span>}
          {options.permissionGroups.map((g) => (
            <div key={g.name} className="perm-group" title={g.description}>
              <strong>{g.name}</strong>
              {g.permissions.map((p) => (
                <label key={p.key} className="check" title={p.description}>
                  <input type="checkbox" checked={d.permissions.includes(p.key)} onChange={() => set("permissions", flip(d.permissions, p.key))} />
                  <span className="mono">{p.key}</span>
                </label>
              ))}
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}
