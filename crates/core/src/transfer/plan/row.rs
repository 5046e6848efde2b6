//! Planning one row: a create (with what it keeps), an update, unchanged, or a conflict.

use super::{
    carry::not_carried, ConflictReason, EditSource, ImportAction, ImportItem, PlanOptions, Target,
};
use crate::accounts::RawBits;
use crate::{
    accounts::Account,
    kinds,
    transfer::{AccountRecord, ColumnSet, ParsedRow},
};

/// A row with its record decoded, for the time it is planned.
struct Row {
    line: u64,
    record: AccountRecord,
    present: ColumnSet,
}

fn item(line: u64, name: &str, action: ImportAction) -> ImportItem {
    ImportItem {
        line,
        name: name.to_owned(),
        action,
        changes: Box::default(),
        kept: super::kept::PackedKept::default(),
        not_carried: Box::default(),
    }
}

pub(super) fn conflict(line: u64, name: &str, reason: ConflictReason) -> ImportItem {
    item(line, name, ImportAction::Conflict { reason })
}

fn row_conflict(row: &Row, reason: ConflictReason) -> ImportItem {
    conflict(row.line, &row.record.name, reason)
}

pub(super) fn plan_row(
    parsed: &ParsedRow,
    existing: Option<&(Account, RawBits)>,
    target: &Target<'_>,
    opts: &PlanOptions,
) -> ImportItem {
    let row = &Row {
        line: parsed.line,
        record: parsed.record(),
        present: parsed.present,
    };
    if let Some(reason) = existing.and_then(|(account, _)| uuid_clash(row, account)) {
        // Not this account: nothing else of the row is compared.
        return row_conflict(row, reason);
    }
    let mut out = match existing {
        None => create(row, target, opts),
        Some((account, raw)) => update(row, account, raw, opts),
    };
    out.not_carried = not_carried(&row.record, target.kind).into_boxed_slice();
    out
}

fn create(row: &Row, target: &Target<'_>, opts: &PlanOptions) -> ImportItem {
    let rules = kinds::rules(target.kind);
    match rules.new_account(&row.record, target, opts) {
        Ok(new) => {
            let mut it = item(row.line, &row.record.name, ImportAction::Create(new));
            it.set_kept(
                rules.kept_credentials(&row.record),
                rules.kept_settings(&row.record),
            );
            it
        }
        Err(reason) => row_conflict(row, reason),
    }
}

/// Why the row cannot be `account` although it has its name: another UUID.
fn uuid_clash(row: &Row, account: &Account) -> Option<ConflictReason> {
    let (want, have) = (row.record.uuid.as_deref()?, account.uuid.as_deref()?);
    (!want.eq_ignore_ascii_case(have)).then(|| ConflictReason::OtherUuid {
        name: account.name.clone(),
        have: have.get(..8).unwrap_or(have).to_owned(),
        want: want.get(..8).unwrap_or(want).to_owned(),
    })
}

fn update(row: &Row, account: &Account, raw: &RawBits, opts: &PlanOptions) -> ImportItem {
    let source = EditSource {
        record: &row.record,
        present: row.present,
        account,
        raw,
    };
    let (edit, changes) = kinds::rules(account.kind).edit_for(&source);
    if changes.is_empty() {
        item(
            row.line,
            &row.record.name,
            ImportAction::Unchanged {
                key: account.key.clone(),
            },
        )
    } else if opts.create_only {
        row_conflict(
            row,
            ConflictReason::ExistsAndDiffers {
                name: account.name.clone(),
            },
        )
    } else {
        match edit {
            Some(edit) => {
                let mut it = item(
                    row.line,
                    &row.record.name,
                    ImportAction::Update {
                        key: account.key.clone(),
                        edit: Box::new(edit),
                    },
                );
                it.changes = changes.into_boxed_slice();
                it
            }
            None => row_conflict(row, ConflictReason::NotEditable),
        }
    }
}
