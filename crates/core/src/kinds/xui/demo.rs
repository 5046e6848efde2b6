//! The 3x-ui panel of demo mode, and the credentials its simulator hands out.

use paneldeck_panels::Secret;
use paneldeck_sim::{SimCredentials, SimKind};

use crate::{
    demo::DemoPanel,
    registry::{CredentialsInput, ProxyGatewaySettings},
};

pub(super) const PANEL: DemoPanel = DemoPanel {
    sim: SimKind::Xui,
    name: "Frankfurt 3x-ui",
    color: "#2563eb",
    tag: "eu",
    accounts: 240,
    groups: 3,
};

pub(super) fn credentials(
    sim: &SimCredentials,
    _gateway: Option<ProxyGatewaySettings>,
) -> Option<CredentialsInput> {
    match sim {
        SimCredentials::Login {
            token: Some(token), ..
        } => Some(CredentialsInput::XuiToken {
            token: Some(Secret::new(token.as_str())),
        }),
        // A release without API tokens (v2.x): the admin login.
        SimCredentials::Login {
            username,
            password,
            token: None,
        } => Some(CredentialsInput::XuiPassword {
            username: username.clone(),
            password: Some(Secret::new(password.as_str())),
        }),
        _ => None,
    }
}
