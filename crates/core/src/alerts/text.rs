//! Alerts in English, for the CLI, Telegram and webhooks (the UI words them itself).

use super::types::{Alert, AlertKind};

fn accounts(n: u64) -> String {
    if n == 1 {
        "1 account".into()
    } else {
        format!("{n} accounts")
    }
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// The names it lists, and how many more there are.
fn names(alert: &Alert) -> String {
    if alert.names.is_empty() {
        return String::new();
    }
    let more = alert.count.saturating_sub(alert.names.len() as u64);
    let list = alert.names.join(", ");
    if more > 0 {
        format!(": {list} and {more} more")
    } else {
        format!(": {list}")
    }
}

/// One line.
pub fn english(alert: &Alert) -> String {
    match &alert.kind {
        AlertKind::AccountsExpiring { within_days } => {
            let verb = if alert.count == 1 {
                "expires"
            } else {
                "expire"
            };
            format!(
                "{} {verb} within {}{}",
                accounts(alert.count),
                days(*within_days),
                names(alert)
            )
        }
        AlertKind::AccountsDepleted => {
            let verb = if alert.count == 1 { "has" } else { "have" };
            format!(
                "{} {verb} used up their traffic{}",
                accounts(alert.count),
                names(alert)
            )
        }
        AlertKind::UsageAbove { percent } => {
            let verb = if alert.count == 1 { "has" } else { "have" };
            format!(
                "{} {verb} used {percent}% or more of their traffic{}",
                accounts(alert.count),
                names(alert)
            )
        }
        AlertKind::PanelUnreachable {
            panel_name,
            minutes,
            ..
        } => {
            format!("Panel {panel_name} has been unreachable for {minutes} minutes or more")
        }
        AlertKind::CertificateChanged { panel_name, .. } => {
            format!("Panel {panel_name} presents a different certificate than the one pinned")
        }
        AlertKind::BulkFinished {
            title,
            done,
            failed,
            ..
        } if *failed > 0 => {
            format!("Bulk operation \"{title}\" finished with {failed} failed ({done} done)")
        }
        AlertKind::BulkFinished { title, done, .. } => {
            format!("Bulk operation \"{title}\" finished: {done} done")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_accounts_are_one_line_with_a_few_names() {
        let alert = Alert {
            kind: AlertKind::AccountsExpiring { within_days: 3 },
            at_ms: 0,
            count: 37,
            names: vec!["a".into(), "b".into()],
            accounts: Vec::new(),
            filter: None,
        };
        assert_eq!(
            english(&alert),
            "37 accounts expire within 3 days: a, b and 35 more"
        );
    }
}
