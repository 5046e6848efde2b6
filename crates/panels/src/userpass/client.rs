use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use super::types::{
    CreateSubUser, Envelope, ListParams, ListResult, NewSubUser, SubUser, SubUserId, SubUserPage,
    SubUserUpdate, UpdateSubUser, WireSubUser,
};
use crate::{
    http::{decode_json, RawResponse},
    HttpClient, PanelError, PanelKind, ProbeInfo, Secret,
};

const LIST: &str = "client/v1/user-passes/get-list";
const CREATE: &str = "client/v1/user-passes/create";
const UPDATE: &str = "client/v1/user-passes/update";
const DELETE: &str = "client/v1/user-passes/delete";

/// Page size `get_list_all` asks for.
const ALL_PAGE_SIZE: u32 = 100;
/// Stops `get_list_all` if a misbehaving server keeps announcing more pages.
const MAX_PAGES: u64 = 10_000;

/// Client of the user-pass sub-user API.
#[derive(Debug, Clone)]
pub struct UserpassClient {
    http: HttpClient,
    api_key: Secret,
    key_in_query: bool,
}

impl UserpassClient {
    /// `key_in_query` sends the key as the `api-key` query parameter instead of the header.
    pub fn new(http: HttpClient, api_key: Secret, key_in_query: bool) -> Self {
        UserpassClient {
            http,
            api_key,
            key_in_query,
        }
    }

    /// "Test connection": one small list call checks reachability, the key and the envelope.
    pub async fn probe(&self) -> Result<ProbeInfo, PanelError> {
        let page = self
            .get_list(&ListParams {
                limit: Some(1),
                ..ListParams::default()
            })
            .await?;
        Ok(ProbeInfo {
            version: None,
            api_generation: Some("client/v1 user-passes".into()),
            signed_in_as: None,
            accounts: Some(u32::try_from(page.total_items).unwrap_or(u32::MAX)),
            inbounds: None,
            read_only: false,
            summary: format!(
                "User-pass API reached; the key sees {} sub-user{}",
                page.total_items,
                if page.total_items == 1 { "" } else { "s" }
            ),
        })
    }

    /// `GET get-list`: one page.
    pub async fn get_list(&self, params: &ListParams) -> Result<SubUserPage, PanelError> {
        let req = self.request(Method::GET, LIST).query(params);
        let result: ListResult = self.call(req).await?.ok_or_else(|| missing("result"))?;
        Ok(SubUserPage {
            items: result.items.into_iter().map(SubUser::from).collect(),
            total_items: result.total_items,
            total_pages: result.total_pages,
        })
    }

    /// Every page of `get-list` with the given filters and order (`limit`/`page` are ignored).
    pub async fn get_list_all(&self, params: &ListParams) -> Result<Vec<SubUser>, PanelError> {
        let mut all = Vec::new();
        let mut page = 1u32;
        loop {
            let this = self
                .get_list(&ListParams {
                    limit: Some(ALL_PAGE_SIZE),
                    page: Some(page),
                    ..params.clone()
                })
                .await?;
            let empty = this.items.is_empty();
            all.extend(this.items);
            if empty || u64::from(page) >= this.total_pages.min(MAX_PAGES) {
                return Ok(all);
            }
            page += 1;
        }
    }

    /// `POST create`. Returns the new sub-user: from `result` when the provider sends it, else
    /// found by name (the reference does not promise a `result` here).
    pub async fn create(&self, new: &NewSubUser) -> Result<SubUser, PanelError> {
        let req = self
            .request(Method::POST, CREATE)
            .json(&CreateSubUser::from(new));
        let raw = self.http.send(req).await?;
        let result: Option<serde_json::Value> = unwrap_envelope(&raw)?;
        if let Some(serde_json::Value::Object(_)) = result {
            // Decoded again with the precise type so a bad field is named by its path.
            let sub: Option<WireSubUser> = unwrap_envelope(&raw)?;
            if let Some(sub) = sub {
                return Ok(SubUser::from(sub));
            }
        }
        self.find_by_name(&new.user_name)
            .await?
            .ok_or_else(|| missing("result"))
    }

