//! Marzban actions against the simulator: create (plain and from a template) → read back →
//! edit round-trip (seconds, bytes, statuses, protocols with their secrets kept) → each
//! action's effect → delete; our field checks; the panel's own 422 on its field.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paneldeck_core::{
    actions::{
        self, AccountAction, AccountEdit, CreateOptions, ExpireInput, MarzbanCreateStatus,
        MarzbanProtocol, MarzbanStatusInput, NewAccount, ProtocolInbounds, ResetStrategy,
    },
    connect::{ConnectionSpec, PanelClient},
    registry::PanelSettings,
    ApiError, CoreError, ErrorCode,
};
use paneldeck_panels::{
    marzban::{DataLimitResetStrategy, MarzbanClient, ProxyType, UserStatus, UserTemplateWrite},
    Endpoint, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{marzban::MarzbanSim, RunningSim, SimCredentials, SimOptions};

const GIB: u64 = 1 << 30;
const DAY_MS: i64 = 86_400_000;

async fn start() -> (RunningSim, MarzbanSim, PanelClient) {
    let opts = SimOptions {
        seed: 11,
        accounts: 8,
        ..SimOptions::default()
    };
    let (sim, handle) = paneldeck_sim::marzban::start_with_ttl(opts, Duration::from_secs(3600))
        .await
        .unwrap();
    let SimCredentials::Password { username, password } = &sim.credentials else {
        panic!("{:?}", sim.credentials)
    };
    let settings = PanelSettings {
        username: Some(username.clone()),
        ..PanelSettings::default()
    };
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Marzban,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(password.as_str()),
        session_token: None,
    })
    .unwrap();
    (sim, handle, client)
}

fn marzban(client: &PanelClient) -> &MarzbanClient {
    match client {
        PanelClient::Marzban(c) => c,
        _ => unreachable!(),
    }
}

/// The first inbound tag of each protocol the simulator has.
async fn tags(client: &PanelClient) -> Vec<(MarzbanProtocol, String)> {
    match actions::create_options(client).await.unwrap() {
        CreateOptions::Marzban { inbounds, .. } => inbounds
            .into_iter()
            .filter_map(|p| p.inbounds.first().map(|i| (p.protocol, i.tag.clone())))
            .collect(),
        other => panic!("{other:?}"),
    }
}

