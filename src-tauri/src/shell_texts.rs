//! The words the app shows outside its window (the tray menu, its tooltip, OS notifications),
//! in the UI's language: the UI words them with its i18n and sends them whenever its language
//! changes (`shell_texts_set`); until then they are English, like the CLI. Templates carry
//! `{name}` placeholders that are filled here with the event's numbers and names.

use std::sync::Mutex;

use paneldeck_core::alerts::{Alert, AlertKind};
use serde::Deserialize;

/// One notification template per alert code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NotificationTexts {
    /// `{accounts}`, `{days}`.
    pub accounts_expiring: String,
    /// `{accounts}`.
    pub accounts_depleted: String,
    /// `{accounts}`, `{percent}`.
    pub usage_above: String,
    /// `{panel}`, `{minutes}`.
    pub panel_unreachable: String,
    /// `{panel}`.
    pub certificate_changed: String,
    /// `{title}`, `{done}`, `{failed}`.
    pub bulk_finished: String,
}

/// Everything the shell words, as the UI sent it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ShellTexts {
    pub open: String,
    pub sync_now: String,
    pub pause_alerts: String,
    pub resume_alerts: String,
    pub quit: String,
    /// `{down}` panels down, `{attention}` accounts needing attention.
    pub tooltip: String,
    pub notifications: NotificationTexts,
    /// The digits 0 to 9 in the UI's number style (Persian digits in Persian).
    pub digits: String,
}

impl Default for ShellTexts {
    fn default() -> Self {
        ShellTexts {
            open: "Open Paneldeck".into(),
            sync_now: "Sync now".into(),
            pause_alerts: "Pause alerts for an hour".into(),
            resume_alerts: "Resume alerts".into(),
            quit: "Quit".into(),
            tooltip: "Paneldeck: panels down: {down}, accounts needing attention: {attention}"
                .into(),
            notifications: NotificationTexts {
                accounts_expiring: "Accounts expiring within {days} d: {accounts}".into(),
                accounts_depleted: "Accounts out of traffic: {accounts}".into(),
                usage_above: "Accounts that used {percent}% of their traffic: {accounts}".into(),
                panel_unreachable: "Panel {panel} unreachable for {minutes} min".into(),
                certificate_changed: "Panel {panel} presents a different certificate".into(),
                bulk_finished: "Bulk operation “{title}” finished: done {done}, failed {failed}"
                    .into(),
            },
            digits: "0123456789".into(),
        }
    }
}

/// The texts in use, kept by the app.
#[derive(Default)]
pub struct ShellWords(Mutex<ShellTexts>);

impl ShellWords {
    pub fn get(&self) -> ShellTexts {
        self.0.lock().map(|t| t.clone()).unwrap_or_default()
    }

    pub fn set(&self, texts: ShellTexts) {
        if let Ok(mut current) = self.0.lock() {
            *current = texts;
        }
    }
}

impl ShellTexts {
    /// `n` in the UI's digits.
    pub fn number(&self, n: impl ToString) -> String {
        let digits: Vec<char> = self.digits.chars().collect();
        n.to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if digits.len() == 10 => digits[d as usize],
                _ => c,
            })
            .collect()
    }

    /// Fills `{name}` placeholders: numbers in the UI's digits, names as they are.
    fn fill(&self, template: &str, numbers: &[(&str, u64)], names: &[(&str, &str)]) -> String {
        let mut text = template.to_owned();
        for (name, n) in numbers {
            text = text.replace(&format!("{{{name}}}"), &self.number(n));
        }
        for (name, value) in names {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn tooltip(&self, down: usize, attention: u64) -> String {
        self.fill(
            &self.tooltip,
            &[("down", down as u64), ("attention", attention)],
            &[],
        )
    }

    /// A notification's body: the alert's line, then the first accounts' names.
    pub fn notification(&self, alert: &Alert) -> String {
        let t = &self.notifications;
        let count = alert.count;
        let line = match &alert.kind {
            AlertKind::AccountsExpiring { within_days } => self.fill(
                &t.accounts_expiring,
                &[("accounts", count), ("days", u64::from(*within_days))],
                &[],
            ),
            AlertKind::AccountsDepleted => {
                self.fill(&t.accounts_depleted, &[("accounts", count)], &[])
            }
            AlertKind::UsageAbove { percent } => self.fill(
                &t.usage_above,
                &[("accounts", count), ("percent", u64::from(*percent))],
                &[],
            ),
            AlertKind::PanelUnreachable {
                panel_name,
                minutes,
                ..
            } => self.fill(
                &t.panel_unreachable,
                &[("minutes", u64::from(*minutes))],
                &[("panel", panel_name)],
            ),
            AlertKind::CertificateChanged { panel_name, .. } => {
                self.fill(&t.certificate_changed, &[], &[("panel", panel_name)])
            }
            AlertKind::BulkFinished {
                title,
                done,
                failed,
                ..
            } => self.fill(
                &t.bulk_finished,
                &[("done", *done), ("failed", *failed)],
                &[("title", title)],
            ),
        };
        if alert.names.is_empty() {
            return line;
        }
        let more = if count > alert.names.len() as u64 {
            ", …"
        } else {
            ""
        };
        format!("{line}\n{}{more}", alert.names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expiring(count: u64, names: &[&str]) -> Alert {
        Alert {
            kind: AlertKind::AccountsExpiring { within_days: 3 },
            at_ms: 0,
            count,
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            accounts: Vec::new(),
            filter: None,
        }
    }

    #[test]
    fn notifications_fill_the_ui_templates_in_its_digits() {
        let mut texts = ShellTexts::default();
        texts.notifications.accounts_expiring = "Истекают за {days} дн.: {accounts}".into();
        assert_eq!(
            texts.notification(&expiring(37, &["a", "b"])),
            "Истекают за 3 дн.: 37\na, b, …"
        );
        texts.digits = "۰۱۲۳۴۵۶۷۸۹".into();
        texts.tooltip = "{down} / {attention}".into();
        assert_eq!(texts.tooltip(2, 105), "۲ / ۱۰۵");
    }

    #[test]
    fn names_are_not_templates() {
        let texts = ShellTexts::default();
        let alert = Alert {
            kind: AlertKind::CertificateChanged {
                panel_id: paneldeck_core::registry::PanelId("p".into()),
                panel_name: "{minutes} 42".into(),
            },
            ..expiring(0, &[])
        };
        assert_eq!(
            texts.notification(&alert),
            "Panel {minutes} 42 presents a different certificate"
        );
    }
}
