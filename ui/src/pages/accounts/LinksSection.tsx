import { useCallback, useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api/client";
import { svgDataUrl, useAccountLinks, useLinkQr } from "../../api/transfer";
import { CopyButton } from "../../components/CopyButton";
import type { AccountDetail, AccountLink } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";

/** The account's links — share links, subscription URLs, proxy strings — to copy or scan. */
export function LinksSection({ detail }: { detail: AccountDetail }) {
  const { t } = useTranslation();
  const pterodactyl = detail.account.kind === "pterodactyl";
  const links = useAccountLinks(detail.account.key, !pterodactyl);
  const [qrFor, setQrFor] = useState<AccountLink | null>(null);
  const closeQr = useCallback(() => setQrFor(null), []);
  const titleId = useId();
  // Pterodactyl subusers have nothing to connect with.
  if (pterodactyl) return null;
  return (
    <section className="links" data-testid="account-links" aria-labelledby={titleId}>
      <h3 id={titleId}>{t("links.title")}</h3>
      {links.isPending && <p className="muted small">{t("links.loading")}</p>}
      {links.error && <ErrorNotice error={toApiError(links.error)} />}
      {links.data?.length === 0 && <p className="muted small">{t("links.none")}</p>}
      {links.data && links.data.length > 0 && (
        <ul className="link-list">
          {links.data.map((link, i) => (
            <LinkItem key={`${i}:${link.url}`} link={link} onQr={() => setQrFor(link)} />
          ))}
        </ul>
      )}
      {qrFor && <QrDialog link={qrFor} onClose={closeQr} />}
    </section>
  );
}

function LinkItem({ link, onQr }: { link: AccountLink; onQr: () => void }) {
  const { t } = useTranslation();
  return (
    <li className="link-item">
      <div className="link-head">
        <span className="link-label" dir="auto">
          {link.label}
        </span>
        <span className={`badge link-kind link-kind-${link.kind}`}>{t(`links.kind.${link.kind}`)}</span>
      </div>
      <code className="mono link-url" dir="ltr">
        {link.url}
      </code>
      <div className="button-row">
        <CopyButton text={link.url} />
        <button type="button" onClick={onQr} data-testid="link-qr">
          {t("links.showQr")}
        </button>
      </div>
    </li>
  );
}

function QrDialog({ link, onClose }: { link: AccountLink; onClose: () => void }) {
  const { t } = useTranslation();
  const qr = useLinkQr(link.url);
  return (
    <Dialog
      wide
      title={link.label}
      onClose={onClose}
      footer={
        <>
          <CopyButton text={link.url} />
          <span className="spacer" />
          <button type="button" className="primary" onClick={onClose}>
            {t("common.close")}
          </button>
        </>
      }
    >
      <div className="qr-view">
        {qr.isPending && <p className="muted">{t("links.loading")}</p>}
        {qr.error && <ErrorNotice error={toApiError(qr.error)} />}
        {qr.data && (
          <img className="qr-image" src={svgDataUrl(qr.data)} alt={t("links.qrAlt", { label: link.label })} data-testid="qr-image" />
        )}
        <p className="muted small">{t("links.qrHint")}</p>
        <code className="mono link-url" dir="ltr">
          {link.url}
        </code>
      </div>
    </Dialog>
  );
}
