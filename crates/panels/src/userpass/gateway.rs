use serde::{Deserialize, Serialize};

/// Where the provider's proxy gateway listens. The API does not tell it, so the panel's settings
/// record it; proxy strings (`host:port:user:pass`, `socks5://user:pass@host:port`) are built from
/// it and a sub-user's credentials when exporting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProxyGateway {
    /// Host name or IP of the gateway, without scheme or port.
    pub host: String,
    /// Port of the HTTP(S) proxy.
    pub http_port: u16,
    /// Port of the SOCKS5 proxy.
    pub socks5_port: u16,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_camel_case() {
        let gw = ProxyGateway {
            host: "gw.example".into(),
            http_port: 8080,
            socks5_port: 1080,
        };
        let json = serde_json::to_value(&gw).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"host": "gw.example", "httpPort": 8080, "socks5Port": 1080})
        );
        let back: Option<ProxyGateway> = serde_json::from_value(json).ok();
        assert_eq!(back, Some(gw));
    }
}
