//! The user-pass proxy panel of demo mode, and the credentials its simulator hands out.

use paneldeck_panels::Secret;
use paneldeck_sim::{SimCredentials, SimKind};

use crate::{
    demo::DemoPanel,
    registry::{CredentialsInput, ProxyGatewaySettings},
};

pub(super) const PANEL: DemoPanel = DemoPanel {
    sim: SimKind::Userpass,
    name: "Residential proxies",
    color: "#d97706",
    tag: "resale",
    accounts: 60,
    groups: 3,
};

pub(super) fn credentials(
    sim: &SimCredentials,
    gateway: Option<ProxyGatewaySettings>,
) -> Option<CredentialsInput> {
    match sim {
        SimCredentials::ApiKey { api_key } => Some(CredentialsInput::Userpass {
            api_key: Some(Secret::new(api_key.as_str())),
            key_in_query: false,
            gateway,
        }),
        _ => None,
    }
}
