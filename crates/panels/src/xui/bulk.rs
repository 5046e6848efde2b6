//! Bulk and group routes of `/panel/api/clients/*` (v3.2+; bulkEnable/Disable v3.5+).
//! They succeed with partial results: read `skipped` for what was not done and why.

use super::{
    types::*,
    version::Release,
    wire::{decode_envelope, seg, InboundId},
    XuiClient,
};
use crate::PanelError;
use reqwest::Method;
use serde::Serialize;

const BASE: &str = "panel/api/clients";
/// bulkEnable / bulkDisable arrived in v3.4.1 (facts §1.1).
const BULK_TOGGLE: Release = Release(3, 4, 1);

#[derive(Serialize)]
struct Emails<'a> {
    emails: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EmailsKeep<'a> {
    emails: &'a [String],
    keep_traffic: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EmailsInbounds<'a> {
    emails: &'a [String],
    inbound_ids: &'a [InboundId],
}

#[derive(Serialize)]
struct EmailsGroup<'a> {
    emails: &'a [String],
    group: &'a str,
}

#[derive(Serialize)]
struct Name<'a> {
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rename<'a> {
    old_name: &'a str,
    new_name: &'a str,
}

impl XuiClient {
    /// `NotFound` (as the panel's own 404 would be) when the detected release predates a route.
    async fn needs(&self, since: Release, route: &str) -> Result<(), PanelError> {
        if self.has(since).await {
            Ok(())
        } else {
            Err(PanelError::NotFound {
                message: format!("{route} needs 3x-ui {since} or newer"),
            })
        }
    }

    /// `POST /panel/api/clients/bulkAdjust`: adds days to expiry and bytes to quota. Unlimited
    /// expiry/quota are skipped for that field (reported in `skipped`).
    pub async fn bulk_adjust(&self, body: &BulkAdjust) -> Result<AdjustedResult, PanelError> {
        self.post_obj(&format!("{BASE}/bulkAdjust"), Some(body))
            .await
    }

    /// `POST /panel/api/clients/bulkEnable` (v3.4.1+; on an older panel `NotFound` without a
    /// request, facts §4.1).
    pub async fn bulk_enable(&self, emails: &[String]) -> Result<ChangedResult, PanelError> {
        self.needs(BULK_TOGGLE, "bulkEnable").await?;
        self.post_obj(&format!("{BASE}/bulkEnable"), Some(&Emails { emails }))
            .await
    }

    /// `POST /panel/api/clients/bulkDisable` (v3.4.1+).
    pub async fn bulk_disable(&self, emails: &[String]) -> Result<ChangedResult, PanelError> {
        self.needs(BULK_TOGGLE, "bulkDisable").await?;
        self.post_obj(&format!("{BASE}/bulkDisable"), Some(&Emails { emails }))
            .await
    }

    /// `POST /panel/api/clients/bulkDel`.
    pub async fn bulk_del(
        &self,
        emails: &[String],
        keep_traffic: bool,
    ) -> Result<DeletedResult, PanelError> {
        let body = EmailsKeep {
            emails,
            keep_traffic,
        };
        self.post_obj(&format!("{BASE}/bulkDel"), Some(&body)).await
    }

    /// `POST /panel/api/clients/bulkCreate`: body is a bare array of `{client, inboundIds}`.
    pub async fn bulk_create(
        &self,
        items: &[ClientWithInbounds],
    ) -> Result<CreatedResult, PanelError> {
        self.post_obj(&format!("{BASE}/bulkCreate"), Some(items))
            .await
    }

    /// `POST /panel/api/clients/bulkAttach`.
    pub async fn bulk_attach(
        &self,
        emails: &[String],
        inbound_ids: &[InboundId],
    ) -> Result<AttachResult, PanelError> {
        let body = EmailsInbounds {
            emails,
            inbound_ids,
        };
        self.post_obj(&format!("{BASE}/bulkAttach"), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/bulkDetach`.
    pub async fn bulk_detach(
        &self,
        emails: &[String],
        inbound_ids: &[InboundId],
    ) -> Result<DetachResult, PanelError> {
        let body = EmailsInbounds {
            emails,
            inbound_ids,
        };
        self.post_obj(&format!("{BASE}/bulkDetach"), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/bulkResetTraffic`.
    pub async fn bulk_reset_traffic(
        &self,
        emails: &[String],
    ) -> Result<AffectedResult, PanelError> {
        self.post_obj(
            &format!("{BASE}/bulkResetTraffic"),
            Some(&Emails { emails }),
        )
        .await
    }

    /// `GET /panel/api/clients/groups`: names with member counts.
    pub async fn groups(&self) -> Result<Vec<GroupInfo>, PanelError> {
        self.get_obj(&format!("{BASE}/groups"), &[]).await
    }

    /// `GET /panel/api/clients/groups/:name/emails`.
    pub async fn group_emails(&self, name: &str) -> Result<Vec<String>, PanelError> {
        // An empty group may answer `obj: null`.
        let route = format!("{BASE}/groups/{}/emails", seg(name));
        let raw = self.execute(Method::GET, &route, |r| r).await?;
        Ok(decode_envelope::<Vec<String>>(&raw.body)?.unwrap_or_default())
    }

    /// `POST /panel/api/clients/groups/create`.
    pub async fn groups_create(&self, name: &str) -> Result<GroupName, PanelError> {
        self.post_obj(&format!("{BASE}/groups/create"), Some(&Name { name }))
            .await
    }

    /// `POST /panel/api/clients/groups/rename`: returns how many clients were relabelled.
    pub async fn groups_rename(
        &self,
        old_name: &str,
        new_name: &str,
    ) -> Result<AffectedResult, PanelError> {
        let body = Rename { old_name, new_name };
        self.post_obj(&format!("{BASE}/groups/rename"), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/groups/delete`: clears the label, keeps the clients.
    pub async fn groups_delete(&self, name: &str) -> Result<AffectedResult, PanelError> {
        self.post_obj(&format!("{BASE}/groups/delete"), Some(&Name { name }))
            .await
    }

    /// `POST /panel/api/clients/groups/bulkAdd`: labels clients (creates the group if new).
    pub async fn groups_bulk_add(
        &self,
        emails: &[String],
        group: &str,
    ) -> Result<AffectedResult, PanelError> {
        let body = EmailsGroup { emails, group };
        self.post_obj(&format!("{BASE}/groups/bulkAdd"), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/groups/bulkRemove`.
    pub async fn groups_bulk_remove(
        &self,
        emails: &[String],
    ) -> Result<AffectedResult, PanelError> {
        self.post_obj(
            &format!("{BASE}/groups/bulkRemove"),
            Some(&Emails { emails }),
        )
        .await
    }
}
