//! The panel registry against the simulators: add/test/edit/remove for every kind, validation,
//! and the guarantee that nothing is saved half-way and no secret reaches the database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use paneldeck_core::{
    secrets::{MemoryStore, PanelSecrets, SecretStore},
    CoreError, CredentialsInput, ErrorCode, PanelInput, Paneldeck, Profile,
};
use paneldeck_panels::{FieldProblem, Secret};
use paneldeck_sim::{RunningSim, SimKind, SimOptions};

fn open(dir: &tempfile::TempDir, store: Arc<dyn SecretStore>) -> Paneldeck {
    Paneldeck::open(Profile::at(dir.path()).unwrap(), store).unwrap()
}

fn input_for(sim: &RunningSim, name: &str) -> PanelInput {
    let mut input = paneldeck_core::demo::sim_panel_input(sim, name, "#112233", "t").unwrap();
    if let CredentialsInput::Userpass { gateway, .. } = &mut input.credentials {
        *gateway = None;
    }
    input
}

fn secret_of(input: &PanelInput) -> String {
    input
        .credentials
        .secret()
        .0
        .map(|s| s.expose().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_kind_is_added_tested_and_removed_with_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let core = open(&dir, store.clone());
    for kind in [
        SimKind::Xui,
        SimKind::Marzban,
        SimKind::Userpass,
        SimKind::Pterodactyl,
    ] {
        let sim = paneldeck_sim::start_local(kind, SimOptions::default())
            .await
            .unwrap();
        let input = input_for(&sim, &format!("{kind:?} one"));
        let secret = secret_of(&input);
        let panel = core
            .add_panel(input, true)
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let info = core
            .test_panel(&panel.id)
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert!(!info.summary.is_empty());
        let stored = store.get(&panel.id.keyring_account()).unwrap().unwrap();
        assert_eq!(
            stored.primary.as_ref().map(Secret::expose),
            Some(secret.as_str())
        );
        assert!(core.list_panels().unwrap().iter().any(|p| p.id == panel.id));

        core.remove_panel(&panel.id).unwrap();
        assert!(store.get(&panel.id.keyring_account()).unwrap().is_none());
        assert!(core.list_panels().unwrap().is_empty());
    }
}

#[tokio::test]
async fn wrong_credentials_save_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let core = open(&dir, store.clone());
    let sim = paneldeck_sim::start_local(SimKind::Marzban, SimOptions::default())
        .await
        .unwrap();
    let mut input = input_for(&sim, "eu1");
    input.credentials = CredentialsInput::Marzban {
        username: "admin".into(),
        password: Some(Secret::new("nope")),
    };
    let err = core.add_panel(input, true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    assert!(core.list_panels().unwrap().is_empty());
}

#[tokio::test]
async fn unreachable_panel_is_reported_in_words_and_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let core = open(&dir, Arc::new(MemoryStore::default()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let input = PanelInput {
        name: "down".into(),
        base_url: format!("http://127.0.0.1:{port}/"),
        color: String::new(),
        tag: String::new(),
        pinned_cert: None,
        credentials: CredentialsInput::XuiToken {
            token: Some(Secret::new("t")),
        },
    };
    let err = core.add_panel(input, true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConnectionRefused, "{err}");
    assert!(err.to_string().contains("refused"), "{err}");
    assert!(core.list_panels().unwrap().is_empty());
}

#[tokio::test]
async fn validation_reports_every_bad_field_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let core = open(&dir, Arc::new(MemoryStore::default()));
    let input = PanelInput {
        name: "  ".into(),
        base_url: "panel.example.com".into(),
        color: "blue".into(),
        tag: String::new(),
        pinned_cert: Some("AB:CD".into()),
        credentials: CredentialsInput::Marzban {
            username: String::new(),
            password: None,
        },
    };
    match core.add_panel(input, true).await {
        Err(CoreError::InvalidInput { fields, .. }) => {
            let mut names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
            names.sort_unstable();
            assert_eq!(
                names,
                [
                    "baseUrl",
                    "color",
                    "name",
                    "password",
                    "pinnedCert",
                    "username"
                ]
            );
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn names_are_unique_and_edits_keep_or_replace_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let core = open(&dir, store.clone());
    let sim = paneldeck_sim::start_local(SimKind::Xui, SimOptions::default())
        .await
        .unwrap();
    let first = core
        .add_panel(input_for(&sim, "Alpha"), true)
        .await
        .unwrap();
    let original = store.get(&first.id.keyring_account()).unwrap().unwrap();

    let dup = core
        .add_panel(input_for(&sim, "alpha"), false)
        .await
        .unwrap_err();
    assert!(
        matches!(&dup, CoreError::InvalidInput { fields, .. } if fields[0].field == "name"
            && fields[0].problem == FieldProblem::NameTaken),
        "{dup:?}"
    );

    // Edit without a secret: renamed, same secret.
    let mut edit = input_for(&sim, "Alpha renamed");
    edit.credentials = CredentialsInput::XuiToken { token: None };
    let edited = core.update_panel(&first.id, edit, true).await.unwrap();
    assert_eq!(edited.name, "Alpha renamed");
    assert_eq!(
        store.get(&first.id.keyring_account()).unwrap().unwrap(),
        original
    );

    // A new secret replaces the stored one (verify off: the token is fake).
    let mut edit = input_for(&sim, "Alpha renamed");
    edit.credentials = CredentialsInput::XuiToken {
        token: Some(Secret::new("replacement")),
    };
    core.update_panel(&first.id, edit, false).await.unwrap();
    let now = store.get(&first.id.keyring_account()).unwrap().unwrap();
    assert_eq!(
        now.primary.as_ref().map(Secret::expose),
        Some("replacement")
    );

    // The kind cannot change.
    let other = paneldeck_sim::start_local(SimKind::Pterodactyl, SimOptions::default())
        .await
        .unwrap();
    let err = core
        .update_panel(&first.id, input_for(&other, "Alpha renamed"), false)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CoreError::InvalidInput { fields, .. } if fields[0].field == "kind"
            && fields[0].problem == FieldProblem::KindFixed),
        "{err:?}"
    );
}

/// A keyring that refuses to store anything, to prove the settings row is rolled back.
struct BrokenKeyring;

impl SecretStore for BrokenKeyring {
    fn put(&self, _: &str, _: &PanelSecrets) -> paneldeck_core::error::Result<()> {
        Err(CoreError::Keyring("locked".into()))
    }
    fn get(&self, _: &str) -> paneldeck_core::error::Result<Option<PanelSecrets>> {
        Ok(None)
    }
    fn delete(&self, _: &str) -> paneldeck_core::error::Result<()> {
        Ok(())
    }
    fn describe(&self) -> &'static str {
        "broken"
    }
}

#[tokio::test]
async fn a_keyring_failure_leaves_no_half_saved_panel() {
    let dir = tempfile::tempdir().unwrap();
    let core = open(&dir, Arc::new(BrokenKeyring));
    let sim = paneldeck_sim::start_local(SimKind::Xui, SimOptions::default())
        .await
        .unwrap();
    let err = core
        .add_panel(input_for(&sim, "eu"), true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keyring);
    assert!(core.list_panels().unwrap().is_empty());
}

#[tokio::test]
async fn secrets_never_reach_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let core = open(&dir, Arc::new(MemoryStore::default()));
    let sim = paneldeck_sim::start_local(SimKind::Userpass, SimOptions::default())
        .await
        .unwrap();
    let input = input_for(&sim, "proxies");
    let secret = secret_of(&input);
    core.add_panel(input, true).await.unwrap();
    drop(core);
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "secret found in {}",
                entry.path().display()
            );
        }
    }
}
