//! Wire types of the user-pass API, exactly as the provider spells them, and the typed view the
//! rest of the app uses (status as an enum, caps as `Option<u64>` with `None` = unlimited).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Secret;

/// The envelope every answer comes in. `success:false` carries the reason in `message`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    pub success: bool,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default = "none")]
    pub result: Option<T>,
}

// `#[serde(default)]` on `Option<T>` would require `T: Default`.
fn none<T>() -> Option<T> {
    None
}

/// A sub-user's id as the provider numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SubUserId(pub u64);

impl std::fmt::Display for SubUserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `status` on the wire: 1 active, 2 disabled, 3 blocked (set by the provider, not settable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubUserStatus {
    Active,
    Disabled,
    Blocked,
}

impl SubUserStatus {
    pub fn code(self) -> u8 {
        match self {
            SubUserStatus::Active => 1,
            SubUserStatus::Disabled => 2,
            SubUserStatus::Blocked => 3,
        }
    }

    pub fn from_code(code: u64) -> Option<Self> {
        match code {
            1 => Some(SubUserStatus::Active),
            2 => Some(SubUserStatus::Disabled),
            3 => Some(SubUserStatus::Blocked),
            _ => None,
        }
    }
}

impl Serialize for SubUserStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.code())
    }
}

impl<'de> Deserialize<'de> for SubUserStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = u64::deserialize(d)?;
        SubUserStatus::from_code(code).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown status {code} (expected 1 active, 2 disabled or 3 blocked)"
            ))
        })
    }
}

/// One sub-user as `get-list` (and, on our simulator, `create`) sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireSubUser {
    pub id: SubUserId,
    pub user_name: String,
    /// The sub-user's proxy password.
    pub use_key: String,
    pub status: SubUserStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Traffic cap in bytes; negative or absent means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_cap: Option<i64>,
    /// IP usage cap; -1 (or absent) means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_usage_cap: Option<i64>,
    /// Traffic used, in bytes.
    #[serde(default)]
    pub data_used: u64,
    /// IP usage counted against `ip_usage_cap`.
    #[serde(default)]
    pub ip_used: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `result` of `get-list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResult {
    pub items: Vec<WireSubUser>,
    pub total_items: u64,
    pub total_pages: u64,
}

/// A sub-user in the app's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubUser {
    pub id: SubUserId,
    pub user_name: String,
    pub password: Secret,
    pub status: SubUserStatus,
    pub note: Option<String>,
    /// `None` = unlimited.
    pub usage_cap_bytes: Option<u64>,
    /// `None` = unlimited.
    pub ip_usage_cap: Option<u64>,
    pub data_used_bytes: u64,
    pub ip_used: u64,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// The wire's "negative means unlimited" becomes `None`.
fn cap_from_wire(cap: Option<i64>) -> Option<u64> {
    cap.and_then(|c| u64::try_from(c).ok())
}

/// `None` (unlimited) goes out as -1, the convention the reference documents for caps.
fn cap_to_wire(cap: Option<u64>) -> i64 {
    cap.map_or(-1, |c| i64::try_from(c).unwrap_or(i64::MAX))
}

impl From<WireSubUser> for SubUser {
    fn from(w: WireSubUser) -> Self {
        SubUser {
            id: w.id,
            user_name: w.user_name,
            password: Secret::new(w.use_key),
            status: w.status,
            note: w.note,
            usage_cap_bytes: cap_from_wire(w.usage_cap),
            ip_usage_cap: cap_from_wire(w.ip_usage_cap),
            data_used_bytes: w.data_used,
            ip_used: w.ip_used,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// One page of sub-users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubUserPage {
    pub items: Vec<SubUser>,
    pub total_items: u64,
    pub total_pages: u64,
}

/// `sort_by` of `get-list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Id,
    UserName,
    Status,
    CreatedAt,
    UseKey,
    UsageCap,
    DataUsed,
    IpUsageCap,
    IpUsed,
}

/// `order_by` of `get-list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderBy {
    Asc,
    Desc,
}

