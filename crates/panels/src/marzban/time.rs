//! UTC seconds → the naive ISO-8601 Marzban's query parameters take.

use time::{OffsetDateTime, PrimitiveDateTime};

/// `1970-01-01T00:00:00` for 0; instants beyond the years ±9999 are clamped to them.
pub fn iso_utc(secs: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(secs).unwrap_or_else(|_| {
        let end = if secs < 0 {
            PrimitiveDateTime::MIN
        } else {
            PrimitiveDateTime::MAX
        };
        end.assume_utc()
    });
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_seconds() {
        assert_eq!(super::iso_utc(0), "1970-01-01T00:00:00");
        assert_eq!(super::iso_utc(4_102_444_800), "2100-01-01T00:00:00");
        assert_eq!(super::iso_utc(1_795_420_565), "2026-11-23T07:56:05");
    }
}
