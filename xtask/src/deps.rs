use anyhow::Result;

use crate::util;

/// Debian/Ubuntu packages: the first line builds the app (WebKitGTK and friends), the second
/// runs the tests (virtual display, WebDriver for WebKit, a Secret Service for the keyring).
pub const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "libssl-dev",
    "libdbus-1-dev",
    "pkg-config",
    "build-essential",
    "file",
    "curl",
];
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "gnome-keyring",
    "dbus-x11",
    "libsecret-tools",
];

/// Installs the system packages when something the build or the tests need is missing, so the
/// README's two commands work on a fresh Debian/Ubuntu machine.
pub fn ensure(for_tests: bool) -> Result<()> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let libs_ok = std::process::Command::new("pkg-config")
        .args([
            "--exists",
            "webkit2gtk-4.1",
            "javascriptcoregtk-4.1",
            "libsoup-3.0",
            "dbus-1",
        ])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let tools_ok = !for_tests
        || [
            "xvfb-run",
            "WebKitWebDriver",
            "gnome-keyring-daemon",
            "dbus-run-session",
            "dbus-send",
            "secret-tool",
        ]
        .iter()
        .all(|t| util::which(t));
    if libs_ok && tools_ok {
        return Ok(());
    }
    eprintln!("Some system packages are missing; installing them (cargo xtask deps).");
    install()
}

pub fn install() -> Result<()> {
    if !cfg!(target_os = "linux") {
        eprintln!("No system packages are needed on this OS (WebView2/WKWebView ship with it).");
        return Ok(());
    }
    let packages: Vec<&str> = BUILD_PACKAGES
        .iter()
        .chain(TEST_PACKAGES)
        .copied()
        .collect();
    let is_debian = std::path::Path::new("/etc/debian_version").exists();
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let sudo = if is_root {
        None
    } else if util::which("sudo") {
        Some("sudo")
    } else {
        None
    };
    if !is_debian || (!is_root && sudo.is_none()) {
        eprintln!("Install these packages with your package manager (Debian/Ubuntu names):");
        println!(
            "sudo apt-get update && sudo apt-get install -y {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    let (program, prefix): (&str, Vec<&str>) = match sudo {
        Some(sudo) => (sudo, vec!["-E", "apt-get"]),
        None => ("apt-get", vec![]),
    };
    let mut update = prefix.clone();
    update.push("update");
    util::run(program, &update, &env)?;
    let mut install = prefix;
    install.extend(["install", "-y"]);
    install.extend(packages);
    util::run(program, &install, &env)
}
