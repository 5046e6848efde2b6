//! Wire types of the Pterodactyl client API (Fractal's `{object, attributes}` shapes, Laravel
//! pagination, `{errors:[…]}`), and the typed views built from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::permissions::{Permission, PermissionGroup, PermissionSet};

/// `{object: "<type>", attributes: {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object<T> {
    pub object: String,
    pub attributes: T,
}

/// `{object: "list", data: [...], meta?}`. Subuser lists carry no `meta`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List<T> {
    pub object: String,
    pub data: Vec<Object<T>>,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub meta: Option<ListMeta>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMeta {
    pub pagination: Pagination,
}

/// Laravel's pagination block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    pub total: u64,
    pub count: u64,
    pub per_page: u64,
    pub current_page: u64,
    pub total_pages: u64,
}

/// `server_subuser` attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubuserAttributes {
    /// The subuser's *user* uuid: what `{user}` in the routes means.
    pub uuid: String,
    pub username: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(rename = "2fa_enabled")]
    pub two_factor_enabled: bool,
    /// ISO 8601 with offset.
    pub created_at: String,
    pub permissions: Vec<String>,
}

/// `server` attributes (the fields Paneldeck reads; the rest is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerAttributes {
    /// Whether the key's user owns the server (else it is a subuser there).
    pub server_owner: bool,
    /// The short id used in routes.
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_id: Option<u64>,
    pub uuid: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default)]
    pub is_suspended: bool,
    #[serde(default)]
    pub is_installing: bool,
}

/// `user` attributes of `GET /api/client/account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountAttributes {
    pub id: u64,
    pub admin: bool,
    pub username: String,
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub language: String,
}

/// `system_permissions` attributes: `{permissions: {<group>: {description, keys}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemPermissions {
    pub permissions: BTreeMap<String, WirePermissionGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WirePermissionGroup {
    pub description: String,
    /// Key (without the group prefix) → description.
    pub keys: BTreeMap<String, String>,
}

/// Body of an error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub errors: Vec<WireError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    /// The exception's short class name (`ValidationException`, `NotFoundHttpException`, …).
    pub code: String,
    /// The HTTP status, as a string.
    pub status: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<ErrorMeta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ErrorSource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl WireError {
    /// The request field this error is about, where the panel says.
    pub fn field(&self) -> Option<&str> {
        self.meta
            .as_ref()
            .and_then(|m| m.source_field.as_deref())
            .or_else(|| self.source.as_ref().and_then(|s| s.field.as_deref()))
    }
}

/// Body of `POST /servers/{server}/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSubuserBody {
    pub email: String,
    pub permissions: Vec<String>,
}

/// Body of `POST /servers/{server}/users/{user}`: the whole new permission list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateSubuserBody {
    pub permissions: Vec<String>,
}

/// A server's short identifier (`1a2b3c4d`), as used in routes. Its uuid works there too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServerIdentifier(pub String);

/// A subuser's user uuid, as used in routes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SubuserUuid(pub String);

macro_rules! display_inner {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_inner!(ServerIdentifier, SubuserUuid);

/// A server the key can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub identifier: ServerIdentifier,
    pub uuid: String,
    pub name: String,
    pub node: Option<String>,
    pub description: Option<String>,
    /// False when the key's user is only a subuser of this server.
    pub owned: bool,
    pub suspended: bool,
}

impl From<ServerAttributes> for Server {
    fn from(a: ServerAttributes) -> Self {
        Server {
            identifier: ServerIdentifier(a.identifier),
            uuid: a.uuid,
            name: a.name,
            node: a.node,
            description: a.description,
            owned: a.server_owner,
            suspended: a.is_suspended,
        }
    }
}

/// A subuser of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subuser {
    pub uuid: SubuserUuid,
    pub username: String,
    pub email: String,
    pub image: Option<String>,
    pub two_factor_enabled: bool,
    pub created_at: String,
    pub permissions: PermissionSet,
    /// Keys the panel sent that this client does not know (kept, never dropped silently).
    pub unknown_permissions: Vec<String>,
}

impl From<SubuserAttributes> for Subuser {
    fn from(a: SubuserAttributes) -> Self {
        let (permissions, unknown_permissions) = PermissionSet::from_keys(&a.permissions);
        Subuser {
            uuid: SubuserUuid(a.uuid),
            username: a.username,
            email: a.email,
            image: a.image,
            two_factor_enabled: a.two_factor_enabled,
            created_at: a.created_at,
            permissions,
            unknown_permissions,
        }
    }
}

/// `GET /api/client/permissions`, groups in the panel's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionCatalog {
    pub groups: Vec<PermissionGroupInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionGroupInfo {
    /// The group's wire name.
    pub name: String,
    /// `None` for a group this client does not know (a newer panel).
    pub group: Option<PermissionGroup>,
    pub description: String,
    pub keys: Vec<PermissionInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionInfo {
    /// Full key, `group.key`.
    pub key: String,
    /// `None` for a key this client does not know.
    pub permission: Option<Permission>,
    pub description: String,
}

impl PermissionCatalog {
    /// Every key in the catalog, with its description.
    pub fn keys(&self) -> impl Iterator<Item = &PermissionInfo> {
        self.groups.iter().flat_map(|g| g.keys.iter())
    }
}

/// Sorts known groups and keys into the panel's order; unknown ones follow, by name.
impl From<SystemPermissions> for PermissionCatalog {
    fn from(sp: SystemPermissions) -> Self {
        let mut groups: Vec<PermissionGroupInfo> = sp
            .permissions
            .into_iter()
            .map(|(name, g)| {
                let mut keys: Vec<PermissionInfo> = g
                    .keys
                    .into_iter()
                    .map(|(k, description)| {
                        let key = format!("{name}.{k}");
                        PermissionInfo {
                            permission: key.parse().ok(),
                            key,
                            description,
                        }
                    })
                    .collect();
                keys.sort_by_key(|k| (k.permission.is_none(), k.permission, k.key.clone()));
                PermissionGroupInfo {
                    group: PermissionGroup::from_name(&name),
                    name,
                    description: g.description,
                    keys,
                }
            })
            .collect();
        groups.sort_by_key(|g| (g.group.is_none(), g.group, g.name.clone()));
        PermissionCatalog { groups }
    }
}
