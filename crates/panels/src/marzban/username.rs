//! The username rule Marzban checks before anything else, the same at v0.4.9 and v0.8.4:
//! `USERNAME_REGEXP = ^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+(?:_[a-zA-Z0-9-_@.]+)*$` in
//! app/models/user.py at both tags. Only `a-z A-Z 0-9 _ - @ .`, and the name has to START
//! with 3 to 32 word characters (`a-z A-Z 0-9 _`) before any `-`, `@` or `.`: `ab` and
//! `tm-001` are refused, `tm_001` and `abc.x` pass. The total length is not limited by it.

/// The server's words when it refuses a name (recorded step 12 of both transcripts).
pub const USERNAME_RULE: &str =
    "Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.";

/// The regular expression, as the server writes it (to quote the rule to a user).
pub const USERNAME_REGEX: &str = r"^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+(?:_[a-zA-Z0-9-_@.]+)*$";

/// Whether Marzban 0.4.x–0.8.x accepts `name` as a username.
pub fn username_ok(name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let lead = name.chars().take_while(|c| word(*c)).count();
    (3..=32).contains(&lead)
        && name
            .chars()
            .all(|c| word(c) || matches!(c, '-' | '@' | '.'))
}

#[cfg(test)]
mod tests {
    use super::username_ok;

    #[test]
    fn follows_the_servers_regex() {
        for ok in [
            "alice",
            "a_b",
            "tm_001",
            "abc.def",
            "user@mail.com",
            "abc-1",
            "___",
            "maria.vip-0042",
        ] {
            assert!(username_ok(ok), "{ok}");
        }
        // `ab` and `tm-001` were refused by real 0.4.9 and 0.8.4 servers (NOTES.md).
        for bad in ["ab", "tm-001", "a b!", "ab.cdef", "héllo", "", "abc!"] {
            assert!(!username_ok(bad), "{bad}");
        }
        assert!(username_ok(&format!("abc.{}", "x".repeat(60))));
        assert!(!username_ok(&"x".repeat(33)));
    }
}
