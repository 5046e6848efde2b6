//! User-pass proxy provider. Native account id: the sub-user's numeric id ([`ids`]).

mod actions;
pub(crate) mod client;
pub mod convert;
mod demo;
mod fetch;
pub mod ids;
pub mod links;
pub mod plan;
pub mod rules;
pub mod transfer;
