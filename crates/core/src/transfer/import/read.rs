//! Getting an import file's text: its size checked before anything is read, reading stopped at
//! the limit whatever the file claims (a pipe or `/dev/zero` has no size), and UTF-16 files
//! (with their byte order mark, as Windows tools save "Unicode" text) turned into UTF-8.

use std::{borrow::Cow, io::Read, path::Path};

use super::MAX_FILE_BYTES;
use crate::error::{CoreError, Result};
use paneldeck_panels::FieldProblem;

/// Reads an import file of at most [`MAX_FILE_BYTES`].
pub fn read_import_file(path: &Path) -> Result<Vec<u8>> {
    read_at_most(path, MAX_FILE_BYTES as u64)
}

fn read_at_most(path: &Path, max: u64) -> Result<Vec<u8>> {
    let io = |e| CoreError::io(path, "read", e);
    let file = std::fs::File::open(path).map_err(io)?;
    let announced = file.metadata().map_err(io)?.len();
    if announced > max {
        return Err(too_big(path, announced, max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_big(path, bytes.len() as u64, max));
    }
    Ok(bytes)
}

fn too_big(path: &Path, bytes: u64, max: u64) -> CoreError {
    CoreError::invalid_field(
        "path",
        FieldProblem::FileTooBig { bytes, max },
        format!(
            "{} is more than an import takes ({max} bytes)",
            path.display()
        ),
    )
}

/// The file as UTF-8 bytes: a UTF-8 byte order mark dropped, UTF-16 (LE or BE, with its mark)
/// decoded; anything else as it is (the parsers report bytes that are not UTF-8).
pub(super) fn as_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    let utf16 = |rest: &[u8], read: fn([u8; 2]) -> u16| {
        let units = rest
            .chunks(2)
            .map(|c| read([c[0], *c.get(1).unwrap_or(&0)]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
            .into_bytes()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Cow::Borrowed(rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Cow::Owned(utf16(rest, u16::from_le_bytes))
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Cow::Owned(utf16(rest, u16::from_be_bytes))
    } else {
        Cow::Borrowed(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_mark_and_utf8_with_or_without_one_read_alike() {
        let text = "name,note\nалиса,ノート\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for bytes in [le, be, bom, text.as_bytes().to_vec()] {
            assert_eq!(as_utf8(&bytes).as_ref(), text.as_bytes());
        }
    }

    #[test]
    fn control_characters_in_names_are_refused_with_their_line() {
        let csv = "name,note\nalice,ok\n\"bad\u{1b}]0;title\u{7}\",x\n\"two\nlines\",y\nbob,fine\n";
        let parsed = super::super::parse_bytes(csv.as_bytes());
        let names: Vec<&str> = parsed.rows.iter().map(|r| r.record.name.as_str()).collect();
        assert_eq!(names, ["alice", "bob"]);
        let errors: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "line 3, column name: the account name holds the control character U+001B; names are plain text",
                "line 4, column name: the account name holds the control character U+000A; names are plain text",
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_cut_at_the_limit() {
        // `/dev/zero` says it is empty and never ends.
        let err = read_at_most(Path::new("/dev/zero"), 4096).err();
        assert!(
            matches!(&err, Some(CoreError::InvalidInput { fields, .. })
                if matches!(fields[0].problem, FieldProblem::FileTooBig { max: 4096, .. })),
            "{err:?}"
        );
    }
}
