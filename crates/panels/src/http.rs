//! The HTTP layer every panel client shares: base URL with an optional path prefix, timeouts
//! and a whole-request deadline, retries for idempotent requests only, a cap on the answer's
//! size, same-origin redirects for reads only, TLS pinning, and errors without secrets.

use std::{error::Error as StdError, sync::Arc, time::Duration};

use reqwest::{Method, RequestBuilder, StatusCode};
use url::Url;

pub use crate::answer::{decode_json, RawResponse};
use crate::{
    error::RedirectRefusal,
    redact::Redactions,
    tls::{self, CertFingerprint, PinVerifier},
    PanelError, PanelKind,
};

/// Where a panel lives and how to trust it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Base URL, possibly with a path prefix (`https://host:2053/secretpath/`). Always ends in `/`.
    pub base_url: Url,
    pub pinned_cert: Option<CertFingerprint>,
    /// Longest wait for any byte: connecting, or waiting for and reading the answer.
    pub timeout: Duration,
    /// Longest one request may take in all, retries included.
    pub deadline: Duration,
    /// Largest answer read; a larger one is refused while it arrives.
    pub max_answer_bytes: u64,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
pub const DEFAULT_MAX_ANSWER_BYTES: u64 = 128 << 20;
/// Same-origin redirects followed for one read before giving up.
const MAX_REDIRECTS: usize = 5;

impl Endpoint {
    /// Parses and normalises a user-typed panel URL.
    pub fn parse(input: &str) -> Result<Self, PanelError> {
        let trimmed = input.trim();
        let mut url =
            Url::parse(trimmed).map_err(|_| PanelError::InvalidUrl(trimmed.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(PanelError::InvalidUrl(trimmed.to_owned()));
        }
        url.set_query(None);
        url.set_fragment(None);
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Endpoint {
            base_url: url,
            pinned_cert: None,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        })
    }

    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    pub fn with_max_answer_bytes(mut self, max: u64) -> Self {
        self.max_answer_bytes = max;
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_pin(mut self, pin: Option<CertFingerprint>) -> Self {
        self.pinned_cert = pin;
        self
    }

    fn host_port(&self) -> (String, u16) {
        let host = self.base_url.host_str().unwrap_or_default().to_owned();
        (host, self.base_url.port_or_known_default().unwrap_or(443))
    }
}

/// The reqwest client for one panel plus its endpoint.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    endpoint: Arc<Endpoint>,
    kind: PanelKind,
    pin: Option<Arc<PinVerifier>>,
    max_retries: u32,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("kind", &self.kind)
            .field("base", &self.endpoint.base_url.as_str())
            .finish()
    }
}

