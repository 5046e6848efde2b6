//! Reading a selection of the snapshot for export, import and migration. A selection by query
//! is resolved by the table's engine ([`Paneldeck::selection_keys`]) and read here by its
//! keys, so an export takes exactly the rows the table shows. 100,000 accounts must load in a
//! fraction of a second, so rows are read in chunks whose texts share one buffer (no
//! allocation per row), the chunks are decoded on every core while the next ones are read, and
//! the result is sorted through an index without building sort keys.

use std::{cmp::Ordering, ops::Range, sync::mpsc, sync::Mutex};

use rusqlite::{params, types::ValueRef, Connection, Row};

use crate::{
    accounts::{model::now_ms, snapshot, Account, AccountKey, RawBits, Selection},
    error::Result,
    registry::PanelId,
    Paneldeck,
};

/// One snapshot account with what transfer needs of its raw record, and its panel name.
pub struct SnapshotAccount {
    pub panel_name: String,
    pub account: Account,
    pub raw: RawBits,
}

/// Which snapshot rows to read: every row, one panel's, or those of the given accounts.
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    All,
    Panel(&'a PanelId),
    Keys(&'a [AccountKey]),
}

/// `bits` is what sync stored of the raw record; the raw record itself is read only for
/// rows synced before that column existed.
const SELECT: &str = "SELECT p.name, r.account, r.bits, CASE WHEN r.bits IS NULL THEN r.raw END \
     FROM accounts r JOIN panels p ON p.id = r.panel_id";

/// Rows per chunk handed to a decoding thread.
const CHUNK_ROWS: usize = 2048;

/// Where one row's texts are in [`Chunk::text`].
struct Span {
    panel: usize,
    account: Range<usize>,
    /// The account is JSON text (rows synced before the compact encoding).
    account_is_text: bool,
    /// `bits` when stored, else the raw record.
    bits: Range<usize>,
    stored_bits: bool,
}

/// Rows as read: their cells in one buffer.
#[derive(Default)]
struct Chunk {
    text: Vec<u8>,
    spans: Vec<Span>,
}

/// A decoded account and the index of its panel's name.
type Decoded = (usize, SnapshotAccount);

fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    match r.get_ref(i)? {
        ValueRef::Text(b) => std::str::from_utf8(b).map_err(rusqlite::Error::Utf8Error),
        _ => Ok(""),
    }
}

impl Chunk {
    fn push(&mut self, r: &Row<'_>, panel: usize) -> rusqlite::Result<()> {
        let mut add = |s: &[u8]| {
            let start = self.text.len();
            self.text.extend_from_slice(s);
            start..self.text.len()
        };
        let (account, account_is_text) = match r.get_ref(1)? {
            ValueRef::Blob(b) => (add(b), false),
            ValueRef::Text(t) => (add(t), true),
            _ => (add(b""), false),
        };
        let stored_bits = matches!(r.get_ref(2)?, ValueRef::Text(_));
        let bits = add(text(r, if stored_bits { 2 } else { 3 })?.as_bytes());
        self.spans.push(Span {
            panel,
            account,
            account_is_text,
            bits,
            stored_bits,
        });
        Ok(())
    }

    /// Decodes the rows; those whose account cannot be read are left out. The panel name
    /// is filled in by [`sorted`].
    fn decode(&self, now: i64) -> Vec<Decoded> {
        self.spans
            .iter()
            .filter_map(|s| {
                let cell = &self.text[s.account.clone()];
                let account = snapshot::decode_account(if s.account_is_text {
                    ValueRef::Text(cell)
                } else {
                    ValueRef::Blob(cell)
                })?;
                let bits = std::str::from_utf8(&self.text[s.bits.clone()]).unwrap_or_default();
                let raw = if s.stored_bits {
                    RawBits::from_stored(bits).unwrap_or_default()
                } else {
                    RawBits::from_json(bits)
                };
                Some((
                    s.panel,
                    SnapshotAccount {
                        panel_name: String::new(),
                        account: account.with_status_at(now),
                        raw,
                    },
                ))
            })
            .collect()
    }
}

/// Reads rows into chunks and passes each full chunk to `send`.
struct Reader<'a> {
    chunk: Chunk,
    panels: Vec<String>,
    send: &'a mut dyn FnMut(Chunk),
}

