//! `Paneldeck::account_links` against the simulators: 3x-ui share links (from `links/:email`)
//! and subscription URLs, Marzban's links and subscription URL, proxy strings for a user-pass
//! sub-user from the panel's gateway settings, none for Pterodactyl, PasarGuard's from its
//! `/sub/{token}/links`; every share link parses and its QR code renders.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use accounts_support::{credentials, open, sim_options};
use paneldeck_core::{
    accounts::AccountQuery,
    links::{self, LinkKind},
    registry::ProxyGatewaySettings,
    CredentialsInput, PanelInput,
};
use paneldeck_panels::PanelKind;
use paneldeck_sim::SimKind;

#[tokio::test]
async fn every_kind_gives_its_links() {
    let (core, _dir) = open();
    let mut sims = Vec::new();
    for (i, kind) in [
        SimKind::Xui,
        SimKind::Marzban,
        SimKind::Userpass,
        SimKind::Pterodactyl,
        SimKind::Pasarguard,
    ]
    .into_iter()
    .enumerate()
    {
        let sim = paneldeck_sim::start_local(kind, sim_options(7 + i as u64, 5, kind))
            .await
            .unwrap();
        let mut creds = credentials(&sim);
        if let CredentialsInput::Userpass { gateway, .. } = &mut creds {
            *gateway = Some(ProxyGatewaySettings {
                host: "gw.example.net".into(),
                http_port: Some(8080),
                socks5_port: Some(1080),
            });
        }
        core.add_panel(
            PanelInput {
                name: format!("{kind:?}"),
                base_url: sim.url(),
                color: "#000000".into(),
                tag: String::new(),
                pinned_cert: None,
                credentials: creds,
            },
            false,
        )
        .await
        .unwrap();
        sims.push(sim);
    }
    core.sync_all(|_| {}).await;
    for kind in [
        PanelKind::Xui,
        PanelKind::Marzban,
        PanelKind::Userpass,
        PanelKind::Pterodactyl,
        PanelKind::Pasarguard,
    ] {
        let keys = core
            .query_keys(&AccountQuery {
                kinds: vec![kind],
                ..AccountQuery::default()
            })
            .unwrap();
        assert_eq!(keys.len(), 5);
        let mut total = 0;
        for key in &keys {
            let detail = core.account_detail(key).unwrap();
            let all = core.account_links(key).await.unwrap();
            total += all.len();
            for l in &all {
                assert!(!l.url.is_empty() && !l.label.is_empty());
                if l.kind == LinkKind::Share {
                    let parsed = links::parse(&l.url).unwrap_or_else(|e| panic!("{}: {e}", l.url));
                    if let Some(uuid) = &detail.account.uuid {
                        if matches!(parsed, links::ProxyLink::Vless(_)) {
                            assert!(l.url.contains(uuid.as_str()), "{} lacks {uuid}", l.url);
                        }
                    }
                }
                links::qr_svg(&l.url).unwrap();
            }
            match kind {
                PanelKind::Xui | PanelKind::Marzban | PanelKind::Pasarguard => {
                    if detail.account.sub_id.is_some() || detail.account.subscription_url.is_some()
                    {
                        assert!(
                            all.iter().any(|l| l.kind == LinkKind::Subscription),
                            "{key}"
                        );
                    }
                }
                PanelKind::Userpass => {
                    let pass = detail.raw["use_key"].as_str().unwrap();
                    let user = detail.raw["user_name"].as_str().unwrap();
                    assert!(
                        all.iter().any(|l| l.url
                            == format!("socks5://{}:{}@gw.example.net:1080", enc(user), enc(pass))),
                        "{all:?}"
                    );
                    assert!(all
                        .iter()
                        .any(|l| l.url == format!("gw.example.net:8080:{user}:{pass}")));
                }
                PanelKind::Pterodactyl => assert!(all.is_empty()),
            }
        }
        if matches!(
            kind,
            PanelKind::Xui | PanelKind::Marzban | PanelKind::Userpass | PanelKind::Pasarguard
        ) {
            assert!(total >= 5, "{kind:?}: {total} links");
        }
        if matches!(
            kind,
            PanelKind::Xui | PanelKind::Marzban | PanelKind::Pasarguard
        ) {
            // The panel's own share links are there.
            let mut shares = 0;
            for key in &keys {
                shares += core
                    .account_links(key)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|l| l.kind == LinkKind::Share)
                    .count();
            }
            assert!(shares > 0, "{kind:?} gave no share links");
        }
    }
}

fn enc(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._~".contains(c) {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            }
        })
        .collect()
}

/// An account whose links cannot be read (deleted on its panel after the last sync) is named
/// with its reason; the other accounts still get theirs. When none can be read, the first
/// reason is the answer.
#[tokio::test]
async fn one_account_without_links_does_not_cost_the_others_theirs() {
    use paneldeck_core::{
        actions::{self, AccountAction},
        ErrorCode,
    };
    let (core, _dir) = open();
    let sim =
        paneldeck_sim::start_local(SimKind::Pasarguard, sim_options(11, 4, SimKind::Pasarguard))
            .await
            .unwrap();
    accounts_support::add(&core, &sim, "pg", "#102030").await;
    core.sync_all(|_| {}).await;
    let keys = core.query_keys(&AccountQuery::default()).unwrap();
    assert_eq!(keys.len(), 4);
    let gone = &keys[1];
    let panel = core.panel(&gone.panel_id).unwrap();
    let client = core.client(&panel).unwrap();
    let delete = AccountAction::Delete {
        keep_traffic: false,
    };
    actions::apply(&client, &gone.native_id, &delete)
        .await
        .unwrap();

    let read = core.links_of(&keys).await.unwrap();
    assert_eq!(read.entries.len(), 3);
    assert_eq!(read.unread.len(), 1);
    assert_eq!(read.unread[0].error.code, ErrorCode::NotFound);
    let gone_name = core.account_detail(gone).unwrap().account.name;
    assert_eq!(read.unread[0].name, gone_name);
    assert!(read
        .entries
        .iter()
        .all(|e| e.name != gone_name && !e.links.is_empty()));

    let only_gone = core.links_of(std::slice::from_ref(gone)).await;
    assert!(
        only_gone.is_err(),
        "nothing read is a failure, not an empty file"
    );
}
