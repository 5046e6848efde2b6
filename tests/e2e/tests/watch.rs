//! Watching through the real window (issue 22): the tray menu exists and speaks the UI's
//! language, the dashboard's chart draws the history of two syncs and its report saves, and an
//! alert rule reaches the desktop as a notification through the notification plugin (received
//! by a stand-in notification server on the session bus).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::time::{Duration, Instant};

use paneldeck_e2e::{notifications::NotificationServer, AppWindow, Result};
use paneldeck_sim::{SimCredentials, SimKind, SimOptions};
use serde_json::Value;

/// The Russian words the UI sends for the shell (`ui/src/i18n/locales/ru.watch.json`).
fn russian_shell() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/src/i18n/locales/ru.watch.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["watch"]["shell"].clone()
}

/// The tray menu's items (id, text), read from the tray the app built.
async fn tray_menu(app: &AppWindow) -> Result<Vec<(String, String)>> {
    let items = app
        .eval_async(
            r#"const done = arguments[arguments.length - 1];
window.__TAURI_INTERNALS__.invoke('tray_menu').then(done, (e) => done({ error: String(e) }));"#,
        )
        .await?;
    let items = items
        .as_array()
        .ok_or_else(|| format!("tray_menu failed: {items}"))?;
    Ok(items
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (s("id"), s("text"))
        })
        .collect())
}

async fn sync_all(app: &AppWindow) -> Result<()> {
    app.click("[data-testid=nav-accounts]").await?;
    app.wait_until("the sync button to be free", || async {
        Ok(app
            .find("[data-testid=sync-all]")
            .await?
            .is_enabled()
            .await
            .unwrap_or(false))
    })
    .await?;
    app.click("[data-testid=sync-all]").await?;
    app.wait_until("the sync to finish with rows", || async {
        let free = app
            .find("[data-testid=sync-all]")
            .await?
            .is_enabled()
            .await
            .unwrap_or(false);
        Ok(free && !app.row_names().await?.is_empty())
    })
    .await
}

#[tokio::test]
async fn alerts_notify_the_tray_has_its_menu_and_the_chart_draws_two_syncs() {
    let notifications = NotificationServer::start().unwrap();
    let sim = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            accounts: 30,
            // Enough that a few seconds between two syncs show in the history.
            usage_growth_mib_per_min: 20_000.0,
            expiring_soon: 4,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("the Marzban simulator gives a username and password");
    };
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let report_file = data.path().join("report.html");
    let app = AppWindow::launch("watch", &[("PANELDECK_DATA_DIR", data_dir.as_str())])
        .await
        .unwrap();
    let ru = russian_shell();
    let word = |k: &str| ru[k].as_str().unwrap_or_default().to_owned();

    let steps = async {
        // The tray's words follow the UI's language.
        app.select("[data-testid=settings-language]", "ru").await?;
        let expected = vec![
            ("open".to_owned(), word("open")),
            ("sync".to_owned(), word("syncNow")),
            ("pause".to_owned(), word("pauseAlerts")),
            ("quit".to_owned(), word("quit")),
        ];
        let russian = app
            .wait_until("the tray menu in Russian", || async {
                Ok(tray_menu(&app).await? == expected)
            })
            .await;
        if let Err(e) = russian {
            return Err(format!("{e}: the tray has {:?}", tray_menu(&app).await));
        }

        app.click("[data-testid=nav-panels]").await?;
        app.click("[data-testid=add-panel]").await?;
        app.select("select[name=kind]", "marzban").await?;
        app.fill("input[name=name]", "Sim Marzban").await?;
        app.fill("input[name=baseUrl]", &sim.url()).await?;
        app.fill("input[name=username]", &username).await?;
        app.fill("input[name=secret]", &password).await?;
        app.click("[data-testid=save-panel]").await?;
        app.find("[data-testid=panel-card]").await?;

        // Two syncs with usage growing in between: the history's first deltas.
        sync_all(&app).await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        sync_all(&app).await?;

        app.click("[data-testid=nav-dashboard]").await?;
        app.wait_until("the chart to draw the panel's points", || async {
            let dots = app
                .find_all("[data-testid=usage-chart] .recharts-line-dots circle")
                .await?;
            Ok(!dots.is_empty())
        })
        .await?;
        let legend = app
            .text("[data-testid=usage-chart] .recharts-legend-wrapper")
            .await?;
        if !legend.contains("Sim Marzban") {
            return Err(format!(
                "the chart's legend does not name the panel: {legend:?}"
            ));
        }
        // The report has the panel's traffic; saved as a printable page.
        app.wait_until("the report's row for the panel with traffic", || async {
            let rows = app
                .eval("return [...document.querySelectorAll('[data-testid=report-row]')].map((r) => [...r.cells].map((c) => c.textContent));")
                .await?;
            let rows = rows.as_array().cloned().unwrap_or_default();
            Ok(rows.iter().any(|r| r[0] == "Sim Marzban" && r[1] != "0 B"))
        })
        .await?;
        app.click("[data-testid=report-format-html]").await?;
        app.fill(
            "[data-testid=report-path]",
            &report_file.display().to_string(),
        )
        .await?;
        app.click("[data-testid=report-save]").await?;
        app.find("[data-testid=report-saved]").await?;
        Ok(())
    };
    app.check(steps.await).await;

    // The alert round runs every 30 s after the syncs: the expiring accounts are announced,
    // worded in Russian, through the plugin to the desktop's notification server.
    let template = ru["notify"]["accountsExpiring"]
        .as_str()
        .unwrap_or_default();
    let prefix = template.split("{{").next().unwrap_or_default().to_owned();
    assert!(!prefix.is_empty(), "{template}");
    let deadline = Instant::now() + Duration::from_secs(75);
    let found = loop {
        let shown = notifications.shown();
        if let Some(n) = shown.iter().find(|n| n.body.starts_with(&prefix)) {
            break Some(n.clone());
        }
        if Instant::now() > deadline {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let result = match &found {
        Some(n) if n.summary == "Paneldeck" => Ok(()),
        Some(n) => Err(format!("the notification's title is {:?}", n.summary)),
        None => Err(format!(
            "no notification about expiring accounts ({prefix:?}…) within 75 s; shown: {:?}",
            notifications.shown()
        )),
    };
    app.check(result).await;
    app.close().await;

    let page = std::fs::read_to_string(&report_file).unwrap();
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(page.contains("Sim Marzban"), "{page}");
    assert!(page.contains("<html lang=\"ru\""), "{page}");
}
