//! Rules and alerts: accounts expiring, depleted or nearly so, panels unreachable or with a
//! changed certificate, bulk operations done. Each event is announced once (`alert_seen`);
//! many of one rule at once become one alert. Settings live in `watch_settings`; the
//! Telegram bot token in the keyring.

pub mod channels;
pub mod engine;
pub mod text;
pub mod types;

pub use channels::{Channel, ChannelFailure};
pub use types::{
    Alert, AlertFilter, AlertKind, AlertSettings, ChannelSettings, PanelMutes, QuietHours,
    RuleKind, RuleSettings,
};

use paneldeck_panels::Secret;

use crate::{
    accounts::now_ms,
    error::{CoreError, Result},
    history::settings,
    secrets::PanelSecrets,
    Paneldeck,
};

const SETTINGS_KEY: &str = "alerts";
/// The keyring entry of the Telegram bot token (beside the panels' entries).
const TELEGRAM_KEYRING_ACCOUNT: &str = "alerts-telegram-bot";

impl Paneldeck {
    pub fn alert_settings(&self) -> Result<AlertSettings> {
        Ok(self
            .store()
            .with(|c| settings::get(c, SETTINGS_KEY))?
            .unwrap_or_default())
    }

    pub fn set_alert_settings(&self, new: &AlertSettings) -> Result<()> {
        if new.rules.usage_percent == 0 || new.rules.usage_percent > 100 {
            return Err(CoreError::invalid(
                "The usage threshold is 1 to 100 percent.",
            ));
        }
        for url in [&new.channels.webhook_url, &new.channels.telegram_api_url]
            .into_iter()
            .flatten()
        {
            url::Url::parse(url).map_err(|_| CoreError::invalid(format!("Not a URL: {url}")))?;
        }
        self.store().with(|c| settings::set(c, SETTINGS_KEY, new))
    }

    /// Keeps the Telegram bot token in the keyring (`None` removes it).
    pub fn set_telegram_token(&self, token: Option<String>) -> Result<()> {
        match token.filter(|t| !t.trim().is_empty()) {
            Some(t) => self.secrets().put(
                TELEGRAM_KEYRING_ACCOUNT,
                &PanelSecrets {
                    primary: Some(Secret::new(t.trim().to_owned())),
                    session_token: None,
                },
            ),
            None => self.secrets().delete(TELEGRAM_KEYRING_ACCOUNT),
        }
    }

    pub fn has_telegram_token(&self) -> Result<bool> {
        Ok(self.telegram_token()?.is_some())
    }

    fn telegram_token(&self) -> Result<Option<Secret>> {
        Ok(self
            .secrets()
            .get(TELEGRAM_KEYRING_ACCOUNT)?
            .and_then(|s| s.primary))
    }

    /// Runs the rules once over the snapshot and returns the alerts to announce (each event
    /// once; none while quiet hours or a pause hold them back).
    pub fn alert_round(&self) -> Result<Vec<Alert>> {
        self.alert_round_at(now_ms())
    }

    pub fn alert_round_at(&self, now_ms: i64) -> Result<Vec<Alert>> {
        let settings = self.alert_settings()?;
        self.store()
            .with(|c| engine::run_round(c, &settings, now_ms))
    }

    /// Sends alerts to Telegram and the webhook, as configured.
    pub async fn deliver_alerts(&self, alerts: &[Alert]) -> Result<Vec<ChannelFailure>> {
        let settings = self.alert_settings()?;
        let token = self.telegram_token()?;
        Ok(channels::deliver(&settings.channels, token.as_ref(), alerts).await)
    }

    /// Holds alerts back until `until_ms` (`None` resumes them).
    pub fn pause_alerts(&self, until_ms: Option<i64>) -> Result<AlertSettings> {
        let mut s = self.alert_settings()?;
        s.paused_until_ms = until_ms;
        self.store().with(|c| settings::set(c, SETTINGS_KEY, &s))?;
        Ok(s)
    }
}
