//! `cargo xtask bundle`: the Linux installers (.deb, .rpm, AppImage) through the Tauri CLI from
//! the UI's npm packages, with the bundle section of tauri.conf.json (desktop entry, icons,
//! package dependencies). Windows and macOS installers are built by the release workflow.

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
    // The release profile builds once; incremental artifacts would only fill the disk.
    util::run(
        &tauri.display().to_string(),
        &["build", "--ci", "--bundles", &list],
        &[("CARGO_INCREMENTAL", "0")],
    )?;
    eprintln!(
        "bundles: {}",
        util::root().join("target/release/bundle").display()
    );
    Ok(())
}
