use std::io::{BufRead, IsTerminal};

use clap::{Args, Subcommand};
use paneldeck_core::{
    registry::ProxyGatewaySettings, ApiError, CoreError, CredentialsInput, PanelInput, Paneldeck,
};
use paneldeck_panels::{FieldProblem, PanelError, PanelKind, Secret};

use crate::{output, Format};

#[derive(Subcommand, Debug)]
pub enum PanelsCommand {
    /// Register a panel. The secret (token, password or API key) is read from a prompt, or
    /// from the first line of stdin when stdin is not a terminal — never from arguments.
    Add(AddArgs),
    /// List registered panels.
    List,
    /// Test the connection to a panel (reachability, version, credentials).
    Test { name: String },
    /// Remove a panel and its keyring entry (nothing changes on the panel itself).
    Remove { name: String },
    /// Set the largest answer a panel may send (default 128 MiB); raise it only for a panel
    /// whose listing is really that large.
    Limit {
        name: String,
        /// In MiB; leave out to go back to the default.
        #[arg(long)]
        max_answer_mib: Option<u32>,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// xui, marzban, pasarguard, userpass or pterodactyl.
    #[arg(long)]
    kind: PanelKind,
    #[arg(long)]
    name: String,
    /// Base URL, with the secret path prefix if the panel has one.
    #[arg(long)]
    url: String,
    /// Admin user name (marzban; xui with --auth password; pasarguard, else the secret is
    /// an API key).
    #[arg(long)]
    username: Option<String>,
    /// 3x-ui: sign in with an API token (default) or with username + password.
    #[arg(long, value_parser = ["token", "password"], default_value = "token")]
    auth: String,
    #[arg(long, default_value = "#3b82f6")]
    color: String,
    #[arg(long, default_value = "")]
    tag: String,
    /// SHA-256 fingerprint of a self-signed certificate to trust.
    #[arg(long)]
    pin_cert: Option<String>,
    /// userpass: send the API key as a query parameter instead of a header.
    #[arg(long)]
    key_in_query: bool,
    /// userpass: the provider's proxy gateway host, and its ports.
    #[arg(long)]
    gateway_host: Option<String>,
    #[arg(long)]
    gateway_http_port: Option<u16>,
    #[arg(long)]
    gateway_socks5_port: Option<u16>,
    /// Save without testing the connection first.
    #[arg(long)]
    no_test: bool,
}

pub async fn run(core: &Paneldeck, command: PanelsCommand, format: Format) -> Result<(), ApiError> {
    match command {
        PanelsCommand::List => {
            let panels = core.list_panels()?;
            match format {
                Format::Json => output::json(&panels),
                Format::Table => output::table(
                    &["NAME", "KIND", "URL", "TAG"],
                    &panels
                        .iter()
                        .map(|p| {
                            vec![
                                p.name.clone(),
                                p.kind.to_string(),
                                p.base_url.clone(),
                                p.tag.clone(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                ),
            }
        }
        PanelsCommand::Test { name } => {
            let panel = core.find_panel(&name)?;
            let info = core.test_panel(&panel.id).await?;
            match format {
                Format::Json => output::json(&info),
                Format::Table => {
                    println!("{}: {}", panel.name, output::safe(&info.summary));
                    if let Some(v) = &info.version {
                        println!("  version: {}", output::safe(v));
                    }
                    if let Some(g) = &info.api_generation {
                        println!("  API: {}", output::safe(g));
                    }
                }
            }
        }
        PanelsCommand::Remove { name } => {
            let panel = core.find_panel(&name)?;
            core.remove_panel(&panel.id)?;
            match format {
                Format::Json => output::json(&serde_json::json!({ "removed": panel.id })),
                Format::Table => println!("removed {}", panel.name),
            }
        }
        PanelsCommand::Limit {
            name,
            max_answer_mib,
        } => {
            let panel = core.find_panel(&name)?;
            let panel = core.set_max_answer_mib(&panel.id, max_answer_mib)?;
            match format {
                Format::Json => output::json(&panel),
                Format::Table => println!(
                    "{} accepts answers up to {} MiB",
                    panel.name,
                    panel.settings.max_answer_mib.map_or(
                        paneldeck_panels::http::DEFAULT_MAX_ANSWER_BYTES >> 20,
                        u64::from
                    )
                ),
            }
        }
        PanelsCommand::Add(args) => {
            let secret = read_secret(args.kind, &args.auth)?;
            let mut input = input_from(&args, secret)?;
            let panel = match core.add_panel(input.clone(), !args.no_test).await {
                Err(CoreError::Panel(PanelError::CertificateNotTrusted { fingerprint })) => {
                    if !confirm_certificate(&fingerprint)? {
                        return Err(CoreError::Panel(PanelError::CertificateNotTrusted {
                            fingerprint,
                        })
                        .into());
                    }
                    input.pinned_cert = Some(fingerprint);
                    core.add_panel(input, !args.no_test).await?
                }
                other => other?,
            };
            match format {
                Format::Json => output::json(&panel),
                Format::Table => {
                    println!("added {} ({}, {})", panel.name, panel.kind, panel.base_url)
                }
            }
        }
    }
    Ok(())
}

fn input_from(args: &AddArgs, secret: Secret) -> Result<PanelInput, CoreError> {
    let username = || {
        args.username.clone().ok_or_else(|| {
            CoreError::invalid_field(
                "username",
                FieldProblem::Required,
                "--username is required for this kind",
            )
        })
    };
    let credentials = match args.kind {
        PanelKind::Xui if args.auth == "password" => CredentialsInput::XuiPassword {
            username: username()?,
            password: Some(secret),
        },
        PanelKind::Xui => CredentialsInput::XuiToken {
            token: Some(secret),
        },
        PanelKind::Marzban => CredentialsInput::Marzban {
            username: username()?,
            password: Some(secret),
        },
        PanelKind::Userpass => CredentialsInput::Userpass {
            api_key: Some(secret),
            key_in_query: args.key_in_query,
            gateway: args.gateway_host.clone().map(|host| ProxyGatewaySettings {
                host,
                http_port: args.gateway_http_port,
                socks5_port: args.gateway_socks5_port,
            }),
        },
        PanelKind::Pterodactyl => CredentialsInput::Pterodactyl {
            api_key: Some(secret),
        },
        PanelKind::Pasarguard => CredentialsInput::Pasarguard {
            username: args.username.clone(),
            password: Some(secret),
        },
    };
    Ok(PanelInput {
        name: args.name.clone(),
        base_url: args.url.clone(),
        color: args.color.clone(),
        tag: args.tag.clone(),
        pinned_cert: args.pin_cert.clone(),
        credentials,
    })
}

/// On a terminal, shows a self-signed panel's fingerprint and asks whether to pin it; a
/// script gets the error, which names `--pin-cert` with the fingerprint.
fn confirm_certificate(fingerprint: &str) -> Result<bool, CoreError> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprintln!(
        "The panel's certificate is not trusted (self-signed or unknown issuer).\n\
         Its SHA-256 fingerprint is:\n  {fingerprint}\n\
         Compare it with the one on your server."
    );
    eprint!("Trust this certificate and pin it? [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CoreError::invalid(format!("could not read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

fn read_secret(kind: PanelKind, auth: &str) -> Result<Secret, CoreError> {
    let what = match kind {
        PanelKind::Xui if auth == "password" => "3x-ui password",
        PanelKind::Xui => "3x-ui API token",
        PanelKind::Marzban => "Marzban password",
        PanelKind::Userpass => "proxy provider API key",
        PanelKind::Pterodactyl => "Pterodactyl client API key",
        PanelKind::Pasarguard => "PasarGuard password (or API key without --username)",
    };
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        rpassword::prompt_password(format!("{what}: "))
            .map_err(|e| CoreError::invalid(format!("could not read the {what}: {e}")))?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| {
            CoreError::invalid(format!("could not read the {what} from stdin: {e}"))
        })?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if value.trim().is_empty() {
        return Err(CoreError::invalid_field(
            "secret",
            FieldProblem::Required,
            format!("the {what} is empty"),
        ));
    }
    Ok(Secret::new(value))
}
