//! A panel's answer size cap (issue #21: default 128 MiB, settable per panel) from the
//! registry to the wire: the stored setting caps what the panel may send, an edit keeps it,
//! and a cap of 0 or above the ceiling is refused before anything is stored.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use paneldeck_core::{
    registry::{check_max_answer_mib, MAX_ANSWER_MIB_CEILING},
    secrets::MemoryStore,
    CoreError, CredentialsInput, PanelInput, Paneldeck, Profile,
};
use paneldeck_panels::{FieldProblem, PanelError, Secret};
use paneldeck_sim::hostile::{self, HostileMode, HostileOptions, API_KEY};

fn input(url: &str, name: &str) -> PanelInput {
    PanelInput {
        name: name.into(),
        base_url: url.into(),
        color: "#112233".into(),
        tag: String::new(),
        pinned_cert: None,
        credentials: CredentialsInput::Userpass {
            api_key: Some(Secret::new(API_KEY)),
            key_in_query: false,
            gateway: None,
        },
    }
}

fn out_of_range(err: &CoreError) -> bool {
    matches!(err, CoreError::InvalidInput { fields, .. } if fields[0].field == "maxAnswerMib"
        && fields[0].problem == FieldProblem::OutOfRange { min: 1, max: u64::from(MAX_ANSWER_MIB_CEILING) })
}

#[tokio::test]
async fn the_stored_cap_limits_what_the_panel_may_send() {
    // Every path answers 3 MiB of JSON, more than a 1 MiB cap, less than the default.
    let (sim, _catcher) = hostile::start_local(HostileOptions {
        mode: HostileMode::Huge,
        huge_bytes: 3 << 20,
        ..HostileOptions::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let core = Paneldeck::open(
        Profile::at(dir.path()).unwrap(),
        Arc::new(MemoryStore::default()),
    )
    .unwrap();
    let panel = core
        .add_panel(input(&sim.url(), "big"), false)
        .await
        .unwrap();
    assert_eq!(panel.settings.max_answer_mib, None);

    let capped = core.set_max_answer_mib(&panel.id, Some(1)).unwrap();
    assert_eq!(capped.settings.max_answer_mib, Some(1));
    match core.test_panel(&panel.id).await {
        Err(CoreError::Panel(PanelError::AnswerTooLarge { limit_bytes })) => {
            assert_eq!(limit_bytes, 1 << 20);
        }
        other => panic!("expected the 1 MiB cap, got {other:?}"),
    }

    // An edit of the panel's form keeps its cap.
    let mut edit = input(&sim.url(), "big renamed");
    edit.credentials = CredentialsInput::Userpass {
        api_key: None,
        key_in_query: false,
        gateway: None,
    };
    let edited = core.update_panel(&panel.id, edit, false).await.unwrap();
    assert_eq!(edited.settings.max_answer_mib, Some(1));

    // Back to the default: the 3 MiB answer is read whole (and is no listing).
    core.set_max_answer_mib(&panel.id, None).unwrap();
    let err = core.test_panel(&panel.id).await.unwrap_err();
    assert!(
        !matches!(err, CoreError::Panel(PanelError::AnswerTooLarge { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_cap_of_zero_or_above_the_ceiling_is_refused_and_nothing_changes() {
    assert!(check_max_answer_mib(None).is_ok());
    assert!(check_max_answer_mib(Some(1)).is_ok());
    assert!(check_max_answer_mib(Some(MAX_ANSWER_MIB_CEILING)).is_ok());
    for bad in [0, MAX_ANSWER_MIB_CEILING + 1, u32::MAX] {
        let err = check_max_answer_mib(Some(bad)).unwrap_err();
        assert!(out_of_range(&err), "{bad}: {err:?}");
        assert!(err.to_string().contains("from 1 to 4096 MiB"), "{err}");
    }

    let dir = tempfile::tempdir().unwrap();
    let core = Paneldeck::open(
        Profile::at(dir.path()).unwrap(),
        Arc::new(MemoryStore::default()),
    )
    .unwrap();
    let panel = core
        .add_panel(input("http://127.0.0.1:9", "p"), false)
        .await
        .unwrap();
    core.set_max_answer_mib(&panel.id, Some(512)).unwrap();
    let err = core.set_max_answer_mib(&panel.id, Some(0)).unwrap_err();
    assert!(out_of_range(&err), "{err:?}");
    assert_eq!(
        core.panel(&panel.id).unwrap().settings.max_answer_mib,
        Some(512)
    );
}
