//! Accounts to and from files, offline: export of any selection to CSV or JSON in one
//! documented schema (docs/formats.md), import from that schema and from 3x-ui's own export,
//! validation with line-numbered errors, a preview diff against a panel's snapshot, and
//! migration plans between panels. Nothing here writes to a panel: the plans go to the bulk
//! engine (`Paneldeck::import_apply`, i.e. [`ImportPlan::bulk_items`] →
//! `Paneldeck::plan_from_items`, then `bulk_execute`), creates keeping the UUIDs/passwords
//! of the accounts they copy.

pub mod export;
pub mod import;
pub mod load;
pub mod plan;
pub mod schema;
mod service;

pub use export::{ExportFormat, ExportOptions, ExportSummary};
pub use import::{
    parse_bytes, parse_import_file, parse_reader, ColumnSet, CountUnit, ImportProblem, Parsed,
    ParsedRow, RowError, SourceFormat,
};
pub use plan::{
    ImportAction, ImportItem, ImportPlan, KeptCredentials, KeptSettings, PlanCounts, PlanOptions,
    PlanPreview, PreviewRow, Target,
};
pub use schema::{AccountRecord, COLUMNS};
