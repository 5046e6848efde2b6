//! Which accounts a bulk change, an export, a link export or a migration covers, and the one
//! way a selection becomes accounts: through the table's own query engine, so every feature
//! takes exactly the rows the table shows for the same filter.

use serde::Deserialize;

use super::{AccountKey, AccountQuery};
use crate::{error::Result, registry::PanelId, Paneldeck};

/// Which accounts: rows picked in the table, everything matching a filter (its window,
/// `offset`/`limit`, is ignored: every match is taken), one panel, or every account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Selection {
    Keys {
        keys: Vec<AccountKey>,
    },
    Query {
        query: AccountQuery,
    },
    #[serde(rename_all = "camelCase")]
    Panel {
        panel_id: PanelId,
    },
    All,
}

impl Paneldeck {
    /// The accounts a selection names: picked keys as given, anything else in table order.
    pub fn selection_keys(&self, selection: &Selection) -> Result<Vec<AccountKey>> {
        match selection {
            Selection::Keys { keys } => Ok(keys.clone()),
            Selection::Query { query } => self.query_keys(query),
            Selection::Panel { panel_id } => self.query_keys(&AccountQuery {
                panel_ids: vec![panel_id.clone()],
                ..AccountQuery::default()
            }),
            Selection::All => self.query_keys(&AccountQuery::default()),
        }
    }
}
