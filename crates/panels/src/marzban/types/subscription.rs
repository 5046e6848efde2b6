//! The public subscription routes' answers.

use serde::{Deserialize, Serialize};

/// `{client_type}` of `/sub/{token}/{client_type}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientType {
    SingBox,
    ClashMeta,
    Clash,
    Outline,
    V2ray,
}

impl ClientType {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientType::SingBox => "sing-box",
            ClientType::ClashMeta => "clash-meta",
            ClientType::Clash => "clash",
            ClientType::Outline => "outline",
            ClientType::V2ray => "v2ray",
        }
    }
}

/// The `subscription-userinfo` header clients read quotas from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionUserinfo {
    pub upload_bytes: u64,
    pub download_bytes: u64,
    /// 0 = unlimited.
    pub total_bytes: u64,
    /// UTC seconds; 0 = never.
    pub expire_utc_secs: i64,
}

impl SubscriptionUserinfo {
    /// Parses `upload=0; download=123; total=456; expire=789`.
    pub fn parse(header: &str) -> Option<Self> {
        let mut info = SubscriptionUserinfo::default();
        let mut seen = false;
        for part in header.split(';') {
            let Some((k, v)) = part.trim().split_once('=') else {
                continue;
            };
            let v = v.trim();
            seen = true;
            match k.trim() {
                "upload" => info.upload_bytes = v.parse().ok()?,
                "download" => info.download_bytes = v.parse().ok()?,
                "total" => info.total_bytes = v.parse().ok()?,
                "expire" => info.expire_utc_secs = v.parse().ok()?,
                _ => {}
            }
        }
        seen.then_some(info)
    }
}

/// A subscription document as served (base64 links, Clash YAML, sing-box JSON, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub content_type: String,
    pub body: String,
    pub userinfo: Option<SubscriptionUserinfo>,
}
