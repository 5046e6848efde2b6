//! Links offline: every scheme parses and is written back the same (both directions), the
//! older ss:// form and v2rayN quirks are read, bad links give typed errors, 3x-ui links are
//! built from an inbound's settings, proxy strings come out in the four formats, and a QR
//! code (PNG) decodes back to its link with a QR decoder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use paneldeck_core::{
    jobs::Job,
    kinds::{
        userpass::links::proxy_strings,
        xui::links::{xui_link, LinkCredentials},
    },
    links::{
        self,
        export::{
            html_sheet, link_list, qr_files, sanitize_file_name, AccountLinks, LinkListFormat,
            QrImage,
        },
        parse::{ProxyScheme, ProxyUrl, SsLink, UserLink, VmessLink},
        AccountLink, LinkError, LinkKind, ProxyLink,
    },
    registry::ProxyGatewaySettings,
};
use paneldeck_panels::xui::Inbound;

fn quiet() -> Job {
    Job::quiet()
}

fn round_trip(link: &ProxyLink) {
    let url = link.to_url();
    let back = links::parse(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(&back, link, "{url}");
    assert_eq!(
        back.to_url(),
        url,
        "writing what was parsed gives the same text"
    );
}

#[test]
fn vless_round_trips_with_params_ipv6_and_unicode_names() {
    let l = ProxyLink::Vless(UserLink {
        user: "b831381d-6324-4d53-ad4f-8cda48b30811".into(),
        host: "example.com".into(),
        port: 443,
        params: vec![
            ("type".into(), "ws".into()),
            ("encryption".into(), "none".into()),
            ("security".into(), "tls".into()),
            ("path".into(), "/ws?ed=2048".into()),
            ("sni".into(), "cdn.example.com".into()),
        ],
        name: "Ана & Bob #1".into(),
    });
    round_trip(&l);
    let v6 = ProxyLink::Vless(UserLink {
        user: "b831381d-6324-4d53-ad4f-8cda48b30811".into(),
        host: "2001:db8::1".into(),
        port: 8443,
        params: vec![],
        name: String::new(),
    });
    round_trip(&v6);
    assert!(v6.to_url().contains("@[2001:db8::1]:8443"));
    // A link as panels write it (not canonical: '+' for space) still parses.
    let parsed = links::parse(
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@1.2.3.4:443?type=tcp&security=reality&pbk=abc&sid=12&flow=xtls-rprx-vision#my+node",
    )
    .unwrap();
    let ProxyLink::Vless(u) = parsed else {
        panic!()
    };
    assert_eq!(u.port, 443);
    assert_eq!(u.params[1], ("security".into(), "reality".into()));
    assert_eq!(u.name, "my+node");
}

#[test]
fn trojan_round_trips_and_keeps_a_password_with_symbols() {
    round_trip(&ProxyLink::Trojan(UserLink {
        user: "p@ss:w/rd?#".into(),
        host: "t.example.org".into(),
        port: 8443,
        params: vec![
            ("security".into(), "tls".into()),
            ("sni".into(), "t.example.org".into()),
        ],
        name: "trojan-user".into(),
    }));
}

#[test]
fn vmess_round_trips_and_reads_numeric_ports_and_padding_variants() {
    let v = VmessLink {
        ps: "vmess node ✓".into(),
        add: "v.example.com".into(),
        port: 2083,
        id: "27848739-7e62-4138-9fd3-098a63964b6b".into(),
        aid: "0".into(),
        scy: "auto".into(),
        net: "ws".into(),
        kind: "none".into(),
        host: "v.example.com".into(),
        path: "/vm".into(),
        tls: "tls".into(),
        sni: "v.example.com".into(),
        alpn: String::new(),
        fp: "chrome".into(),
    };
    round_trip(&ProxyLink::Vmess(v.clone()));
    // v2rayN variants: a numeric port, URL-safe base64 without padding, missing fields.
    let json = r#"{"v":"2","ps":"x","add":"h.example","port":443,"id":"27848739-7e62-4138-9fd3-098a63964b6b","net":"tcp"}"#;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    let ProxyLink::Vmess(p) = links::parse(&format!("vmess://{b64}")).unwrap() else {
        panic!()
    };
    assert_eq!((p.port, p.net.as_str(), p.tls.as_str()), (443, "tcp", ""));
}

