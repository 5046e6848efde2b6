//! Pterodactyl's native account id: `"<server identifier>/<subuser uuid>"` (a person is a
//! subuser per server, so the same email on two servers is two accounts). Build it with
//! [`pterodactyl_native_id`], read it with [`parse_pterodactyl_native_id`].

use std::fmt::Display;

use paneldeck_panels::pterodactyl::{ServerIdentifier, SubuserUuid};

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
}
