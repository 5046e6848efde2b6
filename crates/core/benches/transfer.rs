//! `cargo bench -p paneldeck-core --bench transfer` (release): a snapshot of 100,000 3x-ui
//! accounts, then
//! - export of all of them to CSV and to JSON (snapshot read + records + atomic file write),
//! - validate and diff a 100,000-row CSV (10% changed limits, 10% new names) against that
//!   snapshot (snapshot read + parse + validate + plan).
//!
//! Targets (issue 8): each under 1 s.
//!
//! Then the memory of an import (issue 21: at most 3× the file): 50,000 and 200,000 accounts
//! as CSV and as JSON, each read + parsed + planned (all creates, an empty 3x-ui panel) in a
//! child process of its own, which prints its peak resident memory above what it held before.
//! `cargo bench -p paneldeck-core --bench transfer -- memory` runs this part alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::{path::Path, sync::Arc, time::Instant};

use paneldeck_core::{
    accounts::{
        model::now_ms,
        snapshot::{replace_panel, PreparedRow, SyncInfo},
        Selection,
    },
    kinds::xui::convert::{from_record, XuiContext},
    registry::PanelId,
    secrets::MemoryStore,
    transfer::{
        export::to_bytes, parse_bytes, plan::plan, ExportFormat, ExportOptions, PlanOptions, Target,
    },
    CredentialsInput, PanelInput, Paneldeck, Profile,
};
use paneldeck_panels::{xui::ClientRecord, Secret};

const ACCOUNTS: usize = 100_000;

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// CPU time (user + system, all threads) of this process so far, in ms, from /proc (Linux;
/// USER_HZ = 100). Printed beside wall time: on a loaded machine wall time mostly measures
/// waiting for a core.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // Fields 14 and 15 of the file are 12 and 13 after the command name.
    (ticks(11) + ticks(12)) * 10.0
}

// As in the app and the CLI (see src-tauri/src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == CHILD_FLAG) {
        return memory::child(Path::new(&args[i + 1]));
    }
    if !args.iter().any(|a| a == "memory") {
        timings();
    }
    memory::parent();
}