impl Reader<'_> {
    fn push(&mut self, r: &Row<'_>) -> rusqlite::Result<()> {
        let name = text(r, 0)?;
        let panel = match self.panels.iter().position(|p| p == name) {
            Some(i) => i,
            None => {
                self.panels.push(name.to_owned());
                self.panels.len() - 1
            }
        };
        self.chunk.push(r, panel)?;
        if self.chunk.spans.len() >= CHUNK_ROWS {
            (self.send)(std::mem::take(&mut self.chunk));
        }
        Ok(())
    }

    fn read(&mut self, st: &mut rusqlite::Statement<'_>, p: impl rusqlite::Params) -> Result<()> {
        let mut rows = st.query(p)?;
        while let Some(r) = rows.next()? {
            self.push(r)?;
        }
        Ok(())
    }

    fn read_rows(&mut self, conn: &Connection, rows: Rows<'_>) -> Result<()> {
        match rows {
            Rows::All => self.read(&mut conn.prepare(SELECT)?, [])?,
            Rows::Panel(panel_id) => self.read(
                &mut conn.prepare(&format!("{SELECT} WHERE r.panel_id = ?1"))?,
                [&panel_id.0],
            )?,
            Rows::Keys(keys) => self.read_keys(conn, keys)?,
        }
        (self.send)(std::mem::take(&mut self.chunk));
        Ok(())
    }

    fn read_keys(&mut self, conn: &Connection, keys: &[AccountKey]) -> Result<()> {
        let mut st = conn.prepare(&format!(
            "{SELECT} WHERE r.panel_id = ?1 AND r.native_id = ?2"
        ))?;
        for k in keys {
            let mut rows = st.query(params![k.panel_id.0, k.native_id])?;
            if let Some(r) = rows.next()? {
                self.push(r)?;
            }
        }
        Ok(())
    }
}

/// The snapshot accounts of `rows`, ordered by panel name then account name. This thread
/// reads while the others decode (JSON decoding dominates reading a large snapshot).
pub fn load(conn: &Connection, rows: Rows<'_>, now: i64) -> Result<Vec<SnapshotAccount>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let (tx, rx) = mpsc::channel::<(usize, Chunk)>();
    let rx = Mutex::new(rx);
    let (panels, mut parts) = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    // The lock is held only while waiting for the next chunk.
                    while let Some((i, chunk)) = rx.lock().ok().and_then(|r| r.recv().ok()) {
                        out.push((i, chunk.decode(now)));
                    }
                    out
                })
            })
            .collect();
        let mut next = 0;
        let mut send = |chunk: Chunk| {
            if !chunk.spans.is_empty() {
                let _ = tx.send((next, chunk));
                next += 1;
            }
        };
        let mut reader = Reader {
            chunk: Chunk::default(),
            panels: Vec::new(),
            send: &mut send,
        };
        let read = reader.read_rows(conn, rows);
        let panels = std::mem::take(&mut reader.panels);
        drop(tx);
        let parts: Vec<(usize, Vec<Decoded>)> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect();
        read.map(|()| (panels, parts))
    })?;
    parts.sort_by_key(|p| p.0);
    let decoded: Vec<Decoded> = parts.into_iter().flat_map(|p| p.1).collect();
    Ok(sorted(decoded, &panels))
}

impl Paneldeck {
    /// The snapshot accounts of a selection, ordered by panel name then account name. A
    /// query goes through the table's engine first; a panel or everything is read whole.
    pub fn load_selection(&self, selection: &Selection) -> Result<Vec<SnapshotAccount>> {
        let now = now_ms();
        let resolved;
        let rows = match selection {
            Selection::All => Rows::All,
            Selection::Panel { panel_id } => Rows::Panel(panel_id),
            Selection::Keys { keys } => Rows::Keys(keys),
            Selection::Query { .. } => {
                resolved = self.selection_keys(selection)?;
                Rows::Keys(&resolved)
            }
        };
        self.store().with(|c| load(c, rows, now))
    }
}

/// Sorts by panel name (case-insensitive), then account name, then key, moving each account
/// once: the order is found on indices.
fn sorted(items: Vec<Decoded>, panels: &[String]) -> Vec<SnapshotAccount> {
    // Each panel's rank among the lowercased panel names (equal names, equal ranks).
    let lower: Vec<String> = panels.iter().map(|p| p.to_lowercase()).collect();
    let rank: Vec<usize> = lower
        .iter()
        .map(|l| lower.iter().filter(|o| *o < l).count())
        .collect();
    let cmp = |a: &Decoded, b: &Decoded| -> Ordering {
        rank[a.0]
            .cmp(&rank[b.0])
            .then_with(|| a.1.account.name.cmp(&b.1.account.name))
            .then_with(|| a.1.account.key.cmp(&b.1.account.key))
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    let items_panel: Vec<usize> = items.iter().map(|d| d.0).collect();
    let mut slots: Vec<Option<SnapshotAccount>> = items.into_iter().map(|(_, s)| Some(s)).collect();
    order
        .into_iter()
        .filter_map(|i| {
            let mut s = slots[i].take()?;
            s.panel_name.clone_from(&panels[items_panel[i]]);
            Some(s)
        })
        .collect()
}
