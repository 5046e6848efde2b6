//! The generation-agnostic account methods, run against the simulator at every 3x-ui release
//! it plays (2.9.4 with a password login: it has no API tokens).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{sync::Arc, time::Duration};

use paneldeck_panels::{
    xui::{ClientPayload, InboundId, XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    xui::{self, XuiSimConfig, XuiSimHandle, XuiVersion, ALL_VERSIONS},
    RunningSim, SimKind, SimOptions, SimStats,
};

const GIB: i64 = 1 << 30;

pub async fn start(version: XuiVersion) -> (RunningSim, XuiSimHandle, XuiClient) {
    let opts = SimOptions {
        seed: 21,
        accounts: 9,
        groups: 4,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let config = XuiSimConfig {
        version,
        ..XuiSimConfig::default()
    };
    let (app, handle) = xui::app_with(&opts, stats.clone(), config);
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim");
    let endpoint = Endpoint::parse(&sim.url())
        .expect("url")
        .with_timeout(Duration::from_secs(5));
    let http = HttpClient::new(PanelKind::Xui, endpoint).expect("http");
    let auth = if version >= XuiVersion::V3_0_2 {
        XuiAuth::Token(Secret::new(handle.token()))
    } else {
        let (username, password) = handle.login();
        XuiAuth::Password {
            username,
            password: Secret::new(password),
            two_factor_code: None,
        }
    };
    let client = XuiClient::new(http, auth);
    (sim, handle, client)
}

async fn lifecycle(version: XuiVersion) {
    let legacy = !version.clients_api();
    let (_sim, handle, client) = start(version).await;
    let detected = client.detect().await.expect("detect");
    let want = match version {
        XuiVersion::V2_9_4 => "2.x",
        XuiVersion::V3_0_2 => "3.0.x",
        XuiVersion::Head => "3.6.0",
        v => v.as_str(),
    };
    assert_eq!(detected.release.label(), want, "{version}");
    let accounts = client.accounts().await.expect("accounts");
    let state = handle.clients();
    assert_eq!(accounts.len(), state.len());
    // Legacy panels list clients inbound by inbound: compare by email.
    for s in &state {
        let a = accounts
            .iter()
            .find(|a| a.email == s.email)
            .expect("listed");
        assert_eq!(
            (a.total_bytes, a.up_bytes, a.enable),
            (s.total_bytes, s.up_bytes, s.enable)
        );
        assert_eq!(a.inbound_ids.len(), s.inbound_ids.len());
    }

    for inbound in handle.inbounds() {
        let email = format!("compat-{}@example.com", inbound.protocol);
        let mut payload = ClientPayload::new(&email);
        payload.total_bytes = Some(GIB);
        client
            .add_account(&payload, &[InboundId(inbound.id)])
            .await
            .unwrap_or_else(|e| panic!("add on {}: {e}", inbound.protocol));
        let stored = handle.client(&email).expect("added");
        assert!(stored.enable);
        match inbound.protocol.as_str() {
            "vless" | "vmess" => assert_eq!(stored.uuid.len(), 36),
            _ => assert!(!stored.password.is_empty()),
        }
        let credential = (stored.uuid.clone(), stored.password.clone());

        payload.total_bytes = Some(3 * GIB);
        payload.enable = Some(true);
        client
            .update_account(&email, &payload)
            .await
            .expect("update");
        let updated = handle.client(&email).expect("still there");
        assert_eq!(updated.total_bytes, 3 * GIB);
        assert_eq!(
            (updated.uuid, updated.password),
            credential,
            "credential kept"
        );

        client
            .set_account_enabled(&email, false)
            .await
            .expect("disable");
        assert!(!handle.client(&email).expect("c").enable);
        client
            .set_account_enabled(&email, true)
            .await
            .expect("enable");
        assert!(handle.client(&email).expect("c").enable);

        handle.add_traffic(&email, 5, 6);
        client.reset_account_traffic(&email).await.expect("reset");
        let reset = handle.client(&email).expect("c");
        assert_eq!((reset.up_bytes, reset.down_bytes), (0, 0));

        client.delete_account(&email).await.expect("delete");
        assert!(handle.client(&email).is_none());
    }

    let two = client
        .add_account(
            &ClientPayload::new("two@example.com"),
            &[InboundId(1), InboundId(2)],
        )
        .await;
    if legacy {
        assert!(matches!(two, Err(PanelError::Unsupported(_))));
    } else {
        two.expect("v3.x attaches to many inbounds");
        assert_eq!(
            handle.client("two@example.com").expect("two").inbound_ids,
            vec![1, 2]
        );
    }
    let missing = client.delete_account("nobody@example.com").await;
    assert!(matches!(
        missing,
        Err(PanelError::NotFound { .. } | PanelError::Api { .. })
    ));
}

#[tokio::test]
async fn accounts_lifecycle_on_every_version() {
    for version in ALL_VERSIONS {
        lifecycle(version).await;
    }
}
