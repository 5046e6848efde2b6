//! What is needed to reach one panel; the client built from it is [`PanelClient`].

use paneldeck_panels::{Endpoint, FieldProblem, PanelKind, Secret};

pub use crate::kinds::PanelClient;
use crate::{
    error::{CoreError, Result},
    registry::PanelSettings,
};

/// What is needed to reach one panel: where, how, and with which secret.
pub struct ConnectionSpec<'a> {
    pub kind: PanelKind,
    pub endpoint: Endpoint,
    pub settings: &'a PanelSettings,
    pub secret: Secret,
    pub session_token: Option<Secret>,
}

impl ConnectionSpec<'_> {
    /// The user name of a kind that logs in with one.
    pub(crate) fn username(&self) -> Result<String> {
        self.settings.username.clone().ok_or_else(|| {
            CoreError::invalid_field(
                "username",
                FieldProblem::Required,
                "This panel needs a user name.",
            )
        })
    }
}
