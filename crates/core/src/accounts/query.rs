//! The accounts table's query: search, filters, sort and the window, and what comes back.
//! The table, and every selection by query (exports, bulk changes, links; see
//! [`super::selection`]), run it through one engine, the in-memory
//! [`SnapshotIndex`](super::index::SnapshotIndex). The SQL form here is the reference that
//! engine is checked against, and reads the dashboard's lists over the same columns.

use paneldeck_panels::PanelKind;
use rusqlite::{types::Value, Connection, Row};
use serde::{Deserialize, Serialize};

use super::{
    model::{Account, AccountKey, AccountStatus, Capabilities},
    snapshot::{expiring_bounds, DEPLETED_SQL, STATUS_SQL},
};
use crate::{
    error::Result,
    registry::{PanelId, PanelView},
};

/// Columns the table sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SortColumn {
    #[default]
    Name,
    Panel,
    Kind,
    Status,
    Used,
    Limit,
    Expiry,
    LastOnline,
    Created,
}

impl SortColumn {
    pub const ALL: [SortColumn; 9] = [
        SortColumn::Name,
        SortColumn::Panel,
        SortColumn::Kind,
        SortColumn::Status,
        SortColumn::Used,
        SortColumn::Limit,
        SortColumn::Expiry,
        SortColumn::LastOnline,
        SortColumn::Created,
    ];

    /// The SQL key; unlimited/never/unknown (NULL) values sort last in both directions.
    fn order_by(self, descending: bool) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        let nulls_last = |col: &str| format!("{col} IS NULL, {col} {dir}");
        let key = match self {
            SortColumn::Name => format!("a.name COLLATE NOCASE {dir}"),
            SortColumn::Panel => {
                format!("p.name COLLATE NOCASE {dir}, a.name COLLATE NOCASE {dir}")
            }
            SortColumn::Kind => format!("a.kind {dir}, a.name COLLATE NOCASE {dir}"),
            SortColumn::Status => format!("{STATUS_SQL} {dir}, a.name COLLATE NOCASE {dir}"),
            SortColumn::Used => format!("a.used_bytes {dir}"),
            SortColumn::Limit => nulls_last("a.limit_bytes"),
            SortColumn::Expiry => nulls_last("a.expires_at_ms"),
            SortColumn::LastOnline => nulls_last("a.last_online_ms"),
            SortColumn::Created => nulls_last("a.created_at_ms"),
        };
        format!("{key}, a.panel_id {dir}, a.native_id {dir}")
    }
}

/// What the table asks for: search, filters, sort, and the window.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountQuery {
    /// Words, all of which must appear in name, email, note, subscription id or uuid.
    pub search: String,
    pub panel_ids: Vec<PanelId>,
    pub kinds: Vec<PanelKind>,
    pub statuses: Vec<AccountStatus>,
    pub expiring_within_days: Option<u32>,
    pub depleted: bool,
    pub online: Option<bool>,
    /// 3x-ui group, Pterodactyl server (case-insensitive, exact).
    pub group: Option<String>,
    pub protocol: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for AccountQuery {
    fn default() -> Self {
        AccountQuery {
            search: String::new(),
            panel_ids: Vec::new(),
            kinds: Vec::new(),
            statuses: Vec::new(),
            expiring_within_days: None,
            depleted: false,
            online: None,
            group: None,
            protocol: None,
            sort: SortColumn::Name,
            descending: false,
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }
}

pub const DEFAULT_LIMIT: u32 = 100;
/// A window is never larger than this.
pub const MAX_LIMIT: u32 = 1000;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountRow {
    pub key: AccountKey,
    pub panel_name: String,
    pub panel_color: String,
    pub kind: PanelKind,
    pub name: String,
    pub email: Option<String>,
    pub status: AccountStatus,
    #[specta(type = specta_typescript::Number)]
    pub used_bytes: u64,
    #[specta(type = Option<specta_typescript::Number>)]
    pub limit_bytes: Option<u64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub expires_at_ms: Option<i64>,
    pub online: Option<bool>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub last_online_ms: Option<i64>,
    pub group: Option<String>,
}

/// The visible window and the counts.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountPage {
    pub rows: Vec<AccountRow>,
    /// Rows matching the search and filters.
    #[specta(type = specta_typescript::Number)]
    pub matched: u64,
    /// Rows in the snapshot.
    #[specta(type = specta_typescript::Number)]
    pub total: u64,
    pub offset: u32,
}

