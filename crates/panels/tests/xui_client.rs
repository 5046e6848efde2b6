//! Every `/panel/api/clients/*` method of `XuiClient` against the 3x-ui simulator, asserting
//! the state change each call caused (read back through the simulator's handle).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{net::SocketAddr, sync::Arc, time::Duration};

use paneldeck_panels::{
    xui::{
        ClientPayload, ExternalLink, ExternalLinkKind, InboundId, PagedQuery, Protocol, SortKey,
        SortOrder, StatusFilter, XuiAuth, XuiClient,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    xui::{self, SimClient, XuiSimConfig, XuiSimHandle},
    RunningSim, SimKind, SimOptions, SimStats,
};

const DAY_MS: i64 = 86_400_000;
const GIB: i64 = 1 << 30;

async fn start(accounts: usize, groups: usize) -> (RunningSim, XuiSimHandle, XuiClient) {
    let opts = SimOptions {
        seed: 7,
        accounts,
        groups,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let (app, handle) = xui::app_with(&opts, stats.clone(), XuiSimConfig::default());
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, addr)
        .await
        .expect("sim starts");
    let endpoint = Endpoint::parse(&sim.url())
        .expect("url")
        .with_timeout(Duration::from_secs(5));
    let http = HttpClient::new(PanelKind::Xui, endpoint).expect("http");
    let client = XuiClient::new(http, XuiAuth::Token(Secret::new(handle.token())));
    (sim, handle, client)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn inbound_of(handle: &XuiSimHandle, protocol: &str) -> InboundId {
    InboundId(
        handle
            .inbounds()
            .iter()
            .find(|i| i.protocol == protocol)
            .expect("protocol present")
            .id,
    )
}

fn api_message(err: PanelError) -> String {
    match err {
        PanelError::Api { message, .. } => message,
        other => panic!("expected a success:false error, got {other:?}"),
    }
}

#[tokio::test]
async fn probe_reports_the_clients_api() {
    let (_sim, _h, client) = start(5, 4).await;
    let info = client.probe().await.expect("probe");
    assert_eq!(info.api_generation.as_deref(), Some("clients API (v3.1+)"));
    assert_eq!(
        info.version.as_deref(),
        Some("3.6.0"),
        "server/status.panelVersion"
    );
    assert!(info.summary.contains("4 inbound(s)"), "{}", info.summary);
}

#[tokio::test]
async fn list_get_inbounds_and_status_match_the_state() {
    let (_sim, handle, client) = start(12, 4).await;
    let list = client.list().await.expect("list");
    let state = handle.clients();
    assert_eq!(list.len(), state.len());
    for (wire, sim) in list.iter().zip(&state) {
        assert_eq!(wire.email, sim.email);
        assert_eq!(wire.uuid, sim.uuid);
        assert_eq!(wire.sub_id, sim.sub_id);
        assert_eq!(wire.total_bytes, sim.total_bytes);
        assert_eq!(wire.expiry_time_ms, sim.expiry_time_ms);
        assert_eq!(wire.used_bytes(), sim.up_bytes + sim.down_bytes);
        let ids: Vec<i64> = wire.inbound_ids.iter().map(|i| i.0).collect();
        assert_eq!(ids, sim.inbound_ids);
    }
    let one = client.get(&state[3].email).await.expect("get");
    assert_eq!(one.email, state[3].email);
    assert_eq!(one.enable, state[3].enable);
    let missing = client
        .get("nobody@nowhere")
        .await
        .expect_err("unknown email");
    assert!(api_message(missing).contains("not found"));

    let inbounds = client.inbounds_list().await.expect("inbounds");
    assert_eq!(inbounds.len(), 4);
    let protocols: Vec<Protocol> = inbounds.iter().map(|i| i.protocol).collect();
    assert_eq!(
        protocols,
        [
            Protocol::Vless,
            Protocol::Vmess,
            Protocol::Trojan,
            Protocol::Shadowsocks
        ]
    );
    for inbound in &inbounds {
        let members = inbound.settings_clients().expect("settings.clients");
        let expected = state
            .iter()
            .filter(|c| c.inbound_ids.contains(&inbound.id.0))
            .count();
        assert_eq!(members.len(), expected, "inbound {}", inbound.remark);
        assert_eq!(inbound.client_stats.len(), expected);
    }
    let options = client.inbounds_options().await.expect("options");
    assert_eq!(options.len(), 4);
    assert_eq!(options[3].ss_method, "2022-blake3-aes-256-gcm");
    let status = client.server_status().await.expect("status");
    assert_eq!(status.xray.state, "running");
    assert!(status.mem.total_bytes > status.mem.current_bytes);
}

#[tokio::test]
async fn list_paged_pages_filters_and_sorts() {
    let (_sim, handle, client) = start(60, 4).await;
    let all = handle.clients();
    let now = now_ms();

    let capped = client
        .list_paged(&PagedQuery {
            page_size: Some(500),
            ..PagedQuery::default()
        })
        .await
        .expect("paged");
    assert_eq!(capped.page_size, 200, "page size is capped at 200");
    assert_eq!(capped.total, 60);
    assert_eq!(capped.items.len(), 60);
    let default = client
        .list_paged(&PagedQuery::default())
        .await
        .expect("default");
    assert_eq!(
        (default.page, default.page_size, default.items.len()),
        (1, 25, 25)
    );

    let page2 = client
        .list_paged(&PagedQuery {
            page: Some(2),
            page_size: Some(7),
            ..PagedQuery::default()
        })
        .await
        .expect("page 2");
    let want: Vec<&str> = all[7..14].iter().map(|c| c.email.as_str()).collect();
    let got: Vec<&str> = page2.items.iter().map(|r| r.email.as_str()).collect();
    assert_eq!(got, want);

    let search = &all[10].sub_id[..8];
    let found = client
        .list_paged(&PagedQuery {
            search: Some(search.to_uppercase()),
            ..PagedQuery::default()
        })
        .await
        .expect("search");
    assert!(found.items.iter().any(|r| r.email == all[10].email));

    let depleted = |c: &SimClient| {
        (c.total_bytes > 0 && c.up_bytes + c.down_bytes >= c.total_bytes)
            || (c.expiry_time_ms > 0 && c.expiry_time_ms <= now)
    };
    let page = client
        .list_paged(&PagedQuery {
            filter: vec![StatusFilter::Depleted, StatusFilter::Deactive],
            page_size: Some(200),
            ..PagedQuery::default()
        })
        .await
        .expect("filter");
    let expected = all.iter().filter(|c| depleted(c) || !c.enable).count();
    assert_eq!(page.filtered as usize, expected);
    assert!(expected > 0, "the seed has depleted or disabled clients");
    assert_eq!(
        page.summary.depleted_count,
        Some(all.iter().filter(|c| depleted(c)).count() as u64)
    );
    assert_eq!(page.summary.total, 60);

    let trojan = inbound_of(&handle, "trojan");
    let by_protocol = client
        .list_paged(&PagedQuery {
            protocol: vec![Protocol::Trojan],
            group: vec!["customer-a".into()],
            page_size: Some(200),
            ..PagedQuery::default()
        })
        .await
        .expect("protocol+group");
    let expected = all
        .iter()
        .filter(|c| c.inbound_ids.contains(&trojan.0) && c.group == "customer-a")
        .count();
    assert_eq!(by_protocol.items.len(), expected);
    let by_inbound = client
        .list_paged(&PagedQuery {
            inbound: vec![trojan],
            page_size: Some(200),
            ..PagedQuery::default()
        })
        .await
        .expect("inbound");
    assert!(by_inbound
        .items
        .iter()
        .all(|r| r.inbound_ids.contains(&trojan)));

    let sorted = client
        .list_paged(&PagedQuery {
            sort: Some(SortKey::Email),
            order: Some(SortOrder::Descend),
            page_size: Some(200),
            ..PagedQuery::default()
        })
        .await
        .expect("sorted");
    let mut want: Vec<String> = all.iter().map(|c| c.email.to_lowercase()).collect();
    want.sort();
    want.reverse();
    let got: Vec<String> = sorted
        .items
        .iter()
        .map(|r| r.email.to_lowercase())
        .collect();
    assert_eq!(got, want);

    let usage = client
        .list_paged(&PagedQuery {
            usage_from_bytes: Some(5 * GIB),
            expiry_from_ms: Some(now),
            page_size: Some(200),
            ..PagedQuery::default()
        })
        .await
        .expect("ranges");
    let expected = all
        .iter()
        .filter(|c| c.up_bytes + c.down_bytes >= 5 * GIB && c.expiry_time_ms >= now)
        .count();
    assert_eq!(usage.items.len(), expected);
}

#[tokio::test]
async fn add_generates_credentials_and_enforces_uniqueness() {
    let (_sim, handle, client) = start(3, 4).await;
    let (vless, trojan, ss) = (
        inbound_of(&handle, "vless"),
        inbound_of(&handle, "trojan"),
        inbound_of(&handle, "shadowsocks"),
    );
    let mut new = ClientPayload::new("fresh@example.com");
    new.total_bytes = Some(50 * GIB);
    new.expiry_time_ms = Some(-30 * DAY_MS);
    new.enable = Some(false);
    client.add(&new, &[vless, trojan, ss]).await.expect("add");
    let stored = handle.client("fresh@example.com").expect("created");
    assert!(stored.enable, "add always enables");
    assert_eq!(stored.sub_id.len(), 16, "empty subId is generated");
    assert_eq!(stored.uuid.len(), 36);
    assert!(!stored.password.is_empty(), "trojan/ss password generated");
    assert_eq!(stored.expiry_time_ms, -30 * DAY_MS);
    assert_eq!(stored.inbound_ids, vec![vless.0, trojan.0, ss.0]);

    let dup = client
        .add(&new, &[vless])
        .await
        .expect_err("duplicate email");
    assert!(api_message(dup).contains("email already in use"));
    let mut same_sub = ClientPayload::new("other@example.com");
    same_sub.sub_id = Some(stored.sub_id.clone());
    let dup = client
        .add(&same_sub, &[vless])
        .await
        .expect_err("duplicate subId");
    assert!(api_message(dup).contains("subId already in use"));
    let none = client
        .add(&ClientPayload::new("lonely@example.com"), &[])
        .await
        .expect_err("no inbound");
    assert!(api_message(none).contains("inbound"));
    assert!(handle.client("lonely@example.com").is_none());

    // Negative expiry starts at the first traffic.
    assert!(handle.add_traffic("fresh@example.com", 10, 20));
    let traffic = client.traffic("fresh@example.com").await.expect("traffic");
    assert!(traffic.expiry_time_ms > now_ms() + 29 * DAY_MS);
    assert_eq!((traffic.up_bytes, traffic.down_bytes), (10, 20));
}

#[tokio::test]
async fn update_replaces_the_row_and_keeps_identity() {
    let (_sim, handle, client) = start(4, 2).await;
    let before = handle.clients()[1].clone();
    let record = client.get(&before.email).await.expect("get");
    let mut payload = ClientPayload::from_record(&record);
    payload.uuid = None;
    payload.sub_id = None;
    payload.email = "renamed@example.com".into();
    payload.total_bytes = Some(7 * GIB);
    payload.comment = Some("vip".into());
    client
        .update(&before.email, &payload)
        .await
        .expect("update");
    assert!(handle.client(&before.email).is_none());
    let after = handle.client("renamed@example.com").expect("renamed");
    assert_eq!((after.uuid, after.sub_id), (before.uuid, before.sub_id));
    assert_eq!(after.total_bytes, 7 * GIB);
    assert_eq!(after.comment, "vip");
    assert_eq!(
        after.up_bytes, before.up_bytes,
        "traffic stays with the row"
    );

    let taken = handle.clients()[0].email.clone();
    let mut clash = payload.clone();
    clash.email = taken;
    let err = client
        .update("renamed@example.com", &clash)
        .await
        .expect_err("email taken");
    // A rename onto a taken email: "Duplicate email: …" (facts §4.7).
    assert!(api_message(err).contains("Duplicate email"));
}

#[tokio::test]
async fn del_keeps_traffic_on_request_and_orphans_are_swept() {
    let (_sim, handle, client) = start(6, 3).await;
    let all = handle.clients();
    let (a, b) = (all[0].clone(), all[1].clone());
    client.del(&a.email, true).await.expect("del keep");
    assert!(handle.client(&a.email).is_none());
    assert_eq!(
        handle.kept_traffic(&a.email),
        Some((a.up_bytes, a.down_bytes))
    );
    client.del(&b.email, false).await.expect("del");
    assert_eq!(handle.kept_traffic(&b.email), None);
    let err = client.del(&b.email, false).await.expect_err("gone");
    assert!(api_message(err).contains("not found"));

    // Re-adding a kept email picks its traffic row up again.
    client
        .add(&ClientPayload::new(&a.email), &[InboundId(1)])
        .await
        .expect("re-add");
    let back = handle.client(&a.email).expect("back");
    assert_eq!(back.up_bytes + back.down_bytes, a.up_bytes + a.down_bytes);

    let c = all[2].clone();
    client
        .attach(&c.email, &[InboundId(1), InboundId(2), InboundId(3)])
        .await
        .expect("attach");
    assert_eq!(handle.client(&c.email).expect("c").inbound_ids.len(), 3);
    let err = client
        .attach(&c.email, &[InboundId(99)])
        .await
        .expect_err("unknown inbound");
    assert!(api_message(err).contains("inbound 99"));
    client
        .detach(&c.email, &[InboundId(1), InboundId(2), InboundId(3)])
        .await
        .expect("detach");
    assert!(handle.client(&c.email).expect("c").inbound_ids.is_empty());
    let swept = client.del_orphans().await.expect("delOrphans");
    assert_eq!(swept.deleted, 1);
    assert!(handle.client(&c.email).is_none());
}

#[tokio::test]
async fn external_links_feed_sub_links_and_links_use_the_request_host() {
    let (_sim, handle, client) = start(4, 4).await;
    let c = handle.clients()[0].clone();
    let links = client.links(&c.email).await.expect("links");
    assert_eq!(links.len(), c.inbound_ids.len());
    assert!(links.iter().all(|l| l.contains("127.0.0.1")));
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("vless://") && l.contains(&c.uuid))
            || c.inbound_ids[0] != 1
    );

    let rows = vec![
        ExternalLink {
            kind: ExternalLinkKind::Link,
            value: "vless://uuid@de.example:443?security=reality#DE".into(),
            remark: Some("DE".into()),
            enable: Some(true),
            expiry_time_ms: Some(0),
            name_prefix: None,
            extra: Default::default(),
        },
        ExternalLink {
            kind: ExternalLinkKind::Link,
            value: "trojan://off@fr.example:443#FR".into(),
            remark: None,
            enable: Some(false),
            expiry_time_ms: None,
            name_prefix: None,
            extra: Default::default(),
        },
    ];
    client
        .external_links(&c.email, &rows)
        .await
        .expect("externalLinks");
    assert_eq!(handle.client(&c.email).expect("c").external_links.len(), 2);
    let record = client.get(&c.email).await.expect("get");
    assert_eq!(record.external_links.len(), 2);
    let sub = client.sub_links(&c.sub_id).await.expect("subLinks");
    if c.enable {
        assert_eq!(sub.len(), links.len() + 1, "disabled rows are not emitted");
        assert!(sub.iter().any(|l| l.contains("de.example")));
    } else {
        assert!(sub.is_empty());
    }
    assert!(client
        .sub_links("no-such-sub")
        .await
        .expect("empty")
        .is_empty());

    let bad = [ExternalLink {
        kind: ExternalLinkKind::Subscription,
        value: "ftp://nope".into(),
        remark: None,
        enable: None,
        expiry_time_ms: None,
        name_prefix: None,
        extra: Default::default(),
    }];
    let err = client
        .external_links(&c.email, &bad)
        .await
        .expect_err("bad row");
    assert!(api_message(err).contains("http"));
    assert_eq!(
        handle.client(&c.email).expect("c").external_links.len(),
        2,
        "unchanged"
    );
}

