import { useMutation } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

import { useAccountDetail } from "../../api/accounts";
import { toApiError, unwrap } from "../../api/client";
import type { Account, AccountAction, AccountDetail, AccountKey, ApiError, OpId } from "../../api/types";
import { commands } from "../../bindings";
import { CopyButton } from "../../components/CopyButton";
import { OpenPanelButton } from "../../components/OpenPanelButton";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { KindBadge } from "../../components/KindBadge";
import { StatusBadge } from "../../components/StatusBadge";
import { UsageBar } from "../../components/UsageBar";
import { outcomeText } from "../../i18n/backendText";
import { formatBytes, formatRelative } from "../../util/format";
import { useNow } from "../../util/useNow";
import { EditAccountForm } from "./EditAccountForm";
import { AccountUsageChart } from "../../components/UsageCharts";
import { LinksSection } from "./LinksSection";
import { UndoNotice } from "./UndoNotice";

type Props = { accountKey: AccountKey; onClose: () => void; onGone: () => void };

/** Everything about one account, and the actions its panel allows. */
export function AccountDetailPane({ accountKey, onClose, onGone }: Props) {
  const { t } = useTranslation();
  const detail = useAccountDetail(accountKey);
  const [editing, setEditing] = useState(false);
  // The last reversible change, offered for Undo a few seconds.
  const [undo, setUndo] = useState<{ opId: OpId; text: string | null } | null>(null);
  const endUndo = useCallback(() => setUndo(null), []);
  return (
    <aside className="detail" aria-label={t("detail.title")} data-testid="account-detail">
      <div className="detail-head">
        <h2 dir="auto">
          {detail.data?.account.name ?? accountKey.nativeId}
          {detail.data && <CopyButton text={detail.data.account.name} what={t("win.what.name")} testId="copy-name" />}
        </h2>
        <button type="button" onClick={onClose} aria-label={t("common.close")} data-testid="detail-close">
          ✕
        </button>
      </div>
      {detail.isPending && <p className="muted">{t("app.loading")}</p>}
      {detail.error && <ErrorNotice error={toApiError(detail.error)} />}
      {undo && <UndoNotice key={undo.opId} opId={undo.opId} text={undo.text} onEnd={endUndo} />}
      {detail.data &&
        (editing ? (
          <EditAccountForm
            detail={detail.data}
            onDone={(outcome) => {
              setEditing(false);
              if (outcome?.journal) setUndo({ opId: outcome.journal, text: null });
            }}
          />
        ) : (
          <DetailBody detail={detail.data} onEdit={() => setEditing(true)} onGone={onGone} onUndoable={(opId, text) => setUndo({ opId, text })} />
        ))}
    </aside>
  );
}

type Undoable = (opId: OpId, text: string | null) => void;

