//! The Pterodactyl panel of demo mode, and the credentials its simulator hands out.

use paneldeck_panels::Secret;
use paneldeck_sim::{SimCredentials, SimKind};

use crate::{
    demo::DemoPanel,
    registry::{CredentialsInput, ProxyGatewaySettings},
};

pub(super) const PANEL: DemoPanel = DemoPanel {
    sim: SimKind::Pterodactyl,
    name: "Game servers",
    color: "#9333ea",
    tag: "games",
    accounts: 24,
    groups: 4,
};

pub(super) fn credentials(
    sim: &SimCredentials,
    _gateway: Option<ProxyGatewaySettings>,
) -> Option<CredentialsInput> {
    match sim {
        SimCredentials::Token { token } => Some(CredentialsInput::Pterodactyl {
            api_key: Some(Secret::new(token.as_str())),
        }),
        _ => None,
    }
}
