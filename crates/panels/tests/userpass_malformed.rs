//! Malformed answers (HTML, wrong types, missing fields, foreign 404s) from a tiny axum server
//! give typed errors that name the field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::{
    extract::Path,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use paneldeck_panels::{
    userpass::{ListParams, NewSubUser, SubUserStatus, UserpassClient},
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};

const GOOD_ITEM: &str = r#"{"id":88,"user_name":"user_1","use_key":"pass_123","status":1,"usage_cap":-1,"ip_usage_cap":-1,"data_used":0,"ip_used":0}"#;

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn list_body(item: &str) -> String {
    format!(
        r#"{{"success":true,"message":"ok","result":{{"items":[{item}],"total_items":1,"total_pages":1}}}}"#
    )
}

async fn bad(Path(case): Path<String>) -> Response {
    match case.as_str() {
        "html" => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            "<!DOCTYPE html><html><body>Login</body></html>",
        )
            .into_response(),
        "wrong-type" => json(
            StatusCode::OK,
            list_body(&GOOD_ITEM.replace("88", r#""88""#)),
        ),
        "missing-field" => json(
            StatusCode::OK,
            list_body(&GOOD_ITEM.replace(r#""user_name":"user_1","#, "")),
        ),
        "bad-status" => json(
            StatusCode::OK,
            list_body(&GOOD_ITEM.replace(r#""status":1"#, r#""status":9"#)),
        ),
        "no-result" => json(StatusCode::OK, r#"{"success":true,"message":"ok"}"#.into()),
        "no-envelope" => json(StatusCode::OK, r#"{"items":[]}"#.into()),
        "not-json" => (StatusCode::OK, "OK").into_response(),
        "refused" => json(
            StatusCode::OK,
            r#"{"success":false,"message":"Your plan has expired","result":null}"#.into(),
        ),
        "foreign-404" => (StatusCode::NOT_FOUND, "404 page not found").into_response(),
        "create-no-result" => json(StatusCode::OK, list_body(GOOD_ITEM)),
        _ => StatusCode::IM_A_TEAPOT.into_response(),
    }
}

async fn bad_create(Path(case): Path<String>) -> Response {
    match case.as_str() {
        "create-bad-result" => json(
            StatusCode::OK,
            format!(
                r#"{{"success":true,"message":"ok","result":{}}}"#,
                GOOD_ITEM.replace(r#""use_key":"pass_123""#, r#""use_key":42"#)
            ),
        ),
        "create-no-result" => json(
            StatusCode::OK,
            r#"{"success":true,"message":"Created","result":null}"#.into(),
        ),
        _ => StatusCode::IM_A_TEAPOT.into_response(),
    }
}

async fn serve() -> String {
    let router = Router::new()
        .route("/{case}/client/v1/user-passes/get-list", get(bad))
        .route("/{case}/client/v1/user-passes/create", post(bad_create));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn client(base: &str, case: &str) -> UserpassClient {
    let ep = Endpoint::parse(&format!("{base}/{case}/")).expect("url");
    let http = HttpClient::new(PanelKind::Userpass, ep)
        .expect("http")
        .with_max_retries(0);
    UserpassClient::new(http, Secret::new("k"), false)
}

async fn list_error(base: &str, case: &str) -> PanelError {
    match client(base, case).get_list(&ListParams::default()).await {
        Err(e) => e,
        Ok(page) => panic!("{case}: expected an error, got {page:?}"),
    }
}

fn decode_parts(case: &str, err: PanelError) -> (String, String) {
    match err {
        PanelError::Decode { path, message } => (path, message),
        other => panic!("{case}: expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_and_foreign_404s_are_not_this_panel() {
    let base = serve().await;
    for case in ["html", "foreign-404"] {
        let err = list_error(&base, case).await;
        assert!(
            matches!(
                err,
                PanelError::NotThisPanel {
                    kind: PanelKind::Userpass,
                    ..
                }
            ),
            "{case}: {err:?}"
        );
    }
}

#[tokio::test]
async fn decode_errors_name_the_field() {
    let base = serve().await;
    let (path, _) = decode_parts("wrong-type", list_error(&base, "wrong-type").await);
    assert_eq!(path, "result.items[0].id");

    let (path, message) = decode_parts("missing-field", list_error(&base, "missing-field").await);
    assert_eq!(path, "result.items[0]");
    assert!(message.contains("user_name"), "{message}");

    let (path, message) = decode_parts("bad-status", list_error(&base, "bad-status").await);
    assert_eq!(path, "result.items[0].status");
    assert!(message.contains("unknown status 9"), "{message}");

    let (path, _) = decode_parts("no-result", list_error(&base, "no-result").await);
    assert_eq!(path, "result");

    let (_, message) = decode_parts("no-envelope", list_error(&base, "no-envelope").await);
    assert!(message.contains("success"), "{message}");

    let err = list_error(&base, "not-json").await;
    assert!(matches!(err, PanelError::Decode { .. }), "{err:?}");

    let new = NewSubUser {
        user_name: "user_1".into(),
        password: Secret::new("pass_123"),
        status: SubUserStatus::Active,
        note: None,
        usage_cap_bytes: None,
        ip_usage_cap: None,
    };
    let err = client(&base, "create-bad-result").create(&new).await.err();
    let (path, _) = decode_parts("create-bad-result", err.expect("error"));
    assert_eq!(path, "result.use_key");
}

#[tokio::test]
async fn success_false_carries_the_message() {
    let base = serve().await;
    match list_error(&base, "refused").await {
        PanelError::Api { message, .. } => assert_eq!(message, "Your plan has expired"),
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn create_without_a_result_finds_the_new_sub_user_by_name() {
    let base = serve().await;
    let new = NewSubUser {
        user_name: "user_1".into(),
        password: Secret::new("pass_123"),
        status: SubUserStatus::Active,
        note: None,
        usage_cap_bytes: None,
        ip_usage_cap: None,
    };
    let created = client(&base, "create-no-result")
        .create(&new)
        .await
        .expect("create");
    assert_eq!((created.id.0, created.user_name.as_str()), (88, "user_1"));
}
