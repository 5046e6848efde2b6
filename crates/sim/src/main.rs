//! `paneldeck-sim`: runs one simulated panel until interrupted and prints one JSON line with its
//! URL and credentials.

use std::{net::SocketAddr, time::Duration};

use clap::Parser;
use paneldeck_sim::{
    hostile::{HostileMode, HostileOptions},
    DbLoad, FaultConfig, SimKind, SimOptions,
};

#[derive(Parser, Debug)]
#[command(
    name = "paneldeck-sim",
    about = "A simulated panel on 127.0.0.1 for tests and demos"
)]
struct Args {
    #[arg(long, value_enum)]
    kind: SimKind,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 20)]
    accounts: usize,
    /// Inbounds (xui) or servers (pterodactyl) to spread the accounts over.
    #[arg(long, default_value_t = 3)]
    groups: usize,
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered with HTTP 500 without being handled (0..1).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Marzban access-token lifetime.
    #[arg(long, default_value_t = 86_400)]
    token_ttl_secs: u64,
    /// Pterodactyl: requests per window, and the window length.
    #[arg(long, default_value_t = 720)]
    rate_limit: u32,
    #[arg(long, default_value_t = 60_000)]
    rate_window_ms: u64,
    /// Hostile panel: how it misbehaves.
    #[arg(long, value_enum, default_value = "html")]
    mode: HostileMode,
    /// Hostile panel, `huge`: the answer's size in MiB.
    #[arg(long, default_value_t = 512)]
    huge_mib: u64,
    /// Hostile panel, `drip`: pause between two bytes.
    #[arg(long, default_value_t = 1000)]
    drip_ms: u64,
    /// The panel release to play (3x-ui: 2.9.4, 3.0.2, 3.2.8, 3.4.2, 3.6.0 (default), head;
    /// Marzban: 0.4.9 or 0.8.4 (default)).
    #[arg(long)]
    panel_version: Option<String>,
    /// Marzban: how long each request holds a database connection (0.8.4 has 15).
    #[arg(long, default_value_t = 0)]
    db_hold_ms: u64,
    /// Marzban: how long a request waits for a free connection before its 500.
    #[arg(long, default_value_t = 30_000)]
    db_pool_timeout_ms: u64,
    /// Marzban, PasarGuard and 3x-ui: traffic the active users use, in MiB per minute over
    /// all of them, spread unevenly (a few heavy users, many light ones).
    #[arg(long, default_value_t = 0.0)]
    usage_growth: f64,
    /// Marzban and PasarGuard: how many active users with an expiry expire within the next
    /// three days (3x-ui seeds some anyway).
    #[arg(long, default_value_t = 0)]
    expiring_soon: usize,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.error_rate) {
        eprintln!("--error-rate must be between 0 and 1");
        std::process::exit(2);
    }
    if let (SimKind::Xui, Some(v)) = (args.kind, &args.panel_version) {
        if let Err(e) = v.parse::<paneldeck_sim::xui::XuiVersion>() {
            eprintln!("--panel-version: {e}");
            std::process::exit(2);
        }
    }
    if let (SimKind::Marzban, Some(v)) = (args.kind, &args.panel_version) {
        if paneldeck_sim::marzban::PanelVersion::parse(v).is_none() {
            eprintln!("--panel-version for marzban: 0.4.9 or 0.8.4");
            std::process::exit(2);
        }
    }
    let opts = SimOptions {
        seed: args.seed,
        accounts: args.accounts,
        groups: args.groups.max(1),
        faults: FaultConfig {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: args.error_rate,
            ..FaultConfig::default()
        },
        token_ttl_secs: args.token_ttl_secs,
        rate_limit: args.rate_limit,
        rate_window_ms: args.rate_window_ms,
        panel_version: args.panel_version,
        db: DbLoad {
            hold: Duration::from_millis(args.db_hold_ms),
            pool_timeout: Duration::from_millis(args.db_pool_timeout_ms),
        },
        usage_growth_mib_per_min: args.usage_growth.max(0.0),
        expiring_soon: args.expiring_soon,
    };
    if args.kind == SimKind::Hostile {
        let hostile = HostileOptions {
            mode: args.mode,
            huge_bytes: args.huge_mib << 20,
            drip_interval: Duration::from_millis(args.drip_ms),
            catcher_url: None,
        };
        let (sim, catcher) = paneldeck_sim::hostile::start(hostile, args.listen).await?;
        let mut line = sim.announcement();
        line["catcher"] = catcher.url().into();
        println!("{line}");
        tokio::signal::ctrl_c().await?;
        for caught in catcher.caught() {
            eprintln!("caught by the other host:\n{}\n", caught.as_text());
        }
        sim.shutdown().await;
        return Ok(());
    }
    let sim = paneldeck_sim::start(args.kind, opts, args.listen).await?;
    println!("{}", sim.announcement());
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
