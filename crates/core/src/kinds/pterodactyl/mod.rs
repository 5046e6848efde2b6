//! Pterodactyl. Native account id: `"<server identifier>/<subuser uuid>"` ([`ids`]).

mod actions;
pub(crate) mod client;
pub mod convert;
mod demo;
mod fetch;
pub mod ids;
pub mod plan;
pub mod rules;
pub mod transfer;