#[tokio::test]
async fn export_import_round_trip_skips_existing_emails() {
    let (_sim, handle, client) = start(8, 3).await;
    let exported = client.export().await.expect("export");
    assert_eq!(exported.len(), 8);
    let gone: Vec<String> = exported[..3]
        .iter()
        .map(|i| i.client.email.clone())
        .collect();
    let del = client.bulk_del(&gone, false).await.expect("bulkDel");
    assert_eq!(del.deleted, 3);
    let result = client.import(&exported).await.expect("import");
    assert_eq!(result.created, 3);
    assert_eq!(result.skipped.len(), 5);
    assert!(result
        .skipped
        .iter()
        .all(|s| s.reason.contains("email already in use")));
    for item in &exported[..3] {
        let back = handle.client(&item.client.email).expect("restored");
        assert_eq!(Some(back.sub_id), item.client.sub_id);
        assert_eq!(
            back.inbound_ids,
            item.inbound_ids.iter().map(|i| i.0).collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn traffic_routes_count_reset_and_delete_depleted() {
    let (_sim, handle, client) = start(10, 2).await;
    let a = handle.clients()[0].email.clone();
    handle.edit(&a, |c| {
        c.total_bytes = 10 * GIB;
        c.expiry_time_ms = 0;
        c.enable = true;
        c.auto_disabled = false;
    });
    client
        .update_traffic(&a, 4 * GIB, 7 * GIB)
        .await
        .expect("updateTraffic");
    let t = client.traffic(&a).await.expect("traffic");
    assert_eq!(
        (t.up_bytes, t.down_bytes, t.total_bytes),
        (4 * GIB, 7 * GIB, 10 * GIB)
    );
    assert!(!t.enable, "over quota: the traffic loop disabled it");
    client.reset_traffic(&a).await.expect("resetTraffic");
    let c = handle.client(&a).expect("a");
    assert_eq!((c.up_bytes, c.down_bytes, c.enable), (0, 0, true));

    client.reset_all_traffics().await.expect("resetAllTraffics");
    assert!(handle
        .clients()
        .iter()
        .all(|c| c.up_bytes == 0 && c.down_bytes == 0));

    let b = handle.clients()[1].email.clone();
    handle.edit(&b, |c| c.expiry_time_ms = now_ms() - DAY_MS);
    let expected = handle
        .clients()
        .iter()
        .filter(|c| c.expiry_time_ms > 0 && c.expiry_time_ms <= now_ms())
        .count() as u64;
    let result = client.del_depleted().await.expect("delDepleted");
    assert_eq!(result.deleted, expected);
    assert!(handle.client(&b).is_none());
    assert!(handle.client(&a).is_some());
}

#[tokio::test]
async fn online_and_ip_views() {
    let (_sim, handle, client) = start(5, 3).await;
    let all = handle.clients();
    let a = all[0].email.clone();
    handle.record_ip(&a, "198.51.100.7");
    let ips = client.ips(&a).await.expect("ips");
    assert!(ips.0.iter().any(|s| s.starts_with("198.51.100.7 (")));
    let by_guid = client.client_ips_by_guid().await.expect("clientIpsByGuid");
    let (_, per_client) = by_guid.iter().next().expect("one guid");
    assert!(per_client[&a].iter().any(|seen| seen.ip == "198.51.100.7"));
    client.clear_ips(&a).await.expect("clearIps");
    assert!(handle.ips(&a).is_empty());
    assert!(
        client.ips(&a).await.expect("ips").0.is_empty(),
        "\"No IP Record\" reads as empty"
    );

    handle.add_traffic(&all[1].email, 1, 1);
    let online = client.onlines().await.expect("onlines");
    assert_eq!(online, handle.online());
    assert!(online.contains(&a) && online.contains(&all[1].email));
    let by_guid = client.onlines_by_guid().await.expect("onlinesByGuid");
    assert_eq!(by_guid.values().next().expect("guid"), &online);
    let active = client.active_inbounds().await.expect("activeInbounds");
    let tags = active.values().next().expect("guid");
    let inbounds = handle.inbounds();
    let tag_of = |id: i64| {
        inbounds
            .iter()
            .find(|i| i.id == id)
            .expect("inbound")
            .tag
            .clone()
    };
    for id in &handle.client(&a).expect("a").inbound_ids {
        assert!(tags.contains(&tag_of(*id)));
    }
    let last = client.last_online().await.expect("lastOnline");
    assert_eq!(
        last[&all[1].email],
        handle.client(&all[1].email).expect("b").last_online_ms
    );
}
