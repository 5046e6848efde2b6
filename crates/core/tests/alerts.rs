//! Rules and alerts against a simulated Marzban: each event is announced once, many at once
//! become one alert with the table's filter, quiet hours hold alerts back; Telegram (a local
//! fake of its Bot API, never the real service) and a webhook receive them in English.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use accounts_support::{add, open, sim_options};
use axum::{extract::Path, routing::post, Json, Router};
use paneldeck_core::{
    accounts::{now_ms, AccountQuery, AccountStatus},
    alerts::{text::english, Alert, AlertKind, AlertSettings, Channel, QuietHours},
};
use paneldeck_sim::SimKind;
use serde_json::{json, Value};

fn matched(core: &paneldeck_core::Paneldeck, q: AccountQuery) -> u64 {
    core.query_accounts(&q).unwrap().matched
}

#[tokio::test]
async fn each_event_is_announced_once_and_many_become_one_alert() {
    let (sim, handle) = paneldeck_sim::marzban::start_with_ttl(
        sim_options(3, 60, SimKind::Marzban),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    let (core, _dir) = open();
    let panel = add(&core, &sim, "eu1", "#112233").await;
    core.sync_all(|_| {}).await;
    let mut settings = AlertSettings::default();
    settings.rules.expiring_days = 30;
    core.set_alert_settings(&settings).unwrap();

    let depleted = matched(
        &core,
        AccountQuery {
            depleted: true,
            ..Default::default()
        },
    );
    let expiring = matched(
        &core,
        AccountQuery {
            expiring_within_days: Some(30),
            ..Default::default()
        },
    );
    assert!(
        depleted > 0 && expiring > 0,
        "the seed has both: {depleted} {expiring}"
    );
    let first = core.alert_round().unwrap();
    let of = |alerts: &[Alert], code: fn(&AlertKind) -> bool| {
        alerts
            .iter()
            .filter(|a| code(&a.kind))
            .cloned()
            .collect::<Vec<_>>()
    };
    let dep = of(&first, |k| matches!(k, AlertKind::AccountsDepleted));
    assert_eq!(dep.len(), 1, "one alert for all of them: {first:?}");
    assert_eq!(dep[0].count, depleted);
    let filter = dep[0].filter.clone().unwrap();
    assert!(filter.depleted && filter.panel_ids == vec![panel.id.clone()]);
    let exp = of(&first, |k| {
        matches!(k, AlertKind::AccountsExpiring { within_days: 30 })
    });
    assert_eq!(exp[0].count, expiring);
    assert_eq!(exp[0].names.len() as u64, expiring.min(5));

    assert!(core.alert_round().unwrap().is_empty(), "announced once");

    // One more account runs out of traffic: only it is announced.
    let rows = core
        .query_accounts(&AccountQuery {
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
        .rows;
    let victim = rows
        .iter()
        .find(|r| r.status == AccountStatus::Active && r.limit_bytes.is_some())
        .unwrap();
    let missing = victim.limit_bytes.unwrap() - victim.used_bytes;
    assert!(handle.add_traffic(&victim.name, missing as i64, None));
    core.sync_all(|_| {}).await;
    let next = core.alert_round().unwrap();
    let dep = of(&next, |k| matches!(k, AlertKind::AccountsDepleted));
    assert_eq!(dep.len(), 1, "{next:?}");
    assert_eq!(
        (dep[0].count, dep[0].names.clone()),
        (1, vec![victim.name.clone()])
    );
}

#[tokio::test]
async fn quiet_hours_hold_alerts_until_they_end() {
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_options(3, 30, SimKind::Marzban))
        .await
        .unwrap();
    let (core, _dir) = open();
    add(&core, &sim, "eu1", "#112233").await;
    core.sync_all(|_| {}).await;
    let now = now_ms();
    let minute = ((now / 60_000) % 1440) as u16;
    let settings = AlertSettings {
        quiet_hours: Some(QuietHours {
            from_minute: minute,
            to_minute: (minute + 2) % 1440,
            utc_offset_minutes: 0,
        }),
        ..AlertSettings::default()
    };
    core.set_alert_settings(&settings).unwrap();
    assert!(core.alert_round_at(now).unwrap().is_empty());
    let later = core.alert_round_at(now + 3 * 60_000).unwrap();
    assert!(
        later.iter().any(|a| a.kind == AlertKind::AccountsDepleted),
        "{later:?}"
    );
}

type Caught = Arc<Mutex<Vec<(String, Value)>>>;

/// A fake Bot API and webhook on 127.0.0.1: records each request; `bad_token` is refused as
/// the Bot API refuses one (`ok: false`, 401 with a description).
async fn fake(bad_token: &'static str) -> (String, Caught) {
    let caught: Caught = Arc::default();
    let (bot, hook) = (caught.clone(), caught.clone());
    let app = Router::new()
        .route(
            "/{bot}/sendMessage",
            post(move |Path(who): Path<String>, Json(body): Json<Value>| async move {
                bot.lock().unwrap().push((who.clone(), body));
                if who == format!("bot{bad_token}") {
                    (
                        axum::http::StatusCode::UNAUTHORIZED,
                        Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
                    )
                } else {
                    (axum::http::StatusCode::OK, Json(json!({"ok": true, "result": {}})))
                }
            }),
        )
        .route(
            "/hook",
            post(move |Json(body): Json<Value>| async move {
                hook.lock().unwrap().push(("hook".into(), body));
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, caught)
}

#[tokio::test]
async fn telegram_and_the_webhook_get_each_alert_in_english() {
    let (url, caught) = fake("0:bad").await;
    let (core, _dir) = open();
    let mut settings = AlertSettings::default();
    settings.channels.telegram_chat_id = Some("42".into());
    settings.channels.telegram_api_url = Some(url.clone());
    settings.channels.webhook_url = Some(format!("{url}/hook"));
    core.set_alert_settings(&settings).unwrap();
    core.set_telegram_token(Some("123:abc".into())).unwrap();
    let alert = Alert {
        kind: AlertKind::AccountsExpiring { within_days: 3 },
        at_ms: 1,
        count: 37,
        names: vec!["maria.vip-0001".into()],
        accounts: Vec::new(),
        filter: None,
    };
    let failures = core
        .deliver_alerts(std::slice::from_ref(&alert))
        .await
        .unwrap();
    assert!(failures.is_empty(), "{failures:?}");
    let got = caught.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].0, "bot123:abc");
    assert_eq!(got[0].1, json!({"chat_id": "42", "text": english(&alert)}));
    assert_eq!(got[1].1["alert"]["kind"]["code"], "accountsExpiring");
    assert_eq!(
        got[1].1["text"],
        "37 accounts expire within 3 days: maria.vip-0001 and 36 more"
    );

    core.set_telegram_token(Some("0:bad".into())).unwrap();
    let failures = core.deliver_alerts(&[alert]).await.unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].channel, Channel::Telegram);
    assert_eq!(failures[0].message, "Unauthorized");
}
