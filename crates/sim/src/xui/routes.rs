//! The route table of each version, in one place: the router and the simulator's OpenAPI
//! `paths` are both built from it. Presence per version follows facts §1.1, §4.1 and §5.1;
//! a route a version lacks answers the bare 404 of every unknown path (§3.3).

use axum::{
    routing::{get, post, MethodRouter},
    Router,
};

use super::{auth, bulk, clients, legacy, paged, status, version::XuiVersion, views, Shared};

type Table = Vec<(&'static str, &'static str, MethodRouter<Shared>)>;

/// Routes outside the API's auth middleware.
fn public_table(v: XuiVersion) -> Table {
    let mut t: Table = vec![
        ("POST", "/login", post(auth::login)),
        ("POST", "/getTwoFactorEnable", post(auth::two_factor_enable)),
    ];
    // `GET /logout` up to v3.0.1, `POST /logout` from v3.0.2 (facts §2.2).
    if v.xhr_gets_401() {
        t.push(("POST", "/logout", post(auth::logout)));
    } else {
        t.push(("GET", "/logout", get(auth::logout)));
    }
    if v.has_tokens_and_csrf() {
        t.push(("GET", "/csrf-token", get(auth::csrf_token)));
    }
    // The OpenAPI document is public on v3.2–3.5 and authenticated from v3.6.0 (facts §1.2).
    if v.clients_api() && !v.v3_6() {
        t.push(("GET", "/panel/api/openapi.json", get(super::openapi)));
    }
    t
}

/// Routes behind the API auth middleware.
fn api_table(v: XuiVersion) -> Table {
    let mut t: Table = vec![
        ("GET", "/panel/api/inbounds/list", get(super::inbounds_list)),
        (
            "GET",
            "/panel/api/inbounds/get/{id}",
            get(super::inbounds_get),
        ),
        ("GET", "/panel/api/server/status", get(status::status)),
    ];
    if !v.clients_api() {
        t.extend(legacy_table());
        return t;
    }
    if v.v3_6() {
        t.push(("GET", "/panel/api/openapi.json", get(super::openapi)));
    }
    t.push((
        "GET",
        "/panel/api/inbounds/options",
        get(super::inbounds_options),
    ));
    t.extend(clients_table(v));
    t
}

/// The per-inbound client routes of v2.7.0 – v3.0.2 (facts §5.1, legacy table).
fn legacy_table() -> Table {
    vec![
        (
            "POST",
            "/panel/api/inbounds/addClient",
            post(legacy::add_client),
        ),
        (
            "POST",
            "/panel/api/inbounds/updateClient/{clientId}",
            post(legacy::update_client_route),
        ),
        (
            "POST",
            "/panel/api/inbounds/{id}/delClient/{clientId}",
            post(legacy::del_client),
        ),
        (
            "POST",
            "/panel/api/inbounds/{id}/delClientByEmail/{email}",
            post(legacy::del_client_by_email),
        ),
        (
            "POST",
            "/panel/api/inbounds/{id}/resetClientTraffic/{email}",
            post(legacy::reset_client_traffic),
        ),
        (
            "GET",
            "/panel/api/inbounds/getClientTraffics/{email}",
            get(legacy::get_client_traffics),
        ),
        (
            "POST",
            "/panel/api/inbounds/clientIps/{email}",
            post(legacy::client_ips),
        ),
        (
            "POST",
            "/panel/api/inbounds/clearClientIps/{email}",
            post(views::clear_ips),
        ),
        ("POST", "/panel/api/inbounds/onlines", post(views::onlines)),
        (
            "POST",
            "/panel/api/inbounds/lastOnline",
            post(views::last_online),
        ),
    ]
}

