//! Getting an import file's text: its size checked before anything is read, reading stopped at
//! the limit whatever the file claims (a pipe or `/dev/zero` has no size), and UTF-16 files
//! (with their byte order mark, as Windows tools save "Unicode" text) turned into UTF-8 as
//! they are read.

use std::{
    io::{self, Cursor, Read},
    path::Path,
};

use super::{Parsed, MAX_FILE_BYTES};
use crate::error::{CoreError, Result};
use paneldeck_panels::FieldProblem;

/// Reads and parses an import file of at most [`MAX_FILE_BYTES`], streaming: the memory it
/// takes is that of the rows it keeps, not of the file's text.
pub fn parse_import_file(path: &Path) -> Result<Parsed> {
    parse_at_most(path, MAX_FILE_BYTES as u64)
}

fn parse_at_most(path: &Path, max: u64) -> Result<Parsed> {
    let io = |e| CoreError::io(path, "read", e);
    let file = std::fs::File::open(path).map_err(io)?;
    let announced = file.metadata().map_err(io)?.len();
    if announced > max {
        return Err(too_big(path, announced, max));
    }
    let limited = AtMost {
        inner: file,
        left: max,
    };
    super::parse_reader(limited).map_err(|e| {
        if e.get_ref().is_some_and(|e| e.is::<TooBig>()) {
            too_big(path, max + 1, max)
        } else {
            io(e)
        }
    })
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

/// The error of a file read past its limit.
#[derive(Debug)]
struct TooBig;

impl std::fmt::Display for TooBig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file is larger than an import takes")
    }
}

impl std::error::Error for TooBig {}

/// A reader that fails with [`TooBig`] once more than `left` bytes would be read.
struct AtMost<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for AtMost<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte more than allowed is asked for, to tell "exactly at the limit" from "over".
        let want = buf
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => Err(io::Error::new(io::ErrorKind::InvalidData, TooBig)),
        }
    }
}

/// The text of `r` as UTF-8: a UTF-8 byte order mark dropped, UTF-16 (LE or BE, with its
/// mark) decoded as it is read; anything else as it is (the parsers report bytes that are
/// not UTF-8).
pub(super) fn utf8_text<'a>(mut r: impl Read + 'a) -> io::Result<Box<dyn Read + 'a>> {
    let mut head = Vec::with_capacity(3);
    (&mut r).take(3).read_to_end(&mut head)?;
    Ok(match head.as_slice() {
        [0xEF, 0xBB, 0xBF] => Box::new(r),
        [0xFF, 0xFE, rest @ ..] => Box::new(Utf16::new(
            Cursor::new(rest.to_vec()).chain(r),
            u16::from_le_bytes,
        )),
        [0xFE, 0xFF, rest @ ..] => Box::new(Utf16::new(
            Cursor::new(rest.to_vec()).chain(r),
            u16::from_be_bytes,
        )),
        _ => Box::new(Cursor::new(head).chain(r)),
    })
}

/// UTF-16 text decoded to UTF-8 a block at a time; units that are not characters become
/// U+FFFD, an odd last byte is read as if followed by a zero.
struct Utf16<R> {
    inner: R,
    unit: fn([u8; 2]) -> u16,
    raw: Vec<u8>,
    /// Decoded text not yet handed out, from `pos`.
    out: Vec<u8>,
    pos: usize,
    /// A high surrogate at the end of the last block, waiting for its pair.
    high: Option<u16>,
}

impl<R: Read> Utf16<R> {
    const BLOCK: usize = 32 * 1024;

    fn new(inner: R, unit: fn([u8; 2]) -> u16) -> Self {
        Utf16 {
            inner,
            unit,
            raw: Vec::with_capacity(Self::BLOCK + 1),
            out: Vec::new(),
            pos: 0,
            high: None,
        }
    }

    /// Decodes the next block into `out`; false at the end of the text.
    fn refill(&mut self) -> io::Result<bool> {
        let carried = self.raw.len(); // an odd byte left from the last block
        self.raw.resize(carried + Self::BLOCK, 0);
        let n = self.inner.read(&mut self.raw[carried..])?;
        self.raw.truncate(carried + n);
        let end = n == 0;
        if end && self.raw.is_empty() && self.high.is_none() {
            return Ok(false);
        }
        if end && self.raw.len() % 2 == 1 {
            self.raw.push(0);
        }
        let whole = self.raw.len() - self.raw.len() % 2;
        let mut units: Vec<u16> = self.high.take().into_iter().collect();
        units.extend(
            self.raw[..whole]
                .chunks_exact(2)
                .map(|c| (self.unit)([c[0], c[1]])),
        );
        self.raw.drain(..whole);
        if !end && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            self.high = units.pop();
        }
        self.out.clear();
        self.pos = 0;
        let mut utf8 = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            self.out
                .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
        Ok(true)
    }
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        utf8_text(bytes)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn utf16_with_a_mark_and_utf8_with_or_without_one_read_alike() {
        // Long enough that a block ends between the two halves of a surrogate pair.
        let text = "name,note\nалиса,ノート😀\n".repeat(4000);
        let text = text.as_str();
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
            assert_eq!(decoded(&bytes).ok().as_deref(), Some(text.as_bytes()));
        }
    }

    #[test]
    fn control_characters_in_names_are_refused_with_their_line() {
        let csv = "name,note\nalice,ok\n\"bad\u{1b}]0;title\u{7}\",x\n\"two\nlines\",y\nbob,fine\n";
        let parsed = super::super::parse_bytes(csv.as_bytes());
        let names: Vec<&str> = parsed.rows.iter().map(|r| r.name()).collect();
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
        let err = parse_at_most(Path::new("/dev/zero"), 4096).err();
        assert!(
            matches!(&err, Some(CoreError::InvalidInput { fields, .. })
                if matches!(fields[0].problem, FieldProblem::FileTooBig { max: 4096, .. })),
            "{err:?}"
        );
    }
}
