//! Building a client for a registered (or drafted) panel and testing the connection.

use paneldeck_panels::{
    marzban::MarzbanClient,
    pterodactyl::PterodactylClient,
    userpass::UserpassClient,
    xui::{XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelKind, ProbeInfo, Secret,
};

use crate::{
    error::{CoreError, Result},
    registry::{PanelSettings, XuiAuthMode},
};

/// A connected client of whichever kind the panel is.
pub enum PanelClient {
    Xui(XuiClient),
    Marzban(MarzbanClient),
    Userpass(UserpassClient),
    Pterodactyl(PterodactylClient),
}

/// What is needed to reach one panel: where, how, and with which secret.
pub struct ConnectionSpec<'a> {
    pub kind: PanelKind,
    pub endpoint: Endpoint,
    pub settings: &'a PanelSettings,
    pub secret: Secret,
    pub session_token: Option<Secret>,
}

impl PanelClient {
    pub fn new(spec: ConnectionSpec<'_>) -> Result<Self> {
        let http = HttpClient::new(spec.kind, spec.endpoint)?;
        let username = || {
            spec.settings.username.clone().ok_or_else(|| {
                CoreError::invalid_field("username", "This panel needs a user name.")
            })
        };
        Ok(match spec.kind {
            PanelKind::Xui => {
                let auth = match spec.settings.xui_auth.unwrap_or(XuiAuthMode::Token) {
                    XuiAuthMode::Token => XuiAuth::Token(spec.secret),
                    XuiAuthMode::Password => XuiAuth::Password {
                        username: username()?,
                        password: spec.secret,
                        two_factor_code: None,
                    },
                };
                PanelClient::Xui(XuiClient::new(http, auth))
            }
            PanelKind::Marzban => PanelClient::Marzban(
                MarzbanClient::new(http, username()?, spec.secret)
                    .with_cached_token(spec.session_token),
            ),
            PanelKind::Userpass => PanelClient::Userpass(UserpassClient::new(
                http,
                spec.secret,
                spec.settings.key_in_query,
            )),
            PanelKind::Pterodactyl => {
                PanelClient::Pterodactyl(PterodactylClient::new(http, spec.secret))
            }
        })
    }

    /// Reachability, authentication and version in one call.
    pub async fn probe(&self) -> Result<ProbeInfo> {
        Ok(match self {
            PanelClient::Xui(c) => c.probe().await?,
            PanelClient::Marzban(c) => c.probe().await?,
            PanelClient::Userpass(c) => c.probe().await?,
            PanelClient::Pterodactyl(c) => c.probe().await?,
        })
    }

    /// A session token worth keeping in the keyring (Marzban), after a call.
    pub fn session_token(&self) -> Option<Secret> {
        match self {
            PanelClient::Marzban(c) => c.current_token(),
            _ => None,
        }
    }
}
