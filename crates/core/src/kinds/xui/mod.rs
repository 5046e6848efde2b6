//! 3x-ui. Native account id: the client's email (unique on a panel).

mod actions;
mod actions_legacy;
mod bulk;
pub(crate) mod client;
pub mod convert;
mod demo;
mod fetch;
pub(crate) mod import;
pub mod links;
pub mod plan;
pub mod rules;
pub mod transfer;

/// True for the API generation labels 3x-ui's probe gives a pre-3.1 panel (the legacy
/// inbounds API).
pub fn is_legacy(api_generation: &str) -> bool {
    let g = api_generation.to_ascii_lowercase();
    g.contains("legacy") || g.contains("before 3.1")
}