#[test]
fn shadowsocks_round_trips_and_reads_the_legacy_and_plain_forms() {
    let s = SsLink {
        method: "chacha20-ietf-poly1305".into(),
        password: "pa:ss".into(),
        host: "ss.example.com".into(),
        port: 8388,
        plugin: None,
        name: "ss one".into(),
    };
    round_trip(&ProxyLink::Shadowsocks(s.clone()));
    round_trip(&ProxyLink::Shadowsocks(SsLink {
        plugin: Some("v2ray-plugin;tls;host=x.example".into()),
        ..s.clone()
    }));
    // Legacy: base64(method:password@host:port)#name.
    let legacy =
        base64::engine::general_purpose::STANDARD.encode("aes-256-gcm:secret@10.0.0.1:8388");
    let ProxyLink::Shadowsocks(l) = links::parse(&format!("ss://{legacy}#old")).unwrap() else {
        panic!()
    };
    assert_eq!(
        (
            l.method.as_str(),
            l.password.as_str(),
            l.host.as_str(),
            l.port,
            l.name.as_str()
        ),
        ("aes-256-gcm", "secret", "10.0.0.1", 8388, "old")
    );
    // SIP002 with a %-encoded plain user part (2022 ciphers).
    let ProxyLink::Shadowsocks(p) =
        links::parse("ss://2022-blake3-aes-128-gcm:a2V5%3Auser@h.example:443#n").unwrap()
    else {
        panic!()
    };
    assert_eq!(p.method, "2022-blake3-aes-128-gcm");
    assert_eq!(p.password, "a2V5:user");
}

#[test]
fn proxy_urls_round_trip() {
    for scheme in [ProxyScheme::Http, ProxyScheme::Https, ProxyScheme::Socks5] {
        round_trip(&ProxyLink::Proxy(ProxyUrl {
            scheme,
            user: Some("user-1".into()),
            password: Some("p@ss word".into()),
            host: "gw.example.net".into(),
            port: 1080,
        }));
    }
    round_trip(&ProxyLink::Proxy(ProxyUrl {
        scheme: ProxyScheme::Http,
        user: None,
        password: None,
        host: "10.1.1.1".into(),
        port: 3128,
    }));
}

#[test]
fn bad_links_give_typed_errors_and_never_panic() {
    assert_eq!(links::parse("example.com:443"), Err(LinkError::NoScheme));
    assert_eq!(
        links::parse("wireguard://x@h:1"),
        Err(LinkError::UnknownScheme("wireguard".into()))
    );
    assert_eq!(links::parse("vless://uuid@host"), Err(LinkError::BadPort));
    assert_eq!(links::parse("vless://uuid@host:0"), Err(LinkError::BadPort));
    assert_eq!(
        links::parse("vless://uuid@host:99999"),
        Err(LinkError::BadPort)
    );
    assert_eq!(
        links::parse("vless://@host:1"),
        Err(LinkError::Missing("user"))
    );
    assert_eq!(links::parse("trojan://pw@:443"), Err(LinkError::NoHost));
    assert_eq!(links::parse("vmess://!!!"), Err(LinkError::Base64));
    assert!(matches!(
        links::parse("vmess://e30"),
        Err(LinkError::BadPort)
    ));
    assert!(matches!(
        links::parse("vless://u@h:1#%FF"),
        Err(LinkError::Utf8)
    ));
    // Random junk: no panic.
    for s in [
        "ss://",
        "ss://@:",
        "vmess://",
        "socks5://[::1",
        "http://a:b@[::1]:x",
        "://",
        "ss://YQ@h:1",
    ] {
        let _ = links::parse(s);
    }
}

fn inbound(json: serde_json::Value) -> Inbound {
    serde_json::from_value(json).unwrap()
}

