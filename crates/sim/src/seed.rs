//! Deterministic generators shared by the simulators' seeders.

use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

const FIRST: &[&str] = &[
    "alex", "maria", "reza", "sara", "ivan", "olga", "ali", "nina", "omid", "dmitry", "leila",
    "pavel", "zahra", "artem", "fatemeh", "yuri", "mina", "sergey", "neda", "anton",
];
const SHOPS: &[&str] = &[
    "shop", "vip", "team", "home", "office", "mobile", "gamer", "trial",
];

/// A readable, unique-per-index account name such as `maria.vip-0042`.
pub fn account_name(rng: &mut ChaCha8Rng, index: usize) -> String {
    let first = FIRST.choose(rng).copied().unwrap_or("user");
    let shop = SHOPS.choose(rng).copied().unwrap_or("user");
    format!("{first}.{shop}-{index:04}")
}

/// A v4-shaped UUID drawn from the seeded RNG (so seeds are reproducible).
pub fn uuid(rng: &mut ChaCha8Rng) -> uuid::Uuid {
    let bytes: [u8; 16] = rng.gen();
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A lowercase alphanumeric token of `len` characters.
pub fn token(rng: &mut ChaCha8Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
