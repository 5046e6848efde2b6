//! tauri.conf.json sits next to this crate's Cargo.toml, where the Tauri CLI (and its GitHub
//! action) look for the app: the CLI needs the app crate's own manifest beside the config.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new())
        .unwrap_or_else(|err| panic!("tauri-build failed: {err:#}"));
}