/// `/panel/api/clients/*` as the version has it (facts §4.1 "since" column).
fn clients_table(v: XuiVersion) -> Table {
    let mut t: Table = vec![
        ("GET", "/panel/api/clients/list", get(clients::list)),
        (
            "GET",
            "/panel/api/clients/list/paged",
            get(paged::list_paged),
        ),
        ("GET", "/panel/api/clients/get/{email}", get(clients::get)),
        ("POST", "/panel/api/clients/add", post(clients::add)),
        (
            "POST",
            "/panel/api/clients/update/{email}",
            post(clients::update),
        ),
        ("POST", "/panel/api/clients/del/{email}", post(clients::del)),
        (
            "POST",
            "/panel/api/clients/{email}/attach",
            post(clients::attach_route),
        ),
        (
            "POST",
            "/panel/api/clients/{email}/detach",
            post(clients::detach_route),
        ),
        (
            "POST",
            "/panel/api/clients/resetAllTraffics",
            post(clients::reset_all_traffics),
        ),
        (
            "POST",
            "/panel/api/clients/delDepleted",
            post(clients::del_depleted),
        ),
        (
            "POST",
            "/panel/api/clients/bulkAdjust",
            post(bulk::bulk_adjust),
        ),
        ("POST", "/panel/api/clients/bulkDel", post(bulk::bulk_del)),
        (
            "POST",
            "/panel/api/clients/bulkCreate",
            post(clients::bulk_create),
        ),
        (
            "POST",
            "/panel/api/clients/bulkAttach",
            post(bulk::bulk_attach),
        ),
        (
            "POST",
            "/panel/api/clients/bulkDetach",
            post(bulk::bulk_detach),
        ),
        (
            "POST",
            "/panel/api/clients/bulkResetTraffic",
            post(bulk::bulk_reset_traffic),
        ),
        ("GET", "/panel/api/clients/groups", get(bulk::groups)),
        (
            "GET",
            "/panel/api/clients/groups/{name}/emails",
            get(bulk::group_emails),
        ),
        (
            "POST",
            "/panel/api/clients/groups/create",
            post(bulk::groups_create),
        ),
        (
            "POST",
            "/panel/api/clients/groups/rename",
            post(bulk::groups_rename),
        ),
        (
            "POST",
            "/panel/api/clients/groups/delete",
            post(bulk::groups_delete),
        ),
        (
            "POST",
            "/panel/api/clients/groups/bulkAdd",
            post(bulk::groups_bulk_add),
        ),
        (
            "POST",
            "/panel/api/clients/groups/bulkRemove",
            post(bulk::groups_bulk_remove),
        ),
        (
            "POST",
            "/panel/api/clients/resetTraffic/{email}",
            post(clients::reset_traffic),
        ),
        (
            "POST",
            "/panel/api/clients/updateTraffic/{email}",
            post(clients::update_traffic),
        ),
        ("POST", "/panel/api/clients/ips/{email}", post(views::ips)),
        (
            "POST",
            "/panel/api/clients/clearIps/{email}",
            post(views::clear_ips),
        ),
        ("POST", "/panel/api/clients/onlines", post(views::onlines)),
        (
            "POST",
            "/panel/api/clients/activeInbounds",
            post(views::active_inbounds),
        ),
        (
            "POST",
            "/panel/api/clients/lastOnline",
            post(views::last_online),
        ),
        (
            "GET",
            "/panel/api/clients/traffic/{email}",
            get(views::traffic),
        ),
        (
            "GET",
            "/panel/api/clients/subLinks/{subId}",
            get(views::sub_links),
        ),
        ("GET", "/panel/api/clients/links/{email}", get(views::links)),
    ];
    if v.v3_3_0() {
        t.push((
            "POST",
            "/panel/api/clients/onlinesByGuid",
            post(views::onlines_by_guid),
        ));
    }
    if v.v3_4() {
        t.extend([
            (
                "POST",
                "/panel/api/clients/{email}/externalLinks",
                post(clients::external_links),
            ),
            ("GET", "/panel/api/clients/export", get(clients::export)),
            ("POST", "/panel/api/clients/import", post(clients::import)),
            (
                "POST",
                "/panel/api/clients/delOrphans",
                post(clients::del_orphans),
            ),
            (
                "POST",
                "/panel/api/clients/clientIpsByGuid",
                post(views::client_ips_by_guid),
            ),
            (
                "POST",
                "/panel/api/clients/bulkEnable",
                post(bulk::bulk_enable),
            ),
            (
                "POST",
                "/panel/api/clients/bulkDisable",
                post(bulk::bulk_disable),
            ),
        ]);
    }
    if v.head() {
        t.push((
            "POST",
            "/panel/api/clients/hwids/{email}",
            post(views::hwids),
        ));
    }
    t
}

/// `(method, path)` of every route version `v` serves, public ones included.
pub fn routes(v: XuiVersion) -> Vec<(&'static str, &'static str)> {
    public_table(v)
        .into_iter()
        .chain(api_table(v))
        .map(|(m, p, _)| (m, p))
        .collect()
}

fn router(table: Table) -> Router<Shared> {
    table
        .into_iter()
        .fold(Router::new(), |r, (_, path, method)| r.route(path, method))
}

pub(super) fn public(v: XuiVersion) -> Router<Shared> {
    router(public_table(v))
}

pub(super) fn api(v: XuiVersion) -> Router<Shared> {
    router(api_table(v))
}
