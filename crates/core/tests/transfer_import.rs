//! The importer over a corpus of bad files (tests/fixtures/import/): each problem comes back
//! with its line, column and a reason a person can act on, the good rows of the same file stay
//! importable, and nothing panics. Also 3x-ui's own export format.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::transfer::{parse_bytes, Parsed, SourceFormat};
use paneldeck_panels::PanelKind;

fn fixture(name: &str) -> Parsed {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    parse_bytes(&std::fs::read(path).unwrap())
}

fn names(p: &Parsed) -> Vec<(u64, &str)> {
    p.rows.iter().map(|r| (r.line, r.name())).collect()
}

/// (line, column, a word the reason must contain)
fn assert_errors(p: &Parsed, expected: &[(u64, &str, &str)]) {
    let got: Vec<String> = p.errors.iter().map(ToString::to_string).collect();
    assert_eq!(p.errors.len(), expected.len(), "{got:#?}");
    for (line, column, word) in expected {
        assert!(
            p.errors.iter().any(|e| e.line == *line
                && e.column == *column
                && e.reason.to_string().contains(word)),
            "no error at line {line} column '{column}' containing '{word}' in {got:#?}"
        );
    }
}

#[test]
fn wrong_delimiter_is_named() {
    let p = fixture("wrong_delimiter.csv");
    assert!(p.rows.is_empty());
    assert_errors(&p, &[(1, "", "separated by ';'")]);
}

#[test]
fn a_bom_is_skipped_and_the_file_imports() {
    let p = fixture("bom.csv");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(names(&p), [(2, "alice"), (3, "bob")]);
    assert_eq!(p.rows[0].record().kind, Some(PanelKind::Xui));
    assert_eq!(p.rows[1].record().enabled, Some(false));
    assert!(p.rows[0].present.has("limit_bytes") && !p.rows[0].present.has("note"));
}

#[test]
fn quotes_escaped_and_unterminated() {
    let p = fixture("quotes.csv");
    assert_eq!(names(&p), [(2, "alice")]);
    assert_eq!(
        p.rows[0].record().note.as_deref(),
        Some("a \"quoted\" note, with comma")
    );
    assert_errors(&p, &[(3, "", "never closed")]);
}

#[test]
fn missing_columns_and_ragged_rows() {
    let p = fixture("missing_name_column.csv");
    assert!(p.rows.is_empty());
    assert_errors(&p, &[(1, "name", "no 'name' column")]);

    let p = fixture("short_and_long_rows.csv");
    assert_eq!(names(&p), [(2, "alice"), (5, "dave")]);
    assert_errors(
        &p,
        &[
            (3, "", "3 field(s) where the header has 4"),
            (4, "", "5 field(s)"),
        ],
    );
}

#[test]
fn wrong_types_name_the_column_and_the_value() {
    let p = fixture("wrong_types.csv");
    assert_eq!(names(&p), [(4, "carol")]);
    let carol = &p.rows[0].record();
    assert_eq!(carol.enabled, Some(true), "yes is true");
    assert_eq!(
        carol.expires_at_ms,
        Some(1_798_711_200_000),
        "ISO-8601 accepted"
    );
    assert_errors(
        &p,
        &[
            (2, "limit_bytes", "'abc'"),
            (2, "enabled", "true or false"),
            (2, "expires_at_ms", "'tomorrow'"),
            (2, "ip_limit", "'-1'"),
            (2, "uuid", "not a UUID"),
            (2, "status", "'sleeping'"),
            (3, "kind", "'foo'"),
            (3, "limit_bytes", "'1.5'"),
            (5, "name", "empty"),
        ],
    );

    let p = fixture("wrong_types.json");
    assert_eq!(names(&p), [(2, "alice"), (6, "erin")]);
    assert_errors(
        &p,
        &[
            (3, "limit_bytes", "'lots'"),
            (4, "inbounds", "object"),
            (5, "", "expected an object"),
        ],
    );
}

#[test]
fn duplicate_names_are_reported_case_insensitively() {
    let p = fixture("duplicate_emails.csv");
    assert_eq!(
        names(&p),
        [(2, "alice@example.com"), (3, "bob@example.com")]
    );
    assert_errors(&p, &[(4, "name", "first on line 2")]);
}

#[test]
fn empty_blank_and_non_utf8_files() {
    assert_errors(&fixture("empty.csv"), &[(1, "", "empty")]);
    assert_errors(&fixture("blank.csv"), &[(1, "", "empty")]);
    let p = fixture("non_utf8.csv");
    assert_eq!(names(&p), [(3, "bob")]);
    assert_errors(&p, &[(2, "note", "UTF-8")]);
    // Non-UTF-8 JSON: the line of the first bad byte.
    let p = parse_bytes(b"[\n{\"name\":\"a\"},\n{\"name\":\"caf\xe9\"}]");
    assert_errors(&p, &[(3, "", "UTF-8")]);
}

#[test]
fn json_envelope_problems() {
    assert_errors(&fixture("truncated.json"), &[(4, "", "cannot be read")]);
    assert_errors(
        &fixture("wrong_format.json"),
        &[(1, "format", "something-else")],
    );
    assert_errors(&fixture("future_version.json"), &[(1, "version", "newer")]);
    let p = parse_bytes(b"{\"format\":\"paneldeck-accounts\",\"version\":1}");
    assert_errors(&p, &[(1, "accounts", "no 'accounts'")]);
    let p = parse_bytes(b"[]");
    assert!(p.rows.is_empty() && p.errors.is_empty());
}

