//! Name patterns for bulk create: `shop-{001..250}` expands to `shop-001` … `shop-250` (the
//! start's width is kept with zeros when it has a leading zero). One range per pattern; a
//! pattern without braces is one name.

use paneldeck_panels::{FieldProblem, PatternProblem};

use crate::error::{CoreError, Result};

/// Most names one pattern may produce.
pub const MAX_NAMES: u64 = 100_000;

pub fn expand(pattern: &str) -> Result<Vec<String>> {
    let bad = |why: PatternProblem, text: &str| {
        let problem = FieldProblem::BadPattern {
            pattern: pattern.to_owned(),
            why,
        };
        CoreError::invalid_field("pattern", problem, format!("'{pattern}': {text}"))
    };
    let Some(open) = pattern.find('{') else {
        let name = pattern.trim();
        if name.is_empty() {
            return Err(bad(PatternProblem::EmptyName, "empty name"));
        }
        return Ok(vec![name.to_owned()]);
    };
    let close = pattern[open..]
        .find('}')
        .map(|i| open + i)
        .ok_or_else(|| bad(PatternProblem::UnclosedBrace, "a '{' without its '}'"))?;
    let (prefix, inner, suffix) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    if suffix.contains('{') || suffix.contains('}') {
        return Err(bad(
            PatternProblem::SeveralRanges,
            "only one {a..b} range is allowed",
        ));
    }
    let (a, b) = inner.split_once("..").ok_or_else(|| {
        bad(
            PatternProblem::NoRange,
            "write the range as {first..last}, e.g. {001..250}",
        )
    })?;
    let (a, b) = (a.trim(), b.trim());
    let parse = |s: &str| {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            Err(bad(
                PatternProblem::NotNumbers,
                "range ends must be numbers",
            ))
        } else {
            s.parse::<u64>()
                .map_err(|_| bad(PatternProblem::NumberTooLarge, "number too large"))
        }
    };
    let (start, end) = (parse(a)?, parse(b)?);
    if end < start {
        return Err(bad(PatternProblem::RangeGoesDown, "the range goes down"));
    }
    if end - start + 1 > MAX_NAMES {
        return Err(CoreError::invalid_field(
            "pattern",
            FieldProblem::TooManyNames {
                pattern: pattern.to_owned(),
                max: MAX_NAMES,
            },
            format!("'{pattern}': more than {MAX_NAMES} names"),
        ));
    }
    let width = if a.len() > 1 && a.starts_with('0') || b.len() > 1 && b.starts_with('0') {
        a.len().max(b.len())
    } else {
        0
    };
    Ok((start..=end)
        .map(|n| format!("{prefix}{n:0width$}{suffix}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_expand_with_padding() {
        let names = expand("shop-{001..250}").unwrap_or_default();
        assert_eq!(names.len(), 250);
        assert_eq!(names[0], "shop-001");
        assert_eq!(names[249], "shop-250");
        assert_eq!(
            expand("u{8..11}@x").unwrap_or_default(),
            vec!["u8@x", "u9@x", "u10@x", "u11@x"]
        );
        assert_eq!(expand("single").unwrap_or_default(), vec!["single"]);
        for bad in [
            "a{1..}",
            "a{x..3}",
            "a{5..1}",
            "a{1..2}{3..4}",
            "a{1..2",
            "",
        ] {
            assert!(expand(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bad_pattern_says_why_as_a_code_and_in_english() {
        let why = |pattern: &str| match expand(pattern) {
            Err(CoreError::InvalidInput { message, fields }) => {
                assert_eq!(fields[0].message, message);
                Some(fields[0].problem.clone())
            }
            _ => None,
        };
        let bad = |pattern: &str, why: PatternProblem| {
            Some(FieldProblem::BadPattern {
                pattern: pattern.to_owned(),
                why,
            })
        };
        assert_eq!(
            why("a{5..1}"),
            bad("a{5..1}", PatternProblem::RangeGoesDown)
        );
        assert_eq!(why("a{x..3}"), bad("a{x..3}", PatternProblem::NotNumbers));
        assert_eq!(why("a{1..2"), bad("a{1..2", PatternProblem::UnclosedBrace));
        assert_eq!(
            why("a{1..2}{3..4}"),
            bad("a{1..2}{3..4}", PatternProblem::SeveralRanges)
        );
        assert_eq!(
            why("u{1..999999}"),
            Some(FieldProblem::TooManyNames {
                pattern: "u{1..999999}".into(),
                max: MAX_NAMES
            })
        );
        assert!(
            matches!(expand("a{5..1}"), Err(e) if e.to_string() == "'a{5..1}': the range goes down")
        );
    }
}
