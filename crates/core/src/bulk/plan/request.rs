//! Planning each kind of request on [`Paneldeck`]: changes to selected accounts, creates from
//! names, a person added to or removed from servers, and plans built elsewhere.

use std::collections::HashMap;

use super::{
    action::{check_action, nominal},
    change::plan_change,
    create::{plan_create, Existing},
    snapshot_names, Builder,
};
use paneldeck_panels::FieldProblem;

use crate::{
    accounts::{Account, AccountKey, Selection},
    actions::{KeptCredentials, KeptSettings, NewAccount},
    bulk::{
        live::note_seen, names, BulkAction, BulkPlan, BulkRequest, Field, FieldChange, FieldValue,
        ItemInput, ItemOp, NameSource, OpWhat, Skip, SkipReason, ValueWord,
    },
    error::{CoreError, Result},
    jobs::{Job, JobPhase},
    kinds::{self, pterodactyl},
    registry::{PanelId, PanelView},
    Paneldeck,
};

/// The panels a request may touch, by id.
type Panels = HashMap<PanelId, PanelView>;

/// What a request does (its title) and the summary journaled with it.
type Described = (OpWhat, serde_json::Value);

impl Paneldeck {
    /// Plans a request against the snapshot and stores the plan (state `planned`) for
    /// [`bulk_execute`](Self::bulk_execute). Nothing is sent to any panel.
    pub fn bulk_plan(&self, request: &BulkRequest) -> Result<BulkPlan> {
        self.bulk_plan_job(request, &mut Job::quiet())
    }

    /// [`bulk_plan`](Self::bulk_plan) reporting each account planned to `job` (a preview of
    /// 100,000 accounts takes seconds); a cancelled job stores no plan.
    pub fn bulk_plan_job(&self, request: &BulkRequest, job: &mut Job) -> Result<BulkPlan> {
        let panels: Panels = self
            .list_panels()?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let mut b = Builder::new();
        let (title, summary) = match request {
            BulkRequest::Change { selection, action } => {
                self.plan_changes(&mut b, &panels, selection, action, job)?
            }
            BulkRequest::Create {
                panel_ids,
                names,
                templates,
            } => self.plan_creates(&mut b, &panels, panel_ids, names, templates, job)?,
            BulkRequest::AddPerson {
                panel_id,
                email,
                server_ids,
                permissions,
            } => {
                let view = panel_of(&panels, panel_id)?;
                let mut existing = Existing::load(self, &view)?;
                for server in server_ids {
                    let new = pterodactyl::plan::person_on_server(email, server, permissions);
                    let (credentials, kept) = (KeptCredentials::default(), KeptSettings::default());
                    plan_create(&mut b, &view, &mut existing, new, credentials, kept);
                }
                (
                    OpWhat::AddPerson {
                        email: email.clone(),
                        servers: u32::try_from(server_ids.len()).unwrap_or(u32::MAX),
                    },
                    serde_json::json!({"type": "addPerson", "email": email}),
                )
            }
            BulkRequest::RemovePerson { email, panel_ids } => {
                self.plan_remove_person(&mut b, &panels, email, panel_ids)?
            }
        };
        self.store_plan(b, title, summary)
    }

    fn plan_changes(
        &self,
        b: &mut Builder,
        panels: &Panels,
        selection: &Selection,
        action: &BulkAction,
        job: &mut Job,
    ) -> Result<Described> {
        check_action(action)?;
        let keys = self.selection_keys(selection)?;
        let total = keys.len() as u64;
        for (done, key) in (0u64..).zip(keys) {
            job.step(JobPhase::Planning, done, total)?;
            let Some(view) = panels.get(&key.panel_id) else {
                continue;
            };
            match self.account_detail(&key) {
                Ok(detail) => {
                    let planned = plan_change(&detail.account, &detail.capabilities, action);
                    let name = detail.account.name.clone();
                    b.push_as(view, key, name, planned, nominal(action));
                }
                Err(CoreError::NotFound(message)) => {
                    let name = key.native_id.clone();
                    let planned = Err(Skip::new(SkipReason::NotFound, message));
                    b.push_as(view, key, name, planned, nominal(action));
                }
                Err(other) => return Err(other),
            }
        }
        job.step(JobPhase::Planning, total, total)?;
        Ok((
            OpWhat::Change {
                action: action.clone(),
            },
            serde_json::to_value(action).unwrap_or_default(),
        ))
    }

