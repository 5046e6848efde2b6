//! Pterodactyl (game servers; accounts are subusers).

pub mod plan;
pub mod rules;
pub mod transfer;
