//! The user-pass provider's native account id: the sub-user's numeric id, in decimal
//! (`"1001"`).

use paneldeck_panels::userpass::SubUserId;

use crate::error::{CoreError, Result};

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
    fn userpass_ids_are_numbers() {
        assert_eq!(parse_userpass_native_id("1001").ok(), Some(SubUserId(1001)));
        assert!(parse_userpass_native_id("x1").is_err());
    }
}
