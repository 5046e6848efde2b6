//! What a row asks of an account that exists: the row's values where the file has the column,
//! the panel's otherwise. A kind's `edit_for` builds its edit form from this.

use crate::accounts::RawBits;
use crate::{
    accounts::Account,
    bulk::{Field, FieldChange, FieldValue},
    transfer::{schema::col, AccountRecord, ColumnSet},
};

/// A row against the existing account of its name.
pub struct EditSource<'a> {
    pub record: &'a AccountRecord,
    /// The columns the file has.
    pub present: ColumnSet,
    pub account: &'a Account,
    pub raw: &'a RawBits,
}

impl EditSource<'_> {
    /// `file` where the file has column `c` (a [`col`] index), else `have`.
    pub fn pick<T>(&self, c: usize, file: T, have: T) -> T {
        if self.present.has_col(c) {
            file
        } else {
            have
        }
    }

    /// The traffic limit (0 in the file: unlimited).
    pub fn limit(&self) -> Option<u64> {
        self.pick(
            col::LIMIT_BYTES,
            self.record.limit_bytes.filter(|b| *b > 0),
            self.account.limit_bytes,
        )
    }

    pub fn enabled(&self) -> bool {
        self.pick(
            col::ENABLED,
            self.record.enabled.unwrap_or(self.account.enabled),
            self.account.enabled,
        )
    }

    pub fn note(&self) -> Option<&str> {
        self.pick(
            col::NOTE,
            self.record.note.as_deref(),
            self.account.note.as_deref(),
        )
    }

    /// The expiry moment and the time after first use (ms), taken together: a file with
    /// either column sets both.
    pub fn expiry(&self) -> (Option<i64>, Option<i64>) {
        if self.present.has_col(col::EXPIRES_AT_MS)
            || self.present.has_col(col::EXPIRE_AFTER_FIRST_USE_MS)
        {
            (
                self.record.expires_at_ms,
                self.record.expire_after_first_use_ms,
            )
        } else {
            (
                self.account.expires_at_ms,
                self.account.expire_after_first_use_ms,
            )
        }
    }
}

/// Collects the fields whose value changes.
#[derive(Debug, Default)]
pub struct Diff {
    pub changes: Vec<FieldChange>,
}

impl Diff {
    /// Notes `field` when `before` and `after` differ, each shown as `shown` makes it.
    pub fn check<T: PartialEq>(
        &mut self,
        field: Field,
        before: Option<T>,
        after: Option<T>,
        shown: impl Fn(T) -> FieldValue,
    ) {
        if before != after {
            self.changes.push(FieldChange::new(
                field,
                before.map(&shown),
                after.map(&shown),
            ));
        }
    }
}
