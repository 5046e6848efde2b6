//! JSON answers written into a buffer of about their final size: axum's `Json` starts small
//! and doubles, copying a listing of megabytes a dozen times.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// 200 with `value` as JSON; `capacity` is a guess at its size in bytes.
pub fn json_sized(value: &impl Serialize, capacity: usize) -> Response {
    let mut out = Vec::with_capacity(capacity);
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => ([(header::CONTENT_TYPE, "application/json")], out).into_response(),
        Err(err) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("simulator could not serialise its answer: {err}"),
        )
            .into_response(),
    }
}
