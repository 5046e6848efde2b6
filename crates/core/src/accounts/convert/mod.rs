//! What a conversion of a kind's typed wire record into an [`Account`]
//! gives (each kind's own `convert` module does it), and the helpers they share. The raw
//! record is kept beside the account in the snapshot.

use super::{model::Account, RawBits};

/// An account and the panel's own record it was made from (as JSON text: it is stored, not
/// read, on the sync path).
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub account: Account,
    pub raw_json: String,
    /// What transfer reads of the raw record, when the converter could take it from the typed
    /// record; otherwise it is read from `raw_json` ([`RawBits::from_json`]).
    pub bits: Option<RawBits>,
}

impl Converted {
    pub fn new(account: Account, raw: &impl serde::Serialize) -> Self {
        Converted {
            account,
            raw_json: serde_json::to_string(raw).unwrap_or_else(|_| "null".into()),
            bits: None,
        }
    }

    /// [`new`](Self::new) with the bits read off the typed record, which spares a sync parsing
    /// every record's JSON again. Debug builds (the tests) check them against that JSON.
    pub fn with_bits(account: Account, raw: &impl serde::Serialize, bits: RawBits) -> Self {
        let converted = Self::new(account, raw);
        debug_assert_eq!(
            bits,
            RawBits::from_json(&converted.raw_json),
            "bits of {}",
            converted.raw_json
        );
        Converted {
            bits: Some(bits),
            ..converted
        }
    }

    /// The bits, read from the JSON when the converter did not give them.
    pub fn raw_bits(&self) -> RawBits {
        self.bits
            .clone()
            .unwrap_or_else(|| RawBits::from_json(&self.raw_json))
    }

    /// The raw record as a JSON value.
    pub fn raw(&self) -> serde_json::Value {
        serde_json::from_str(&self.raw_json).unwrap_or(serde_json::Value::Null)
    }
}

/// Parses the ISO-8601 timestamps panels send — `2026-11-23T07:56:08.754887` (naive, taken as
/// UTC), `…Z`, `…+03:00`, with `T` or a space — into epoch ms.
pub fn parse_iso_ms(text: &str) -> Option<i64> {
    let s = text.trim();
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        rest = &frac[digits.len()..];
        let padded = format!("{digits:0<3}");
        millis = padded.get(..3)?.parse().ok()?;
    }
    let offset_secs = match rest {
        "" | "Z" | "z" => 0,
        tz if tz.starts_with('+') || tz.starts_with('-') => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            let digits: String = tz[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 4 {
                return None;
            }
            let oh: i64 = digits[..2].parse().ok()?;
            let om: i64 = digits[2..].parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let days = crate::dates::days_from_civil(y, mo, d)?;
    Some((days * 86_400 + h * 3600 + mi * 60 + sec - offset_secs) * 1000 + millis)
}

/// The text as it is, unless empty (as [`RawBits`] reads a raw record: no trimming).
pub(crate) fn unless_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// `Some` for a non-empty string, trimmed.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Negative counters (a panel bug or a reset in flight) count as zero.
pub(crate) fn bytes(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A positive limit; 0 or negative means unlimited.
pub(crate) fn positive(v: i64) -> Option<u64> {
    u64::try_from(v).ok().filter(|v| *v > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_timestamps_parse_to_epoch_ms() {
        assert_eq!(parse_iso_ms("1970-01-01T00:00:00"), Some(0));
        assert_eq!(parse_iso_ms("2026-11-23T07:56:05"), Some(1_795_420_565_000));
        assert_eq!(
            parse_iso_ms("2026-11-23T07:56:05.754887"),
            Some(1_795_420_565_754)
        );
        assert_eq!(
            parse_iso_ms("2026-11-23 07:56:05Z"),
            Some(1_795_420_565_000)
        );
        assert_eq!(
            parse_iso_ms("2026-11-23T10:56:05+03:00"),
            Some(1_795_420_565_000)
        );
        assert_eq!(
            parse_iso_ms("2026-11-23T07:56:05.5+0000"),
            Some(1_795_420_565_500)
        );
        assert_eq!(parse_iso_ms("yesterday"), None);
        assert_eq!(parse_iso_ms("2026-13-23T07:56:05"), None);
    }
}
