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

/// Shows only the accounts of one panel kind. Filters persist across pages and runs, so it
/// clears them first instead of toggling a chip whose state it cannot know.
async fn only_kind(app: &AppWindow, kind: &str) -> Result<()> {
    app.click("[data-testid=clear-filters]").await?;
    app.click(&format!("[data-testid=kind-{kind}]")).await?;
    app.find(&format!("[data-testid=kind-{kind}][aria-pressed=true]"))
        .await?;
    settle().await;
    Ok(())
}

async fn clear_filters(app: &AppWindow) -> Result<()> {
    app.click("[data-testid=clear-filters]").await?;
    settle().await;
    Ok(())
}

/// Clicks a button of the account pane, scrolled into view first (the pane scrolls on its own,
/// and a click outside the view does not land).
async fn click_in_pane(app: &AppWindow, css: &str) -> Result<()> {
    app.find(css).await?;
    app.execute(&format!(
        "document.querySelector('{css}').scrollIntoView({{block: 'center'}})"
    ))
    .await?;
    app.click(css).await
}

/// Picks a theme and language in the top bar, as a user would, and goes to the panels page.
async fn set_prefs(app: &AppWindow, theme: &str, lang: &str) -> Result<()> {
    app.select("[data-testid=settings-theme]", theme).await?;
    app.select("[data-testid=settings-language]", lang).await?;
    goto(app, "panels", "[data-testid=panel-card]").await
}

async fn steps(app: &AppWindow, out: &Path) -> Result<()> {
    goto(app, "panels", "[data-testid=panel-card]").await?;
    set_prefs(app, "light", "en").await?;
    app.screenshot(&out.join("panels-light.png")).await?;

    goto(app, "accounts", "[data-testid=account-row]").await?;
    app.screenshot(&out.join("accounts-table.png")).await?;
    for kind in ["xui", "marzban", "userpass", "pterodactyl"] {
        only_kind(app, kind).await?;
        app.click("[data-testid=account-row]").await?;
        app.find("[data-testid=account-detail] .props").await?;
        settle().await;
        app.screenshot(&out.join(format!("detail-{kind}.png")))
            .await?;
        app.click("[data-testid=detail-close]").await?;
    }
    clear_filters(app).await?;
    goto(app, "dashboard", "[data-testid=panel-health]").await?;
    app.screenshot(&out.join("dashboard.png")).await?;

    // Links and a QR code of a 3x-ui client.
    goto(app, "accounts", "[data-testid=account-row]").await?;
    only_kind(app, "xui").await?;
    app.click("[data-testid=account-row]").await?;
    app.find("[data-testid=account-links] [data-testid=link-qr]")
        .await?;
    app.execute("document.querySelector('[data-testid=account-links]').scrollIntoView()")
        .await?;
    settle().await;
    app.screenshot(&out.join("links.png")).await?;
    app.click("[data-testid=link-qr]").await?;
    app.find("[data-testid=qr-image]").await?;
    settle().await;
    app.screenshot(&out.join("link-qr.png")).await?;
    // Escape, as a key press reaches the page: at the focused element, bubbling up.
    app.execute("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")
        .await?;
    settle().await;
    app.click("[data-testid=detail-close]").await?;
    clear_filters(app).await?;

    bulk_import_operations(app, out, "").await?;

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

    // What the backend sends (plan values, titles, outcomes, import problems) as Russian and
    // Persian readers see it.
    set_prefs(app, "light", "ru").await?;
    bulk_import_operations(app, out, "-ru").await?;
    set_prefs(app, "dark", "fa").await?;
    bulk_import_operations(app, out, "-fa-dark").await?;
    set_prefs(app, "system", "en").await
}