/// Everything about one account for its detail pane.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetail {
    pub account: Account,
    pub capabilities: Capabilities,
    /// The panel's own record, as it sent it.
    #[specta(type = specta_typescript::Unknown)]
    pub raw: serde_json::Value,
    pub panel: PanelView,
}

/// `WHERE` clause and its parameters (`:now` is always bound).
struct Filter {
    sql: String,
    params: Vec<(String, Value)>,
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn bind(params: &mut Vec<(String, Value)>, v: Value) -> String {
    let name = format!(":p{}", params.len());
    params.push((name.clone(), v));
    name
}

fn build(q: &AccountQuery, now_ms: i64) -> Filter {
    let mut clauses: Vec<String> = Vec::new();
    let mut params: Vec<(String, Value)> = vec![(":now".into(), Value::Integer(now_ms))];
    for word in q.search.split_whitespace() {
        let p = bind(
            &mut params,
            Value::Text(format!("%{}%", like_escape(&word.to_lowercase()))),
        );
        clauses.push(format!("a.search LIKE {p} ESCAPE '\\'"));
    }
    let mut any_of = |params: &mut Vec<(String, Value)>, col: &str, values: Vec<String>| {
        if !values.is_empty() {
            let names: Vec<String> = values
                .into_iter()
                .map(|v| bind(params, Value::Text(v)))
                .collect();
            clauses.push(format!("{col} IN ({})", names.join(", ")));
        }
    };
    any_of(
        &mut params,
        "a.panel_id",
        q.panel_ids.iter().map(|p| p.0.clone()).collect(),
    );
    any_of(
        &mut params,
        "a.kind",
        q.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
    );
    any_of(
        &mut params,
        STATUS_SQL,
        q.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
    );
    if let Some(days) = q.expiring_within_days {
        let (from, to) = expiring_bounds(now_ms, days);
        let (f, t) = (
            bind(&mut params, Value::Integer(from)),
            bind(&mut params, Value::Integer(to)),
        );
        clauses.push(format!(
            "(a.expires_at_ms > {f} AND a.expires_at_ms <= {t})"
        ));
    }
    if q.depleted {
        clauses.push(DEPLETED_SQL.to_owned());
    }
    match q.online {
        Some(true) => clauses.push("a.online = 1".into()),
        Some(false) => clauses.push("IFNULL(a.online, 0) = 0".into()),
        None => {}
    }
    if let Some(group) = q.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        let p = bind(&mut params, Value::Text(group.to_owned()));
        clauses.push(format!("a.grp = {p} COLLATE NOCASE"));
    }
    if let Some(proto) = q
        .protocol
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        let p = bind(
            &mut params,
            Value::Text(format!("%,{},%", like_escape(&proto.to_lowercase()))),
        );
        clauses.push(format!("a.protocols LIKE {p} ESCAPE '\\'"));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    Filter { sql, params }
}

fn bound(f: &Filter) -> Vec<(&str, &dyn rusqlite::ToSql)> {
    f.params
        .iter()
        .map(|(n, v)| (n.as_str(), v as &dyn rusqlite::ToSql))
        .collect()
}

fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn row(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    let kind: String = r.get("kind")?;
    let status: String = r.get("status")?;
    Ok(AccountRow {
        key: AccountKey {
            panel_id: PanelId(r.get("panel_id")?),
            native_id: r.get("native_id")?,
        },
        panel_name: r.get("panel_name")?,
        panel_color: r.get("panel_color")?,
        kind: kind.parse().unwrap_or(PanelKind::Xui),
        name: r.get("name")?,
        email: r.get("email")?,
        status: AccountStatus::parse(&status).unwrap_or(AccountStatus::Active),
        used_bytes: unsigned(r.get("used_bytes")?),
        limit_bytes: r.get::<_, Option<i64>>("limit_bytes")?.map(unsigned),
        expires_at_ms: r.get("expires_at_ms")?,
        online: r.get("online")?,
        last_online_ms: r.get("last_online_ms")?,
        group: r.get("grp")?,
    })
}

const ROW_COLUMNS: &str =
    "a.panel_id, a.native_id, p.name AS panel_name, p.color AS panel_color, a.kind, a.name,
    a.email, a.used_bytes, a.limit_bytes, a.expires_at_ms, a.online, a.last_online_ms, a.grp";

/// The window `q.offset .. q.offset + q.limit` of the matching rows, and the counts, by SQL
/// (the reference for [`SnapshotIndex::page`](super::index::SnapshotIndex::page)).
pub fn page(conn: &Connection, q: &AccountQuery, now_ms: i64) -> Result<AccountPage> {
    let f = build(q, now_ms);
    let limit = q.limit.clamp(1, MAX_LIMIT);
    let sql = format!(
        "SELECT {ROW_COLUMNS}, {STATUS_SQL} AS status FROM accounts a JOIN panels p ON p.id = a.panel_id
         {} ORDER BY {} LIMIT {limit} OFFSET {}",
        f.sql,
        q.sort.order_by(q.descending),
        q.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(bound(&f).as_slice(), row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let matched: i64 = if f.sql.is_empty() {
        conn.query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))?
    } else {
        let count = format!("SELECT COUNT(*) FROM accounts a {}", f.sql);
        // `:now` may be unused by the count (no status filter): bind only what it names.
        let mut stmt = conn.prepare_cached(&count)?;
        let params: Vec<(&str, &dyn rusqlite::ToSql)> = bound(&f)
            .into_iter()
            .filter(|(n, _)| count.contains(n))
            .collect();
        stmt.query_row(params.as_slice(), |r| r.get(0))?
    };
    let total: i64 = conn.query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))?;
    Ok(AccountPage {
        rows,
        matched: unsigned(matched),
        total: unsigned(total),
        offset: q.offset,
    })
}

/// Every matching key, in the query's order, by SQL (the reference for
/// [`SnapshotIndex::keys`](super::index::SnapshotIndex::keys); selections resolve through
/// the index, [`Paneldeck::selection_keys`](crate::Paneldeck::selection_keys)).
pub fn keys(conn: &Connection, q: &AccountQuery, now_ms: i64) -> Result<Vec<AccountKey>> {
    let f = build(q, now_ms);
    let sql = format!(
        "SELECT a.panel_id, a.native_id FROM accounts a JOIN panels p ON p.id = a.panel_id {} ORDER BY {}",
        f.sql,
        q.sort.order_by(q.descending)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let params: Vec<(&str, &dyn rusqlite::ToSql)> = bound(&f)
        .into_iter()
        .filter(|(n, _)| sql.contains(n))
        .collect();
    let keys = stmt
        .query_map(params.as_slice(), |r| {
            Ok(AccountKey {
                panel_id: PanelId(r.get(0)?),
                native_id: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

/// Rows for lists outside the table (dashboard): a raw `WHERE`/`ORDER BY` over the same columns.
pub(crate) fn rows_where(
    conn: &Connection,
    where_sql: &str,
    order_sql: &str,
    limit: u32,
    now_ms: i64,
) -> Result<Vec<AccountRow>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS}, {STATUS_SQL} AS status FROM accounts a JOIN panels p ON p.id = a.panel_id
         WHERE {where_sql} ORDER BY {order_sql} LIMIT {limit}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(&[(":now", &now_ms as &dyn rusqlite::ToSql)], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
