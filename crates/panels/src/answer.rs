//! A panel's answer once read: status, headers and a body no larger than the panel's cap, and
//! the JSON decoding every kind shares.

use std::time::Duration;

use reqwest::{header::HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::{redact::Redactions, PanelError};

/// A response whose body has been read in full.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// True when the body is an HTML page (a login page, a proxy's error page, a web UI):
    /// never an API answer.
    pub fn looks_like_html(&self) -> bool {
        let ct_html = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        let start = String::from_utf8_lossy(&self.body[..self.body.len().min(256)]).to_lowercase();
        let start = start.trim_start();
        ct_html || start.starts_with("<!doctype") || start.starts_with("<html")
    }

    /// Decodes the body as JSON; a failure names the JSON path that did not fit.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, PanelError> {
        decode_json(&self.body)
    }

    /// Runs `decode` on this answer, on tokio's blocking pool when the body is large: a page
    /// of hundreds of accounts, or a whole 3x-ui client list, takes milliseconds to hundreds
    /// of milliseconds of CPU, which on a runtime thread would hold up the other panels'
    /// requests and the app's commands meanwhile.
    pub async fn decode_with<T, F>(self, decode: F) -> Result<T, PanelError>
    where
        T: Send + 'static,
        F: FnOnce(&RawResponse) -> Result<T, PanelError> + Send + 'static,
    {
        if self.body.len() < DECODE_OFF_RUNTIME_BYTES {
            return decode(&self);
        }
        tokio::task::spawn_blocking(move || decode(&self))
            .await
            .unwrap_or_else(|err| {
                Err(PanelError::Decode {
                    path: String::new(),
                    message: format!("decoding stopped: {err}"),
                })
            })
    }

    /// The body as text, cut to a length fit for an error message.
    /// A failed answer's body without the request's secrets: the kinds quote it in errors.
    /// A successful answer is data and stays as it came.
    pub(crate) fn redacted_if_failed(mut self, redactions: &Redactions) -> Self {
        if !self.status.is_success() {
            self.body = redactions.clean_body(self.body);
        }
        self
    }

    /// Only the body's start is looked at: the whole of a huge answer is never copied.
    pub fn excerpt(&self) -> String {
        let start = &self.body[..self.body.len().min(EXCERPT_CHARS * 4 + 64)];
        let text = String::from_utf8_lossy(start);
        let text = text.trim();
        if text.chars().count() > EXCERPT_CHARS || start.len() < self.body.len() {
            format!("{}…", text.chars().take(EXCERPT_CHARS).collect::<String>())
        } else {
            text.to_owned()
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        self.headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    }
}

/// How much of a body an error message quotes.
const EXCERPT_CHARS: usize = 200;

/// Answers at least this large are decoded off the runtime's threads (see
/// [`RawResponse::decode_with`]); smaller ones cost less than the hand-over.
const DECODE_OFF_RUNTIME_BYTES: usize = 64 * 1024;

/// Decodes JSON; a failure says where (`obj.items[3].expiryTime`). Tracking the path costs
/// about as much as the decoding itself, so it is done only once a plain decode has failed.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, PanelError> {
    if let Ok(value) = T::deserialize(&mut serde_json::Deserializer::from_slice(body)) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = if inner.is_eof() {
            format!("the answer ended early ({inner})")
        } else {
            inner.to_string()
        };
        PanelError::Decode { path, message }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        struct Item {
            #[allow(dead_code)]
            n: u64,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Outer {
            #[allow(dead_code)]
            items: Vec<Item>,
        }
        let err = decode_json::<Outer>(br#"{"items":[{"n":1},{"n":"x"}]}"#).err();
        match err {
            Some(PanelError::Decode { path, .. }) => assert_eq!(path, "items[1].n"),
            other => panic!("unexpected {other:?}"),
        }
        let err = decode_json::<Outer>(br#"{"items":[{"n":1"#).err();
        assert!(
            matches!(err, Some(PanelError::Decode { ref message, .. }) if message.contains("ended early"))
        );
    }

    /// A body past the hand-over size is decoded on the blocking pool with the same result, and
    /// its errors still name the path; this runtime has one thread, as in the tests.
    #[tokio::test]
    async fn large_bodies_decode_off_the_runtime_alike() {
        let items: Vec<String> = (0..20_000).map(|i| format!("{{\"n\":{i}}}")).collect();
        let good = format!("[{}]", items.join(","));
        assert!(good.len() > DECODE_OFF_RUNTIME_BYTES);
        let raw = |body: String| RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.into_bytes(),
        };
        let numbers = |raw: &RawResponse| -> Result<Vec<u64>, PanelError> {
            let items: Vec<HashMap<String, u64>> = raw.json()?;
            Ok(items.iter().map(|m| m["n"]).collect())
        };
        let on_pool = std::thread::current().id();
        let decoded = raw(good.clone())
            .decode_with(move |raw| {
                assert_ne!(
                    std::thread::current().id(),
                    on_pool,
                    "decoded on the runtime"
                );
                numbers(raw)
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded, (0..20_000).collect::<Vec<u64>>());

        let bad = good.replacen("{\"n\":7}", "{\"n\":\"seven\"}", 1);
        match raw(bad).decode_with(numbers).await {
            Err(PanelError::Decode { path, .. }) => assert_eq!(path, "[7].n"),
            other => panic!("unexpected {other:?}"),
        }
        // A small body stays on the calling thread.
        let here = std::thread::current().id();
        let small = raw("[{\"n\":1}]".into())
            .decode_with(move |raw| {
                assert_eq!(std::thread::current().id(), here);
                numbers(raw)
            })
            .await;
        assert_eq!(small.ok(), Some(vec![1]));
    }
}
