//! The PasarGuard panel of demo mode, and the credentials its simulator hands out.

use paneldeck_panels::Secret;
use paneldeck_sim::{SimCredentials, SimKind};

use crate::{
    demo::DemoPanel,
    registry::{CredentialsInput, ProxyGatewaySettings},
};

pub(super) const PANEL: DemoPanel = DemoPanel {
    sim: SimKind::Pasarguard,
    name: "Tehran PasarGuard",
    color: "#0891b2",
    tag: "asia",
    accounts: 120,
    groups: 2,
};

pub(super) fn credentials(
    sim: &SimCredentials,
    _gateway: Option<ProxyGatewaySettings>,
) -> Option<CredentialsInput> {
    match sim {
        SimCredentials::Password { username, password } => Some(CredentialsInput::Pasarguard {
            username: Some(username.clone()),
            password: Some(Secret::new(password.as_str())),
        }),
        SimCredentials::ApiKey { api_key } => Some(CredentialsInput::Pasarguard {
            username: None,
            password: Some(Secret::new(api_key.as_str())),
        }),
        SimCredentials::Token { .. } | SimCredentials::Login { .. } => None,
    }
}
