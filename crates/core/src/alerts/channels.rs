//! Sending alerts to Telegram and to a webhook, worded in English. The OS notification is the
//! app's (it owns the window and the notification plugin).
//!
//! Telegram's Bot API (core.telegram.org/bots/api, "Making requests" and "sendMessage"):
//! `POST {base}/bot{token}/sendMessage` with a JSON body `{chat_id, text}`; it answers
//! `{"ok": true, "result": …}` or `{"ok": false, "description": …}`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{
    text::english,
    types::{Alert, ChannelSettings},
};
use paneldeck_panels::Secret;

pub const TELEGRAM_API: &str = "https://api.telegram.org";
const TIMEOUT: Duration = Duration::from_secs(15);

/// The channels besides the OS notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Channel {
    Telegram,
    Webhook,
}

/// A channel that could not take an alert (the others still got it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelFailure {
    pub channel: Channel,
    pub message: String,
}

#[derive(Deserialize)]
struct BotAnswer {
    ok: bool,
    description: Option<String>,
}

/// What a webhook receives: the typed alert and its English line.
#[derive(Serialize)]
struct WebhookBody<'a> {
    alert: &'a Alert,
    text: String,
}

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| e.to_string())
}

async fn telegram(
    http: &reqwest::Client,
    base: &str,
    token: &Secret,
    chat_id: &str,
    text: &str,
) -> Result<(), String> {
    let url = format!(
        "{}/bot{}/sendMessage",
        base.trim_end_matches('/'),
        token.expose()
    );
    let body = serde_json::json!({ "chat_id": chat_id, "text": text });
    // The URL holds the token: errors are worded without it.
    let answer = http
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("cannot reach the Bot API: {}", e.without_url()))?;
    let status = answer.status();
    let parsed: Option<BotAnswer> = answer.json().await.ok();
    match parsed {
        Some(BotAnswer { ok: true, .. }) => Ok(()),
        Some(BotAnswer { description, .. }) => {
            Err(description.unwrap_or_else(|| status.to_string()))
        }
        None => Err(format!("the Bot API answered {status}")),
    }
}

async fn webhook(http: &reqwest::Client, url: &str, alert: &Alert) -> Result<(), String> {
    let body = WebhookBody {
        alert,
        text: english(alert),
    };
    let answer = http
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!("the webhook answered {}", answer.status()))
    }
}

/// Sends each alert to the configured channels; returns what failed (at most one failure
/// per channel: after one, the channel is not tried again for the rest of the alerts).
pub async fn deliver(
    settings: &ChannelSettings,
    telegram_token: Option<&Secret>,
    alerts: &[Alert],
) -> Vec<ChannelFailure> {
    let mut failures = Vec::new();
    if alerts.is_empty() {
        return failures;
    }
    let http = match client() {
        Ok(c) => c,
        Err(message) => {
            failures.push(ChannelFailure {
                channel: Channel::Webhook,
                message,
            });
            return failures;
        }
    };
    if let (Some(chat), Some(token)) = (&settings.telegram_chat_id, telegram_token) {
        let base = settings.telegram_api_url.as_deref().unwrap_or(TELEGRAM_API);
        for alert in alerts {
            if let Err(message) = telegram(&http, base, token, chat, &english(alert)).await {
                failures.push(ChannelFailure {
                    channel: Channel::Telegram,
                    message,
                });
                break;
            }
        }
    }
    if let Some(url) = &settings.webhook_url {
        for alert in alerts {
            if let Err(message) = webhook(&http, url, alert).await {
                failures.push(ChannelFailure {
                    channel: Channel::Webhook,
                    message,
                });
                break;
            }
        }
    }
    failures
}
