import { useTranslation } from "react-i18next";

import { Field } from "../../components/Field";
import { ACTIONS, type ActionDraft, type CapMode } from "./actions";

type Props = {
  draft: ActionDraft;
  set: <K extends keyof ActionDraft>(key: K, value: ActionDraft[K]) => void;
  errors: (field: string) => string | undefined;
};

const CAP_MODES: CapMode[] = ["keep", "unlimited", "to"];

/** The action menu and the inputs of the action chosen. */
export function ActionFields({ draft: d, set, errors }: Props) {
  const { t } = useTranslation();
  return (
    <div className="form-grid bulk-form">
      <Field label={t("bulk.action")} hint={t(`bulk.hint.${d.type}`)}>
        <select data-testid="bulk-action" value={d.type} onChange={(e) => set("type", e.target.value as ActionDraft["type"])}>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`bulk.actions.${a}`)}
            </option>
          ))}
        </select>
      </Field>

      {d.type === "delete" && (
        <label className="check">
          <input
            type="checkbox"
            data-testid="bulk-keep-traffic"
            checked={d.keepTraffic}
            onChange={(e) => set("keepTraffic", e.target.checked)}
          />
          <span>{t("bulk.keepTraffic")}</span>
        </label>
      )}

      {d.type === "extendExpiry" && (
        <Field label={t("bulk.days")} error={errors("days")}>
          <input name="days" inputMode="numeric" dir="ltr" data-testid="bulk-days" value={d.days} onChange={(e) => set("days", e.target.value)} />
        </Field>
      )}

      {d.type === "setExpiry" && (
        <>
          <label className="check">
            <input type="checkbox" checked={d.expiryNever} onChange={(e) => set("expiryNever", e.target.checked)} data-testid="bulk-never" />
            <span>{t("bulk.expiryNever")}</span>
          </label>
          {!d.expiryNever && (
            <Field label={t("bulk.expiryAt")} error={errors("ms")}>
              <input
                type="datetime-local"
                name="expiryAt"
                data-testid="bulk-expiry-at"
                value={d.expiryAt}
                onChange={(e) => set("expiryAt", e.target.value)}
              />
            </Field>
          )}
        </>
      )}

      {d.type === "addTraffic" && (
        <Field label={t("bulk.addGib")} error={errors("bytes")}>
          <input name="gib" inputMode="decimal" dir="ltr" data-testid="bulk-gib" value={d.gib} onChange={(e) => set("gib", e.target.value)} />
        </Field>
      )}

      {d.type === "setTrafficLimit" && (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={d.limitUnlimited}
              onChange={(e) => set("limitUnlimited", e.target.checked)}
              data-testid="bulk-unlimited"
            />
            <span>{t("bulk.unlimited")}</span>
          </label>
          {!d.limitUnlimited && (
            <Field label={t("bulk.limitGib")} error={errors("bytes")}>
              <input name="gib" inputMode="decimal" dir="ltr" data-testid="bulk-gib" value={d.gib} onChange={(e) => set("gib", e.target.value)} />
            </Field>
          )}
        </>
      )}

      {(d.type === "attachInbounds" || d.type === "detachInbounds") && (
        <Field label={t("bulk.inboundIds")} hint={t("bulk.inboundIdsHint")} error={errors("inboundIds")}>
          <input
            name="inboundIds"
            dir="ltr"
            data-testid="bulk-inbounds"
            value={d.inboundIds}
            onChange={(e) => set("inboundIds", e.target.value)}
          />
        </Field>
      )}

      {d.type === "addToGroup" && (
        <Field label={t("bulk.group")} error={errors("group")}>
          <input name="group" dir="auto" data-testid="bulk-group" value={d.group} onChange={(e) => set("group", e.target.value)} />
        </Field>
      )}

      {d.type === "applyTemplate" && (
        <Field label={t("bulk.templateId")} hint={t("bulk.templateIdHint")} error={errors("templateId")}>
          <input
            name="templateId"
            inputMode="numeric"
            dir="ltr"
            data-testid="bulk-template"
            value={d.templateId}
            onChange={(e) => set("templateId", e.target.value)}
          />
        </Field>
      )}

      {d.type === "setCaps" && (
        <>
          <CapField
            label={t("bulk.usageCap")}
            unit={t("bulk.gibUnit")}
            mode={d.usageCap}
            value={d.usageCapGib}
            error={errors("usageCapBytes")}
            testId="bulk-usage-cap"
            onMode={(m) => set("usageCap", m)}
            onValue={(v) => set("usageCapGib", v)}
          />
          <CapField
            label={t("bulk.ipCap")}
            unit={t("bulk.ipUnit")}
            mode={d.ipCap}
            value={d.ipCapCount}
            error={errors("ipUsageCap")}
            testId="bulk-ip-cap"
            onMode={(m) => set("ipCap", m)}
            onValue={(v) => set("ipCapCount", v)}
          />
          {errors("caps") && (
            <span className="field-error" role="alert">
              {errors("caps")}
            </span>
          )}
        </>
      )}

      {d.type === "setStatus" && (
        <Field label={t("bulk.status")}>
          <select data-testid="bulk-status" value={d.status} onChange={(e) => set("status", e.target.value as ActionDraft["status"])}>
            <option value="active">{t("status.active")}</option>
            <option value="disabled">{t("status.disabled")}</option>
          </select>
        </Field>
      )}

      {(d.type === "grantPermissions" || d.type === "revokePermissions" || d.type === "setPermissions") && (
        <Field label={t("bulk.permissions")} hint={t("bulk.permissionsHint")} error={errors("permissions")}>
          <input
            name="permissions"
            dir="ltr"
            className="mono"
            data-testid="bulk-permissions"
            placeholder="control.start, control.console"
            value={d.permissions}
            onChange={(e) => set("permissions", e.target.value)}
          />
        </Field>
      )}
    </div>
  );
}

type CapProps = {
  label: string;
  unit: string;
  mode: CapMode;
  value: string;
  error: string | undefined;
  testId: string;
  onMode: (m: CapMode) => void;
  onValue: (v: string) => void;
};

function CapField({ label, unit, mode, value, error, testId, onMode, onValue }: CapProps) {
  const { t } = useTranslation();
  return (
    <Field label={label} error={error}>
      <span className="bulk-cap">
        <select aria-label={label} data-testid={`${testId}-mode`} value={mode} onChange={(e) => onMode(e.target.value as CapMode)}>
          {CAP_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`bulk.cap.${m}`)}
            </option>
          ))}
        </select>
        {mode === "to" && (
          <>
            <input
              aria-label={`${label} (${unit})`}
              inputMode="decimal"
              dir="ltr"
              data-testid={`${testId}-value`}
              value={value}
              onChange={(e) => onValue(e.target.value)}
            />
            <span className="muted">{unit}</span>
          </>
        )}
      </span>
    </Field>
  );
}
