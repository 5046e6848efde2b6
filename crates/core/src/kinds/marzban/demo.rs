//! The Marzban panel of demo mode, and the credentials its simulator hands out.

use paneldeck_panels::Secret;
use paneldeck_sim::{SimCredentials, SimKind};

use crate::{
    demo::DemoPanel,
    registry::{CredentialsInput, ProxyGatewaySettings},
};

pub(super) const PANEL: DemoPanel = DemoPanel {
    sim: SimKind::Marzban,
    name: "Helsinki Marzban",
    color: "#16a34a",
    tag: "eu",
    accounts: 180,
    groups: 3,
};

pub(super) fn credentials(
    sim: &SimCredentials,
    _gateway: Option<ProxyGatewaySettings>,
) -> Option<CredentialsInput> {
    match sim {
        SimCredentials::Password { username, password } => Some(CredentialsInput::Marzban {
            username: username.clone(),
            password: Some(Secret::new(password.as_str())),
        }),
        _ => None,
    }
}
