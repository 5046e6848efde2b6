//! PasarGuard 5.x (Marzban's maintained fork). Native account id: the username; the bulk
//! routes take user ids, looked up per chunk.

mod actions;
mod bulk;
pub mod client;
pub mod convert;
mod demo;
mod fetch;
pub mod form;
mod links;
pub mod rules;
pub mod transfer;
