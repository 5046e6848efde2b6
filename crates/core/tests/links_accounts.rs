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
