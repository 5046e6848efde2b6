//! The compact form of one usage point: the accounts that used traffic, as pairs of
//! (ordinal gap, bytes) in LEB128 varints, sorted by ordinal. An idle account costs nothing;
//! a busy one two to six bytes, instead of a row with its key.

/// Appends `v` as an unsigned LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// Encodes `(ordinal, bytes)` pairs; `deltas` must be sorted by ordinal, zeros left out.
pub fn encode(deltas: &[(u32, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(deltas.len() * 4);
    let mut last = 0u32;
    for &(ordinal, bytes) in deltas {
        put_varint(&mut out, u64::from(ordinal - last));
        put_varint(&mut out, bytes);
        last = ordinal;
    }
    out
}

/// Calls `f(ordinal, bytes)` for each pair; stops at the first malformed byte (a damaged
/// point then counts only what precedes it).
pub fn decode(blob: &[u8], mut f: impl FnMut(u32, u64)) {
    let (mut at, mut ordinal) = (0usize, 0u32);
    while at < blob.len() {
        let (Some(gap), Some(bytes)) = (get_varint(blob, &mut at), get_varint(blob, &mut at))
        else {
            return;
        };
        ordinal = ordinal.saturating_add(u32::try_from(gap).unwrap_or(u32::MAX));
        f(ordinal, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_round_trip_and_stay_small() {
        let deltas = vec![(0, 5), (1, 300), (7, u64::MAX), (100_000, 1 << 30)];
        let blob = encode(&deltas);
        let mut back = Vec::new();
        decode(&blob, |o, b| back.push((o, b)));
        assert_eq!(back, deltas);
        // 1+1, 1+2, 1+10, 3+5
        assert_eq!(blob.len(), 24);
    }

    #[test]
    fn a_truncated_point_yields_what_precedes_the_damage() {
        let blob = encode(&[(3, 10), (4, 1 << 20)]);
        let mut back = Vec::new();
        decode(&blob[..blob.len() - 1], |o, b| back.push((o, b)));
        assert_eq!(back, vec![(3, 10)]);
    }
}
