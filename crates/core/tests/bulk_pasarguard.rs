//! PasarGuard through the bulk engine and the detail actions, against the simulator: disable,
//! extend expiry and reset traffic go through `/api/users/bulk/*` (no request per user), a
//! reset leaves disabled users disabled (PasarGuard's reset turns only `limited` users active,
//! `reset_user_data_usage` at v5.2.1), and an edit keeps the user's next plan.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use accounts_support::{add, open};
use paneldeck_core::{
    accounts::{AccountQuery, AccountStatus, Selection},
    actions::{self, AccountAction, AccountEdit, ExpireInput, MarzbanStatusInput, ResetStrategy},
    bulk::{BulkAction, BulkRequest, CancelToken},
    connect::{ConnectionSpec, PanelClient},
    kinds::pasarguard::form::PasarguardEdit,
    registry::{PanelSettings, PanelView},
    Paneldeck,
};
use paneldeck_panels::{
    pasarguard::{GroupId, NextPlan, UserCreate},
    Endpoint, PanelKind, Secret,
};
use paneldeck_sim::{SimCredentials, SimOptions};

async fn run(core: &Paneldeck, panel: &PanelView, action: BulkAction) -> u32 {
    let plan = core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Query {
                query: AccountQuery {
                    panel_ids: vec![panel.id.clone()],
                    ..AccountQuery::default()
                },
            },
            action,
        })
        .unwrap();
    let report = core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:#?}", report.failures);
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    report.counts.done
}

fn statuses(core: &Paneldeck, panel: &PanelView) -> Vec<(String, AccountStatus, Option<i64>)> {
    let keys = core
        .query_keys(&AccountQuery {
            panel_ids: vec![panel.id.clone()],
            ..AccountQuery::default()
        })
        .unwrap();
    keys.iter()
        .map(|k| {
            let a = core.account_detail(k).unwrap().account;
            (a.name, a.status, a.expires_at_ms)
        })
        .collect()
}

#[tokio::test]
async fn bulk_changes_go_through_the_native_routes() {
    let (core, _dir) = open();
    let opts = SimOptions {
        seed: 5,
        accounts: 30,
        ..SimOptions::default()
    };
    let (sim, _handle) = paneldeck_sim::pasarguard::start(opts).await.unwrap();
    let panel = add(&core, &sim, "PG", "#000001").await;
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    let before = statuses(&core, &panel);

    let extended = run(&core, &panel, BulkAction::ExtendExpiry { days: 3 }).await;
    assert!(extended > 0);
    assert!(sim.stats.route_count("POST /api/users/bulk/expire") >= 1);
    for ((name, _, was), (_, _, now)) in before.iter().zip(statuses(&core, &panel)) {
        if let Some(was) = was {
            assert_eq!(now, Some(was + 3 * 86_400_000), "{name}");
        }
    }

    run(&core, &panel, BulkAction::Disable).await;
    assert!(sim.stats.route_count("POST /api/users/bulk/disable") >= 1);
    assert!(statuses(&core, &panel)
        .iter()
        .all(|(_, s, _)| *s == AccountStatus::Disabled));

    run(&core, &panel, BulkAction::ResetTraffic).await;
    assert!(sim.stats.route_count("POST /api/users/bulk/reset") >= 1);
    assert!(statuses(&core, &panel)
        .iter()
        .all(|(_, s, _)| *s == AccountStatus::Disabled));
    assert_eq!(
        sim.stats.route_count("PUT /api/user/"),
        0,
        "no request per user"
    );
}

#[tokio::test]
async fn an_edit_keeps_the_next_plan_and_actions_work() {
    let opts = SimOptions {
        seed: 6,
        accounts: 0,
        ..SimOptions::default()
    };
    let (sim, _handle) = paneldeck_sim::pasarguard::start(opts).await.unwrap();
    let SimCredentials::Password { username, password } = &sim.credentials else {
        panic!("{:?}", sim.credentials)
    };
    let settings = PanelSettings {
        username: Some(username.clone()),
        ..PanelSettings::default()
    };
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Pasarguard,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(password.as_str()),
        session_token: None,
    })
    .unwrap();
    let PanelClient::Pasarguard(pg) = &client else {
        unreachable!()
    };
    let plan = NextPlan {
        data_limit_bytes: Some(5 << 30),
        expire_secs: Some(86_400),
        ..NextPlan::default()
    };
    pg.add_user(&UserCreate {
        username: "planned".into(),
        group_ids: vec![GroupId(1)],
        next_plan: Some(plan.clone()),
        ..UserCreate::default()
    })
    .await
    .unwrap();
    let edit = AccountEdit::Pasarguard(PasarguardEdit {
        data_limit_bytes: Some(1 << 30),
        expire: ExpireInput::Never,
        data_limit_reset_strategy: ResetStrategy::Month,
        status: MarzbanStatusInput::Active,
        note: "edited".into(),
        on_hold_expire_duration_secs: None,
        group_ids: Some(vec![2]),
        hwid_limit: Some(2),
    });
    actions::edit(&client, "planned", &edit).await.unwrap();
    actions::apply(&client, "planned", &AccountAction::Disable)
        .await
        .unwrap();
    let user = pg.get_user("planned").await.unwrap();
    assert_eq!(user.next_plan, Some(plan));
    assert_eq!(user.group_ids, vec![GroupId(2)]);
    assert_eq!(user.hwid_limit, Some(2));
    assert_eq!(user.note.as_deref(), Some("edited"));
    let before = user.proxy_settings.vless.clone();
    let revoked = actions::apply(&client, "planned", &AccountAction::RevokeSubscription)
        .await
        .unwrap();
    assert!(revoked.secret.unwrap().starts_with(&sim.url()));
    assert_ne!(
        pg.get_user("planned").await.unwrap().proxy_settings.vless,
        before
    );
}
