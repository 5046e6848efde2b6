//! `cargo xtask screenshots`: drives the demo app into the states shown in the README and saves
//! them under docs/screenshots/. A tool for people, not a test.

use std::{path::Path, path::PathBuf, time::Duration};

use paneldeck_e2e::{AppWindow, Result};

/// Lets queries land and the layout settle before a picture.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(700)).await;
}

async fn goto(app: &AppWindow, page: &str, ready: &str) -> Result<()> {
    app.click(&format!("[data-testid=nav-{page}]")).await?;
    app.find(ready).await?;
    settle().await;
    Ok(())
}

/// Stores a theme and language, reloads, and comes back to the panels page.
async fn set_prefs(app: &AppWindow, theme: &str, lang: &str) -> Result<()> {
    app.execute(&format!(
        "localStorage.setItem('paneldeck.theme','{theme}'); localStorage.setItem('paneldeck.language','{lang}'); location.reload();"
    ))
    .await?;
    // Let the reload start before waiting, or the old page answers the wait.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    goto(app, "panels", "[data-testid=panel-card]").await
}

async fn steps(app: &AppWindow, out: &Path) -> Result<()> {
    goto(app, "panels", "[data-testid=panel-card]").await?;
    set_prefs(app, "light", "en").await?;
    app.screenshot(&out.join("panels-light.png")).await?;

    goto(app, "accounts", "[data-testid=account-row]").await?;
    app.screenshot(&out.join("accounts-table.png")).await?;
    for kind in ["xui", "marzban", "userpass", "pterodactyl"] {
        app.click(&format!("[data-testid=kind-{kind}]")).await?;
        settle().await;
        app.click("[data-testid=account-row]").await?;
        app.find("[data-testid=account-detail] .props").await?;
        settle().await;
        app.screenshot(&out.join(format!("detail-{kind}.png")))
            .await?;
        app.click(&format!("[data-testid=kind-{kind}]")).await?;
    }
    goto(app, "dashboard", "[data-testid=panel-health]").await?;
    app.screenshot(&out.join("dashboard.png")).await?;

    goto(app, "panels", "[data-testid=panel-card]").await?;
    app.click("[data-testid=add-panel]").await?;
    app.fill("input[name=name]", "Amsterdam").await?;
    app.fill("input[name=baseUrl]", "panel.example.com").await?;
    app.click("[data-testid=save-panel]").await?;
    app.find(".field.invalid").await?;
    app.screenshot(&out.join("add-panel-validation.png"))
        .await?;
    app.click("[role=dialog] .dialog-footer button").await?;

    set_prefs(app, "dark", "fa").await?;
    app.screenshot(&out.join("panels-dark-rtl.png")).await?;
    goto(app, "accounts", "[data-testid=account-row]").await?;
    app.screenshot(&out.join("accounts-dark-rtl.png")).await?;
    set_prefs(app, "system", "en").await
}

async fn shoot(out: &Path) -> Result<()> {
    let data = std::env::temp_dir().join(format!("paneldeck-shots-{}", std::process::id()));
    let data_dir = data.display().to_string();
    let env = [
        ("PANELDECK_DEMO", "1"),
        ("PANELDECK_DATA_DIR", data_dir.as_str()),
    ];
    let app = AppWindow::launch("screenshots", &env).await?;
    let result = steps(&app, out).await;
    if result.is_err() {
        let failed = std::env::temp_dir().join("paneldeck-screenshots-failed.png");
        let _ = app.screenshot(&failed).await;
    }
    app.close().await;
    let _ = std::fs::remove_dir_all(data);
    result
}

#[tokio::main]
async fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    if let Err(err) = shoot(&out).await {
        eprintln!("screenshots failed: {err}");
        std::process::exit(1);
    }
    println!("saved to {}", out.display());
}