function DetailBody({ detail, onEdit, onGone, onUndoable }: { detail: AccountDetail; onEdit: () => void; onGone: () => void; onUndoable: Undoable }) {
  const { t, i18n } = useTranslation();
  const a = detail.account;
  const caps = detail.capabilities;
  const now = useNow();
  const date = (ms: number | null) =>
    ms === null ? "—" : `${new Date(ms).toLocaleString(i18n.language)} (${formatRelative(ms, now, i18n.language)})`;
  const rows: [string, React.ReactNode][] = [
    [t("detail.panel"), <span key="p"><span className="dot" style={{ background: detail.panel.color }} /> {detail.panel.name} <KindBadge kind={a.kind} /><OpenPanelButton panel={detail.panel} compact /></span>],
    [t("accounts.col.status"), <StatusBadge key="s" status={a.status} />],
  ];
  if (a.email && a.email !== a.name) rows.push([t("detail.email"), a.email]);
  if (caps.hasTraffic) {
    rows.push([t("accounts.col.usage"), <UsageBar key="u" used={a.usedBytes} limit={a.limitBytes} />]);
    if (a.upBytes !== null && a.downBytes !== null)
      rows.push([t("detail.upDown"), `↑ ${formatBytes(a.upBytes, i18n.language)}  ↓ ${formatBytes(a.downBytes, i18n.language)}`]);
  }
  if (caps.hasExpiry) {
    rows.push([t("accounts.col.expiry"), a.expiresAtMs === null ? t("accounts.never") : date(a.expiresAtMs)]);
    if (a.expireAfterFirstUseMs !== null)
      rows.push([t("detail.afterFirstUse"), t("accounts.days", { count: Math.round(a.expireAfterFirstUseMs / 86_400_000) })]);
  }
  if (caps.hasIpLimit) rows.push([t("detail.ipLimit"), a.ipLimit === null ? t("accounts.unlimited") : String(a.ipLimit)]);
  if (a.group) rows.push([t("accounts.group"), a.group]);
  if (a.protocols.length) rows.push([t("accounts.protocol"), a.protocols.join(", ")]);
  if (a.inbounds.length) rows.push([t("detail.inbounds"), a.inbounds.join(", ")]);
  if (a.servers.length) rows.push([t("detail.servers"), a.servers.join(", ")]);
  if (a.note) rows.push([t("detail.note"), a.note]);
  if (a.subscriptionUrl) rows.push([t("detail.subscription"), <span key="sub"><code className="mono wrap" dir="ltr">{a.subscriptionUrl}</code><CopyButton text={a.subscriptionUrl} what={t("win.what.subscription")} testId="copy-subscription" /></span>]);
  if (a.uuid) rows.push([t("detail.uuid"), <span key="uuid"><code className="mono" dir="ltr">{a.uuid}</code><CopyButton text={a.uuid} what={t("win.what.uuid")} testId="copy-uuid" /></span>]);
  rows.push([t("accounts.col.online"), a.online ? t("accounts.onlineNow") : a.lastOnlineMs ? date(a.lastOnlineMs) : "—"]);
  if (a.createdAtMs !== null) rows.push([t("detail.created"), date(a.createdAtMs)]);

  return (
    <div className="detail-body">
      <dl className="props">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {caps.hasPermissions && <PermissionList account={a} />}
      {/* Above the sections that load later (links, the chart): a button never moves under
          the pointer when they arrive. */}
      <Actions detail={detail} onEdit={onEdit} onGone={onGone} onUndoable={onUndoable} />
      <LinksSection detail={detail} />
      {detail.capabilities.hasTraffic && <AccountUsageChart accountKey={detail.account.key} />}
      <details className="raw">
        <summary>{t("detail.raw")}</summary>
        <pre className="mono" dir="ltr">{JSON.stringify(detail.raw, null, 2)}</pre>
      </details>
    </div>
  );
}

