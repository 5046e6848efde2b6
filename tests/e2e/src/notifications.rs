//! A stand-in for the desktop's notification server: it owns `org.freedesktop.Notifications`
//! on the session bus the app runs on, as GNOME Shell or dunst would, and keeps what the app's
//! notification plugin sends. A test so sees the notifications a user would see, after the
//! plugin, notify-rust and D-Bus, not a copy the app made for the test. (The methods and their
//! signatures: the Desktop Notifications Specification 1.2, "D-Bus Protocol".)

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use zbus::{blocking::Connection, message::Type, zvariant::OwnedValue};

const NAME: &str = "org.freedesktop.Notifications";

/// One notification as the server received it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

pub struct NotificationServer {
    shown: Arc<Mutex<Vec<Shown>>>,
}

/// `Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)`.
type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, OwnedValue>,
    i32,
);

impl NotificationServer {
    /// Takes the name on the session bus (before the app starts, so its notifications come
    /// here) and answers on a thread of its own for the rest of the test.
    pub fn start() -> crate::Result<Self> {
        let conn = Connection::session().map_err(|e| format!("no session bus: {e}"))?;
        conn.request_name(NAME)
            .map_err(|e| format!("cannot own {NAME}: {e}"))?;
        let shown = Arc::new(Mutex::new(Vec::new()));
        let kept = shown.clone();
        std::thread::Builder::new()
            .name("notification-server".into())
            .spawn(move || serve(&conn, &kept))
            .map_err(|e| e.to_string())?;
        Ok(NotificationServer { shown })
    }

    /// What was shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn serve(conn: &Connection, shown: &Mutex<Vec<Shown>>) {
    let mut next_id = 1u32;
    for msg in zbus::blocking::MessageIterator::from(conn).flatten() {
        let header = msg.header();
        if header.message_type() != Type::MethodCall
            || header.interface().map(|i| i.as_str()) != Some(NAME)
        {
            continue;
        }
        let replied = match header.member().map(|m| m.as_str()) {
            Some("Notify") => {
                let Ok((app_name, _, _, summary, body, ..)) =
                    msg.body().deserialize::<NotifyArgs>()
                else {
                    continue;
                };
                if let Ok(mut s) = shown.lock() {
                    s.push(Shown {
                        app_name,
                        summary,
                        body,
                    });
                }
                next_id += 1;
                conn.reply(&header, &(next_id - 1))
            }
            Some("GetCapabilities") => conn.reply(&header, &(vec!["body"],)),
            Some("GetServerInformation") => {
                conn.reply(&header, &("paneldeck-e2e", "paneldeck", "1", "1.2"))
            }
            Some("CloseNotification") => conn.reply(&header, &()),
            _ => continue,
        };
        if let Err(err) = replied {
            eprintln!("[notification server] cannot reply: {err}");
        }
    }
}
