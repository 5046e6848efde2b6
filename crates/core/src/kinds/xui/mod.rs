//! 3x-ui. Native account id: the client's email (unique on a panel).

mod actions;
mod actions_legacy;
mod bulk;
pub(crate) mod client;
pub mod convert;
mod fetch;
pub mod links;
pub mod plan;
pub mod rules;
pub mod transfer;
