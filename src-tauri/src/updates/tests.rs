//! The updater end to end through Tauri's real plugin: a key pair made here, a manifest and an
//! update file served from 127.0.0.1, then check → download (signature verified) → install into
//! a throwaway AppImage path. Signatures are made the way the Tauri CLI makes them: a minisign
//! signature of the file whose trusted comment records the version, base64-encoded in the
//! manifest's `signature` field (tauri-plugin-updater 2.14 `verify_signature`), with the public
//! key base64-encoded in `plugins.updater.pubkey`.

use std::io::Cursor;

use axum::{routing::get, Router};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use minisign::KeyPair;
use paneldeck_core::CoreError;
use serde_json::json;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};

use super::{check_with, download_verified, install, updater_builder};

/// The version the mock app runs (tauri::test::mock_context) and the one the server offers.
const CURRENT: &str = "0.1.0";
const OFFERED: &str = "0.2.0";

/// The installed "app": an ELF file, as the plugin checks an AppImage payload to be.
fn elf(label: &str) -> Vec<u8> {
    let mut bytes = b"\x7fELF".to_vec();
    bytes.extend(label.as_bytes());
    bytes.resize(128, 0);
    bytes
}

fn keys() -> KeyPair {
    KeyPair::generate_unencrypted_keypair().unwrap_or_else(|e| panic!("key pair: {e}"))
}

/// `plugins.updater.pubkey`: the minisign public key file, base64.
fn pubkey_field(keys: &KeyPair) -> String {
    let boxed = keys
        .pk
        .to_box()
        .unwrap_or_else(|e| panic!("public key: {e}"));
    STANDARD.encode(boxed.to_string())
}

/// A manifest `signature`: the minisign signature file of `bytes`, base64, signed for `version`.
fn signature_field(keys: &KeyPair, bytes: &[u8], version: &str) -> String {
    let comment = format!("timestamp:1700000000\tfile:Paneldeck.AppImage\tversion:{version}");
    let signature = minisign::sign(
        Some(&keys.pk),
        &keys.sk,
        Cursor::new(bytes),
        Some(&comment),
        None,
    )
    .unwrap_or_else(|e| panic!("sign: {e}"));
    STANDARD.encode(signature.to_string())
}

/// Serves `manifest` at /latest.json and `file` at /Paneldeck.AppImage; returns the base URL.
fn serve(manifest: impl Fn(&str) -> serde_json::Value, file: Vec<u8>) -> String {
    let listener = tauri::async_runtime::block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let base = format!(
        "http://{}",
        listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"))
    );
    let manifest = manifest(&format!("{base}/Paneldeck.AppImage")).to_string();
    let router = Router::new()
        .route("/latest.json", get(move || async move { manifest }))
        .route("/Paneldeck.AppImage", get(move || async move { file }));
    tauri::async_runtime::spawn(async move { axum::serve(listener, router).await });
    base
}

/// The static manifest format the release workflow publishes (tauri-action `latest.json`).
fn manifest(version: &str, signature: &str, url: &str) -> serde_json::Value {
    json!({
        "version": version,
        "notes": "Faster sync.",
        "pub_date": "2026-12-01T10:00:00Z",
        "platforms": { "linux-x86_64": { "signature": signature, "url": url } }
    })
}

/// A mock app that trusts `pubkey`; plain http is allowed here only, for the local server.
fn app(pubkey: &str) -> tauri::App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({ "pubkey": pubkey, "endpoints": [], "dangerousInsecureTransportProtocol": true }),
    );
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .unwrap_or_else(|e| panic!("mock app: {e}"))
}

