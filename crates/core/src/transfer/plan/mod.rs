//! From validated rows to a preview against a target panel's snapshot: per row a create, an
//! update (with the fields that change), unchanged, or a conflict — nothing is written. The
//! bulk engine applies the plan ([`ImportPlan::bulk_items`]). How a row maps onto the target's
//! kind is asked of its [`KindRules`](crate::kinds::KindRules).

mod carry;
mod edit;
mod kept;
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
    /// The edit is boxed: most rows of an import are creates, and every item is as large as
    /// the largest action.
    Update {
        key: AccountKey,
        edit: Box<AccountEdit>,
    },
    Unchanged {
        key: AccountKey,
    },
    Conflict {
        reason: ConflictReason,
    },
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
    pub changes: Box<[FieldChange]>,
    /// What a create keeps, packed: see [`ImportItem::credentials`] and
    /// [`ImportItem::settings`].
    kept: kept::PackedKept,
    /// What the target kind cannot hold.
    pub not_carried: Box<[NotCarried]>,
}

impl ImportItem {
    /// Secrets a create keeps (empty otherwise).
    pub fn credentials(&self) -> KeptCredentials {
        self.kept.credentials()
    }

    /// Settings a create keeps that its form has no field for (empty otherwise).
    pub fn settings(&self) -> KeptSettings {
        self.kept.settings()
    }

    fn set_kept(&mut self, credentials: KeptCredentials, settings: KeptSettings) {
        self.kept = kept::PackedKept::new(credentials, settings);
    }
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
    let total = parsed.rows.len();
    // The rows in batches of their own, so that the list of all rows is freed now and
    // each batch once it is planned.
    let mut batches: Vec<Vec<ParsedRow>> = Vec::with_capacity(total.div_ceil(BATCH));
    let mut rows = parsed.rows.into_iter();
    while rows.len() > 0 {
        batches.push(rows.by_ref().take(BATCH).collect());
    }
    drop(rows);
    let mut items = Vec::with_capacity(total);
    for batch in batches.drain(..) {
        let start = items.len();
        // Planned on every core, each item written in its place (no copy of a batch).
        items.resize_with(start + batch.len(), placeholder);
        fill_parallel(&batch, &mut items[start..], |i, row| {
            let at = start + i;
            match repeats.get(&at) {
                _ if !ours[at] => row::conflict(
                    row.line,
                    row.name(),
                    ConflictReason::OtherPanel {
                        name: row.name().to_owned(),
                        panel: row.panel().unwrap_or_default().to_owned(),
                    },
                ),
                Some(&first) => row::conflict(
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
            }
        });
    }
    ImportPlan {
        panel_id: target.panel_id.clone(),
        kind: target.kind,
        items,
        errors: parsed.errors,
    }
}

/// What a slot holds until its row is planned (allocates nothing).
fn placeholder() -> ImportItem {
    row::conflict(0, "", ConflictReason::NotEditable)
}

/// Per row: whether it goes to `target` (its panel column); and, for the rows whose name
/// repeats one planned earlier, the line it was first planned on (the same name on another
/// panel's rows is not a repeat). Repeats are few: only they are kept.
fn ours_and_repeats(
    rows: &[ParsedRow],
    target: &Target<'_>,
    opts: &PlanOptions,
) -> (Vec<bool>, HashMap<usize, u64>) {
    let ours: Vec<bool> = rows
        .iter()
        .map(|r| opts.takes(r.panel(), &target.panel_name))
        .collect();
    let mut planned: HashMap<Cow<'_, str>, u64> = HashMap::with_capacity(rows.len());
    let mut repeats = HashMap::new();
    for (i, (row, ours)) in rows.iter().zip(&ours).enumerate() {
        if !ours {
            continue;
        }
        match planned.entry(lower(row.name())) {
            Entry::Occupied(first) => {
                repeats.insert(i, *first.get());
            }
            Entry::Vacant(v) => {
                v.insert(row.line);
            }
        }
    }
    (ours, repeats)
}

/// `out[i] = f(i, &items[i])` for every item, on every core for large inputs.
fn fill_parallel<T: Sync, U: Send>(items: &[T], out: &mut [U], f: impl Fn(usize, &T) -> U + Sync) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 4_096 {
        for (i, (t, slot)) in items.iter().zip(out.iter_mut()).enumerate() {
            *slot = f(i, t);
        }
        return;
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        for (c, (part, slots)) in items.chunks(chunk).zip(out.chunks_mut(chunk)).enumerate() {
            s.spawn(move || {
                for (i, (t, slot)) in part.iter().zip(slots.iter_mut()).enumerate() {
                    *slot = f(c * chunk + i, t);
                }
            });
        }
    });
}