fn timings() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::at(dir.path()).unwrap();
    let db = profile.database_path();
    let core = Paneldeck::open(profile, Arc::new(MemoryStore::default())).unwrap();
    let panel = runtime
        .block_on(core.add_panel(
            PanelInput {
                name: "bench".into(),
                base_url: "http://127.0.0.1:9".into(),
                color: "#000000".into(),
                tag: String::new(),
                pinned_cert: None,
                credentials: CredentialsInput::XuiToken {
                    token: Some(Secret::new("t")),
                },
            },
            false,
        ))
        .unwrap();

    // The snapshot: 100,000 clients written the way a sync writes them.
    let now = now_ms();
    let ctx = XuiContext::default();
    let rows: Vec<PreparedRow> = (0..ACCOUNTS)
        .map(|i| {
            let r: ClientRecord = serde_json::from_value(serde_json::json!({
                "email": format!("user{i:06}@example.com"),
                "uuid": format!("b831381d-6324-4d53-ad4f-{i:012}"),
                "subId": format!("sub{i:08}"),
                "totalGB": (i as i64 % 50 + 1) * 1_073_741_824,
                "expiryTime": if i % 3 == 0 { 0 } else { 1_893_456_000_000i64 + i as i64 },
                "enable": i % 7 != 0,
                "limitIp": i % 4,
                "comment": if i % 5 == 0 { "vip, \"gold\"" } else { "" },
                "group": format!("g{}", i % 10),
                "inboundIds": [1, 2],
                "traffic": {"up": i * 1000, "down": i * 5000, "enable": true},
            }))
            .unwrap();
            PreparedRow::new(from_record(&panel.id, &r, &ctx, now))
        })
        .collect();
    {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        let info = SyncInfo {
            version: None,
            api_generation: None,
            took_ms: 0,
        };
        replace_panel(&mut conn, &panel.id, &rows, &info, now).unwrap();
    }
    drop(rows);
    println!("snapshot: {ACCOUNTS} accounts");

    // Export.
    let mut csv_bytes = Vec::new();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let path = dir.path().join(format!("export.{format:?}"));
        let opts = ExportOptions {
            format,
            include_credentials: true,
            raw_csv: false,
        };
        let t = Instant::now();
        let cpu = cpu_ms();
        let summary = core.export_accounts(&Selection::All, opts, &path).unwrap();
        let took = t.elapsed();
        let cpu = cpu_ms() - cpu;
        assert_eq!(summary.accounts as usize, ACCOUNTS);
        println!(
            "export {format:?}: {} accounts, {:.1} MB in {:.0} ms wall, {:.0} ms CPU (target < 1000 ms)",
            summary.accounts,
            summary.bytes as f64 / 1e6,
            ms(took),
            cpu
        );
        if format == ExportFormat::Csv {
            csv_bytes = std::fs::read(&path).unwrap();
        }
    }
    let _ = csv_bytes;

    // Where the export time goes.
    let t = Instant::now();
    let mut records = core.export_records(&Selection::All, true).unwrap();
    let t_records = t.elapsed();
    let t = Instant::now();
    let csv = to_bytes(
        &records,
        ExportOptions {
            format: ExportFormat::Csv,
            include_credentials: true,
            raw_csv: false,
        },
    )
    .unwrap();
    let t_csv = t.elapsed();
    let t = Instant::now();
    let json = to_bytes(
        &records,
        ExportOptions {
            format: ExportFormat::Json,
            include_credentials: true,
            raw_csv: false,
        },
    )
    .unwrap();
    let t_json = t.elapsed();
    println!(
        "  of which: snapshot read + records {:.0} ms, CSV encode {:.0} ms ({} bytes), JSON encode {:.0} ms ({} bytes); the rest is the file write + fsync",
        ms(t_records),
        ms(t_csv),
        csv.len(),
        ms(t_json),
        json.len()
    );
    drop((csv, json));

    // A file to import: 10% changed limits, 10% new accounts.
    for (i, r) in records.iter_mut().enumerate() {
        match i % 10 {
            0 => r.limit_bytes = r.limit_bytes.map(|b| b + 1),
            1 => {
                r.name = format!("new{i:06}@example.com");
                r.uuid = Some(format!("27848739-7e62-4138-9fd3-{i:012}"));
            }
            _ => {}
        }
    }
    let file = to_bytes(
        &records,
        ExportOptions {
            format: ExportFormat::Csv,
            include_credentials: true,
            raw_csv: false,
        },
    )
    .unwrap();
    drop(records);

    let t = Instant::now();
    let cpu = cpu_ms();
    let snapshot = core.snapshot_of(&panel.id).unwrap();
    let t_snapshot = t.elapsed();
    let parsed = parse_bytes(&file);
    let t_parse = t.elapsed() - t_snapshot;
    let target = Target {
        panel_name: panel.name.clone(),
        panel_id: PanelId(panel.id.0.clone()),
        kind: panel.kind,
        accounts: &snapshot,
        create_options: None,
    };
    let rows = parsed.rows.len();
    let p = plan(parsed, &target, &PlanOptions::default());
    let took = t.elapsed();
    let cpu = cpu_ms() - cpu;
    let c = p.counts();
    assert_eq!(rows, ACCOUNTS);
    assert_eq!((c.create, c.update) as (u32, u32), (10_000, 10_000));
    println!(
        "validate + diff {ACCOUNTS} CSV rows against {} accounts: {:.0} ms wall, {:.0} ms CPU (snapshot read {:.0} ms, \
         parse + validate {:.0} ms, diff {:.0} ms) → {} create, {} update, {} unchanged, {} conflict \
         (target < 1000 ms)",
        snapshot.len(),
        ms(took),
        cpu,
        ms(t_snapshot),
        ms(t_parse),
        ms(took - t_snapshot - t_parse),
        c.create,
        c.update,
        c.unchanged,
        c.conflict
    );
}

/// The argument under which the bench runs one import as a child process.
const CHILD_FLAG: &str = "--import-memory-child";

mod memory {
    use std::{path::Path, process::Command};

