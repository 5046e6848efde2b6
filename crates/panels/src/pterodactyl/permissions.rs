//! Subuser permission keys, grouped by area the way the panel groups them
//! (`GET /api/client/permissions` answers `{<group>: {description, keys: {<key>: description}}}`).

use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The areas permission keys belong to: the part of the key before the dot.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "lowercase")]
pub enum PermissionGroup {
    Websocket,
    Control,
    User,
    File,
    Backup,
    Allocation,
    Startup,
    Database,
    Schedule,
    Settings,
    Activity,
}

impl PermissionGroup {
    pub const ALL: [PermissionGroup; 11] = [
        PermissionGroup::Websocket,
        PermissionGroup::Control,
        PermissionGroup::User,
        PermissionGroup::File,
        PermissionGroup::Backup,
        PermissionGroup::Allocation,
        PermissionGroup::Startup,
        PermissionGroup::Database,
        PermissionGroup::Schedule,
        PermissionGroup::Settings,
        PermissionGroup::Activity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PermissionGroup::Websocket => "websocket",
            PermissionGroup::Control => "control",
            PermissionGroup::User => "user",
            PermissionGroup::File => "file",
            PermissionGroup::Backup => "backup",
            PermissionGroup::Allocation => "allocation",
            PermissionGroup::Startup => "startup",
            PermissionGroup::Database => "database",
            PermissionGroup::Schedule => "schedule",
            PermissionGroup::Settings => "settings",
            PermissionGroup::Activity => "activity",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        PermissionGroup::ALL
            .into_iter()
            .find(|g| g.as_str() == name)
    }

    /// The known keys of this group, in the panel's order.
    pub fn permissions(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(move |p| p.group() == self)
    }
}

macro_rules! permissions {
    ($($variant:ident = $group:ident $key:literal,)*) => {
        /// One permission key the panel knows (`control.start`, `file.read-content`, …).
        /// Serialises as the key string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission {
            $($variant,)*
        }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            /// The key as the panel spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Permission::$variant => $key,)*
                }
            }

            pub fn group(self) -> PermissionGroup {
                match self {
                    $(Permission::$variant => PermissionGroup::$group,)*
                }
            }
        }
    };
}

permissions! {
    WebsocketConnect = Websocket "websocket.connect",
    ControlConsole = Control "control.console",
    ControlStart = Control "control.start",
    ControlStop = Control "control.stop",
    ControlRestart = Control "control.restart",
    UserCreate = User "user.create",
    UserRead = User "user.read",
    UserUpdate = User "user.update",
    UserDelete = User "user.delete",
    FileCreate = File "file.create",
    FileRead = File "file.read",
    FileReadContent = File "file.read-content",
    FileUpdate = File "file.update",
    FileDelete = File "file.delete",
    FileArchive = File "file.archive",
    FileSftp = File "file.sftp",
    BackupCreate = Backup "backup.create",
    BackupRead = Backup "backup.read",
    BackupDelete = Backup "backup.delete",
    BackupDownload = Backup "backup.download",
    BackupRestore = Backup "backup.restore",
    AllocationRead = Allocation "allocation.read",
    AllocationCreate = Allocation "allocation.create",
    AllocationUpdate = Allocation "allocation.update",
    AllocationDelete = Allocation "allocation.delete",
    StartupRead = Startup "startup.read",
    StartupUpdate = Startup "startup.update",
    StartupDockerImage = Startup "startup.docker-image",
    DatabaseCreate = Database "database.create",
    DatabaseRead = Database "database.read",
    DatabaseUpdate = Database "database.update",
    DatabaseDelete = Database "database.delete",
    DatabaseViewPassword = Database "database.view_password",
    ScheduleCreate = Schedule "schedule.create",
    ScheduleRead = Schedule "schedule.read",
    ScheduleUpdate = Schedule "schedule.update",
    ScheduleDelete = Schedule "schedule.delete",
    SettingsRename = Settings "settings.rename",
    SettingsReinstall = Settings "settings.reinstall",
    ActivityRead = Activity "activity.read",
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Pterodactyl permission '{0}'")]
pub struct UnknownPermission(pub String);

impl FromStr for Permission {
    type Err = UnknownPermission;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPermission(s.to_owned()))
    }
}

impl Serialize for Permission {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A set of known permission keys; serialises as the panel's list of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PermissionSet(BTreeSet<Permission>);

impl PermissionSet {
    pub fn new() -> Self {
        PermissionSet::default()
    }

    /// Every key the panel knows.
    pub fn all() -> Self {
        Permission::ALL.iter().copied().collect()
    }

    /// Splits the panel's strings into known keys and the ones this client does not know.
    pub fn from_keys<S: AsRef<str>>(keys: &[S]) -> (Self, Vec<String>) {
        let mut set = PermissionSet::new();
        let mut unknown = Vec::new();
        for key in keys {
            match key.as_ref().parse::<Permission>() {
                Ok(p) => {
                    set.insert(p);
                }
                Err(UnknownPermission(k)) => unknown.push(k),
            }
        }
        (set, unknown)
    }

    pub fn insert(&mut self, p: Permission) -> bool {
        self.0.insert(p)
    }

    pub fn remove(&mut self, p: Permission) -> bool {
        self.0.remove(&p)
    }

    pub fn contains(&self, p: Permission) -> bool {
        self.0.contains(&p)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }

    /// The keys as the panel spells them, in group order.
    pub fn keys(&self) -> Vec<&'static str> {
        self.iter().map(Permission::as_str).collect()
    }

    /// The members of one group.
    pub fn in_group(&self, group: PermissionGroup) -> impl Iterator<Item = Permission> + '_ {
        self.iter().filter(move |p| p.group() == group)
    }

    /// Non-empty groups with their members, in the panel's group order.
    pub fn by_group(&self) -> Vec<(PermissionGroup, Vec<Permission>)> {
        PermissionGroup::ALL
            .into_iter()
            .map(|g| (g, self.in_group(g).collect::<Vec<_>>()))
            .filter(|(_, ps)| !ps.is_empty())
            .collect()
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        PermissionSet(iter.into_iter().collect())
    }
}

impl<const N: usize> From<[Permission; N]> for PermissionSet {
    fn from(arr: [Permission; N]) -> Self {
        arr.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_and_belongs_to_its_prefix_group() {
        assert_eq!(Permission::ALL.len(), 40);
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>().ok(), Some(*p));
            let prefix = p.as_str().split('.').next().unwrap_or_default();
            assert_eq!(p.group().as_str(), prefix, "{p}");
        }
        let total: usize = PermissionGroup::ALL
            .iter()
            .map(|g| g.permissions().count())
            .sum();
        assert_eq!(total, Permission::ALL.len());
    }

    #[test]
    fn sets_split_unknown_keys_and_group_members() {
        let (set, unknown) =
            PermissionSet::from_keys(&["file.read", "control.start", "file.write", "x"]);
        assert_eq!(unknown, vec!["file.write".to_owned(), "x".to_owned()]);
        assert_eq!(set.keys(), vec!["control.start", "file.read"]);
        assert_eq!(
            set.by_group(),
            vec![
                (PermissionGroup::Control, vec![Permission::ControlStart]),
                (PermissionGroup::File, vec![Permission::FileRead]),
            ]
        );
        let json = serde_json::to_string(&set).unwrap_or_default();
        assert_eq!(json, r#"["control.start","file.read"]"#);
    }
}
