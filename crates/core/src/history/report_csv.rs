//! A usage report as CSV, for the app's export and `paneldeck report --format csv`.

use std::path::Path;

use super::types::{ReportBy, ReportRow};
use crate::{
    error::{CoreError, Result},
    files::{csv_cell, write_bytes_atomic},
    Paneldeck,
};

/// The columns, named like the JSON fields' meaning (a data format: not translated).
pub const REPORT_CSV_HEADER: [&str; 6] = [
    "name",
    "used_bytes",
    "accounts",
    "created",
    "expired",
    "depleted",
];

/// One line per row; a row without a label (accounts without a group or owner) has an empty
/// name. Names come from panels: those a spreadsheet would run as formulas are neutralised.
pub fn report_csv(rows: &[ReportRow]) -> Result<Vec<u8>> {
    let err = |e: csv::Error| CoreError::Internal(format!("CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(REPORT_CSV_HEADER).map_err(err)?;
    for r in rows {
        let name = csv_cell(r.label.as_deref().unwrap_or_default(), false);
        let numbers = [r.used_bytes, r.accounts, r.created, r.expired, r.depleted];
        let mut record = vec![name.into_owned()];
        record.extend(numbers.iter().map(u64::to_string));
        w.write_record(&record).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| CoreError::Internal(format!("CSV: {e}")))
}

impl Paneldeck {
    /// Writes the report over the last `days` days to `path` as CSV.
    pub fn save_usage_report_csv(&self, by: ReportBy, days: u32, path: &Path) -> Result<()> {
        let rows = self.usage_report(by, days)?;
        write_bytes_atomic(path, &report_csv(&rows)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: Option<&str>, used_bytes: u64) -> ReportRow {
        ReportRow {
            label: label.map(str::to_owned),
            used_bytes,
            accounts: 3,
            created: 1,
            expired: 0,
            depleted: 2,
            points: Vec::new(),
        }
    }

    #[test]
    fn rows_are_quoted_neutralised_and_unlabelled_rows_are_empty() {
        let rows = [
            row(Some("Berlin, \"main\""), 1_073_741_824),
            row(Some("=HYPERLINK(\"http://x\")"), 5),
            row(None, 0),
        ];
        let text = String::from_utf8(report_csv(&rows).unwrap_or_default()).unwrap_or_default();
        assert_eq!(
            text,
            "name,used_bytes,accounts,created,expired,depleted\n\
             \"Berlin, \"\"main\"\"\",1073741824,3,1,0,2\n\
             \"'=HYPERLINK(\"\"http://x\"\")\",5,3,1,0,2\n\
             ,0,3,1,0,2\n"
        );
    }
}
