//! Bulk operations across panels (issue 7): plan first (per account before → after, or why it
//! is skipped), then execute with progress and cancel, journaled in SQLite so a crashed or
//! killed run resumes finishing each item exactly once, and "retry failed" re-runs only the
//! failed items. A create whose outcome is unknown is looked up on the panel by its name
//! before it is sent again, so retries never duplicate; a create that keeps the UUIDs and
//! passwords of the account it copies (import, migration) has them journaled apart from its
//! op, so it is sent again with the same ones, and they never show in plans or history.
//!
//! Entry points on [`Paneldeck`](crate::Paneldeck): `bulk_plan`, `plan_from_items`,
//! `bulk_execute`, `bulk_resume`, `bulk_retry_failed`, `bulk_history`, `bulk_items`,
//! `bulk_export_history`.

mod apply;
mod exec;
pub mod fmt;
mod journal;
pub mod live;
mod live_phase;
pub mod names;
mod options;
pub mod outcome;
mod pace;
pub(crate) mod plan;
mod read_back;
mod revert;
mod service;
pub mod shown;
pub(crate) mod single;
pub mod types;
mod wire;

pub use live::IfChanged;
pub use outcome::{ItemError, ItemErrorCode, ItemOutcome};
pub use shown::{Field, FieldValue, KeptSecret, OpTitle, OpWhat, ValueWord};
pub use types::*;

// What the kinds' item paths and bulk routes build on.
pub(crate) use apply::{is_not_found, unsupported_op, Applied};
pub(crate) use exec::{done, failed, scrubbed, Runner, Work};
pub(crate) use journal::ItemUpdate;