#[test]
fn xui_links_are_built_from_inbound_settings_and_parse_back() {
    let creds = LinkCredentials {
        email: "alice@example.com".into(),
        uuid: "b831381d-6324-4d53-ad4f-8cda48b30811".into(),
        password: "trojan-pass".into(),
        flow: "xtls-rprx-vision".into(),
    };
    let vless = inbound(serde_json::json!({
        "id": 1, "remark": "R", "protocol": "vless", "port": 443,
        "settings": "{\"clients\":[]}",
        "streamSettings": "{\"network\":\"tcp\",\"security\":\"reality\",\"realitySettings\":{\"serverNames\":[\"www.example.com\"],\"shortIds\":[\"ab12\"],\"settings\":{\"publicKey\":\"PUBKEY\",\"fingerprint\":\"chrome\"}}}"
    }));
    let link = xui_link("panel.example.com", &creds, &vless).unwrap();
    let url = link.to_url();
    let ProxyLink::Vless(u) = links::parse(&url).unwrap() else {
        panic!()
    };
    assert_eq!(u.user, creds.uuid);
    assert_eq!((u.host.as_str(), u.port), ("panel.example.com", 443));
    let p = |k: &str| {
        u.params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(p("security"), Some("reality"));
    assert_eq!(p("pbk"), Some("PUBKEY"));
    assert_eq!(p("sni"), Some("www.example.com"));
    assert_eq!(p("sid"), Some("ab12"));
    assert_eq!(p("flow"), Some("xtls-rprx-vision"));
    assert_eq!(u.name, "R-alice@example.com");

    let vmess = inbound(serde_json::json!({
        "id": 2, "remark": "", "protocol": "vmess", "port": 8080,
        "streamSettings": {"network": "ws", "security": "none", "wsSettings": {"path": "/v", "headers": {"Host": "h.example"}}}
    }));
    let ProxyLink::Vmess(v) =
        links::parse(&xui_link("1.2.3.4", &creds, &vmess).unwrap().to_url()).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (
            v.id.as_str(),
            v.net.as_str(),
            v.path.as_str(),
            v.host.as_str(),
            v.port
        ),
        (creds.uuid.as_str(), "ws", "/v", "h.example", 8080)
    );

    let trojan = inbound(
        serde_json::json!({"id": 3, "protocol": "trojan", "port": 9443, "streamSettings": {"network": "grpc", "security": "tls", "grpcSettings": {"serviceName": "svc"}, "tlsSettings": {"serverName": "t.example"}}}),
    );
    let ProxyLink::Trojan(t) =
        links::parse(&xui_link("h", &creds, &trojan).unwrap().to_url()).unwrap()
    else {
        panic!()
    };
    assert_eq!(t.user, "trojan-pass");
    assert!(t.params.contains(&("serviceName".into(), "svc".into())));
    assert!(t.params.contains(&("sni".into(), "t.example".into())));

    let ss = inbound(
        serde_json::json!({"id": 4, "protocol": "shadowsocks", "port": 8388, "settings": {"method": "2022-blake3-aes-128-gcm", "password": "SERVERKEY"}}),
    );
    let ProxyLink::Shadowsocks(s) =
        links::parse(&xui_link("h", &creds, &ss).unwrap().to_url()).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (s.method.as_str(), s.password.as_str()),
        ("2022-blake3-aes-128-gcm", "SERVERKEY:trojan-pass")
    );

    let wg = inbound(serde_json::json!({"id": 5, "protocol": "wireguard", "port": 51820}));
    assert!(
        xui_link("h", &creds, &wg).is_none(),
        "no public link format"
    );
}

#[test]
fn proxy_strings_come_in_the_common_formats() {
    let gw = ProxyGatewaySettings {
        host: "gw.example.net".into(),
        http_port: Some(8080),
        socks5_port: Some(1080),
    };
    let all = proxy_strings(&gw, "bob", "s3cret");
    let urls: Vec<&str> = all.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://bob:s3cret@gw.example.net:8080",
            "gw.example.net:8080:bob:s3cret",
            "bob:s3cret@gw.example.net:8080",
            "socks5://bob:s3cret@gw.example.net:1080",
            "gw.example.net:1080:bob:s3cret",
            "bob:s3cret@gw.example.net:1080",
        ]
    );
    assert!(all.iter().all(|l| l.kind == LinkKind::Proxy));
    let only_http = proxy_strings(
        &ProxyGatewaySettings {
            socks5_port: None,
            ..gw
        },
        "u",
        "p",
    );
    assert_eq!(only_http.len(), 3);
}