    /// `PUT update`.
    pub async fn update(&self, update: &SubUserUpdate) -> Result<(), PanelError> {
        let req = self
            .request(Method::PUT, UPDATE)
            .json(&UpdateSubUser::from(update));
        self.call::<serde_json::Value>(req).await.map(|_| ())
    }

    /// `DELETE delete` (the id goes in a JSON body).
    pub async fn delete(&self, id: SubUserId) -> Result<(), PanelError> {
        let req = self
            .request(Method::DELETE, DELETE)
            .json(&serde_json::json!({ "id": id }));
        self.call::<serde_json::Value>(req).await.map(|_| ())
    }

    /// The sub-user whose name is exactly `user_name`, if any.
    pub async fn find_by_name(&self, user_name: &str) -> Result<Option<SubUser>, PanelError> {
        let found = self
            .get_list_all(&ListParams {
                keyword: Some(user_name.to_owned()),
                ..ListParams::default()
            })
            .await?;
        Ok(found.into_iter().find(|s| s.user_name == user_name))
    }

    fn request(&self, method: Method, route: &str) -> RequestBuilder {
        let req = self
            .http
            .request(method, route)
            .header(reqwest::header::ACCEPT, "application/json");
        if self.key_in_query {
            req.query(&[("api-key", self.api_key.expose())])
        } else {
            req.header("api-key", self.api_key.expose())
        }
    }

    /// Sends, checks the envelope, and hands back `result`.
    async fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        req: RequestBuilder,
    ) -> Result<Option<T>, PanelError> {
        let raw = self.http.send(req).await?;
        raw.decode_with(unwrap_envelope).await
    }
}

fn missing(field: &str) -> PanelError {
    PanelError::Decode {
        path: field.to_owned(),
        message: format!("missing field `{field}`"),
    }
}

fn not_this_panel(detail: String) -> PanelError {
    PanelError::NotThisPanel {
        kind: PanelKind::Userpass,
        detail,
    }
}

/// Classifies an answer: HTML or a body without the envelope is not this API; `success:false`
/// becomes a typed error carrying the provider's `message`.
fn unwrap_envelope<T: DeserializeOwned>(raw: &RawResponse) -> Result<Option<T>, PanelError> {
    let status = raw.status;
    if raw.looks_like_html() {
        return Err(not_this_panel(format!(
            "HTTP {} with an HTML page where JSON was expected",
            status.as_u16()
        )));
    }
    // The usual answer in one pass; anything else is read again below.
    if status.is_success() {
        if let Ok(Envelope {
            success: true,
            result,
            ..
        }) = serde_json::from_slice::<Envelope<T>>(&raw.body)
        {
            return Ok(result);
        }
    }
    // Errors first as a loose envelope, so a failure body with an odd `result` still reads.
    let loose = decode_json::<Envelope<serde::de::IgnoredAny>>(&raw.body);
    if !status.is_success() {
        let message = match &loose {
            Ok(env) => env.message.clone().unwrap_or_else(|| raw.excerpt()),
            Err(_) if status == StatusCode::NOT_FOUND => {
                return Err(not_this_panel(format!(
                    "HTTP 404 without the user-pass envelope: {}",
                    raw.excerpt()
                )))
            }
            Err(_) => raw.excerpt(),
        };
        return Err(match status {
            StatusCode::UNAUTHORIZED => PanelError::Unauthorized { message },
            StatusCode::FORBIDDEN => PanelError::Forbidden { message },
            StatusCode::NOT_FOUND => PanelError::NotFound { message },
            _ => PanelError::Api {
                status: status.as_u16(),
                message,
            },
        });
    }
    let env = loose?;
    if !env.success {
        return Err(PanelError::Api {
            status: status.as_u16(),
            message: env
                .message
                .unwrap_or_else(|| "the provider reported a failure without a message".into()),
        });
    }
    // Decode again with the precise type, so a bad field is named by its full path.
    let typed = decode_json::<Envelope<T>>(&raw.body)?;
    Ok(typed.result)
}
