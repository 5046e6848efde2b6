//! Native account ids, one convention per kind (shared with `accounts/`):
//!
//! - 3x-ui: the client's email (unique on a panel).
//! - Marzban: the username.
//! - User-pass proxy: the sub-user's numeric id, in decimal (`"1001"`).
//! - Pterodactyl: `"<server identifier>/<subuser uuid>"` (a person is a subuser per server, so
//!   the same email on two servers is two accounts). Build it with [`pterodactyl_native_id`],
//!   read it with [`parse_pterodactyl_native_id`].

use std::fmt::Display;

use paneldeck_panels::{
    pterodactyl::{ServerIdentifier, SubuserUuid},
    userpass::SubUserId,
};

use crate::error::{CoreError, Result};

/// `"<server identifier>/<subuser uuid>"`. Takes the newtypes or plain strings.
pub fn pterodactyl_native_id(server: impl Display, uuid: impl Display) -> String {
    format!("{server}/{uuid}")
}

/// The server and subuser of a Pterodactyl native id.
pub fn parse_pterodactyl_native_id(id: &str) -> Result<(ServerIdentifier, SubuserUuid)> {
    match id.split_once('/') {
        Some((server, uuid)) if !server.is_empty() && !uuid.is_empty() && !uuid.contains('/') => {
            Ok((
                ServerIdentifier(server.to_owned()),
                SubuserUuid(uuid.to_owned()),
            ))
        }
        _ => Err(CoreError::invalid(format!(
            "'{id}' is not a Pterodactyl account id (expected <server identifier>/<subuser uuid>)"
        ))),
    }
}

/// The sub-user id of a user-pass native id.
pub fn parse_userpass_native_id(id: &str) -> Result<SubUserId> {
    id.trim().parse::<u64>().map(SubUserId).map_err(|_| {
        CoreError::invalid(format!(
            "'{id}' is not a user-pass sub-user id (expected a number)"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pterodactyl_ids_round_trip() {
        let id = pterodactyl_native_id(ServerIdentifier("1a2b3c4d".into()), "u-1");
        assert_eq!(id, "1a2b3c4d/u-1");
        let parsed = parse_pterodactyl_native_id(&id).ok();
        assert_eq!(
            parsed,
            Some((
                ServerIdentifier("1a2b3c4d".into()),
                SubuserUuid("u-1".into())
            ))
        );
        for bad in ["", "abc", "/u", "s/", "s/u/x"] {
            assert!(parse_pterodactyl_native_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn userpass_ids_are_numbers() {
        assert_eq!(parse_userpass_native_id("1001").ok(), Some(SubUserId(1001)));
        assert!(parse_userpass_native_id("x1").is_err());
    }
}