/// Decodes the first QR code of a greyscale PNG.
fn decode_png(png_bytes: &[u8]) -> String {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[test]
fn a_qr_code_decodes_back_to_its_link() {
    let vless = "vless://b831381d-6324-4d53-ad4f-8cda48b30811@example.com:443?type=ws&security=tls&path=%2Fws#Alice";
    let vmess = ProxyLink::Vmess(VmessLink {
        ps: "long vmess".into(),
        add: "v.example.com".into(),
        port: 443,
        id: "27848739-7e62-4138-9fd3-098a63964b6b".into(),
        net: "ws".into(),
        path: "/some/rather/long/path/to/make/the/code/bigger".into(),
        tls: "tls".into(),
        ..VmessLink::default()
    })
    .to_url();
    for link in [vless, vmess.as_str(), "socks5://u:p@1.2.3.4:1080"] {
        let png_bytes = links::qr_png(link, 4).unwrap();
        assert_eq!(&png_bytes[1..4], b"PNG");
        assert_eq!(decode_png(&png_bytes), link);
    }
    let svg = links::qr_svg(vless).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("viewBox") && svg.contains("crispEdges"));
    assert!(
        links::qr_png(&"x".repeat(5000), 2).is_err(),
        "too long for a QR code"
    );
}

#[test]
fn link_exports_name_files_after_accounts_and_escape_the_sheet() {
    assert_eq!(sanitize_file_name("alice@example.com"), "alice@example.com");
    assert_eq!(sanitize_file_name("../../etc/passwd"), "_.._etc_passwd");
    assert_eq!(sanitize_file_name("a/b\\c:d*e?"), "a_b_c_d_e_");
    assert_eq!(sanitize_file_name("CON"), "account_CON");
    assert_eq!(sanitize_file_name(""), "account_");
    let link = |url: &str| AccountLink {
        label: "l".into(),
        url: url.into(),
        kind: LinkKind::Share,
    };
    let entries = vec![
        AccountLinks {
            name: "bob".into(),
            links: vec![link("trojan://a@h:1#x"), link("trojan://b@h:2")],
        },
        AccountLinks {
            name: "<script>".into(),
            links: vec![link("http://u:p@h:3")],
        },
        AccountLinks {
            name: "BOB".into(),
            links: vec![link("http://u:p@h:4")],
        },
        AccountLinks {
            name: "bob".into(),
            links: vec![link("http://u:p@h:5")],
        },
    ];
    let txt = String::from_utf8(link_list(&entries, LinkListFormat::Txt).unwrap()).unwrap();
    assert_eq!(
        txt,
        "trojan://a@h:1#x\ntrojan://b@h:2\nhttp://u:p@h:3\nhttp://u:p@h:4\nhttp://u:p@h:5\n"
    );
    let csv = String::from_utf8(link_list(&entries, LinkListFormat::Csv).unwrap()).unwrap();
    assert!(csv.starts_with("account,label,kind,url\nbob,l,share,trojan://a@h:1#x\n"));
    let json: serde_json::Value =
        serde_json::from_slice(&link_list(&entries, LinkListFormat::Json).unwrap()).unwrap();
    assert_eq!(json[1]["links"][0]["url"], "http://u:p@h:3");
    let files = qr_files(&entries, QrImage::Svg).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "bob-1.svg",
            "bob-2.svg",
            "_script_.svg",
            "BOB.svg",
            "bob~2.svg"
        ]
    );
    let html = html_sheet("Links", &entries).unwrap();
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    assert_eq!(html.matches("<svg").count(), 5);

    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("qr.zip");
    let n =
        links::export::write_qr_zip(&entries, QrImage::Png { scale: 3 }, &zip_path, &mut quiet())
            .unwrap();
    assert_eq!(n, 5);
    let bytes = std::fs::read(&zip_path).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let qr_dir = dir.path().join("qr");
    let n =
        links::export::write_qr_folder(&entries, QrImage::Png { scale: 3 }, &qr_dir, &mut quiet())
            .unwrap();
    assert_eq!(n, 5);
    let one = std::fs::read(dir.path().join("qr").join("_script_.png")).unwrap();
    assert_eq!(decode_png(&one), "http://u:p@h:3");
}
