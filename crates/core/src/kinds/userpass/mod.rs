//! User-pass proxy panels.

pub mod plan;
pub mod rules;
pub mod transfer;
