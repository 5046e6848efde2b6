//! 3x-ui.

pub mod plan;
pub mod rules;
pub mod transfer;
