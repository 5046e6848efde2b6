use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context, Result};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a command from the workspace root, failing with its name when it fails.
pub fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    run_in(&root(), program, args, envs)
}

pub fn run_in(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .status()
        .with_context(|| {
            format!("could not start `{program}` (is it installed? try `cargo xtask deps`)")
        })?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

pub fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(&cargo, args, envs)
}

pub fn npm(args: &[&str]) -> Result<()> {
    run_in(
        &root().join("ui"),
        if cfg!(windows) { "npm.cmd" } else { "npm" },
        args,
        &[],
    )
}

/// `npm ci` when node_modules is missing or older than the lock file.
pub fn ensure_npm_packages() -> Result<()> {
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (
        stamp.metadata().and_then(|m| m.modified()),
        lock.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if !fresh {
        npm(&["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

pub fn build_ui() -> Result<()> {
    ensure_npm_packages()?;
    npm(&["run", "build"])
}

pub fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}
