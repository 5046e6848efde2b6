//! `cargo xtask bundle`: the Linux installers (.deb, .rpm, AppImage) through the Tauri CLI from
//! the UI's npm packages, with the bundle section of src-tauri/tauri.conf.json (desktop entry,
//! icons, package dependencies). Windows and macOS installers are built by the release workflow.

use anyhow::Result;

use crate::util;

pub fn run(bundles: &[String]) -> Result<()> {
    crate::deps::ensure(false)?;
    util::ensure_npm_packages()?;
    let tauri = util::root().join("ui/node_modules/.bin/tauri");
    let list = if bundles.is_empty() {
        "deb,rpm,appimage".to_owned()
    } else {
        bundles.join(",")
    };
    // The CLI would search the working directory for the app crate (the folder holding
    // tauri.conf.json) and the frontend (the folder holding package.json); naming both keeps it
    // from guessing. The release profile builds once; incremental artifacts would only fill the
    // disk.
    let app = util::root().join("src-tauri");
    let frontend = util::root().join("ui");
    util::run(
        &tauri.display().to_string(),
        &["build", "--ci", "--bundles", &list],
        &[
            ("TAURI_APP_PATH", &app.display().to_string()),
            ("TAURI_FRONTEND_PATH", &frontend.display().to_string()),
            ("CARGO_INCREMENTAL", "0"),
        ],
    )?;
    eprintln!(
        "bundles: {}",
        util::root().join("target/release/bundle").display()
    );
    Ok(())
}
