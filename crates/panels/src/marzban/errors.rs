//! Marzban's error answers → [`PanelError`]: `{detail: "text"}` for 400/401/403/404/409 and
//! `{detail: {field: message}}` (or FastAPI's `[{loc, msg}]`) for 422.

use serde_json::Value;

use crate::{http::RawResponse, FieldError, PanelError, PanelKind};

pub(crate) fn error_for(raw: &RawResponse, route: &str) -> PanelError {
    if raw.looks_like_html() {
        return PanelError::NotThisPanel {
            kind: PanelKind::Marzban,
            detail: format!("{route} answered with an HTML page (HTTP {})", raw.status),
        };
    }
    let body: Option<Value> = serde_json::from_slice(&raw.body).ok();
    let detail = body.as_ref().and_then(|b| b.get("detail"));
    let message = match detail {
        Some(Value::String(s)) => s.clone(),
        // 0.4.9 sometimes passes a tuple as `detail`: `["You're not allowed to …"]`.
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
        None => raw.excerpt(),
    };
    match raw.status.as_u16() {
        400 => PanelError::BadRequest { message },
        401 => PanelError::Unauthorized { message },
        403 => PanelError::Forbidden { message },
        // FastAPI's answer for a route it does not have (`{"detail":"Not Found"}`), versus a
        // Marzban "User not found".
        404 | 405 if detail.is_none() || message == "Not Found" || raw.status == 405 => {
            PanelError::NotThisPanel {
                kind: PanelKind::Marzban,
                detail: format!(
                    "{route} does not exist on this server (HTTP {})",
                    raw.status
                ),
            }
        }
        404 => PanelError::NotFound { message },
        409 => PanelError::Conflict { message },
        422 => PanelError::Validation {
            fields: field_errors(detail),
        },
        status => PanelError::Api { status, message },
    }
}

/// `{field: msg}` (Marzban) or `[{loc: [.., field], msg}]` (plain FastAPI) → field errors.
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
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                FieldError::from_panel(
                    item.get("loc")
                        .and_then(Value::as_array)
                        .and_then(|loc| loc.last())
                        .map(text)
                        .unwrap_or_default(),
                    item.get("msg").map(text).unwrap_or_default(),
                )
            })
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
    fn maps_each_status_to_its_variant() {
        let e = error_for(
            &raw(422, r#"{"detail":{"username":"field required"}}"#),
            "r",
        );
        match e {
            PanelError::Validation { fields } => {
                assert_eq!(fields.len(), 1);
                assert_eq!(fields[0].field, "username");
                assert_eq!(fields[0].message, "field required");
            }
            other => panic!("{other:?}"),
        }
        let e = error_for(
            &raw(
                422,
                r#"{"detail":[{"loc":["body","password"],"msg":"x","type":"t"}]}"#,
            ),
            "r",
        );
        assert!(
            matches!(e, PanelError::Validation { ref fields } if fields[0].field == "password")
        );
        assert!(matches!(
            error_for(&raw(404, r#"{"detail":"User not found"}"#), "r"),
            PanelError::NotFound { ref message } if message == "User not found"
        ));
        assert!(matches!(
            error_for(&raw(404, r#"{"detail":"Not Found"}"#), "r"),
            PanelError::NotThisPanel { .. }
        ));
        assert!(matches!(
            error_for(&raw(403, r#"{"detail":"You're not allowed"}"#), "r"),
            PanelError::Forbidden { .. }
        ));
        assert!(matches!(
            error_for(&raw(403, r#"{"detail":["You're not allowed to edit"]}"#), "r"),
            PanelError::Forbidden { ref message } if message == "You're not allowed to edit"
        ));
        assert!(matches!(
            error_for(&raw(409, r#"{"detail":"User already exists"}"#), "r"),
            PanelError::Conflict { .. }
        ));
        assert!(matches!(
            error_for(&raw(400, r#"{"detail":"\"x\" is not a valid sort option"}"#), "r"),
            PanelError::BadRequest { ref message } if message.contains("sort")
        ));
        assert!(matches!(
            error_for(
                &raw(401, r#"{"detail":"Could not validate credentials"}"#),
                "r"
            ),
            PanelError::Unauthorized { .. }
        ));
        assert!(matches!(
            error_for(&raw(200, "<!doctype html><html></html>"), "r"),
            PanelError::NotThisPanel { .. }
        ));
    }
}
