//! The HTTP layer every panel client shares: base URL with an optional path prefix, timeouts,
//! retries for idempotent requests only, TLS pinning and error classification.

use std::{error::Error as StdError, sync::Arc, time::Duration};

use reqwest::{header::HeaderMap, Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::{
    tls::{self, CertFingerprint, PinVerifier},
    PanelError, PanelKind,
};

/// Where a panel lives and how to trust it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Base URL, possibly with a path prefix (`https://host:2053/secretpath/`). Always ends in `/`.
    pub base_url: Url,
    pub pinned_cert: Option<CertFingerprint>,
    pub timeout: Duration,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

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
        })
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
    pub fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        if text.chars().count() > 200 {
            format!("{}…", text.chars().take(200).collect::<String>())
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
            .timeout(endpoint.timeout)
            .connect_timeout(endpoint.timeout.min(Duration::from_secs(10)))
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
    /// so a create is not sent twice by this layer.
    pub async fn send(&self, request: RequestBuilder) -> Result<RawResponse, PanelError> {
        let built = request
            .build()
            .map_err(|e| PanelError::Network(e.to_string()))?;
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

    async fn send_once(&self, request: reqwest::Request) -> Result<RawResponse, PanelError> {
        let response = match self.client.execute(request).await {
            Ok(r) => r,
            Err(err) => return Err(self.classify(err).await),
        };
        let status = response.status();
        let headers = response.headers().clone();
        // Read straight into one buffer of the announced size: collecting the chunks first
        // and then copying them costs twice the memory on answers of many megabytes.
        const MOST_RESERVED: u64 = 64 << 20;
        let announced = response.content_length().unwrap_or(0).min(MOST_RESERVED);
        let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
        let mut response = response;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(err) => return Err(self.classify(err).await),
            }
        }
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

    /// Turns a transport failure into words a person understands.
    async fn classify(&self, err: reqwest::Error) -> PanelError {
        if err.is_timeout() {
            return PanelError::Timeout(self.endpoint.timeout);
        }
        let (host, port) = self.endpoint.host_port();
        let mut source: Option<&(dyn StdError + 'static)> = Some(&err);
        let mut chain = String::new();
        while let Some(e) = source {
            if let Some(tls_err) = e.downcast_ref::<rustls::Error>() {
                return self.tls_error(tls_err, &host, port).await;
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
            PanelError::Tls(chain.trim_end_matches(": ").to_owned())
        } else if err.is_decode() || err.is_body() {
            PanelError::Decode {
                path: ".".into(),
                message: "the answer was cut off".into(),
            }
        } else {
            PanelError::Network(chain.trim_end_matches(": ").to_owned())
        }
    }

    async fn tls_error(&self, err: &rustls::Error, host: &str, port: u16) -> PanelError {
        if let (Some(pin), Some(verifier)) = (self.endpoint.pinned_cert, &self.pin) {
            if let Some(actual) = verifier.last_seen().filter(|seen| *seen != pin) {
                return PanelError::CertificateMismatch {
                    expected: pin.to_string(),
                    actual: actual.to_string(),
                };
            }
        }
        if let rustls::Error::InvalidCertificate(_) = err {
            if self.endpoint.pinned_cert.is_none() {
                if let Ok(fp) = tls::probe_fingerprint(host, port, self.endpoint.timeout).await {
                    return PanelError::CertificateNotTrusted {
                        fingerprint: fp.to_string(),
                    };
                }
            }
        }
        PanelError::Tls(err.to_string())
    }
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
    use std::collections::HashMap;

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
