//! Marzban's wire types, field for field as the API sends them. Rust names carry units where the
//! wire names do not (`expire` → `expire_utc_secs`, `data_limit` → `data_limit_bytes`); every
//! answer keeps fields newer servers add (0.8.x: `admin`, `next_plan`, `users_usage`, …) in a
//! flattened `extra` map instead of rejecting them.

mod admin;
mod node;
mod subscription;
mod system;
mod template;
mod user;

pub use admin::*;
pub use node::*;
pub use subscription::*;
pub use system::*;
pub use template::*;
pub use user::*;

use serde::{Deserialize, Deserializer, Serializer};

use crate::Secret;

/// Fields a newer server sent that this client does not model.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Reads `null` and `0` alike as `None` (Marzban answers `null` for an unlimited/never value
/// that was sent as 0, some versions answer 0).
pub(crate) fn zero_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default + PartialEq,
{
    let v: Option<T> = Option::deserialize(d)?;
    Ok(v.filter(|v| *v != T::default()))
}

/// Writes a secret into a request body (the only place a password leaves the client).
pub(crate) fn expose<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose())
}

pub(crate) fn expose_opt<S: Serializer>(secret: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(v) => s.serialize_str(v.expose()),
        None => s.serialize_none(),
    }
}