fn tag_of(tags: &[(MarzbanProtocol, String)], p: MarzbanProtocol) -> String {
    tags.iter()
        .find(|(q, _)| *q == p)
        .map(|(_, t)| t.clone())
        .expect("a tag for the protocol")
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn new_user(username: &str) -> NewAccount {
    NewAccount::Marzban {
        username: username.into(),
        proxies: vec![MarzbanProtocol::Vless],
        inbounds: vec![],
        expire: ExpireInput::Never,
        data_limit_bytes: None,
        data_limit_reset_strategy: ResetStrategy::NoReset,
        template_id: None,
        status: MarzbanCreateStatus::Active,
        on_hold_expire_duration_secs: None,
        note: String::new(),
    }
}

/// A create form: `new_user` with some fields changed.
fn new_user_with(username: &str, change: impl FnOnce(&mut NewUserFields<'_>)) -> NewAccount {
    let mut n = new_user(username);
    if let NewAccount::Marzban {
        proxies,
        inbounds,
        expire,
        data_limit_bytes,
        template_id,
        status,
        ..
    } = &mut n
    {
        change(&mut NewUserFields {
            proxies,
            inbounds,
            expire,
            data_limit_bytes,
            template_id,
            status,
        });
    }
    n
}

struct NewUserFields<'a> {
    proxies: &'a mut Vec<MarzbanProtocol>,
    inbounds: &'a mut Vec<ProtocolInbounds>,
    expire: &'a mut ExpireInput,
    data_limit_bytes: &'a mut Option<u64>,
    template_id: &'a mut Option<i64>,
    status: &'a mut MarzbanCreateStatus,
}

fn edit_form() -> AccountEdit {
    AccountEdit::Marzban {
        data_limit_bytes: None,
        expire: ExpireInput::Never,
        data_limit_reset_strategy: ResetStrategy::NoReset,
        status: MarzbanStatusInput::Active,
        note: String::new(),
        on_hold_expire_duration_secs: None,
        proxies: None,
        inbounds: None,
    }
}

fn field_names(err: CoreError) -> (ErrorCode, Vec<String>) {
    let api = ApiError::from(err);
    (api.code, api.fields.into_iter().map(|f| f.field).collect())
}

#[tokio::test]
async fn create_edit_actions_and_delete_round_trip() {
    let (_sim, handle, client) = start().await;
    let c = marzban(&client);
    let tags = tags(&client).await;
    let vless_tag = tag_of(&tags, MarzbanProtocol::Vless);
    let vmess_tag = tag_of(&tags, MarzbanProtocol::Vmess);

    let expire_ms = now_ms() + 10 * DAY_MS + 789; // milliseconds are dropped: Marzban keeps seconds
    let made = actions::create(
        &client,
        &NewAccount::Marzban {
            username: "act_user.1".into(),
            proxies: vec![MarzbanProtocol::Vless, MarzbanProtocol::Trojan],
            inbounds: vec![ProtocolInbounds {
                protocol: MarzbanProtocol::Vless,
                tags: vec![vless_tag.clone()],
            }],
            expire: ExpireInput::At { ms: expire_ms },
            data_limit_bytes: Some(3 * GIB),
            data_limit_reset_strategy: ResetStrategy::Month,
            template_id: None,
            status: MarzbanCreateStatus::Active,
            on_hold_expire_duration_secs: None,
            note: "first".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(made[0].native_id, "act_user.1");
    let u = c.get_user("act_user.1").await.unwrap();
    assert_eq!(u.expire_utc_secs, Some(expire_ms / 1000));
    assert_eq!(u.data_limit_bytes, Some(3 * GIB));
    assert_eq!(u.data_limit_reset_strategy, DataLimitResetStrategy::Month);
    assert_eq!(
        u.proxies.keys().copied().collect::<Vec<_>>(),
        vec![ProxyType::Vless, ProxyType::Trojan]
    );
    assert_eq!(
        u.inbounds.get(&ProxyType::Vless),
        Some(&vec![vless_tag.clone()])
    );
    assert_eq!(
        (u.note.as_deref(), u.status),
        (Some("first"), UserStatus::Active)
    );
    let vless_id = u.proxies[&ProxyType::Vless].id.clone();
    assert!(vless_id.is_some());

    // Edit: unlimited, never, weekly reset, disabled, note, VLESS kept + VMess added.
    actions::edit(
        &client,
        "act_user.1",
        &AccountEdit::Marzban {
            data_limit_bytes: Some(7 * GIB),
            expire: ExpireInput::At {
                ms: expire_ms + DAY_MS,
            },
            data_limit_reset_strategy: ResetStrategy::Week,
            status: MarzbanStatusInput::Disabled,
            note: "second".into(),
            on_hold_expire_duration_secs: None,
            proxies: Some(vec![MarzbanProtocol::Vless, MarzbanProtocol::Vmess]),
            inbounds: Some(vec![
                ProtocolInbounds {
                    protocol: MarzbanProtocol::Vless,
                    tags: vec![vless_tag.clone()],
                },
                ProtocolInbounds {
                    protocol: MarzbanProtocol::Vmess,
                    tags: vec![vmess_tag.clone()],
                },
            ]),
        },
    )
    .await
    .unwrap();
    let u = c.get_user("act_user.1").await.unwrap();
    assert_eq!(u.data_limit_bytes, Some(7 * GIB));
    assert_eq!(u.expire_utc_secs, Some((expire_ms + DAY_MS) / 1000));
    assert_eq!(u.data_limit_reset_strategy, DataLimitResetStrategy::Week);
    assert_eq!(
        (u.note.as_deref(), u.status),
        (Some("second"), UserStatus::Disabled)
    );
    assert_eq!(
        u.proxies.keys().copied().collect::<Vec<_>>(),
        vec![ProxyType::Vmess, ProxyType::Vless]
    );
    assert_eq!(
        u.proxies[&ProxyType::Vless].id,
        vless_id,
        "a kept protocol keeps its secret"
    );
    assert_eq!(
        u.inbounds.get(&ProxyType::Vmess),
        Some(&vec![vmess_tag.clone()])
    );

    // Unlimited and never come back as None; proxies/inbounds left as they are.
    actions::edit(&client, "act_user.1", &edit_form())
        .await
        .unwrap();
    let u = c.get_user("act_user.1").await.unwrap();
    assert_eq!((u.data_limit_bytes, u.expire_utc_secs), (None, None));
    assert_eq!(u.status, UserStatus::Active);
    assert_eq!(u.note.unwrap_or_default(), "", "the note was cleared");
    assert_eq!(u.proxies.len(), 2);

    // On hold: a period that starts at first use.
    let mut form = edit_form();
    if let AccountEdit::Marzban {
        status,
        on_hold_expire_duration_secs,
        ..
    } = &mut form
    {
        *status = MarzbanStatusInput::OnHold;
        *on_hold_expire_duration_secs = Some(5 * 86_400);
    }
    actions::edit(&client, "act_user.1", &form).await.unwrap();
    let u = c.get_user("act_user.1").await.unwrap();
    assert_eq!(
        (u.status, u.on_hold_expire_duration_secs),
        (UserStatus::OnHold, Some(5 * 86_400))
    );

    // Enable / disable.
    actions::apply(&client, "act_user.1", &AccountAction::Disable)
        .await
        .unwrap();
    assert_eq!(
        c.get_user("act_user.1").await.unwrap().status,
        UserStatus::Disabled
    );
    actions::apply(&client, "act_user.1", &AccountAction::Enable)
        .await
        .unwrap();
    assert_eq!(
        c.get_user("act_user.1").await.unwrap().status,
        UserStatus::Active
    );

    // Reset traffic.
    assert!(handle.add_traffic("act_user.1", 123_456, None));
    assert_eq!(
        c.get_user("act_user.1").await.unwrap().used_traffic_bytes,
        123_456
    );
    actions::apply(&client, "act_user.1", &AccountAction::ResetTraffic)
        .await
        .unwrap();
    assert_eq!(
        c.get_user("act_user.1").await.unwrap().used_traffic_bytes,
        0
    );

    // Revoke: a new subscription URL, handed back once.
    let before = c.get_user("act_user.1").await.unwrap().subscription_url;
    let out = actions::apply(&client, "act_user.1", &AccountAction::RevokeSubscription)
        .await
        .unwrap();
    let after = c.get_user("act_user.1").await.unwrap().subscription_url;
    assert_ne!(before, after);
    assert_eq!(out.secret.as_deref(), Some(after.as_str()));

    for action in [
        AccountAction::ClearIps,
        AccountAction::RegeneratePassword,
        AccountAction::SetPermissions {
            permissions: vec![],
        },
    ] {
        let err = actions::apply(&client, "act_user.1", &action)
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Panel(PanelError::Unsupported(_))),
            "{action:?}: {err:?}"
        );
    }
    assert!(matches!(
        actions::client_ips(&client, "act_user.1").await,
        Err(CoreError::Panel(PanelError::Unsupported(_)))
    ));

    actions::apply(
        &client,
        "act_user.1",
        &AccountAction::Delete {
            keep_traffic: false,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        c.get_user("act_user.1").await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_template_fills_what_the_form_leaves_empty() {
    let (_sim, _handle, client) = start().await;
    let c = marzban(&client);
    let vmess_tag = tag_of(&tags(&client).await, MarzbanProtocol::Vmess);
    let template = c
        .add_user_template(&UserTemplateWrite {
            name: Some("trial".into()),
            data_limit_bytes: Some(GIB),
            expire_duration_secs: Some(86_400),
            username_prefix: Some("t_".into()),
            username_suffix: Some("_x".into()),
            inbounds: Some(
                [(ProxyType::Vmess, vec![vmess_tag.clone()])]
                    .into_iter()
                    .collect(),
            ),
        })
        .await
        .unwrap();
    match actions::create_options(&client).await.unwrap() {
        CreateOptions::Marzban { templates, .. } => {
            assert!(templates
                .iter()
                .any(|t| t.id == template.id.0 && t.name == "trial"))
        }
        other => panic!("{other:?}"),
    }

    let started = now_ms() / 1000;
    let made = actions::create(
        &client,
        &new_user_with("bob", |f| {
            *f.proxies = vec![];
            *f.template_id = Some(template.id.0);
        }),
    )
    .await
    .unwrap();
    assert_eq!(made[0].native_id, "t_bob_x");
    let u = c.get_user("t_bob_x").await.unwrap();
    assert_eq!(u.data_limit_bytes, Some(GIB));
    let expire = u.expire_utc_secs.unwrap();
    assert!(
        (started + 86_400..=started + 86_400 + 60).contains(&expire),
        "{expire} vs {started}"
    );
    assert_eq!(
        u.proxies.keys().copied().collect::<Vec<_>>(),
        vec![ProxyType::Vmess]
    );
    assert_eq!(u.inbounds.get(&ProxyType::Vmess), Some(&vec![vmess_tag]));

    // The form's own values win over the template's.
    actions::create(
        &client,
        &new_user_with("ann", |f| {
            *f.template_id = Some(template.id.0);
            *f.data_limit_bytes = Some(9 * GIB);
        }),
    )
    .await
    .unwrap();
    let u = c.get_user("t_ann_x").await.unwrap();
    assert_eq!(u.data_limit_bytes, Some(9 * GIB));
    assert!(u.proxies.contains_key(&ProxyType::Vless));

    // A template that no longer exists is a field error.
    let err = actions::create(
        &client,
        &new_user_with("carl", |f| *f.template_id = Some(9_999)),
    )
    .await
    .unwrap_err();
    assert_eq!(field_names(err).1, vec!["templateId"]);
}

#[tokio::test]
async fn our_checks_and_the_panels_422_land_on_their_fields() {
    let (_sim, handle, client) = start().await;
    let users_before = handle.user_count();

    for (name, field) in [
        ("ab", "username"),
        ("bad name!", "username"),
        ("", "username"),
    ] {
        let err = actions::create(&client, &new_user(name)).await.unwrap_err();
        assert_eq!(
            field_names(err),
            (ErrorCode::InvalidInput, vec![field.to_owned()]),
            "{name:?}"
        );
    }
    let err = actions::create(
        &client,
        &new_user_with("fine_name", |f| {
            *f.proxies = vec![];
            *f.data_limit_bytes = Some(0);
            *f.status = MarzbanCreateStatus::OnHold;
            *f.expire = ExpireInput::At {
                ms: now_ms() + DAY_MS,
            };
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(
        field_names(err).1,
        vec![
            "dataLimitBytes",
            "onHoldExpireDurationSecs",
            "expire",
            "proxies"
        ]
    );
    let err = actions::create(
        &client,
        &new_user_with("fine_name", |f| {
            *f.inbounds = vec![ProtocolInbounds {
                protocol: MarzbanProtocol::Trojan,
                tags: vec!["x".into()],
            }];
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(field_names(err).1, vec!["inbounds"]);
    assert_eq!(
        handle.user_count(),
        users_before,
        "nothing reached the panel"
    );

    // The panel's own 422: an inbound tag it does not have. Our checks cannot know that.
    let err = actions::create(
        &client,
        &new_user_with("fine_name", |f| {
            *f.inbounds = vec![ProtocolInbounds {
                protocol: MarzbanProtocol::Vless,
                tags: vec!["NO-SUCH-INBOUND".into()],
            }];
        }),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, CoreError::Panel(PanelError::Validation { .. })),
        "{err:?}"
    );
    let api = ApiError::from(err);
    assert_eq!(api.code, ErrorCode::PanelRejected);
    assert_eq!(api.fields.len(), 1);
    assert_eq!(api.fields[0].field, "inbounds");
    assert!(
        api.fields[0].message.contains("NO-SUCH-INBOUND"),
        "{:?}",
        api.fields
    );
    assert!(
        matches!(&api.fields[0].problem, paneldeck_panels::FieldProblem::Panel { text } if *text == api.fields[0].message),
        "{:?}",
        api.fields
    );

    // Same on an edit; and a duplicate username is a conflict.
    actions::create(&client, &new_user("fine_name"))
        .await
        .unwrap();
    let mut form = edit_form();
    if let AccountEdit::Marzban { inbounds, .. } = &mut form {
        *inbounds = Some(vec![ProtocolInbounds {
            protocol: MarzbanProtocol::Vless,
            tags: vec!["NOPE".into()],
        }]);
    }
    let err = actions::edit(&client, "fine_name", &form)
        .await
        .unwrap_err();
    assert_eq!(
        field_names(err),
        (ErrorCode::PanelRejected, vec!["inbounds".to_owned()])
    );
    let err = actions::create(&client, &new_user("fine_name"))
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).code, ErrorCode::Conflict);

    // Kind mismatch.
    let err = actions::create(
        &client,
        &NewAccount::Pterodactyl {
            email: "a@b.c".into(),
            server_ids: vec![],
            permissions: vec![],
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput { .. }));
}
