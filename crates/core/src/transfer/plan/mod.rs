//! From validated rows to a preview against a target panel's snapshot: per row a create, an
//! update (with the fields that change), unchanged, or a conflict — nothing is written. The
//! bulk engine applies the plan ([`ImportPlan::bulk_items`]). How a row maps onto the target's
//! kind is asked of its [`KindRules`](crate::kinds::KindRules).

mod carry;
mod edit;
mod preview;
mod reason;
mod row;

use crate::accounts::RawBits;
use std::{
    borrow::Cow,
    collections::{hash_map::Entry, HashMap},
};

use paneldeck_panels::PanelKind;

pub use self::{
    edit::{Diff, EditSource},
    preview::{PlanCounts, PlanPreview, PreviewRow},
    reason::{ConflictReason, NotCarried},
};
use super::import::{lower, Parsed, ParsedRow, RowError};
pub use crate::actions::{KeptCredentials, KeptSettings};
use crate::{
    accounts::{Account, AccountKey},
    actions::{AccountEdit, CreateOptions, NewAccount},
    bulk::FieldChange,
    registry::PanelId,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportAction {
    Create(NewAccount),
    Update { key: AccountKey, edit: AccountEdit },
    Unchanged { key: AccountKey },
    Conflict { reason: ConflictReason },
}

impl ImportAction {
    pub fn label(&self) -> &'static str {
        match self {
            ImportAction::Create(_) => "create",
            ImportAction::Update { .. } => "update",
            ImportAction::Unchanged { .. } => "unchanged",
            ImportAction::Conflict { .. } => "conflict",
        }
    }
}

/// One row of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportItem {
    /// The file line (migration: the account's position in the source, from 1).
    pub line: u64,
    pub name: String,
    pub action: ImportAction,
    /// What an update changes (empty for the other actions).
    pub changes: Vec<FieldChange>,
    /// Secrets a create keeps (empty otherwise).
    pub credentials: KeptCredentials,
    /// Settings a create keeps that its form has no field for (empty otherwise).
    pub settings: KeptSettings,
    /// What the target kind cannot hold.
    pub not_carried: Vec<NotCarried>,
}

/// An import or migration plan against one panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub panel_id: PanelId,
    pub kind: PanelKind,
    pub items: Vec<ImportItem>,
    pub errors: Vec<RowError>,
}

/// The panel rows are mapped onto: its snapshot and what its create form offers.
pub struct Target<'a> {
    pub panel_id: PanelId,
    /// Rows whose panel column names this panel are its own.
    pub panel_name: String,
    pub kind: PanelKind,
    /// The snapshot of the panel: accounts with their raw records.
    pub accounts: &'a [(Account, RawBits)],
    /// What the panel's create form offers (3x-ui inbounds, Marzban inbound tags), for the
    /// kinds that map rows onto it; `None` when unknown (each kind says what it does then).
    pub create_options: Option<CreateOptions>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// 3x-ui: inbounds for rows whose own inbounds and protocols do not fit this panel.
    pub xui_inbound_ids: Vec<i64>,
    /// Leave existing accounts alone (they are reported unchanged / as conflicts only).
    pub create_only: bool,
    /// Source panels (the file's panel column) whose rows go to the target too. Rows of any
    /// other panel are left out as [`ConflictReason::OtherPanel`]: a two-panel export
    /// imported into one panel must not create the other panel's accounts on it.
    pub from_panels: Vec<String>,
}

impl PlanOptions {
    /// Whether a row whose panel column says `panel` belongs to `target`.
    fn takes(&self, panel: Option<&str>, target: &str) -> bool {
        match panel.map(str::trim) {
            None | Some("") => true,
            Some(p) => {
                p.eq_ignore_ascii_case(target)
                    || self
                        .from_panels
                        .iter()
                        .any(|f| f.trim().eq_ignore_ascii_case(p))
            }
        }
    }
}

/// Rows planned at a time: the packed rows of a batch are freed once it is planned, so the
/// rows and their plan are never both held whole.
const BATCH: usize = 16_384;

/// Builds the plan of `parsed` rows against `target`.
pub fn plan(parsed: Parsed, target: &Target<'_>, opts: &PlanOptions) -> ImportPlan {
    // Lowercased names borrowed where already lowercase: no allocation per row.
    let mut by_name: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(target.accounts.len());
    for (i, (a, _)) in target.accounts.iter().enumerate() {
        by_name.insert(lower(&a.name), i);
    }
    let (ours, repeats) = ours_and_repeats(&parsed.rows, target, opts);
    let mut items = Vec::with_capacity(parsed.rows.len());
    let mut rows = parsed.rows.into_iter();
    loop {
        let start = items.len();
        let batch: Vec<ParsedRow> = rows.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        // The rows are independent now: planned on every core.
        let planned = map_parallel(&batch, |i, row| match repeats[start + i] {
            _ if !ours[start + i] => row::conflict(
                row.line,
                row.name(),
                ConflictReason::OtherPanel {
                    name: row.name().to_owned(),
                    panel: row.panel().unwrap_or_default().to_owned(),
                },
            ),
            Some(first) => row::conflict(
                row.line,
                row.name(),
                ConflictReason::RepeatedName {
                    name: row.name().to_owned(),
                    first_line: first,
                },
            ),
            None => {
                let existing = by_name
                    .get(&lower(row.name()))
                    .map(|i| &target.accounts[*i]);
                row::plan_row(row, existing, target, opts)
            }
        });
        items.extend(planned);
    }
    ImportPlan {
        panel_id: target.panel_id.clone(),
        kind: target.kind,
        items,
        errors: parsed.errors,
    }
}

/// Per row: whether it goes to `target` (its panel column), and the line its name was first
/// planned on when it repeats one (the same name on another panel's rows is not a repeat).
fn ours_and_repeats(
    rows: &[ParsedRow],
    target: &Target<'_>,
    opts: &PlanOptions,
) -> (Vec<bool>, Vec<Option<u64>>) {
    let ours: Vec<bool> = rows
        .iter()
        .map(|r| opts.takes(r.panel(), &target.panel_name))
        .collect();
    let mut planned: HashMap<Cow<'_, str>, u64> = HashMap::with_capacity(rows.len());
    let repeats = rows
        .iter()
        .zip(&ours)
        .map(|(row, ours)| match planned.entry(lower(row.name())) {
            _ if !ours => None,
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(v) => {
                v.insert(row.line);
                None
            }
        })
        .collect();
    (ours, repeats)
}

/// `f` over `items` (with their indices), in order, on every core for large inputs.
fn map_parallel<T: Sync, U: Send>(items: &[T], f: impl Fn(usize, &T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 4_096 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                s.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, t)| f(c * chunk + i, t))
                        .collect::<Vec<U>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for p in parts {
            match p.join() {
                Ok(v) => out.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}