/// A bulk change on everything the filter matches (preview, then the report), an import
/// preview of an export, and the operations page; `suffix` names the pictures' language.
async fn bulk_import_operations(app: &AppWindow, out: &Path, suffix: &str) -> Result<()> {
    let shot = |name: &str| out.join(format!("{name}{suffix}.png"));
    goto(app, "accounts", "[data-testid=account-row]").await?;
    panel_filter(app, &shot("panel-filter")).await?;
    only_kind(app, "xui").await?;
    app.click("[data-testid=select-all-matching]").await?;
    app.click("[data-testid=bulk-open]").await?;
    app.select("[data-testid=bulk-action]", "extendExpiry")
        .await?;
    app.fill("[data-testid=bulk-days]", "30").await?;
    app.click("[data-testid=bulk-preview]").await?;
    app.find("[data-testid=bulk-totals]").await?;
    settle().await;
    app.screenshot(&shot("bulk-preview")).await?;
    app.click("[data-testid=bulk-run]").await?;
    app.find("[data-testid=bulk-report]").await?;
    settle().await;
    app.screenshot(&shot("bulk-report")).await?;
    app.click("[data-testid=bulk-close]").await?;
    clear_filters(app).await?;

    // Export everything, then preview importing that file into the Marzban panel.
    let file = std::env::temp_dir().join(format!("paneldeck-shot-{}.csv", std::process::id()));
    let file = file.display().to_string();
    app.click("[data-testid=open-export]").await?;
    app.fill("[data-testid=export-path]", &file).await?;
    app.screenshot(&shot("export")).await?;
    app.click("[data-testid=export-run]").await?;
    app.find("[data-testid=export-result]").await?;
    app.click("[role=dialog] .dialog-footer button").await?;
    app.click("[data-testid=open-import]").await?;
    app.fill("[data-testid=import-path]", &file).await?;
    // The target panel's picker, filtered by typing part of a name.
    app.click("[data-testid=import-panel]").await?;
    app.fill("[data-testid=import-panel-search]", "hels")
        .await?;
    app.find("[data-testid=import-panel-option]").await?;
    settle().await;
    app.screenshot(&shot("import-panel-picker")).await?;
    app.click("[data-testid=import-panel-option]").await?;
    app.click("[data-testid=plan-preview-run]").await?;
    app.find("[data-testid=plan-rows]").await?;
    settle().await;
    app.screenshot(&shot("import-preview")).await?;
    app.click("[data-testid=plan-back]").await?;
    app.click("[role=dialog] .dialog-footer button").await?;
    let _ = std::fs::remove_file(&file);

    goto(app, "operations", "[data-testid=ops-row]").await?;
    app.click("[data-testid=ops-row]").await?;
    app.find("[data-testid=ops-items]").await?;
    settle().await;
    app.screenshot(&shot("operations")).await?;

    // The dashboard's clickable numbers, and the question a reset asks first.
    goto(app, "dashboard", "[data-testid=panel-health]").await?;
    settle().await;
    app.screenshot(&shot("dashboard")).await?;
    goto(app, "accounts", "[data-testid=account-row]").await?;
    only_kind(app, "marzban").await?;
    app.click("[data-testid=account-row]").await?;
    click_in_pane(app, "[data-testid=action-resetTraffic]").await?;
    app.find("[data-testid=confirm-action]").await?;
    settle().await;
    app.screenshot(&shot("confirm-reset")).await?;
    app.click("[role=dialog] .dialog-footer button").await?;
    app.click("[data-testid=detail-close]").await?;
    clear_filters(app).await
}

/// The accounts page's panel filter opened, with part of a panel's name typed into it.
async fn panel_filter(app: &AppWindow, path: &Path) -> Result<()> {
    app.click("[data-testid=panel-filter]").await?;
    app.fill("[data-testid=panel-filter-search]", "a").await?;
    app.find("[data-testid=panel-filter-option]").await?;
    settle().await;
    app.screenshot(path).await?;
    // Escape, as a key press reaches the page: at the focused element, bubbling up.
    app.execute("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")
        .await?;
    settle().await;
    Ok(())
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
