//! What the CLI tests share: run the `paneldeck` binary on a profile, and register a
//! simulator through `paneldeck panels add` (the secret on stdin, as a script would).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::Write,
    path::Path,
    process::{Command, Output, Stdio},
};

use paneldeck_sim::{RunningSim, SimCredentials, SimKind};

/// Runs `paneldeck --data-dir DIR ARGS…`, with `stdin` as its input.
pub fn paneldeck(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paneldeck"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("PANELDECK_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the paneldeck binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Registers a simulator through the CLI; fails the test clearly when there is no keyring.
pub fn add(dir: &Path, sim: &RunningSim, name: &str) {
    let (mut args, secret) = match &sim.credentials {
        SimCredentials::Token { token }
        | SimCredentials::Login {
            token: Some(token), ..
        } => (vec![], token.clone()),
        // A 3x-ui without API tokens (v2.x): its admin login.
        SimCredentials::Login {
            username,
            password,
            token: None,
        } => (
            ["--username", username.as_str(), "--auth", "password"]
                .map(str::to_owned)
                .to_vec(),
            password.clone(),
        ),
        SimCredentials::Password { username, password } => (
            vec!["--username".to_owned(), username.clone()],
            password.clone(),
        ),
        SimCredentials::ApiKey { api_key } => (vec![], api_key.clone()),
    };
    let kind = match sim.kind {
        SimKind::Xui => "xui",
        SimKind::Marzban => "marzban",
        SimKind::Userpass | SimKind::Hostile => "userpass",
        SimKind::Pterodactyl => "pterodactyl",
        SimKind::Pasarguard => "pasarguard",
    };
    let mut all: Vec<String> = ["panels", "add", "--kind", kind, "--name", name, "--url"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    all.push(sim.url());
    all.append(&mut args);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = paneldeck(dir, &refs, Some(&format!("{secret}\n")));
    let err = text(&out.stderr);
    if !out.status.success() && err.to_lowercase().contains("keyring") {
        panic!(
            "these tests keep secrets in the OS keyring and no Secret Service answered ({}). \
             Run them with `cargo xtask test`, which starts one.",
            err.trim()
        );
    }
    ok(&out);
}