    /// One account per name on each panel, from the template of the panel's kind.
    fn plan_creates(
        &self,
        b: &mut Builder,
        panels: &Panels,
        panel_ids: &[PanelId],
        source: &NameSource,
        templates: &[NewAccount],
        job: &mut Job,
    ) -> Result<Described> {
        let list: Vec<String> = match source {
            NameSource::Pattern { pattern } => names::expand(pattern)?,
            NameSource::List { names } => names
                .iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
        };
        if list.is_empty() {
            return Err(CoreError::invalid_field(
                "names",
                FieldProblem::PickAtLeastOne,
                "Give at least one name.",
            ));
        }
        if panel_ids.is_empty() {
            return Err(CoreError::invalid_field(
                "panelIds",
                FieldProblem::PickAtLeastOne,
                "Pick at least one panel.",
            ));
        }
        for id in panel_ids {
            let view = panel_of(panels, id)?;
            let template = templates
                .iter()
                .find(|t| t.kind() == view.kind)
                .ok_or_else(|| {
                    CoreError::invalid_field(
                        "templates",
                        FieldProblem::NoForm {
                            kind: view.kind,
                            panel: view.name.clone(),
                        },
                        format!("No {} form for {}.", view.kind.display_name(), view.name),
                    )
                })?;
            let mut existing = Existing::load(self, &view)?;
            for (done, name) in (0u64..).zip(&list) {
                job.step(JobPhase::Planning, done, list.len() as u64)?;
                let new = template.with_name(name);
                let (credentials, kept) = (KeptCredentials::default(), KeptSettings::default());
                plan_create(b, &view, &mut existing, new, credentials, kept);
            }
            job.step(JobPhase::Planning, list.len() as u64, list.len() as u64)?;
        }
        Ok((
            OpWhat::Create {
                names: u32::try_from(list.len()).unwrap_or(u32::MAX),
            },
            serde_json::json!({"type": "create", "names": list.len()}),
        ))
    }

    /// Every account with this email on the panels (none given: every panel) whose kind finds
    /// people by email, as the snapshot knows them.
    fn plan_remove_person(
        &self,
        b: &mut Builder,
        panels: &Panels,
        email: &str,
        panel_ids: &[PanelId],
    ) -> Result<Described> {
        let wanted = email.trim().to_lowercase();
        for view in panels.values() {
            if !kinds::rules(view.kind).finds_people_by_email()
                || (!panel_ids.is_empty() && !panel_ids.contains(&view.id))
            {
                continue;
            }
            for (native, name, mail) in snapshot_names(self, &view.id)? {
                if mail.is_some_and(|m| m.to_lowercase() == wanted) {
                    let planned = Ok((
                        ItemOp::Delete {
                            keep_traffic: false,
                        },
                        vec![FieldChange::new(
                            Field::Subuser,
                            Some(FieldValue::text(&native)),
                            None,
                        )],
                    ));
                    b.push(
                        view,
                        AccountKey::new(view.id.clone(), native),
                        name,
                        planned,
                    );
                }
            }
        }
        Ok((
            OpWhat::RemovePerson {
                email: email.to_owned(),
            },
            serde_json::json!({"type": "removePerson", "email": email}),
        ))
    }

    /// A plan from items built elsewhere (import, migration): creates are skipped when the
    /// snapshot already has the name; edits carry the changes their preview showed, and note
    /// the fields their form sends unchanged, so a run resolves them against the live account
    /// as it does any bulk change.
    pub fn plan_from_items(&self, what: OpWhat, items: Vec<ItemInput>) -> Result<BulkPlan> {
        let mut b = Builder::new();
        let mut existing: HashMap<PanelId, Existing> = HashMap::new();
        let count = items.len();
        let mut shown = self.edited_accounts(&items)?;
        for item in items {
            match item {
                ItemInput::Create {
                    panel_id,
                    new,
                    credentials,
                    settings,
                } => {
                    let view = self.panel(&panel_id)?;
                    if !existing.contains_key(&panel_id) {
                        existing.insert(panel_id.clone(), Existing::load(self, &view)?);
                    }
                    if let Some(ex) = existing.get_mut(&panel_id) {
                        plan_create(&mut b, &view, ex, new, credentials, settings);
                    }
                }
                ItemInput::Edit { key, edit, changes } => {
                    let view = self.panel(&key.panel_id)?;
                    let name = key.native_id.clone();
                    let op = ItemOp::Edit {
                        edit,
                        seen: Vec::new(),
                    };
                    let op = match shown.remove(&key) {
                        Some(a) => note_seen(op, &changes, &a),
                        None => op,
                    };
                    let changes = if changes.is_empty() {
                        vec![FieldChange::new(
                            Field::Form,
                            None,
                            Some(FieldValue::Word {
                                word: ValueWord::Edited,
                            }),
                        )]
                    } else {
                        changes
                    };
                    b.push(&view, key, name, Ok((op, changes)));
                }
            }
        }
        self.store_plan(
            b,
            what,
            serde_json::json!({"type": "items", "count": count}),
        )
    }

    /// The snapshot's accounts the edits among `items` are for, read in one go.
    fn edited_accounts(&self, items: &[ItemInput]) -> Result<HashMap<AccountKey, Account>> {
        let keys: Vec<AccountKey> = items
            .iter()
            .filter_map(|i| match i {
                ItemInput::Edit { key, .. } => Some(key.clone()),
                ItemInput::Create { .. } => None,
            })
            .collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(self
            .load_selection(&Selection::Keys { keys })?
            .into_iter()
            .map(|s| (s.account.key.clone(), s.account))
            .collect())
    }
}

fn panel_of(panels: &Panels, id: &PanelId) -> Result<PanelView> {
    panels
        .get(id)
        .cloned()
        .ok_or_else(|| CoreError::NotFound(format!("no panel with id {id}")))
}
