//! Pterodactyl client API (`/api/client`, `ptlc_…` keys): the servers a key can see and their
//! subusers with permissions.
//!
//! Answers are Fractal objects (`{object, attributes}`), errors `{errors:[{code, status,
//! detail}]}`. The panel rate-limits per user (720 requests/min by default, often less on
//! shared hosts); the client keeps a shared budget and honours 429 + Retry-After.

mod client;
mod errors;
mod limiter;
mod permissions;
mod types;

pub use client::{PterodactylClient, DEFAULT_REQUESTS_PER_MINUTE};
pub use limiter::{RateBudget, Slot};
pub use permissions::{Permission, PermissionGroup, PermissionSet, UnknownPermission};
pub use types::{
    AccountAttributes, CreateSubuserBody, ErrorBody, ErrorMeta, ErrorSource, List, ListMeta,
    Object, Pagination, PermissionCatalog, PermissionGroupInfo, PermissionInfo, Server,
    ServerAttributes, ServerIdentifier, Subuser, SubuserAttributes, SubuserUuid, SystemPermissions,
    UpdateSubuserBody, WireError, WirePermissionGroup,
};