impl HttpClient {
    pub fn new(kind: PanelKind, endpoint: Endpoint) -> Result<Self, PanelError> {
        let (tls_config, pin) = tls::client_config(endpoint.pinned_cert)?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config)
            .cookie_store(true)
            // Redirects are followed by `send_once`, which checks each one; no `Referer`
            // ever tells another host where the request came from (a secret path or key).
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .read_timeout(endpoint.timeout)
            .connect_timeout(connect_timeout(&endpoint))
            .user_agent(concat!("Paneldeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| PanelError::Tls(e.to_string()))?;
        Ok(HttpClient {
            client,
            endpoint: Arc::new(endpoint),
            kind,
            pin,
            max_retries: 2,
        })
    }

    /// How many times an idempotent request is retried after a transient failure.
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    pub fn kind(&self) -> PanelKind {
        self.kind
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Joins a route (`panel/api/clients/list`, leading `/` optional) onto the base URL, keeping
    /// its path prefix.
    pub fn url(&self, route: &str) -> Url {
        let route = route.trim_start_matches('/');
        let mut url = self.endpoint.base_url.clone();
        let path = format!("{}{}", url.path(), route);
        url.set_path(&path);
        url
    }

    pub fn request(&self, method: Method, route: &str) -> RequestBuilder {
        self.client.request(method, self.url(route))
    }

    /// Sends a request and reads the whole body. Idempotent methods (GET, HEAD, PUT, DELETE)
    /// are retried on transient failures with exponential backoff; POST and PATCH never are,
    /// so a create is not sent twice by this layer. The whole, retries included, must finish
    /// within the endpoint's deadline. No error carries a secret the request held.
    pub async fn send(&self, request: RequestBuilder) -> Result<RawResponse, PanelError> {
        let built = request
            .build()
            .map_err(|e| PanelError::Network(e.without_url().to_string()))?;
        let redactions = Redactions::of(&built, &self.endpoint.base_url);
        let deadline = self.endpoint.deadline;
        let result = tokio::time::timeout(deadline, self.send_with_retries(built))
            .await
            .unwrap_or(Err(PanelError::Deadline(deadline)));
        result
            .map_err(|err| redactions.error(err))
            .map(|raw| raw.redacted_if_failed(&redactions))
    }

    async fn send_with_retries(&self, built: reqwest::Request) -> Result<RawResponse, PanelError> {
        let idempotent = matches!(
            *built.method(),
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let mut attempt = 0u32;
        loop {
            let Some(this_try) = built.try_clone() else {
                return self.send_once(built).await;
            };
            let result = self.send_once(this_try).await;
            let retry_in = match &result {
                Err(err) if idempotent && err.is_transient() && attempt < self.max_retries => {
                    Some(match err {
                        PanelError::RateLimited {
                            retry_after: Some(d),
                        } => *d,
                        _ => Duration::from_millis(150 * 2u64.pow(attempt)),
                    })
                }
                _ => None,
            };
            match retry_in {
                Some(delay) => {
                    tracing::debug!(kind = %self.kind, attempt, ?delay, "retrying idempotent request");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return result,
            }
        }
    }

    /// Sends one request, following same-origin redirects of a read (RFC 9110 §15.4: 301, 302,
    /// 303, 307 and 308 carry `Location`). A redirect elsewhere, or of a request with a body,
    /// is refused with where it pointed: following it would hand the credentials (headers,
    /// the key in the query, a password in the body on 307/308) to another server.
    async fn send_once(&self, request: reqwest::Request) -> Result<RawResponse, PanelError> {
        let mut request = request;
        let mut hops = 0;
        let response = loop {
            let method = request.method().clone();
            let next = request.try_clone();
            let response = match self.client.execute(request).await {
                Ok(r) => r,
                Err(err) => return Err(self.classify(err).await),
            };
            let Some(location) = redirect_target(&response) else {
                break response;
            };
            let refused = if !same_origin(&location, response.url()) {
                Some(RedirectRefusal::OtherOrigin)
            } else if !matches!(method, Method::GET | Method::HEAD) {
                Some(RedirectRefusal::NotARead)
            } else if hops >= MAX_REDIRECTS {
                Some(RedirectRefusal::TooMany)
            } else {
                None
            };
            match (refused, next) {
                (None, Some(mut again)) => {
                    *again.url_mut() = location;
                    request = again;
                    hops += 1;
                }
                (refused, _) => {
                    return Err(PanelError::Redirected {
                        location: location.to_string(),
                        refused: refused.unwrap_or(RedirectRefusal::NotARead),
                    })
                }
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read_body(response).await?;
        let raw = RawResponse {
            status,
            headers,
            body,
        };
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(PanelError::RateLimited {
                retry_after: raw.retry_after(),
            });
        }
        if status.is_server_error() {
            return Err(PanelError::Server {
                status: status.as_u16(),
                message: raw.excerpt(),
            });
        }
        Ok(raw)
    }

    fn connect_timeout(&self) -> Duration {
        connect_timeout(&self.endpoint)
    }

    /// Reads the body, refusing it as soon as it outgrows the cap (announced or actual), so
    /// memory follows the cap and not what the panel sends. One buffer of the announced size:
    /// collecting chunks and copying them costs twice the memory on large answers.
    async fn read_body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, PanelError> {
        let cap = self.endpoint.max_answer_bytes;
        let too_large = PanelError::AnswerTooLarge { limit_bytes: cap };
        let announced = response.content_length().unwrap_or(0);
        if announced > cap {
            return Err(too_large);
        }
        let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > cap {
                        return Err(too_large);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(err) => return Err(self.classify(err).await),
            }
        }
    }

    /// Turns a transport failure into words a person understands.
    async fn classify(&self, err: reqwest::Error) -> PanelError {
        if err.is_timeout() {
            return PanelError::Timeout(if err.is_connect() {
                self.connect_timeout()
            } else {
                self.endpoint.timeout
            });
        }
        let (host, port) = self.endpoint.host_port();
        // The URL may hold a key in its query or a secret path: never part of the message.
        let err = err.without_url();
        let mut source: Option<&(dyn StdError + 'static)> = Some(&err);
        let mut chain = String::new();
        while let Some(e) = source {
            if let Some(tls_err) = e.downcast_ref::<rustls::Error>() {
                let bad_cert = matches!(tls_err, rustls::Error::InvalidCertificate(_));
                return self
                    .tls_error(tls_err.to_string(), bad_cert, &host, port)
                    .await;
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::ConnectionRefused {
                    return PanelError::ConnectionRefused {
                        addr: format!("{host}:{port}"),
                    };
                }
                if io.kind() == std::io::ErrorKind::TimedOut {
                    return PanelError::Timeout(self.endpoint.timeout);
                }
            }
            chain.push_str(&e.to_string());
            chain.push_str(": ");
            source = e.source();
        }
        let lower = chain.to_lowercase();
        if lower.contains("dns error") || lower.contains("failed to lookup address") {
            PanelError::Dns { host }
        } else if lower.contains("connection refused") {
            PanelError::ConnectionRefused {
                addr: format!("{host}:{port}"),
            }
        } else if lower.contains("tls") || lower.contains("certificate") {
            // The connector boxes the rustls error out of a downcast's reach; its words say it.
            let bad_cert = lower.contains("invalid peer certificate");
            let text = chain.trim_end_matches(": ").to_owned();
            self.tls_error(text, bad_cert, &host, port).await
        } else if err.is_decode() || err.is_body() {
            PanelError::Decode {
                path: ".".into(),
                message: "the answer was cut off".into(),
            }
        } else {
            PanelError::Network(chain.trim_end_matches(": ").to_owned())
        }
    }

    /// A failed handshake: a pinned panel that showed another certificate, or an unpinned one
    /// whose certificate is not trusted (its fingerprint fetched for the user to confirm).
    async fn tls_error(&self, text: String, bad_cert: bool, host: &str, port: u16) -> PanelError {
        if let (Some(pin), Some(verifier)) = (self.endpoint.pinned_cert, &self.pin) {
            if let Some(actual) = verifier.last_seen().filter(|seen| *seen != pin) {
                return PanelError::CertificateMismatch {
                    expected: pin.to_string(),
                    actual: actual.to_string(),
                };
            }
        }
        if bad_cert && self.endpoint.pinned_cert.is_none() {
            if let Ok(fp) = tls::probe_fingerprint(host, port, self.endpoint.timeout).await {
                return PanelError::CertificateNotTrusted {
                    fingerprint: fp.to_string(),
                };
            }
        }
        PanelError::Tls(text)
    }
}

fn connect_timeout(endpoint: &Endpoint) -> Duration {
    endpoint.timeout.min(Duration::from_secs(10))
}

/// Where a redirect answer points, resolved against the URL it came from.
fn redirect_target(response: &reqwest::Response) -> Option<Url> {
    if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(reqwest::header::LOCATION)?;
    response.url().join(location.to_str().ok()?).ok()
}

/// RFC 6454 origin: scheme, host and port (the scheme's default when absent).
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Maps a socket error to a panel error (shared with the certificate probe).
pub(crate) fn io_error(err: &std::io::Error, addr: &str) -> PanelError {
    match err.kind() {
        std::io::ErrorKind::ConnectionRefused => PanelError::ConnectionRefused {
            addr: addr.to_owned(),
        },
        std::io::ErrorKind::TimedOut => PanelError::Timeout(DEFAULT_TIMEOUT),
        _ if err.to_string().contains("lookup") => PanelError::Dns {
            host: addr
                .rsplit_once(':')
                .map(|(h, _)| h)
                .unwrap_or(addr)
                .to_owned(),
        },
        _ => PanelError::Network(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_keeps_path_prefix_and_joins_routes() {
        let ep = Endpoint::parse(" https://panel.example:2053/s3cret ")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ep.base_url.as_str(), "https://panel.example:2053/s3cret/");
        let client = HttpClient::new(PanelKind::Xui, ep).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            client.url("/panel/api/clients/list").as_str(),
            "https://panel.example:2053/s3cret/panel/api/clients/list"
        );
    }

    #[test]
    fn endpoint_rejects_non_http_urls() {
        for bad in ["", "panel.example", "ftp://x", "http://", "not a url"] {
            assert!(
                matches!(Endpoint::parse(bad), Err(PanelError::InvalidUrl(_))),
                "{bad}"
            );
        }
    }
}