function PermissionList({ account }: { account: Account }) {
  const { t } = useTranslation();
  return (
    <div>
      <h3>{t("detail.permissions")}</h3>
      <ul className="tags">
        {account.permissions.map((p) => (
          <li key={p} className="badge mono">
            {p}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Detail-pane actions a revert can take back (the rest ask first instead). */
const REVERSIBLE: ReadonlySet<AccountAction["type"]> = new Set(["enable", "disable", "setPermissions"]);

type ActionsProps = { detail: AccountDetail; onEdit: () => void; onGone: () => void; onUndoable?: Undoable };

export function Actions({ detail, onEdit, onGone, onUndoable }: ActionsProps) {
  const { t } = useTranslation();
  const key = detail.account.key;
  const caps = detail.capabilities;
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Irreversible actions ask first, saying what will change for whom.
  const [confirm, setConfirm] = useState<AccountAction | null>(null);
  const [ips, setIps] = useState<string[] | null>(null);
  const run = useMutation({
    mutationFn: (action: AccountAction) => unwrap(commands.accountAction(key, action)),
    onMutate: () => {
      setError(null);
      setNotice(null);
    },
    onSuccess: (outcome, action) => {
      if (action.type === "delete") onGone();
      let said: string | null = null;
      if (outcome.secret) said = t("detail.newPassword", { password: outcome.secret });
      else if (action.type === "enable" && (detail.account.status === "expired" || detail.account.status === "depleted"))
        // Enabled, yet the panel still refuses it: say so rather than "Client enabled."
        said = t(`detail.enabledButStill.${detail.account.status}`);
      else if (outcome.message) said = outcomeText(t, outcome.message);
      // A reversible change is said by its Undo notice, the rest here.
      const reversible = REVERSIBLE.has(action.type) || (action.type === "resetTraffic" && caps.canSetTraffic);
      if (reversible && outcome.journal && onUndoable) onUndoable(outcome.journal, said);
      else setNotice(said);
    },
    onError: (e) => setError(toApiError(e)),
  });
  const loadIps = async () => {
    setError(null);
    try {
      setIps((await unwrap(commands.accountIps(key))).ips);
    } catch (e) {
      setError(toApiError(e));
    }
  };
  const busy = run.isPending;
  return (
    <div className="actions">
      <div className="button-row">
        {caps.canEdit && (
          <button type="button" onClick={onEdit} data-testid="edit-account">
            {t("detail.edit")}
          </button>
        )}
        {caps.canToggle &&
          (detail.account.enabled ? (
            <button type="button" disabled={busy} onClick={() => run.mutate({ type: "disable" })} data-testid="action-disable">
              {t("detail.disable")}
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => run.mutate({ type: "enable" })} data-testid="action-enable">
              {t("detail.enable")}
            </button>
          ))}
        {caps.canResetTraffic && (
          <button type="button" disabled={busy} onClick={() => setConfirm({ type: "resetTraffic" })} data-testid="action-resetTraffic">
            {t("detail.resetTraffic")}
          </button>
        )}
        {caps.hasIps && (
          <button type="button" disabled={busy} onClick={() => void loadIps()}>
            {t("detail.showIps")}
          </button>
        )}
        {caps.canRevokeSubscription && (
          <button type="button" disabled={busy} onClick={() => setConfirm({ type: "revokeSubscription" })} data-testid="action-revokeSubscription">
            {t("detail.revoke")}
          </button>
        )}
        {caps.canRegeneratePassword && (
          <button type="button" disabled={busy} onClick={() => setConfirm({ type: "regeneratePassword" })} data-testid="action-regeneratePassword">
            {t("detail.regeneratePassword")}
          </button>
        )}
        {caps.canDelete && (
          <button type="button" className="danger" disabled={busy} onClick={() => setConfirm({ type: "delete", keepTraffic: false })} data-testid="action-delete">
            {t("detail.delete")}
          </button>
        )}
      </div>
      {ips && (
        <div className="ips">
          <h3>{t("detail.ips")}</h3>
          {ips.length === 0 ? <p className="muted">{t("detail.noIps")}</p> : <ul className="mono">{ips.map((ip) => <li key={ip}>{ip}</li>)}</ul>}
          {ips.length > 0 && (
            <button type="button" disabled={busy} onClick={() => run.mutate({ type: "clearIps" }, { onSuccess: () => setIps([]) })}>
              {t("detail.clearIps")}
            </button>
          )}
        </div>
      )}
      {notice && (
        <p className="notice ok" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      {confirm && (
        <ConfirmAction
          action={confirm}
          detail={detail}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            run.mutate(confirm);
            setConfirm(null);
          }}
        />
      )}
    </div>
  );
}

/** Asks before an action that cannot be undone, naming the account, its panel and what is lost. */
function ConfirmAction({ action, detail, onCancel, onConfirm }: { action: AccountAction; detail: AccountDetail; onCancel: () => void; onConfirm: () => void }) {
  const { t, i18n } = useTranslation();
  const a = detail.account;
  const args = { name: a.name, panel: detail.panel.name, used: formatBytes(a.usedBytes, i18n.language) };
  return (
    <Dialog
      title={t(`detail.confirm.${action.type}.title`, args)}
      onClose={onCancel}
      footer={
        <>
          <button type="button" onClick={onCancel}>
            {t("common.cancel")}
          </button>
          <span className="spacer" />
          <button type="button" className="danger primary" data-testid="confirm-action" onClick={onConfirm}>
            {t(`detail.confirm.${action.type}.button`)}
          </button>
        </>
      }
    >
      <p>{t(`detail.confirm.${action.type}.${action.type === "resetTraffic" && detail.capabilities.canSetTraffic ? "bodyRevertible" : "body"}`, args)}</p>
    </Dialog>
  );
}
