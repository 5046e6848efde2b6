//! Malformed or hostile answers from a tiny axum server: HTML, wrong types, missing fields,
//! foreign 404s, error bodies, and a 429 with Retry-After on a POST.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{
    atomic::{AtomicU32, Ordering},
    Arc,
};

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use paneldeck_panels::{
    pterodactyl::{Permission, PermissionSet, PterodactylClient, ServerIdentifier, SubuserUuid},
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};

const GOOD: &str = r#"{"object":"server_subuser","attributes":{"uuid":"73f233ca-99e0-47a9-bd46-efd3296d7ad9","username":"subuser1","email":"sub@example.com","image":"https://gravatar.com/avatar/x","2fa_enabled":false,"created_at":"2020-06-12T23:18:43+01:00","permissions":["control.console","file.write"]}}"#;

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn list(item: &str) -> String {
    format!(r#"{{"object":"list","data":[{item}]}}"#)
}

async fn users(Path((case, _server)): Path<(String, String)>) -> Response {
    match case.as_str() {
        "good" => json(StatusCode::OK, list(GOOD)),
        "html" => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><head><title>Pterodactyl</title></head></html>",
        )
            .into_response(),
        "wrong-type" => json(
            StatusCode::OK,
            list(&GOOD.replace(r#""2fa_enabled":false"#, r#""2fa_enabled":"no""#)),
        ),
        "missing-field" => json(
            StatusCode::OK,
            list(&GOOD.replace(r#""email":"sub@example.com","#, "")),
        ),
        "permissions-not-list" => json(
            StatusCode::OK,
            list(&GOOD.replace(
                r#"["control.console","file.write"]"#,
                r#""control.console""#,
            )),
        ),
        "no-data" => json(StatusCode::OK, r#"{"object":"list"}"#.into()),
        "foreign-404" => json(StatusCode::NOT_FOUND, r#"{"message":"Not Found"}"#.into()),
        "forbidden" => json(
            StatusCode::FORBIDDEN,
            r#"{"errors":[{"code":"AccessDeniedHttpException","status":"403","detail":"This action is unauthorized."}]}"#.into(),
        ),
        "teapot" => json(
            StatusCode::IM_A_TEAPOT,
            r#"{"errors":[{"code":"X","status":"418","detail":"short and stout"}]}"#.into(),
        ),
        _ => StatusCode::IM_A_TEAPOT.into_response(),
    }
}

/// POST update: 429 with Retry-After: 1 the first time, then the subuser.
async fn update(State(hits): State<Arc<AtomicU32>>, _: Path<(String, String, String)>) -> Response {
    if hits.fetch_add(1, Ordering::SeqCst) == 0 {
        let mut resp = json(
            StatusCode::TOO_MANY_REQUESTS,
            r#"{"errors":[{"code":"TooManyRequestsHttpException","status":"429","detail":"Too Many Attempts."}]}"#.into(),
        );
        resp.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(1u32));
        return resp;
    }
    json(StatusCode::OK, GOOD.into())
}

async fn serve(hits: Arc<AtomicU32>) -> String {
    let router = Router::new()
        .route("/{case}/api/client/servers/{server}/users", get(users))
        .route(
            "/{case}/api/client/servers/{server}/users/{user}",
            axum::routing::post(update),
        )
        .with_state(hits);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn client(base: &str, case: &str) -> PterodactylClient {
    let ep = Endpoint::parse(&format!("{base}/{case}/")).expect("url");
    let http = HttpClient::new(PanelKind::Pterodactyl, ep)
        .expect("http")
        .with_max_retries(0);
    PterodactylClient::new(http, Secret::new("ptlc_x"))
}

fn server() -> ServerIdentifier {
    ServerIdentifier("1a2b3c4d".into())
}

async fn list_error(base: &str, case: &str) -> PanelError {
    match client(base, case).list_subusers(&server()).await {
        Err(e) => e,
        Ok(v) => panic!("{case}: expected an error, got {v:?}"),
    }
}

fn decode_parts(case: &str, err: PanelError) -> (String, String) {
    match err {
        PanelError::Decode { path, message } => (path, message),
        other => panic!("{case}: expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_permission_keys_are_kept_aside() {
    let base = serve(Arc::default()).await;
    let subs = client(&base, "good")
        .list_subusers(&server())
        .await
        .expect("good list");
    assert_eq!(
        subs[0].permissions,
        PermissionSet::from([Permission::ControlConsole])
    );
    assert_eq!(subs[0].unknown_permissions, vec!["file.write".to_owned()]);
}

#[tokio::test]
async fn decode_errors_name_the_field() {
    let base = serve(Arc::default()).await;
    let (path, _) = decode_parts("wrong-type", list_error(&base, "wrong-type").await);
    assert_eq!(path, "data[0].attributes.2fa_enabled");
    let (path, message) = decode_parts("missing-field", list_error(&base, "missing-field").await);
    assert_eq!(path, "data[0].attributes");
    assert!(message.contains("email"), "{message}");
    let (path, _) = decode_parts(
        "permissions",
        list_error(&base, "permissions-not-list").await,
    );
    assert_eq!(path, "data[0].attributes.permissions");
    let (_, message) = decode_parts("no-data", list_error(&base, "no-data").await);
    assert!(message.contains("data"), "{message}");
}

#[tokio::test]
async fn html_foreign_404s_and_error_bodies_are_typed() {
    let base = serve(Arc::default()).await;
    for case in ["html", "foreign-404"] {
        let err = list_error(&base, case).await;
        assert!(
            matches!(
                err,
                PanelError::NotThisPanel {
                    kind: PanelKind::Pterodactyl,
                    ..
                }
            ),
            "{case}: {err:?}"
        );
    }
    assert!(matches!(
        list_error(&base, "forbidden").await,
        PanelError::Forbidden { ref message } if message == "This action is unauthorized."
    ));
    assert!(matches!(
        list_error(&base, "teapot").await,
        PanelError::Api { status: 418, ref message } if message == "short and stout"
    ));
}

#[tokio::test]
async fn a_429_on_a_post_is_waited_out_and_sent_again() {
    let hits = Arc::new(AtomicU32::new(0));
    let base = serve(hits.clone()).await;
    let updated = client(&base, "any")
        .update_subuser(
            &server(),
            &SubuserUuid("73f233ca-99e0-47a9-bd46-efd3296d7ad9".into()),
            &PermissionSet::from([Permission::ControlConsole]),
        )
        .await
        .expect("update after 429");
    assert_eq!(updated.username, "subuser1");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}
