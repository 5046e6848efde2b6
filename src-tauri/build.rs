//! tauri.conf.json lives at the workspace root (one config for cargo and the Tauri CLI), so the
//! build script reads it from there.

fn main() {
    let manifest_dir =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest_dir
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or(manifest_dir);
    println!(
        "cargo:rerun-if-changed={}",
        root.join("tauri.conf.json").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("src-tauri/capabilities").display()
    );
    if let Err(err) = std::env::set_current_dir(&root) {
        panic!("cannot enter the workspace root {}: {err}", root.display());
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*"),
    )
    .unwrap_or_else(|err| panic!("tauri-build failed: {err:#}"));
}
