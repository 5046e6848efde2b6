//! A bounded fuzz run over the importer that CI runs on stable: the corpus files and a valid
//! export, mutated by a seeded generator (byte flips, insertions of delimiters, quotes,
//! newlines and invalid UTF-8, truncations, splices), plus random bytes. Every input must
//! parse without panicking, every error must carry a line inside the file, and the plan built
//! from whatever parsed must not panic either. Same seed, same inputs, every run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::{
    accounts::{Account, AccountKey, RawBits},
    registry::PanelId,
    transfer::{parse_bytes, plan::plan, PlanOptions, Target},
};
use paneldeck_panels::PanelKind;
use rand::{rngs::StdRng, Rng, SeedableRng};

const ITERATIONS: usize = 10_000;

fn corpus() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    out.push(
        b"panel,kind,name,enabled,limit_bytes,expires_at_ms,ip_limit,note,inbounds,uuid\n\
          p,xui,a@x,true,100,1790000000000,2,\"n, \"\"q\"\"\",1;2,b831381d-6324-4d53-ad4f-8cda48b30811\n\
          p,marzban,bob,false,,,,,,\n"
            .to_vec(),
    );
    out
}

const INTERESTING: &[&[u8]] = &[
    b",",
    b";",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"null",
    b"-1",
    b"99999999999999999999999",
    b"\0",
    b"\t",
    b"name",
    b"\"client\":",
    b"1e400",
];

fn mutate(rng: &mut StdRng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..rng.gen_range(1..8) {
        match rng.gen_range(0..6) {
            0 if !v.is_empty() => {
                let i = rng.gen_range(0..v.len());
                v[i] = rng.gen();
            }
            1 => {
                let i = rng.gen_range(0..=v.len());
                let piece = INTERESTING[rng.gen_range(0..INTERESTING.len())];
                v.splice(i..i, piece.iter().copied());
            }
            2 if !v.is_empty() => {
                let i = rng.gen_range(0..v.len());
                v.truncate(i);
            }
            3 if !v.is_empty() => {
                let a = rng.gen_range(0..v.len());
                let b = rng.gen_range(a..=v.len().min(a + 64));
                let copy = v[a..b].to_vec();
                let at = rng.gen_range(0..=v.len());
                v.splice(at..at, copy);
            }
            4 if !v.is_empty() => {
                let a = rng.gen_range(0..v.len());
                let b = rng.gen_range(a..=v.len().min(a + 16));
                v.drain(a..b);
            }
            _ => {
                let n = rng.gen_range(0..32);
                let i = rng.gen_range(0..=v.len());
                let junk: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
                v.splice(i..i, junk);
            }
        }
    }
    v
}

#[test]
fn the_importer_survives_seeded_random_input() {
    let mut rng = StdRng::seed_from_u64(0x5eed_0008);
    let corpus = corpus();
    let panel = PanelId("target".into());
    let accounts: Vec<(Account, RawBits)> = ["a@x", "bob", "alice"]
        .iter()
        .map(|n| {
            (
                Account::blank(AccountKey::new(panel.clone(), *n), PanelKind::Xui, *n),
                RawBits::default(),
            )
        })
        .collect();
    let mut parsed_rows = 0usize;
    let mut errors = 0usize;
    for i in 0..ITERATIONS {
        let input = if i % 10 == 9 {
            let n = rng.gen_range(0..256);
            (0..n).map(|_| rng.gen()).collect()
        } else {
            let base = &corpus[rng.gen_range(0..corpus.len())];
            mutate(&mut rng, base)
        };
        let parsed = parse_bytes(&input);
        let lines = 1 + input.iter().filter(|b| **b == b'\n').count() as u64;
        for e in &parsed.errors {
            assert!(
                e.line >= 1 && e.line <= lines + 1,
                "error line {} outside a {lines}-line input: {e}",
                e.line
            );
            assert!(!e.reason.to_string().is_empty());
        }
        for r in &parsed.rows {
            assert!(r.line >= 1 && r.line <= lines + 1);
            assert!(!r.name().trim().is_empty());
        }
        parsed_rows += parsed.rows.len();
        errors += parsed.errors.len();
        for kind in [PanelKind::Xui, PanelKind::Marzban, PanelKind::Userpass] {
            let target = Target {
                panel_name: "fuzz".into(),
                panel_id: panel.clone(),
                kind,
                accounts: &accounts,
                create_options: None,
            };
            let plan = plan(parsed.clone(), &target, &PlanOptions::default());
            assert_eq!(plan.items.len(), parsed.rows.len());
        }
    }
    // The run exercised both paths.
    assert!(parsed_rows > 100, "{parsed_rows} rows parsed");
    assert!(errors > 100, "{errors} errors");
}
