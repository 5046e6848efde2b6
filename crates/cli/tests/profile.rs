//! `paneldeck profile export|import` between two "machines": each has its own profile folder
//! and its own keyring (a gnome-keyring in a private D-Bus session whose files live in a
//! temporary `XDG_DATA_HOME`). The panel and its secret arrive, the file holds no secret in
//! clear, a wrong passphrase imports nothing, and an existing panel is never overwritten
//! unless asked.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use paneldeck_sim::{SimCredentials, SimKind, SimOptions};
use serde_json::Value;
use support::text;

/// One machine: a profile folder and a keyring of its own.
struct Machine {
    home: tempfile::TempDir,
}

/// The same keyring session `cargo xtask test` runs in (see that script for why it is so).
const START_KEYRING: &str = include_str!("../../../xtask/src/keyring-session.sh");

impl Machine {
    fn new() -> Self {
        let home = tempfile::tempdir().unwrap();
        for sub in ["data", "run", "profile"] {
            std::fs::create_dir(home.path().join(sub)).unwrap();
        }
        Machine { home }
    }

    fn profile(&self) -> PathBuf {
        self.home.path().join("profile")
    }

    /// `program args…` in this machine's keyring session, `stdin` as input.
    fn run(&self, program: &Path, args: &[&str], stdin: &str) -> Output {
        let root = self.home.path();
        let mut child = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", START_KEYRING])
            .arg(program)
            .args(args)
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_RUNTIME_DIR", root.join("run"))
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("GNOME_KEYRING_CONTROL")
            .env_remove("PANELDECK_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dbus-run-session and gnome-keyring-daemon (cargo xtask deps)");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn paneldeck(&self, args: &[&str], stdin: &str) -> Output {
        let dir = self.profile();
        let mut all = vec!["--data-dir", dir.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(Path::new(env!("CARGO_BIN_EXE_paneldeck")), &all, stdin)
    }

    /// What `secret-tool` finds in this machine's keyring for a panel id.
    fn keyring_entry(&self, id: &str) -> String {
        let account = format!("panel:{id}");
        let out = self.run(
            Path::new("secret-tool"),
            &["lookup", "service", "paneldeck", "username", &account],
            "",
        );
        text(&out.stdout)
    }

    fn panels(&self) -> Vec<Value> {
        let out = self.paneldeck(&["--format", "json", "panels", "list"], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .cloned()
            .unwrap()
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

const PIN: &str = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_moves_to_a_fresh_machine_with_its_secret() {
    let sim = paneldeck_sim::start_local(SimKind::Pterodactyl, SimOptions::default())
        .await
        .unwrap();
    let api_key = match sim.credentials.clone() {
        SimCredentials::ApiKey { api_key } | SimCredentials::Token { token: api_key } => api_key,
        other => panic!("the Pterodactyl simulator takes an API key, not {other:?}"),
    };
    let url = sim.url();
    let old = Machine::new();
    ok(&old.paneldeck(
        &[
            "panels",
            "add",
            "--kind",
            "pterodactyl",
            "--name",
            "Games",
            "--url",
            &url,
        ],
        &format!("{api_key}\n"),
    ));
    // A second panel, with a pinned certificate, registered without testing it.
    ok(&old.paneldeck(
        &[
            "panels",
            "add",
            "--kind",
            "xui",
            "--name",
            "Edge",
            "--url",
            "https://10.0.0.1:2053/p/",
            "--pin-cert",
            PIN,
            "--no-test",
        ],
        "edge-token-secret\n",
    ));
    let old_edge = old
        .panels()
        .into_iter()
        .find(|p| p["name"] == "Edge")
        .unwrap();
    let pinned = old_edge["pinnedCert"].as_str().unwrap().to_owned();
    let file = old.home.path().join("moving.paneldeck");
    let file_arg = file.to_str().unwrap();
    ok(&old.paneldeck(
        &["profile", "export", "-o", file_arg, "--passphrase-stdin"],
        "correct horse\n",
    ));

    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    for clear in [api_key.as_str(), "edge-token-secret", "Games", &pinned] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear.as_bytes()),
            "{clear} is in the file in clear"
        );
    }

    let new = Machine::new();
    let wrong = new.paneldeck(&["profile", "import", file_arg], "wrong horse\n");
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("passphrase is wrong"),
        "{}",
        text(&wrong.stderr)
    );
    assert!(
        new.panels().is_empty(),
        "a wrong passphrase imported something"
    );

    let report = ok(&new.paneldeck(&["profile", "import", file_arg], "correct horse\n"));
    assert!(report.contains("Added: Edge, Games"), "{report}");
    let panels = new.panels();
    assert_eq!(panels.len(), 2);
    let edge = panels.iter().find(|p| p["name"] == "Edge").unwrap();
    assert_eq!(edge["pinnedCert"], pinned.as_str());
    let edge_id = edge["id"].as_str().unwrap();
    assert!(new.keyring_entry(edge_id).contains("edge-token-secret"));
    // The Pterodactyl key came through the new keyring: the panel answers with it.
    ok(&new.paneldeck(&["panels", "test", "Games"], ""));
    drop(sim);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_panel_is_replaced_or_kept_only_when_asked() {
    let old = Machine::new();
    let add = |m: &Machine, secret: &str, tag: &str| {
        ok(&m.paneldeck(
            &[
                "panels",
                "add",
                "--kind",
                "xui",
                "--name",
                "Edge",
                "--url",
                "https://10.0.0.1:2053/",
                "--tag",
                tag,
                "--no-test",
            ],
            &format!("{secret}\n"),
        ))
    };
    add(&old, "from-old-machine", "moved");
    let file = old.home.path().join("p.paneldeck");
    let file_arg = file.to_str().unwrap();
    ok(&old.paneldeck(
        &["profile", "export", "-o", file_arg, "--passphrase-stdin"],
        "pass\n",
    ));

    let new = Machine::new();
    add(&new, "already-here", "local");
    let id = new.panels()[0]["id"].as_str().unwrap().to_owned();

    let refused = new.paneldeck(&["profile", "import", file_arg], "pass\n");
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("--replace or --skip-existing"));
    let kept = |m: &Machine| {
        assert_eq!(m.panels()[0]["tag"], "local");
        assert!(m.keyring_entry(&id).contains("already-here"));
    };
    kept(&new);

    let skipped = ok(&new.paneldeck(
        &["profile", "import", file_arg, "--skip-existing"],
        "pass\n",
    ));
    assert!(skipped.contains("Skipped: Edge"), "{skipped}");
    kept(&new);

    let replaced = ok(&new.paneldeck(&["profile", "import", file_arg, "--replace"], "pass\n"));
    assert!(replaced.contains("Replaced: Edge"), "{replaced}");
    let panels = new.panels();
    assert_eq!(panels.len(), 1);
    assert_eq!(panels[0]["tag"], "moved");
    assert!(new.keyring_entry(&id).contains("from-old-machine"));
}
