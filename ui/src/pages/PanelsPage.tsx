import { useState } from "react";
import { useTranslation } from "react-i18next";

import { startSync } from "../api/accounts";
import { cancelSync } from "../api/jobs";
import { OpenPanelButton } from "../components/OpenPanelButton";
import { toApiError } from "../api/client";
import { usePanels, useRemovePanel, useTestPanel } from "../api/panels";
import type { ApiError, PanelView, ProbeInfo } from "../api/types";
import { CopyButton } from "../components/CopyButton";
import { Dialog } from "../components/Dialog";
import { ErrorNotice, errorLine } from "../components/ErrorNotice";
import { KindBadge } from "../components/KindBadge";
import { useToast } from "../components/Toasts";
import { PanelDialog } from "./PanelDialog";
import { probeText } from "../i18n/backendText";

type TestState = { pending: true } | { info: ProbeInfo } | { error: ApiError };

export function PanelsPage({ secretStore }: { secretStore: string }) {
  const { t } = useTranslation();
  const panels = usePanels();
  const [editing, setEditing] = useState<PanelView | "new" | null>(null);
  const [removing, setRemoving] = useState<PanelView | null>(null);

  return (
    <section className="page">
      <header className="page-header">
        <div>
          <h1>{t("panels.title")}</h1>
          {panels.data && <p className="muted">{t("panels.count", { count: panels.data.length })}</p>}
        </div>
        <button type="button" className="primary" onClick={() => setEditing("new")} data-testid="add-panel">
          {t("panels.add")}
        </button>
      </header>

      {panels.isPending && <p className="muted">{t("app.loading")}</p>}
      {panels.error && <ErrorNotice error={toApiError(panels.error)} />}
      {panels.data?.length === 0 && (
        <div className="empty">
          <h2>{t("panels.emptyTitle")}</h2>
          <p>{t("panels.emptyBody", { store: secretStore })}</p>
        </div>
      )}
      <ul className="panel-list" data-testid="panel-list">
        {panels.data?.map((p) => (
          <PanelCard key={p.id} panel={p} onEdit={() => setEditing(p)} onRemove={() => setRemoving(p)} />
        ))}
      </ul>

      {editing !== null && (
        <PanelDialog editing={editing === "new" ? null : editing} secretStore={secretStore} onClose={() => setEditing(null)} />
      )}
      {removing && <RemoveDialog panel={removing} onClose={() => setRemoving(null)} />}
    </section>
  );
}

function PanelCard({ panel, onEdit, onRemove }: { panel: PanelView; onEdit: () => void; onRemove: () => void }) {
  const { t, i18n } = useTranslation();
  const test = useTestPanel();
  const [state, setState] = useState<TestState | null>(null);
  const [syncing, setSyncing] = useState(false);
  const toast = useToast();
  /** Syncs this panel alone; says how it went in a toast (the accounts page shows progress). */
  const sync = () => {
    setSyncing(true);
    startSync(panel.id)
      .then(() => toast(t("win.synced", { panel: panel.name }), "ok"))
      .catch((e: unknown) => {
        const err = toApiError(e);
        toast(err.code === "cancelled" ? `${panel.name}: ${t("job.syncCancelled")}` : errorLine(t, err, i18n.language), err.code === "cancelled" ? "info" : "error");
      })
      .finally(() => setSyncing(false));
  };
  const runTest = () => {
    setState({ pending: true });
    test.mutate(panel.id, {
      onSuccess: (info) => setState({ info }),
      onError: (e) => setState({ error: toApiError(e) }),
    });
  };
  return (
    <li className="panel-card" data-testid="panel-card" data-panel-name={panel.name}>
      <span className="swatch" style={{ background: panel.color }} aria-hidden />
      <div className="panel-main">
        <div className="panel-title">
          <strong>{panel.name}</strong>
          <KindBadge kind={panel.kind} />
          {panel.tag && <span className="badge tag">{panel.tag}</span>}
        </div>
        <span className="muted mono" dir="ltr">
          {panel.baseUrl}
          <CopyButton text={panel.baseUrl} what={t("win.what.address")} testId="copy-panel-url" />
        </span>
        {state && "pending" in state && <span className="muted">{t("panels.testing")}</span>}
        {state && "info" in state && (
          <span className="ok-text" data-testid="panel-test-ok">
            {[t("panels.connected"), probeText(t, state.info)].filter(Boolean).join(t("common.sep"))}
            {state.info.version && ` · ${t("panels.version", { version: state.info.version })}`}
            {state.info.apiGeneration && ` · ${state.info.apiGeneration}`}
          </span>
        )}
        {state && "error" in state && <ErrorNotice error={state.error} />}
      </div>
      <div className="panel-actions">
        {syncing ? (
          <button type="button" onClick={() => void cancelSync()} data-testid="sync-panel-cancel">
            {t("job.syncCancel")}
          </button>
        ) : (
          <button type="button" onClick={sync} data-testid="sync-panel">
            {t("win.sync")}
          </button>
        )}
        <OpenPanelButton panel={panel} />
        <button type="button" onClick={runTest} disabled={test.isPending}>
          {t("panels.test")}
        </button>
        <button type="button" onClick={onEdit}>
          {t("panels.edit")}
        </button>
        <button type="button" className="danger" onClick={onRemove} data-testid="remove-panel">
          {t("panels.remove")}
        </button>
      </div>
    </li>
  );
}

function RemoveDialog({ panel, onClose }: { panel: PanelView; onClose: () => void }) {
  const { t } = useTranslation();
  const remove = useRemovePanel();
  return (
    <Dialog
      title={t("panels.removeTitle", { name: panel.name })}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="danger primary"
            disabled={remove.isPending}
            data-testid="confirm-remove"
            onClick={() => remove.mutate(panel.id, { onSuccess: onClose })}
          >
            {t("common.remove")}
          </button>
        </>
      }
    >
      <p>{t("panels.removeBody")}</p>
      {remove.error && <ErrorNotice error={toApiError(remove.error)} />}
    </Dialog>
  );
}
