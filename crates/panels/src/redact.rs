//! Keeps credentials out of error texts. Whatever a request carried as a secret — an
//! `Authorization` or `api-key` header, a key in the query, a password in a form or JSON body,
//! the panel's secret path prefix — is replaced by `<redacted>` in every error the shared HTTP
//! layer hands back, so it reaches neither the terminal, the log nor the database. Texts are
//! also cut to [`MAX_ERROR_TEXT`], so a hostile panel cannot fill them.

use reqwest::Request;
use url::Url;

use crate::{FieldError, PanelError};

/// Longest text an error keeps from anything a panel sent (bytes, cut on a character).
pub const MAX_ERROR_TEXT: usize = 2048;
/// Most field errors one validation failure keeps.
const MAX_FIELD_ERRORS: usize = 50;
/// Shorter values are not searched for: they would mangle ordinary words.
const SHORTEST_SECRET: usize = 3;
const MARK: &str = "<redacted>";

/// The secret strings one request carried.
#[derive(Debug, Default, Clone)]
pub struct Redactions(Vec<String>);

/// Whether a header, query or form field of this name carries a credential.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "key", "token", "pass", "secret", "auth", "cookie", "session", "sig",
    ]
    .iter()
    .any(|word| name.contains(word))
}

impl Redactions {
    /// Everything secret in `request`, plus the path prefix of `base` (a 3x-ui panel's
    /// "secret web base path" is a credential too).
    pub fn of(request: &Request, base: &Url) -> Self {
        let mut found = Redactions::default();
        for (name, value) in request.headers() {
            if value.is_sensitive() || is_secret_name(name.as_str()) {
                if let Ok(text) = value.to_str() {
                    found.add(text);
                    // `Bearer xyz`: the token alone too.
                    if let Some((_, token)) = text.rsplit_once(' ') {
                        found.add(token);
                    }
                }
            }
        }
        found.add_pairs(request.url().query_pairs());
        if let Some(body) = request.body().and_then(reqwest::Body::as_bytes) {
            found.add_body(body);
        }
        if base.path() != "/" {
            found.add(base.path().trim_end_matches('/'));
        }
        found
    }

    fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.len() < SHORTEST_SECRET || self.0.iter().any(|known| known == value) {
            return;
        }
        self.0.push(value.to_owned());
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        if encoded != value {
            self.0.push(encoded);
        }
        // Longest first, so a secret containing another is replaced whole.
        self.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    fn add_pairs<'a>(
        &mut self,
        pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    ) {
        for (name, value) in pairs {
            if is_secret_name(&name) {
                self.add(&value);
            }
        }
    }

    /// A form (`a=1&password=…`) or a JSON object with secret-named string fields.
    fn add_body(&mut self, body: &[u8]) {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
            for (name, value) in &map {
                if let (true, Some(text)) = (is_secret_name(name), value.as_str()) {
                    self.add(text);
                }
            }
        } else {
            self.add_pairs(url::form_urlencoded::parse(body));
        }
    }

    /// `text` without any secret, cut to [`MAX_ERROR_TEXT`].
    pub fn clean(&self, text: &str) -> String {
        let mut text = cut(text, MAX_ERROR_TEXT * 2).into_owned();
        for secret in &self.0 {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), MARK);
            }
        }
        cut(&text, MAX_ERROR_TEXT).into_owned()
    }

    /// A body with every secret replaced; untouched (and not copied) when it holds none.
    pub fn clean_body(&self, body: Vec<u8>) -> Vec<u8> {
        match std::str::from_utf8(&body) {
            Ok(text) if self.0.iter().any(|s| text.contains(s.as_str())) => {
                let mut text = text.to_owned();
                for secret in &self.0 {
                    text = text.replace(secret.as_str(), MARK);
                }
                text.into_bytes()
            }
            _ => body,
        }
    }

    /// The same error with every text it carries cleaned.
    pub fn error(&self, err: PanelError) -> PanelError {
        let c = |s: String| self.clean(&s);
        use PanelError as E;
        match err {
            E::InvalidUrl(s) => E::InvalidUrl(c(s)),
            E::Tls(s) => E::Tls(c(s)),
            E::Network(s) => E::Network(c(s)),
            E::Unsupported(s) => E::Unsupported(c(s)),
            E::Unauthorized { message } => E::Unauthorized {
                message: c(message),
            },
            E::Forbidden { message } => E::Forbidden {
                message: c(message),
            },
            E::NotFound { message } => E::NotFound {
                message: c(message),
            },
            E::Conflict { message } => E::Conflict {
                message: c(message),
            },
            E::BadRequest { message } => E::BadRequest {
                message: c(message),
            },
            E::NotThisPanel { kind, detail } => E::NotThisPanel {
                kind,
                detail: c(detail),
            },
            E::Api { status, message } => E::Api {
                status,
                message: c(message),
            },
            E::Server { status, message } => E::Server {
                status,
                message: c(message),
            },
            E::Decode { path, message } => E::Decode {
                path: c(path),
                message: c(message),
            },
            E::Redirected { location, refused } => E::Redirected {
                location: c(location),
                refused,
            },
            E::Validation { fields } => E::Validation {
                fields: fields
                    .into_iter()
                    .take(MAX_FIELD_ERRORS)
                    .map(|f| FieldError {
                        message: c(f.message),
                        ..f
                    })
                    .collect(),
            },
            other => other,
        }
    }
}

/// `text` cut to at most `max` bytes on a character boundary, with `…` when cut.
pub fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Request {
        build(reqwest::Client::new().post("http://panel.test:2053/s3cretpath/api/x"))
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn base() -> Url {
        Url::parse("http://panel.test:2053/s3cretpath/").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn secrets_are_found_in_headers_query_bodies_and_the_path() {
        let req = request(|r| {
            r.header("api-key", "header-key-1")
                .bearer_auth("bearer-token-2")
                .query(&[("api-key", "query key/3"), ("page", "1")])
                .form(&[("username", "admin"), ("password", "pass-word-4")])
        });
        let r = Redactions::of(&req, &base());
        let text = "header-key-1 bearer-token-2 query key/3 query+key%2F3 pass-word-4 \
                    /s3cretpath/panel admin page 1";
        assert_eq!(
            r.clean(text),
            "<redacted> <redacted> <redacted> <redacted> <redacted> <redacted>/panel admin page 1"
        );
        let json =
            request(|r| r.json(&serde_json::json!({"username": "admin", "password": "json-pw-5"})));
        assert_eq!(
            Redactions::of(&json, &base()).clean("json-pw-5 admin"),
            "<redacted> admin"
        );
    }

    #[test]
    fn errors_are_cleaned_and_cut() {
        let req = request(|r| r.header("api-key", "k3y-value"));
        let r = Redactions::of(&req, &base());
        let err = r.error(PanelError::Unauthorized {
            message: format!("bad key k3y-value {}", "x".repeat(10 * MAX_ERROR_TEXT)),
        });
        let text = err.to_string();
        assert!(!text.contains("k3y-value"), "{text}");
        assert!(text.len() < MAX_ERROR_TEXT + 100, "{}", text.len());
        assert_eq!(cut("ааа", 3), "а…");
    }
}
