//! Sizes in English words, for the CLI's wording of plans and titles.

/// `1.50 GiB`, `300 MiB`, `12 B`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.2} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::moment;

    #[test]
    fn formats() {
        assert_eq!(moment(0), "1970-01-01 00:00 UTC");
        assert_eq!(moment(1_795_425_000_000), "2026-11-23 09:10 UTC");
        assert_eq!(bytes(1536 * 1024 * 1024), "1.50 GiB");
        assert_eq!(bytes(10 * 1024 * 1024 * 1024), "10 GiB");
        assert_eq!(bytes(12), "12 B");
    }
}
