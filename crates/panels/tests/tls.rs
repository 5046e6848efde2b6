//! TLS against a self-signed panel on 127.0.0.1 (certificates in `fixtures/tls/`): the first
//! connection names the certificate's SHA-256 fingerprint for the user to confirm, a pinned
//! certificate is trusted, and a changed one gets its own error with both fingerprints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use paneldeck_panels::{CertFingerprint, Endpoint, HttpClient, PanelError, PanelKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CERT_A: &[u8] = include_bytes!("fixtures/tls/cert-a.der");
const KEY_A: &[u8] = include_bytes!("fixtures/tls/key-a.der");
const CERT_B: &[u8] = include_bytes!("fixtures/tls/cert-b.der");

/// An HTTPS server presenting certificate A and answering every request with `{}`.
async fn self_signed_panel() -> String {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(CERT_A.to_vec())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(KEY_A.to_vec())),
    )
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                              content-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{}/", addr.port())
}

async fn get(url: &str, pin: Option<CertFingerprint>) -> Result<u16, PanelError> {
    let endpoint = Endpoint::parse(url).unwrap().with_pin(pin);
    let http = HttpClient::new(PanelKind::Marzban, endpoint).unwrap();
    let raw = http
        .send(http.request(reqwest::Method::GET, "api/system"))
        .await?;
    Ok(raw.status.as_u16())
}

#[tokio::test]
async fn the_first_connection_shows_the_fingerprint_to_confirm() {
    let url = self_signed_panel().await;
    match get(&url, None).await {
        Err(PanelError::CertificateNotTrusted { fingerprint }) => {
            assert_eq!(fingerprint, CertFingerprint::of(CERT_A).to_string());
        }
        other => panic!("expected the fingerprint, got {other:?}"),
    }
}

#[tokio::test]
async fn a_pinned_certificate_is_trusted() {
    let url = self_signed_panel().await;
    assert_eq!(
        get(&url, Some(CertFingerprint::of(CERT_A))).await.ok(),
        Some(200)
    );
}

#[tokio::test]
async fn a_changed_certificate_is_a_possible_interception_with_both_fingerprints() {
    let url = self_signed_panel().await;
    let pinned = CertFingerprint::of(CERT_B);
    match get(&url, Some(pinned)).await {
        Err(err @ PanelError::CertificateMismatch { .. }) => {
            let PanelError::CertificateMismatch { expected, actual } = &err else {
                unreachable!()
            };
            assert_eq!(*expected, pinned.to_string());
            assert_eq!(*actual, CertFingerprint::of(CERT_A).to_string());
            let text = err.to_string();
            assert!(
                text.starts_with("the certificate changed since you pinned it — this can be an interception; re-pin only if you changed it"),
                "{text}"
            );
        }
        other => panic!("expected a certificate change, got {other:?}"),
    }
}