#[test]
fn a_one_megabyte_field_is_refused_with_its_size_and_the_rest_imports() {
    let big = "x".repeat(1024 * 1024);
    let csv = format!("name,note\nalice,{big}\nbob,small\n");
    let p = parse_bytes(csv.as_bytes());
    assert_eq!(names(&p), [(3, "bob")]);
    assert_errors(&p, &[(2, "note", "1048576 bytes")]);
    let json = format!("[{{\"name\":\"alice\",\"note\":\"{big}\"}},\n{{\"name\":\"bob\"}}]");
    let p = parse_bytes(json.as_bytes());
    assert_eq!(names(&p), [(2, "bob")]);
    assert_errors(&p, &[(1, "note", "1048576 bytes")]);
}

#[test]
fn xui_export_items_map_to_records() {
    let p = fixture("xui_export.json");
    assert_eq!(p.format, SourceFormat::XuiExport);
    assert_eq!(names(&p), [(2, "alice@example.com"), (16, "bob")]);
    let a = &p.rows[0].record();
    assert_eq!(a.kind, Some(PanelKind::Xui));
    assert_eq!(
        a.uuid.as_deref(),
        Some("b831381d-6324-4d53-ad4f-8cda48b30811")
    );
    assert_eq!(a.sub_id.as_deref(), Some("sub-alice"));
    assert_eq!(a.limit_bytes, Some(10_737_418_240));
    assert_eq!(a.expires_at_ms, Some(1_893_456_000_000));
    assert_eq!(a.ip_limit, Some(2));
    assert_eq!(a.note.as_deref(), Some("vip"));
    assert_eq!(a.reset_days, Some(30));
    assert_eq!(a.inbounds, ["1", "2"]);
    assert_eq!(a.email.as_deref(), Some("alice@example.com"));
    let b = &p.rows[1].record();
    assert_eq!(b.password.as_deref(), Some("trojan-pw"));
    assert_eq!((b.limit_bytes, b.expires_at_ms), (None, None));
    assert_eq!(b.expire_after_first_use_ms, Some(604_800_000));
    assert_eq!(b.enabled, Some(false));
    assert_errors(
        &p,
        &[
            (26, "client.totalGB", "whole number"),
            (26, "client.email", "no email"),
            (26, "inboundIds", "inbound ids"),
        ],
    );
}

/// CRLF line ends (Excel, Python's csv module): a bad row on line 4 is reported at line 4,
/// as with LF (issue #20).
#[test]
fn crlf_files_report_the_right_lines() {
    for end in ["\n", "\r\n"] {
        let csv = ["name,limit_bytes", "a,1", "b,2", "c,lots", "d,3"].join(end) + end;
        let p = parse_bytes(csv.as_bytes());
        let lines: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4], "line ends {end:?}: {:?}", p.errors);
        assert_eq!(
            names(&p),
            [(2, "a"), (3, "b"), (5, "d")],
            "line ends {end:?}"
        );
    }
}

/// Files many times the readers' buffers (the text is read as it is parsed): the lines of
/// bad rows far down stay right, after CRLFs and after fields that span lines, and a quote
/// left open near the end is found.
#[test]
fn long_files_report_the_right_lines() {
    for end in ["\n", "\r\n"] {
        let mut csv = String::from("name,limit_bytes,note");
        let (mut line, mut bad) = (1u64, Vec::new());
        for i in 0..20_000 {
            csv.push_str(end);
            line += 1;
            if i % 997 == 0 {
                csv.push_str(&format!("u{i},lots,x"));
                bad.push(line);
            } else if i % 1009 == 0 {
                csv.push_str(&format!("u{i},1,\"two{end}lines\""));
                line += 1;
            } else {
                csv.push_str(&format!("u{i},1,x"));
            }
        }
        csv.push_str(&format!("{end}last,1,\"never closed{end}more,2,x{end}"));
        let p = parse_bytes(csv.as_bytes());
        let lines: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
        bad.push(line + 1);
        assert_eq!(lines, bad, "line ends {end:?}");
        assert!(p
            .errors
            .last()
            .unwrap()
            .reason
            .to_string()
            .contains("never closed"));
        assert_eq!(p.rows.len(), 20_000 - 21, "line ends {end:?}");
    }

    let mut json = String::from("{\"format\":\"paneldeck-accounts\",\"version\":1,\"accounts\":[");
    let (mut line, mut bad) = (1u64, Vec::new());
    for i in 0..20_000 {
        json.push_str(if i == 0 { "\n" } else { ",\n" });
        line += 1;
        if i % 997 == 0 {
            json.push_str(&format!("{{\"name\":\"u{i}\",\"limit_bytes\":\"lots\"}}"));
            bad.push(line);
        } else if i % 1009 == 0 {
            json.push_str(&format!("{{\"name\":\"u{i}\",\n\"limit_bytes\":1}}"));
            line += 1;
        } else {
            json.push_str(&format!("{{\"name\":\"u{i}\",\"limit_bytes\":1}}"));
        }
    }
    json.push_str("\n]}\n");
    let p = parse_bytes(json.as_bytes());
    let lines: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, bad);
    assert_eq!(p.rows.len(), 20_000 - 21);
}
