//! Turns Pterodactyl's `{errors:[{code, status, detail, meta?}]}` answers into `PanelError`s.

use reqwest::StatusCode;

use super::types::{ErrorBody, WireError};
use crate::{http::decode_json, http::RawResponse, FieldError, PanelError, PanelKind};

/// The exception Pterodactyl throws when the email already is a subuser of the server.
const SUBUSER_EXISTS: &str = "ServerSubuserExistsException";

pub(crate) fn not_this_panel(detail: String) -> PanelError {
    PanelError::NotThisPanel {
        kind: PanelKind::Pterodactyl,
        detail,
    }
}

/// Maps a non-2xx answer. A body without the `errors` list (an HTML page, another app's JSON)
/// on 404 means the URL is not a Pterodactyl client API.
pub(crate) fn from_response(raw: &RawResponse) -> PanelError {
    let status = raw.status;
    if raw.looks_like_html() {
        return not_this_panel(format!(
            "HTTP {} with an HTML page where JSON was expected",
            status.as_u16()
        ));
    }
    let errors = match decode_json::<ErrorBody>(&raw.body) {
        Ok(body) if !body.errors.is_empty() => body.errors,
        _ if status == StatusCode::NOT_FOUND => {
            return not_this_panel(format!(
                "HTTP 404 without Pterodactyl's error body: {}",
                raw.excerpt()
            ))
        }
        _ => {
            let message = raw.excerpt();
            return match status {
                StatusCode::UNAUTHORIZED => PanelError::Unauthorized { message },
                StatusCode::FORBIDDEN => PanelError::Forbidden { message },
                _ => PanelError::Api {
                    status: status.as_u16(),
                    message,
                },
            };
        }
    };
    let message = details(&errors);
    match status {
        StatusCode::UNAUTHORIZED => PanelError::Unauthorized { message },
        StatusCode::FORBIDDEN => PanelError::Forbidden { message },
        StatusCode::NOT_FOUND => PanelError::NotFound { message },
        StatusCode::CONFLICT => PanelError::Conflict { message },
        StatusCode::UNPROCESSABLE_ENTITY => PanelError::Validation {
            fields: errors
                .iter()
                .map(|e| FieldError::from_panel(e.field().unwrap_or_default(), e.detail.clone()))
                .collect(),
        },
        StatusCode::BAD_REQUEST if errors.iter().any(|e| e.code == SUBUSER_EXISTS) => {
            PanelError::Conflict { message }
        }
        StatusCode::BAD_REQUEST => PanelError::BadRequest { message },
        _ => PanelError::Api {
            status: status.as_u16(),
            message,
        },
    }
}

fn details(errors: &[WireError]) -> String {
    errors
        .iter()
        .map(|e| e.detail.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderMap;

    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn statuses_map_to_typed_errors() {
        let one = |code: &str, status: &str, detail: &str| {
            format!(r#"{{"errors":[{{"code":"{code}","status":"{status}","detail":"{detail}"}}]}}"#)
        };
        let e = from_response(&raw(404, &one("NotFoundHttpException", "404", "gone")));
        assert!(matches!(e, PanelError::NotFound { ref message } if message == "gone"));
        let e = from_response(&raw(403, &one("AuthorizationException", "403", "no")));
        assert!(matches!(e, PanelError::Forbidden { .. }));
        let e = from_response(&raw(400, &one(SUBUSER_EXISTS, "400", "already")));
        assert!(matches!(e, PanelError::Conflict { .. }));
        let e = from_response(&raw(
            400,
            &one("UserIsServerOwnerException", "400", "owner"),
        ));
        assert!(matches!(e, PanelError::BadRequest { ref message } if message == "owner"));
        let e = from_response(&raw(404, "<html><body>nginx</body></html>"));
        assert!(matches!(e, PanelError::NotThisPanel { .. }));
        let e = from_response(&raw(404, r#"{"message":"nope"}"#));
        assert!(matches!(e, PanelError::NotThisPanel { .. }));
    }

    #[test]
    fn validation_keeps_the_source_field() {
        let body = r#"{"errors":[
            {"code":"ValidationException","status":"422","detail":"The email must be a valid email address.","meta":{"source_field":"email","rule":"email"}},
            {"code":"ValidationException","status":"422","detail":"Bad list.","source":{"field":"permissions"}},
            {"code":"ValidationException","status":"422","detail":"General."}]}"#;
        match from_response(&raw(422, body)) {
            PanelError::Validation { fields } => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(names, vec!["email", "permissions", ""]);
                assert_eq!(
                    fields[0].message,
                    "The email must be a valid email address."
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
