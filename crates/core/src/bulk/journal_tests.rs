//! The journal's own tests (kept apart so journal.rs stays readable).
use super::*;
use crate::bulk::OpWhat;
use crate::{
    actions::{KeptSettings, NewAccount, ProxyStatusInput},
    store::Store,
};
use paneldeck_panels::PanelKind;

fn create_item(seq: u32, name: &str) -> PlanItem {
    PlanItem {
        seq,
        key: AccountKey::new(PanelId("p".into()), name),
        name: name.into(),
        op: ItemOp::Create {
            new: NewAccount::Userpass {
                user_name: name.into(),
                password: None,
                usage_cap_bytes: None,
                ip_usage_cap: None,
                note: String::new(),
                status: ProxyStatusInput::Active,
            },
            kept: KeptSettings::default(),
        },
        changes: Vec::new(),
        skip: None,
    }
}

#[test]
fn changes_of_older_journals_load_as_their_text() {
    let old = r#"[{"field":"limit_bytes","before":"1.00 GiB","after":null}]"#;
    let text = Some(FieldValue::text("1.00 GiB"));
    assert_eq!(
        changes_from_json(old),
        [FieldChange::new(Field::Limit, text, None)]
    );
}

#[test]
fn kept_secrets_live_in_their_own_column_until_the_item_is_done() -> Result<()> {
    let store = Store::open_in_memory()?;
    let plan = BulkPlan {
        id: OpId::new(),
        title: OpTitle {
            what: OpWhat::Text { text: "t".into() },
            accounts: 3,
            panels: 1,
        },
        created_at_ms: 1,
        panels: vec![PanelPlan {
            panel_id: PanelId("p".into()),
            panel_name: "P".into(),
            kind: PanelKind::Userpass,
            items: vec![
                create_item(0, "a"),
                create_item(1, "b"),
                create_item(2, "c"),
            ],
            to_change: 3,
            skipped: 0,
        }],
        to_change: 3,
        skipped: 0,
    };
    let secret = |p: &str| KeptCredentials {
        password: Some(p.into()),
        ..KeptCredentials::default()
    };
    let kept: HashMap<u32, KeptCredentials> =
        [(0, secret("pw-a-1234")), (1, secret("pw-b-5678"))].into();
    store.with(|c| insert_plan(c, &plan, "me", "{}", &kept))?;
    let back = store.with(|c| self::kept(c, &plan.id))?;
    assert_eq!(back, kept);
    // Neither the items nor the plan as stored show them.
    let items = store.with(|c| items(c, &plan.id, &[]))?;
    let shown = format!(
        "{}{}{:?}",
        serde_json::to_string(&items).unwrap_or_default(),
        serde_json::to_string(&store.with(|c| self::plan(c, &plan.id))?).unwrap_or_default(),
        back
    );
    assert!(
        !shown.contains("pw-a") && !shown.contains("pw-b"),
        "{shown}"
    );
    // A failed item keeps them (for "retry failed"); a done one drops them.
    let end = |seq, state| ItemUpdate {
        seq,
        state,
        attempts: 1,
        error: None,
        message: None,
        result_id: None,
    };
    store.with(|c| {
        finish_items(
            c,
            &plan.id,
            &[end(0, ItemState::Done), end(1, ItemState::Failed)],
            2,
        )
    })?;
    let left = store.with(|c| self::kept(c, &plan.id))?;
    assert_eq!(left.keys().copied().collect::<Vec<_>>(), [1]);
    Ok(())
}
