//! Nothing lost by a click (issue 24), through the real window: a disable is undone from its
//! notice; a traffic reset asks first, is journaled on the Operations page and is undone (3x-ui
//! sets its counters back); an operation reverted from the Operations page restores the
//! before-values on the panel; after "New password" the proxy strings carry the new password
//! at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_e2e::{AppWindow, Result};
use paneldeck_panels::{
    xui::{XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelKind, Secret,
};
use paneldeck_sim::{SimCredentials, SimKind, SimOptions};

/// Opens the first account with traffic whose name the search narrows to.
async fn open_account(app: &AppWindow, name: &str) -> Result<()> {
    app.click("[data-testid=nav-accounts]").await?;
    app.fill("[data-testid=accounts-search]", name).await?;
    app.wait_until("the search to narrow the table", || async {
        let names = app.row_names().await?;
        Ok(names.len() == 1 && names[0] == name)
    })
    .await?;
    app.click("[data-testid=account-row]").await?;
    app.find("[data-testid=account-detail]").await.map(|_| ())
}

async fn undo_state(app: &AppWindow) -> Result<String> {
    let el = app.find("[data-testid=undo-notice]").await?;
    Ok(el
        .attr("data-state")
        .await
        .ok()
        .flatten()
        .unwrap_or_default())
}

/// Clicks Undo on the notice and waits until it says the change was undone.
async fn undo(app: &AppWindow) -> Result<()> {
    app.click("[data-testid=undo-action]").await?;
    app.wait_until("the undo to finish", || async {
        Ok(undo_state(app).await? == "undone")
    })
    .await
}

#[tokio::test]
async fn undo_reset_in_operations_and_revert_reach_the_panel() {
    let sim = paneldeck_sim::start_local(
        SimKind::Xui,
        SimOptions {
            accounts: 40,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let token = paneldeck_e2e::sim_token(&sim.credentials);
    let http = HttpClient::new(PanelKind::Xui, Endpoint::parse(&sim.url()).unwrap()).unwrap();
    let panel = XuiClient::new(http, XuiAuth::Token(Secret::new(token.clone())));
    // An enabled client with traffic: a reset and a disable both change something.
    let mut target = None;
    for c in panel.list().await.unwrap().into_iter().filter(|c| c.enable) {
        if let Some(t) = panel.traffic_counters(&c.email).await.unwrap() {
            if t.up_bytes > 0 && t.down_bytes > 0 {
                target = Some((c.email, t));
                break;
            }
        }
    }
    let (target, before) = target.expect("an enabled client with traffic");

    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch("undo", &[("PANELDECK_DATA_DIR", data_dir.as_str())])
        .await
        .unwrap();
    let steps = async {
        app.add_panel("Sim 3x-ui", &sim.url(), &token).await?;
        app.click("[data-testid=nav-accounts]").await?;
        app.click("[data-testid=sync-all]").await?;
        app.wait_until("synced rows", || async {
            Ok(!app.row_names().await?.is_empty())
        })
        .await?;
        open_account(&app, &target).await?;

        // Disable, then Undo from the notice.
        app.click("[data-testid=action-disable]").await?;
        app.find("[data-testid=undo-action]").await?;
        undo(&app).await?;
        app.find("[data-testid=action-disable]").await?;

        // A reset asks first, then offers Undo (3x-ui sets counters back).
        app.click("[data-testid=action-resetTraffic]").await?;
        app.click("[data-testid=confirm-action]").await?;
        app.wait_until("the reset's Undo", || async {
            Ok(undo_state(&app).await? == "offered")
        })
        .await?;
        undo(&app).await?;

        // Disable again and revert it from the Operations page.
        app.click("[data-testid=action-disable]").await?;
        app.find("[data-testid=action-enable]").await?;
        app.click("[data-testid=nav-operations]").await?;
        app.find("[data-testid=ops-row]").await?;
        let titles = app.text(".ops-list").await?.to_lowercase();
        if !titles.contains("reset traffic") || !titles.contains(&target.to_lowercase()) {
            return Err(format!("the reset is not in Operations: {titles}"));
        }
        // Newest first: the disable.
        app.click("[data-testid=ops-row] [data-testid=ops-revert]")
            .await?;
        app.click("[data-testid=bulk-run]").await?;
        app.find("[data-testid=bulk-report]").await?;
        Ok(())
    };
    let result = steps.await;
    app.check(result).await;
    app.close().await;

    let now = panel.get(&target).await.unwrap();
    assert!(now.enable, "the reverted disable reached the panel");
    let counters = panel.traffic_counters(&target).await.unwrap().unwrap();
    assert_eq!(
        (counters.up_bytes, counters.down_bytes),
        (before.up_bytes, before.down_bytes),
        "the undone reset set the counters back"
    );
}

#[tokio::test]
async fn a_new_password_shows_in_the_proxy_strings_at_once() {
    let sim = paneldeck_sim::start_local(
        SimKind::Userpass,
        SimOptions {
            accounts: 10,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let SimCredentials::ApiKey { api_key } = sim.credentials.clone() else {
        panic!("user-pass simulators take an API key")
    };
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch("new-password", &[("PANELDECK_DATA_DIR", data_dir.as_str())])
        .await
        .unwrap();
    let steps = async {
        app.click("[data-testid=nav-panels]").await?;
        app.click("[data-testid=add-panel]").await?;
        app.select("select[name=kind]", "userpass").await?;
        app.fill("input[name=name]", "Sim proxies").await?;
        app.fill("input[name=baseUrl]", &sim.url()).await?;
        app.fill("input[name=secret]", &api_key).await?;
        // The gateway the proxy strings name.
        app.fill("input[name=gatewayHost]", "gw.example.net")
            .await?;
        app.fill("input[name=httpPort]", "8080").await?;
        app.click("[data-testid=save-panel]").await?;
        app.find("[data-testid=panel-card]").await?;
        app.click("[data-testid=nav-accounts]").await?;
        app.click("[data-testid=sync-all]").await?;
        app.wait_until("synced rows", || async {
            Ok(!app.row_names().await?.is_empty())
        })
        .await?;
        // An active sub-user: a blocked one cannot be updated at all (its status 3 is the
        // provider's, and an update must send 1 or 2).
        let all = app.row_names().await?.len();
        app.click("[data-testid=status-active]").await?;
        app.wait_until("active rows", || async {
            let n = app.row_names().await?.len();
            Ok(n > 0 && n < all)
        })
        .await?;
        app.click("[data-testid=account-row]").await?;
        app.find("[data-testid=account-links] .link-url").await?;
        app.click("[data-testid=action-regeneratePassword]").await?;
        app.click("[data-testid=confirm-action]").await?;
        let notice = match app.text("[data-testid=account-detail] .notice.ok").await {
            Ok(text) => text,
            Err(e) => {
                let pane = app.text("[data-testid=account-detail]").await?;
                return Err(format!("{e}; the pane says: {pane}"));
            }
        };
        let password = notice
            .split(": ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .ok_or(format!("no password in `{notice}`"))?
            .to_owned();
        app.wait_until("the proxy strings to carry the new password", || async {
            let mut all = String::new();
            for el in app
                .find_all("[data-testid=account-links] .link-url")
                .await?
            {
                all.push_str(&el.text().await.unwrap_or_default());
            }
            Ok(all.contains(&password))
        })
        .await
    };
    let result = steps.await;
    app.check(result).await;
    app.close().await;
}
