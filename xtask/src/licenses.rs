//! `cargo xtask licenses`: the licenses of what the app ships, for its Settings page. Crates:
//! every package `cargo metadata` resolves as a normal (not dev, not build) dependency of
//! `paneldeck-app`, on every platform. npm: every package of `ui/package-lock.json` not marked
//! `dev`. Written sorted to `ui/src/pages/settings/licenses.json`, so a rerun on the same
//! lock files gives the same file.

use std::{
    collections::{BTreeMap, BTreeSet},
    process::Command,
};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::util;

pub const OUTPUT: &str = "ui/src/pages/settings/licenses.json";

pub fn generate() -> Result<()> {
    let mut entries = crates()?;
    entries.extend(npm()?);
    let text = serde_json::to_string_pretty(&Value::Array(entries))? + "\n";
    let path = util::root().join(OUTPUT);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn crates() -> Result<Vec<Value>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(util::root())
        .output()
        .context("cannot run cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: Value = serde_json::from_slice(&out.stdout)?;
    let packages: BTreeMap<&str, &Value> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let root = packages
        .iter()
        .find(|(_, p)| p["name"] == "paneldeck-app")
        .map(|(id, _)| *id)
        .context("no paneldeck-app in cargo metadata")?;
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes
            .get(id)
            .and_then(|n| n["deps"].as_array())
            .into_iter()
            .flatten()
        {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            if let (true, Some(pkg)) = (normal, dep["pkg"].as_str()) {
                stack.push(pkg);
            }
        }
    }
    Ok(seen
        .into_iter()
        .filter_map(|id| packages.get(id))
        .filter(|p| p["source"].is_string())
        .map(|p| entry("crate", &p["name"], &p["version"], &p["license"]))
        .collect())
}

fn npm() -> Result<Vec<Value>> {
    let path = util::root().join("ui/package-lock.json");
    let lock: Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
    )?;
    let mut out = Vec::new();
    for (key, pkg) in lock["packages"].as_object().into_iter().flatten() {
        let Some(name) = key
            .rsplit("node_modules/")
            .next()
            .filter(|_| !key.is_empty())
        else {
            continue;
        };
        if pkg["dev"] == true || pkg["devOptional"] == true {
            continue;
        }
        out.push(entry("npm", &json!(name), &pkg["version"], &pkg["license"]));
    }
    out.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(out)
}

fn entry(source: &str, name: &Value, version: &Value, license: &Value) -> Value {
    json!({
        "source": source,
        "name": name,
        "version": version,
        "license": license.as_str().unwrap_or("unknown"),
    })
}