/// Query of `get-list`; unset fields take the provider's defaults (limit 30, page 1, id desc).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<SortBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<OrderBy>,
    /// Searched within `user_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
}

/// A sub-user to create, in the app's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubUser {
    pub user_name: String,
    pub password: Secret,
    /// Active or Disabled (Blocked is the provider's to set).
    pub status: SubUserStatus,
    pub note: Option<String>,
    pub usage_cap_bytes: Option<u64>,
    pub ip_usage_cap: Option<u64>,
}

/// Body of `POST create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSubUser {
    pub user_name: String,
    pub use_key: String,
    pub status: SubUserStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Bytes; omitted = no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_cap: Option<i64>,
    /// -1 = unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_usage_cap: Option<i64>,
}

impl From<&NewSubUser> for CreateSubUser {
    fn from(n: &NewSubUser) -> Self {
        CreateSubUser {
            user_name: n.user_name.clone(),
            use_key: n.password.expose().to_owned(),
            status: n.status,
            note: n.note.clone(),
            usage_cap: n.usage_cap_bytes.map(|c| cap_to_wire(Some(c))),
            ip_usage_cap: Some(cap_to_wire(n.ip_usage_cap)),
        }
    }
}

/// A change to a sub-user. The API wants the password and status on every update; the caps are
/// sent every time too (`None` = unlimited, sent as -1), so the result does not depend on what
/// the provider does with omitted caps. `user_name`/`note` left `None` stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubUserUpdate {
    pub id: SubUserId,
    pub user_name: Option<String>,
    pub password: Secret,
    pub status: SubUserStatus,
    pub note: Option<String>,
    pub usage_cap_bytes: Option<u64>,
    pub ip_usage_cap: Option<u64>,
}

impl SubUserUpdate {
    /// An update that changes nothing yet: edit the fields you mean to change.
    pub fn keep(current: &SubUser) -> Self {
        SubUserUpdate {
            id: current.id,
            user_name: None,
            password: current.password.clone(),
            status: current.status,
            note: None,
            usage_cap_bytes: current.usage_cap_bytes,
            ip_usage_cap: current.ip_usage_cap,
        }
    }
}

/// Body of `PUT update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateSubUser {
    pub id: SubUserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    pub use_key: String,
    pub status: SubUserStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_cap: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_usage_cap: Option<i64>,
}

impl From<&SubUserUpdate> for UpdateSubUser {
    fn from(u: &SubUserUpdate) -> Self {
        UpdateSubUser {
            id: u.id,
            user_name: u.user_name.clone(),
            use_key: u.password.expose().to_owned(),
            status: u.status,
            note: u.note.clone(),
            usage_cap: Some(cap_to_wire(u.usage_cap_bytes)),
            ip_usage_cap: Some(cap_to_wire(u.ip_usage_cap)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_map_negative_to_unlimited_and_back() {
        assert_eq!(cap_from_wire(Some(-1)), None);
        assert_eq!(cap_from_wire(None), None);
        assert_eq!(cap_from_wire(Some(0)), Some(0));
        assert_eq!(cap_from_wire(Some(1_000_000_000)), Some(1_000_000_000));
        assert_eq!(cap_to_wire(None), -1);
        assert_eq!(cap_to_wire(Some(5)), 5);
    }

    #[test]
    fn status_is_numeric_on_the_wire_and_rejects_unknown_codes() {
        assert_eq!(
            serde_json::to_string(&SubUserStatus::Disabled).unwrap_or_default(),
            "2"
        );
        let err = serde_json::from_str::<SubUserStatus>("7")
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("unknown status 7")));
    }

    #[test]
    fn list_params_serialise_as_the_provider_names_them() {
        let p = ListParams {
            limit: Some(10),
            page: None,
            sort_by: Some(SortBy::IpUsageCap),
            order_by: Some(OrderBy::Asc),
            keyword: Some("ali".into()),
        };
        let v = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"limit":10,"sort_by":"ip_usage_cap","order_by":"asc","keyword":"ali"})
        );
    }
}
