//! Every account on every panel: the unified model, conversions from each kind, sync into the
//! SQLite snapshot, the table's windowed query (and the selections resolved through it), and
//! the dashboard's numbers.

pub mod changes;
pub mod convert;
pub mod dashboard;
pub mod fetch;
pub mod index;
pub mod model;
pub mod query;
pub mod raw_bits;
pub mod selection;
pub mod service;
pub mod snapshot;
pub mod sync;

pub use changes::{ChangeListener, SnapshotChange};
pub use dashboard::Dashboard;
pub use model::{now_ms, Account, AccountKey, AccountStatus, Capabilities};
pub use query::{AccountDetail, AccountPage, AccountQuery, AccountRow, SortColumn};
pub use raw_bits::RawBits;
pub use selection::Selection;
pub use sync::{PanelHealth, SyncEvent, SyncOptions};
