//! Marzban. Native account id: the username.

mod actions;
mod bulk;
pub mod client;
pub mod convert;
mod create;
mod demo;
mod fetch;
pub(crate) mod links;
pub mod plan;
pub mod rules;
pub mod transfer;
