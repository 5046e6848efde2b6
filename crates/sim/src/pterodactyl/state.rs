//! In-memory panel: users, the key owner's servers, their subusers; deterministic seed.

use rand::{seq::SliceRandom, Rng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::catalog;
use crate::clock::iso8601;
use crate::{seed, SimOptions};

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub uuid: String,
    pub username: String,
    pub email: String,
    pub two_factor: bool,
    pub admin: bool,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct Subuser {
    pub user_id: u64,
    pub permissions: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub id: u64,
    pub identifier: String,
    pub uuid: String,
    pub name: String,
    pub node: String,
    pub description: String,
    pub owner_id: u64,
    pub subusers: Vec<Subuser>,
}

#[derive(Debug)]
pub struct Panel {
    pub token: String,
    /// The key's user: owner of every seeded server.
    pub owner_id: u64,
    pub users: Vec<User>,
    pub servers: Vec<Server>,
    pub next_user_id: u64,
    pub rng: ChaCha8Rng,
}

const GAMES: &[&str] = &[
    "Survival SMP",
    "Creative Build",
    "Modded Forge",
    "Lobby",
    "Valheim",
    "Rust Weekly",
    "Terraria",
    "ARK Island",
];

impl Panel {
    pub fn seeded(opts: &SimOptions) -> Self {
        let mut rng = seed::rng(opts.seed ^ 0x97e2_0dac);
        let token = format!("ptlc_{}", seed::token(&mut rng, 43));
        let base = 1_700_000_000i64;
        let owner = User {
            id: 1,
            uuid: seed::uuid(&mut rng).to_string(),
            username: "admin".into(),
            email: "admin@paneldeck.test".into(),
            two_factor: false,
            admin: true,
            created_at: iso8601(base - 86_400),
        };
        let mut panel = Panel {
            token,
            owner_id: owner.id,
            users: vec![owner],
            servers: Vec::new(),
            next_user_id: 2,
            rng,
        };
        for i in 0..opts.groups.max(1) {
            let uuid = seed::uuid(&mut panel.rng).to_string();
            let game = GAMES[i % GAMES.len()];
            panel.servers.push(Server {
                id: i as u64 + 1,
                identifier: uuid.chars().take(8).collect(),
                uuid,
                name: format!("{game} #{}", i + 1),
                node: format!("node-{}", i % 2 + 1),
                description: format!("Seeded {game} server"),
                owner_id: 1,
                subusers: Vec::new(),
            });
        }
        let keys = catalog::all_keys();
        for i in 0..opts.accounts {
            let name = seed::account_name(&mut panel.rng, i).replace('.', "_");
            let created = iso8601(base + i as i64 * 3_600);
            let user_id = panel.add_user(&format!("{name}@example.com"), Some(name), &created);
            let count = panel.rng.gen_range(1..8);
            let mut requested: Vec<String> = keys
                .choose_multiple(&mut panel.rng, count)
                .cloned()
                .collect();
            requested.sort_by_key(|k| keys.iter().position(|x| x == k));
            let server = i % panel.servers.len();
            panel.servers[server].subusers.push(Subuser {
                user_id,
                permissions: catalog::clean(&requested),
                created_at: created,
            });
        }
        panel
    }

    /// Creates a panel account (what adding a subuser with an unknown email does).
    pub fn add_user(&mut self, email: &str, username: Option<String>, created_at: &str) -> u64 {
        let id = self.next_user_id;
        self.next_user_id += 1;
        // Pterodactyl: the email's local part, cleaned, cut to 64, plus 3 random characters.
        let username = username.unwrap_or_else(|| {
            let local: String = email
                .split('@')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
                .take(64)
                .collect();
            format!("{local}{}", seed::token(&mut self.rng, 3))
        });
        let user = User {
            id,
            uuid: seed::uuid(&mut self.rng).to_string(),
            username,
            email: email.to_owned(),
            two_factor: self.rng.gen_bool(0.2),
            admin: false,
            created_at: created_at.to_owned(),
        };
        self.users.push(user);
        id
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        // Users are only appended, with increasing ids: the list stays sorted by id.
        self.users
            .binary_search_by_key(&id, |u| u.id)
            .ok()
            .map(|i| &self.users[i])
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// A server by its short identifier or its uuid.
    pub fn server_index(&self, key: &str) -> Option<usize> {
        self.servers
            .iter()
            .position(|s| s.identifier == key || s.uuid == key)
    }

    /// The `server_subuser` object.
    pub fn subuser_json(&self, sub: &Subuser) -> Value {
        self.subuser_view(sub)
            .and_then(|view| serde_json::to_value(view).ok())
            .unwrap_or(Value::Null)
    }

    /// The `server_subuser` object, typed; `None` if its user is gone.
    pub fn subuser_view<'a>(&'a self, sub: &'a Subuser) -> Option<SubuserView<'a>> {
        let user = self.user(sub.user_id)?;
        Some(SubuserView {
            object: "server_subuser",
            attributes: SubuserAttributes {
                uuid: &user.uuid,
                username: &user.username,
                email: &user.email,
                image: gravatar(&user.email),
                two_factor: user.two_factor,
                created_at: &sub.created_at,
                permissions: &sub.permissions,
            },
        })
    }

    pub fn server_json(&self, server: &Server) -> Value {
        json!({
            "object": "server",
            "attributes": {
                "server_owner": server.owner_id == self.owner_id,
                "identifier": server.identifier,
                "internal_id": server.id,
                "uuid": server.uuid,
                "name": server.name,
                "node": server.node,
                "is_node_under_maintenance": false,
                "sftp_details": { "ip": "127.0.0.1", "port": 2022 },
                "description": server.description,
                "limits": { "memory": 2048, "swap": 0, "disk": 10240, "io": 500, "cpu": 200, "threads": null, "oom_disabled": true },
                "invocation": "java -Xms128M -jar server.jar",
                "docker_image": "ghcr.io/pterodactyl/yolks:java_17",
                "egg_features": ["eula", "java_version"],
                "feature_limits": { "databases": 2, "allocations": 3, "backups": 5 },
                "status": null,
                "is_suspended": false,
                "is_installing": false,
                "is_transferring": false,
            }
        })
    }

    pub fn account_json(&self) -> Value {
        let owner = self.user(self.owner_id);
        json!({
            "object": "user",
            "attributes": {
                "id": self.owner_id,
                "admin": owner.is_some_and(|u| u.admin),
                "username": owner.map(|u| u.username.clone()),
                "email": owner.map(|u| u.email.clone()),
                "first_name": "Panel",
                "last_name": "Owner",
                "language": "en",
            }
        })
    }
}

fn gravatar(email: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    let mut url = String::with_capacity(92);
    url.push_str("https://gravatar.com/avatar/");
    for b in digest {
        url.push(char::from(HEX[usize::from(b >> 4)]));
        url.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    url
}

/// `server_subuser` in the panel's field order (a listing renders hundreds of them).
#[derive(Serialize)]
pub struct SubuserView<'a> {
    object: &'static str,
    attributes: SubuserAttributes<'a>,
}

#[derive(Serialize)]
struct SubuserAttributes<'a> {
    uuid: &'a str,
    username: &'a str,
    email: &'a str,
    image: String,
    #[serde(rename = "2fa_enabled")]
    two_factor: bool,
    created_at: &'a str,
    permissions: &'a [String],
}
