//! PasarGuard's wire types, field for field as the API sends them. Rust names carry units
//! where the wire names do not (`data_limit` → `data_limit_bytes`); answers keep fields this
//! client does not model in a flattened `extra` map instead of rejecting them.

mod bulk;
mod panel;
mod user;

pub use bulk::*;
pub use panel::*;
pub use user::*;

use serde::{Deserialize, Serialize};

/// Fields a server sent that this client does not model.
pub type Extra = serde_json::Map<String, serde_json::Value>;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A user's `id`: what the bulk routes and `/api/user/by-id/…` take.
    UserId
);
id_type!(
    /// A group's `id` (a group holds inbound tags; users hold groups).
    GroupId
);
id_type!(
    /// A user template's `id`.
    TemplateId
);
id_type!(
    /// An admin's `id`.
    AdminId
);
