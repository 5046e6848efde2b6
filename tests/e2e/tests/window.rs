//! The window as a desktop product, in the demo: everything reachable from the keyboard alone
//! (open an account, preview a bulk change from the command palette, submit a dialog with
//! Enter), no serious or critical accessibility problem on any page in light and dark, left to
//! right and right to left (axe-core), and every column of the table on screen beside the
//! detail pane at the default window size.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use fantoccini::key::Key;
use paneldeck_e2e::{AppWindow, Result};

async fn demo(name: &str) -> (AppWindow, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch(
        name,
        &[
            ("PANELDECK_DEMO", "1"),
            ("PANELDECK_DATA_DIR", data_dir.as_str()),
        ],
    )
    .await
    .unwrap();
    (app, data)
}

/// The focused element's `data-testid` (or its tag when it has none).
async fn focused(app: &AppWindow) -> Result<String> {
    let v = app
        .eval("const e = document.activeElement; return e.dataset.testid || e.tagName;")
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn keyboard_alone_opens_an_account_previews_a_bulk_change_and_submits_dialogs() {
    let (app, _data) = demo("keyboard").await;
    let steps = async {
        app.find("[data-testid=nav-accounts]").await?;
        // `/` from anywhere: the accounts page, its search focused.
        app.press("/").await?;
        app.wait_until("the search to take the focus", || async {
            Ok(focused(&app).await? == "accounts-search")
        })
        .await?;
        app.find("[data-testid=account-row]").await?;

        // Shift+Tab back from the search would wander; the rows take the focus with Tab from
        // the page's controls, and the first row is the table's one stop.
        app.eval("document.querySelector('[data-testid=account-row][tabindex=\"0\"]').focus(); return 1;")
            .await?;
        app.press(&Key::Down.to_string()).await?;
        let second = app
            .eval("return document.activeElement.dataset.name || '';")
            .await?;
        let second = second.as_str().unwrap_or_default().to_owned();
        if second.is_empty() {
            return Err("ArrowDown did not move the focus to the next row".into());
        }
        app.press(&Key::Enter.to_string()).await?;
        app.wait_until("the detail pane of the focused row", || async {
            let title = app.text("[data-testid=account-detail] h2").await?;
            Ok(title.contains(&second))
        })
        .await?;

        // Space selects it; the palette extends the selection by 30 days.
        app.eval("document.querySelector('[data-testid=account-row][tabindex=\"0\"]').focus(); return 1;")
            .await?;
        app.press(" ").await?;
        app.wait_until("one row selected", || async {
            Ok(app.find_all(".tr.selected").await?.len() == 1)
        })
        .await?;
        app.press(&(Key::Control + "k")).await?;
        app.find("[data-testid=palette-input]").await?;
        app.press("extend").await?;
        app.find("[data-testid=command-extend-30]").await?;
        app.press(&Key::Enter.to_string()).await?;
        // The bulk dialog opens on "extend by 30 days"; Enter in its field is its Preview.
        app.find("[data-testid=bulk-days]").await?;
        app.eval("document.querySelector('[data-testid=bulk-days]').focus(); return 1;")
            .await?;
        app.press(&Key::Enter.to_string()).await?;
        app.find("[data-testid=bulk-totals]").await?;
        // Escape closes it (and discards the preview).
        app.press(&Key::Escape.to_string()).await?;
        app.wait_until("the dialog to close", || async {
            Ok(app.find_all("[role=dialog]").await?.is_empty())
        })
        .await?;

        // A dialog of its own: the save-view dialog submits with Enter.
        app.eval("document.querySelector('[data-testid=views-menu]').focus(); return 1;")
            .await?;
        app.press(&Key::Enter.to_string()).await?;
        // The menu opens with its first item focused: "Save current view…" (none saved yet).
        app.find("[data-testid=view-save]").await?;
        app.press(&Key::Enter.to_string()).await?;
        app.find("[data-testid=view-name]").await?;
        app.press(&("Expiring soon".to_owned() + &Key::Enter.to_string()))
            .await?;
        app.wait_until("the view to be saved", || async {
            let saved = app
                .eval("return localStorage.getItem('paneldeck.views') || '';")
                .await?;
            Ok(saved.as_str().unwrap_or_default().contains("Expiring soon"))
        })
        .await?;

        // The panel filter from the keyboard: a letter opens it searching, Enter ticks the
        // first match, Escape closes it; the table shows that panel's accounts only.
        app.eval("document.querySelector('[data-testid=panel-filter]').focus(); return 1;")
            .await?;
        app.press("h").await?;
        app.find("[data-testid=panel-filter-search]").await?;
        app.press(&("elsinki".to_owned() + &Key::Enter.to_string()))
            .await?;
        app.press(&Key::Escape.to_string()).await?;
        app.wait_until("the filter to name Helsinki", || async {
            let named = app
                .eval("return document.querySelector('[data-testid=panel-filter]').textContent;")
                .await?;
            Ok(named.as_str().unwrap_or_default().contains("Helsinki"))
        })
        .await?;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        let panels = app
            .eval("return [...document.querySelectorAll('[data-testid=account-row] .c-panel')].map((c) => c.textContent);")
            .await?;
        let panels: Vec<String> = panels
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if panels.is_empty() || panels.iter().any(|p| !p.contains("Helsinki")) {
            return Err(format!("rows after filtering by Helsinki: {panels:?}"));
        }
        Ok(())
    };
    let result = steps.await;
    app.check(result).await;
    app.close().await;
}

/// axe-core, from the UI's own npm packages (`npm ci` in ui/ installs it).
fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci` in ui/)", path.display()))
}

/// The serious and critical violations axe finds on the page as it is now, one line each.
async fn axe_violations(app: &AppWindow, axe: &str) -> Result<Vec<String>> {
    app.eval(&format!("if (!window.axe) {{ {axe}\n }} return 1;"))
        .await?;
    let found = app
        .eval_async(
            r#"const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then((r) => done(r.violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)),
  (e) => done([`axe failed: ${e}`]));"#,
        )
        .await?;
    Ok(found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn no_serious_accessibility_problem_on_any_page_in_either_theme_or_direction() {
    let axe = axe_source();
    let (app, _data) = demo("axe").await;
    let steps = async {
        let mut problems = Vec::new();
        for (theme, lang) in [
            ("light", "en"),
            ("dark", "en"),
            ("light", "fa"),
            ("dark", "fa"),
        ] {
            app.select("[data-testid=settings-theme]", theme).await?;
            app.select("[data-testid=settings-language]", lang).await?;
            for page in ["dashboard", "accounts", "operations", "panels"] {
                app.click(&format!("[data-testid=nav-{page}]")).await?;
                tokio::time::sleep(std::time::Duration::from_millis(600)).await;
                if page == "accounts" {
                    app.find("[data-testid=account-row]").await?;
                }
                for v in axe_violations(&app, &axe).await? {
                    problems.push(format!("{page} {theme} {lang}: {v}"));
                }
            }
            // The account pane and a dialog too.
            app.click("[data-testid=nav-accounts]").await?;
            app.click("[data-testid=account-row]").await?;
            app.find("[data-testid=account-detail] .props").await?;
            for v in axe_violations(&app, &axe).await? {
                problems.push(format!("detail {theme} {lang}: {v}"));
            }
            app.click("[data-testid=detail-close]").await?;
            // A combobox open with a filter typed in (the panel filter).
            app.click("[data-testid=panel-filter]").await?;
            app.fill("[data-testid=panel-filter-search]", "a").await?;
            app.find("[data-testid=panel-filter-option]").await?;
            for v in axe_violations(&app, &axe).await? {
                problems.push(format!("panel filter {theme} {lang}: {v}"));
            }
            app.press(&Key::Escape.to_string()).await?;
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("axe-core found:\n{}", problems.join("\n")))
        }
    };
    let result = steps.await;
    app.check(result).await;
    app.close().await;
}

/// Column headers of the accounts table that are not wholly inside it (and the window), and
/// how many whole rows its body shows.
const HIDDEN_HEADERS: &str = r#"const table = document.querySelector('[data-testid=accounts-table]').getBoundingClientRect();
const out = [];
for (const th of document.querySelectorAll('[data-testid=accounts-table] [role=columnheader]')) {
  const r = th.getBoundingClientRect();
  const label = th.querySelector('.ellipsis');
  const cut = label && label.scrollWidth > label.clientWidth + 1;
  if (r.width < 20 || r.left < table.left - 1 || r.right > table.right + 1 || r.right > window.innerWidth || cut)
    out.push(`${th.dataset.column || 'select'} at ${Math.round(r.left)}..${Math.round(r.right)}${cut ? ' (label cut)' : ''}`);
}
const body = document.querySelector('[data-testid=accounts-table] .table-body');
const row = document.querySelector('[data-testid=account-row]');
return { hidden: out, width: window.innerWidth, height: window.innerHeight, rows: Math.floor(body.clientHeight / (row ? row.offsetHeight : 44)) };"#;

#[tokio::test]
async fn every_column_stays_on_screen_beside_the_detail_pane() {
    let (app, _data) = demo("columns").await;
    let steps = async {
        app.select("[data-testid=settings-language]", "en").await?;
        app.click("[data-testid=nav-accounts]").await?;
        app.click("[data-testid=account-row]").await?;
        app.find("[data-testid=account-detail] .props").await?;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let seen = app.eval(HIDDEN_HEADERS).await?;
        let width = seen["width"].as_u64().unwrap_or(0);
        if !(1200..=1300).contains(&width) {
            return Err(format!(
                "the window is {width} px wide, not the default 1280"
            ));
        }
        let hidden = seen["hidden"].as_array().cloned().unwrap_or_default();
        if !hidden.is_empty() {
            return Err(format!(
                "column headers off screen or cut beside the pane: {hidden:?}"
            ));
        }

        // The smallest window: every column still there, and a screenful of rows.
        app.click("[data-testid=detail-close]").await?;
        app.set_size(900, 600).await?;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        let small = app.eval(HIDDEN_HEADERS).await?;
        let hidden = small["hidden"].as_array().cloned().unwrap_or_default();
        let rows = small["rows"].as_u64().unwrap_or(0);
        if !hidden.is_empty() || rows < 5 {
            return Err(format!(
                "at 900x600: {rows} rows on screen, headers off screen or cut: {hidden:?}"
            ));
        }
        Ok(())
    };
    let result = steps.await;
    app.check(result).await;
    app.close().await;
}
