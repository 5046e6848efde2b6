//! TLS: system-independent web PKI roots by default, or a pinned certificate for self-signed
//! panels. There is deliberately no "accept any certificate" mode.

use std::{
    fmt,
    str::FromStr,
    sync::{Arc, Mutex},
    time::Duration,
};

use rustls::{
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::CryptoProvider,
    pki_types::{CertificateDer, ServerName, UnixTime},
    DigitallySignedStruct, SignatureScheme,
};
use sha2::{Digest, Sha256};

use crate::PanelError;

/// SHA-256 of a certificate's DER bytes. Shown and parsed as colon-separated hex
/// (`AB:CD:…`), the form browsers show; plain hex is accepted too.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertFingerprint([u8; 32]);

impl CertFingerprint {
    pub fn of(der: &[u8]) -> Self {
        CertFingerprint(Sha256::digest(der).into())
    }
}

impl fmt::Display for CertFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|b| format!("{b:02X}")).collect();
        f.write_str(&parts.join(":"))
    }
}

impl fmt::Debug for CertFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CertFingerprint({self})")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a certificate fingerprint is 64 hexadecimal digits (colons optional)")]
pub struct BadFingerprint;

impl FromStr for CertFingerprint {
    type Err = BadFingerprint;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex_digits: String = s
            .chars()
            .filter(|c| !matches!(c, ':' | ' ' | '-'))
            .collect::<String>();
        let bytes = hex::decode(hex_digits).map_err(|_| BadFingerprint)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| BadFingerprint)?;
        Ok(CertFingerprint(arr))
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Records what the server presented, and accepts it only when it matches the pin
/// (or, for [`probe_fingerprint`], accepts nothing at all but the handshake's first step).
#[derive(Debug)]
pub(crate) struct PinVerifier {
    pin: Option<CertFingerprint>,
    seen: Mutex<Option<CertFingerprint>>,
    provider: Arc<CryptoProvider>,
}

impl PinVerifier {
    pub(crate) fn last_seen(&self) -> Option<CertFingerprint> {
        self.seen.lock().ok().and_then(|g| *g)
    }
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let actual = CertFingerprint::of(end_entity);
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(actual);
        }
        match self.pin {
            Some(pin) if pin == actual => Ok(ServerCertVerified::assertion()),
            _ => Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The rustls configuration for one panel, and (when pinned) the verifier so a mismatch can be
/// reported with the fingerprint actually presented.
pub(crate) fn client_config(
    pin: Option<CertFingerprint>,
) -> Result<(rustls::ClientConfig, Option<Arc<PinVerifier>>), PanelError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| PanelError::Tls(e.to_string()))?;
    match pin {
        None => {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            Ok((
                builder.with_root_certificates(roots).with_no_client_auth(),
                None,
            ))
        }
        Some(pin) => {
            let verifier = Arc::new(PinVerifier {
                pin: Some(pin),
                seen: Mutex::new(None),
                provider: provider(),
            });
            let config = builder
                .dangerous()
                .with_custom_certificate_verifier(verifier.clone())
                .with_no_client_auth();
            Ok((config, Some(verifier)))
        }
    }
}

/// Connects to `host:port`, performs the start of a TLS handshake and returns the SHA-256 of
/// the certificate the server presents, without trusting it and without sending any request.
/// Used to show a self-signed panel's fingerprint for the user to confirm and pin.
pub async fn probe_fingerprint(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<CertFingerprint, PanelError> {
    let verifier = Arc::new(PinVerifier {
        pin: None,
        seen: Mutex::new(None),
        provider: provider(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| PanelError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let server_name = ServerName::try_from(host.to_owned())
        .map_err(|_| PanelError::InvalidUrl(host.to_owned()))?;
    let attempt = async {
        let tcp = tokio::net::TcpStream::connect((host, port))
            .await
            .map_err(|e| crate::http::io_error(&e, &format!("{host}:{port}")))?;
        // The verifier rejects every certificate, so this always fails after recording it.
        let _ = connector.connect(server_name, tcp).await;
        verifier
            .last_seen()
            .ok_or_else(|| PanelError::Tls("the server presented no certificate".into()))
    };
    tokio::time::timeout(timeout, attempt)
        .await
        .map_err(|_| PanelError::Timeout(timeout))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_parses_colon_and_plain_hex() {
        let fp = CertFingerprint::of(b"certificate");
        let shown = fp.to_string();
        assert_eq!(shown.len(), 32 * 3 - 1);
        assert_eq!(shown.parse::<CertFingerprint>().ok(), Some(fp));
        assert_eq!(
            shown
                .replace(':', "")
                .to_lowercase()
                .parse::<CertFingerprint>()
                .ok(),
            Some(fp)
        );
        assert!("AB:CD".parse::<CertFingerprint>().is_err());
    }
}
