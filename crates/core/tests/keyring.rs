//! The real OS keyring is used (not the `keyring` crate's silent in-memory mock): an entry
//! written through `KeyringStore` is visible to `secret-tool`, the Secret Service's own CLI.
//! Needs a running Secret Service: `cargo xtask test` provides one.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use paneldeck_core::secrets::{KeyringStore, PanelSecrets, SecretStore, KEYRING_SERVICE};
use paneldeck_panels::Secret;

fn secret_tool_lookup(account: &str) -> String {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYRING_SERVICE, "username", account])
        .output()
        .expect("secret-tool is missing: run `cargo xtask deps`");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn keyring_store_writes_to_the_secret_service() {
    let account = format!("panel:test-{}", std::process::id());
    let store = KeyringStore;
    let secrets = PanelSecrets {
        primary: Some(Secret::new("s3cr3t-value")),
        session_token: None,
    };
    store.put(&account, &secrets).unwrap_or_else(|e| {
        panic!("no Secret Service (run the tests with `cargo xtask test`): {e}")
    });
    assert!(secret_tool_lookup(&account).contains("s3cr3t-value"));
    assert_eq!(store.get(&account).unwrap(), Some(secrets));

    store.delete(&account).unwrap();
    assert_eq!(secret_tool_lookup(&account), "");
    assert_eq!(store.get(&account).unwrap(), None);
}
