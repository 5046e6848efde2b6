//! PasarGuard's error answers → [`PanelError`] (facts §8): `{detail: "text"}`, and 422
//! `{detail: {field: message}}` keyed by the last element of pydantic's `loc`. Field keys are
//! kept; the texts are pydantic v2's and are carried as the panel's own words.

use serde_json::Value;

use crate::{http::RawResponse, FieldError, PanelError, PanelKind};

pub(crate) fn not_this_panel(detail: String) -> PanelError {
    PanelError::NotThisPanel {
        kind: PanelKind::Pasarguard,
        detail,
    }
}

pub(crate) fn error_for(raw: &RawResponse, route: &str) -> PanelError {
    if raw.looks_like_html() {
        return not_this_panel(format!(
            "{route} answered with an HTML page (HTTP {})",
            raw.status
        ));
    }
    let body: Option<Value> = serde_json::from_slice(&raw.body).ok();
    let detail = body.as_ref().and_then(|b| b.get("detail"));
    let message = match detail {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => raw.excerpt(),
    };
    match raw.status.as_u16() {
        400 => PanelError::BadRequest { message },
        401 => PanelError::Unauthorized { message },
        403 => PanelError::Forbidden { message },
        // FastAPI's own "Not Found" is a route this server lacks; "User not found" and
        // "Group not found" are the panel's (steps 26, 31).
        404 | 405 if detail.is_none() || message == "Not Found" || raw.status == 405 => {
            not_this_panel(format!(
                "{route} does not exist on this server (HTTP {})",
                raw.status
            ))
        }
        404 => PanelError::NotFound { message },
        409 => PanelError::Conflict { message },
        422 => PanelError::Validation {
            fields: field_errors(detail),
        },
        status => PanelError::Api { status, message },
    }
}

fn field_errors(detail: Option<&Value>) -> Vec<FieldError> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match detail {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(field, msg)| FieldError::from_panel(field.clone(), text(msg)))
            .collect(),
        Some(other) => vec![FieldError::from_panel(String::new(), text(other))],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use reqwest::{header::HeaderMap, StatusCode};

    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn recorded_errors_map_to_their_variants() {
        // Step 25.
        let e = error_for(
            &raw(
                422,
                r#"{"detail":{"group_ids":"Value error, you must select at least one group"}}"#,
            ),
            "api/user",
        );
        assert!(
            matches!(e, PanelError::Validation { ref fields } if fields[0].field == "group_ids")
        );
        // Steps 26, 22, 40, 5, 59, 93.
        assert!(matches!(
            error_for(&raw(404, r#"{"detail":"Group not found"}"#), "r"),
            PanelError::NotFound { .. }
        ));
        assert!(matches!(
            error_for(&raw(409, r#"{"detail":"User already exists"}"#), "r"),
            PanelError::Conflict { .. }
        ));
        assert!(matches!(
            error_for(
                &raw(
                    400,
                    r#"{"detail":"Value error, 'bogus' is not a valid UserSortOption"}"#
                ),
                "r"
            ),
            PanelError::BadRequest { .. }
        ));
        assert!(matches!(
            error_for(
                &raw(401, r#"{"detail":"Could not validate credentials"}"#),
                "r"
            ),
            PanelError::Unauthorized { .. }
        ));
        assert!(matches!(
            error_for(
                &raw(403, r#"{"detail":"Permission denied: admins.read"}"#),
                "r"
            ),
            PanelError::Forbidden { .. }
        ));
        assert!(matches!(
            error_for(&raw(404, r#"{"detail":"Not Found"}"#), "r"),
            PanelError::NotThisPanel { .. }
        ));
    }
}