    use paneldeck_core::{
        accounts::AccountStatus,
        registry::PanelId,
        transfer::{
            export::write_file, parse_import_file, plan::plan, AccountRecord, ExportFormat,
            ExportOptions, PlanOptions, Target,
        },
    };
    use paneldeck_panels::PanelKind;

    /// A field of `/proc/self/status` in KiB (Linux).
    fn status_kib(field: &str) -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// An account as a 3x-ui export with credentials writes it.
    fn record(i: usize) -> AccountRecord {
        AccountRecord {
            panel: Some("bench".into()),
            kind: Some(PanelKind::Xui),
            name: format!("user{i:07}@example.com"),
            email: Some(format!("user{i:07}@example.com")),
            enabled: Some(!i.is_multiple_of(7)),
            status: Some(AccountStatus::Active),
            used_bytes: Some(i as u64 * 6000),
            limit_bytes: Some((i as u64 % 50 + 1) * 1_073_741_824),
            expires_at_ms: (!i.is_multiple_of(3)).then_some(1_893_456_000_000 + i as i64),
            ip_limit: Some(i as u64 % 4),
            group: Some(format!("g{}", i % 10)),
            note: i.is_multiple_of(5).then(|| "vip, \"gold\"".into()),
            protocols: vec!["vless".into(), "vmess".into()],
            inbounds: vec!["1".into(), "2".into()],
            reset_days: Some(0),
            created_at_ms: Some(1_700_000_000_000 + i as i64),
            flow: Some("xtls-rprx-vision".into()),
            sub_id: Some(format!("sub{i:08}")),
            uuid: Some(format!("b831381d-6324-4d53-ad4f-{i:012}")),
            ..AccountRecord::default()
        }
    }

    /// Writes the files and runs one child per file.
    pub fn parent() {
        let dir = tempfile::tempdir().unwrap();
        let exe = std::env::current_exe().unwrap();
        for accounts in [50_000, 200_000] {
            let records: Vec<AccountRecord> = (0..accounts).map(record).collect();
            for format in [ExportFormat::Csv, ExportFormat::Json] {
                let path = dir.path().join(format!("{accounts}.{format:?}"));
                let opts = ExportOptions {
                    format,
                    include_credentials: true,
                    raw_csv: false,
                };
                write_file(
                    &records,
                    opts,
                    &path,
                    &mut paneldeck_core::jobs::Job::quiet(),
                )
                .unwrap();
                let out = Command::new(&exe)
                    .args([super::CHILD_FLAG, &path.to_string_lossy()])
                    .output()
                    .unwrap();
                print!("import memory, {accounts} accounts, {format:?}: ");
                print!("{}", String::from_utf8_lossy(&out.stdout));
            }
        }
    }

    /// Reads, parses and plans the file at `path`; prints the peak memory it took.
    pub fn child(path: &Path) {
        let file_bytes = std::fs::metadata(path).unwrap().len();
        let before = status_kib("VmRSS");
        // Resets the peak (VmHWM) to the memory held now.
        std::fs::write("/proc/self/clear_refs", "5").unwrap();
        let parsed = parse_import_file(path).unwrap();
        let parse_peak = status_kib("VmHWM");
        let target = Target {
            panel_id: PanelId("bench".into()),
            panel_name: "bench".into(),
            kind: PanelKind::Xui,
            accounts: &[],
            create_options: None,
        };
        let rows = parsed.rows.len();
        let p = plan(parsed, &target, &PlanOptions::default());
        let peak = status_kib("VmHWM");
        let c = p.counts();
        assert_eq!(c.create as usize, rows);
        let above = |kib: u64| (kib.saturating_sub(before) * 1024) as f64;
        let (parse, grew) = (above(parse_peak), above(peak));
        println!(
            "{:.1} MB file, {} creates; peak above the start: {:.1} MB = {:.2}× the file \
             (target ≤ 3×), of which parse {:.1} MB = {:.2}×",
            file_bytes as f64 / 1e6,
            c.create,
            grew / 1e6,
            grew / file_bytes as f64,
            parse / 1e6,
            parse / file_bytes as f64
        );
    }
}
