//! User-pass proxy provider (9Proxy): the account's sub-users, i.e. the username/password pairs
//! that authenticate against the provider's proxy gateway.
//!
//! Routes live under `client/v1/user-passes/`; every answer is the envelope
//! `{success, message, result}`. The API key goes in the `api-key` header, or in the `api-key`
//! query parameter for panels where the header is not honoured (the provider's own spec declares
//! the query parameter while its pages say header).

mod client;
mod gateway;
mod types;

pub use client::UserpassClient;
pub use gateway::ProxyGateway;
pub use types::{
    CreateSubUser, Envelope, ListParams, ListResult, NewSubUser, OrderBy, SortBy, SubUser,
    SubUserId, SubUserPage, SubUserStatus, SubUserUpdate, UpdateSubUser, WireSubUser,
};