struct Installed {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn installed_app() -> Installed {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("Paneldeck.AppImage");
    std::fs::write(&path, elf("installed")).unwrap_or_else(|e| panic!("write: {e}"));
    Installed { _dir: dir, path }
}

/// Check, download and install as the app's Settings page does, into `installed`.
fn update(
    app: &tauri::App<MockRuntime>,
    base: &str,
    installed: &Installed,
) -> Result<super::UpdateOffer, CoreError> {
    tauri::async_runtime::block_on(async {
        let builder = updater_builder(app.handle(), &format!("{base}/latest.json"))?
            .executable_path(&installed.path);
        let update = check_with(builder)
            .await?
            .ok_or_else(|| CoreError::NotFound("no update offered".into()))?;
        let bytes = download_verified(&update).await?;
        install(&update, &bytes)?;
        Ok(super::offer(&update))
    })
}

fn rejection(result: Result<super::UpdateOffer, CoreError>) -> String {
    match result {
        Err(CoreError::UpdateRejected(message)) => message,
        other => panic!("expected the update to be refused, got {other:?}"),
    }
}

fn contents(installed: &Installed) -> Vec<u8> {
    std::fs::read(&installed.path).unwrap_or_else(|e| panic!("read: {e}"))
}

#[test]
fn a_properly_signed_update_is_offered_and_applied() {
    let keys = keys();
    let new = elf("new version");
    let signature = signature_field(&keys, &new, OFFERED);
    let base = serve(|url| manifest(OFFERED, &signature, url), new.clone());
    let installed = installed_app();

    let offer = update(&app(&pubkey_field(&keys)), &base, &installed)
        .unwrap_or_else(|e| panic!("the signed update failed: {e}"));

    assert_eq!(offer.version, OFFERED);
    assert_eq!(offer.current_version, CURRENT);
    assert_eq!(offer.notes.as_deref(), Some("Faster sync."));
    assert_eq!(contents(&installed), new, "the update was not written");
}

#[test]
fn a_tampered_update_file_is_refused_and_nothing_is_installed() {
    let keys = keys();
    let new = elf("new version");
    let signature = signature_field(&keys, &new, OFFERED);
    let mut tampered = new.clone();
    tampered[100] ^= 0x01;
    let base = serve(|url| manifest(OFFERED, &signature, url), tampered);
    let installed = installed_app();

    let message = rejection(update(&app(&pubkey_field(&keys)), &base, &installed));

    assert!(message.contains("signature does not match"), "{message}");
    assert_eq!(contents(&installed), elf("installed"));
}

#[test]
fn a_manifest_signed_with_another_key_is_refused() {
    let (ours, theirs) = (keys(), keys());
    let evil = elf("someone else's build");
    let signature = signature_field(&theirs, &evil, OFFERED);
    let base = serve(|url| manifest(OFFERED, &signature, url), evil);
    let installed = installed_app();

    let message = rejection(update(&app(&pubkey_field(&ours)), &base, &installed));

    assert!(message.contains("signature does not match"), "{message}");
    assert_eq!(contents(&installed), elf("installed"));
}

#[test]
fn a_manifest_announcing_another_version_than_the_signed_one_is_refused() {
    let keys = keys();
    let old = elf("old signed release");
    let signature = signature_field(&keys, &old, OFFERED);
    let base = serve(|url| manifest("9.0.0", &signature, url), old);
    let installed = installed_app();

    let message = rejection(update(&app(&pubkey_field(&keys)), &base, &installed));

    assert!(message.contains("announces another version"), "{message}");
    assert_eq!(contents(&installed), elf("installed"));
}

#[test]
fn a_tampered_file_handed_straight_to_install_is_refused() {
    let keys = keys();
    let new = elf("new version");
    let signature = signature_field(&keys, &new, OFFERED);
    let base = serve(|url| manifest(OFFERED, &signature, url), new.clone());
    let installed = installed_app();
    let app = app(&pubkey_field(&keys));

    let result = tauri::async_runtime::block_on(async {
        let builder = updater_builder(app.handle(), &format!("{base}/latest.json"))?
            .executable_path(&installed.path);
        let update = check_with(builder).await?;
        let update = update.ok_or_else(|| CoreError::NotFound("no update offered".into()))?;
        let mut bytes = new.clone();
        bytes[100] ^= 0x01;
        install(&update, &bytes)
    });

    assert!(
        matches!(&result, Err(CoreError::UpdateRejected(m)) if m.contains("signature does not match")),
        "{result:?}"
    );
    assert_eq!(contents(&installed), elf("installed"));
}
