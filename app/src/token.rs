//! Random secrets and their stored fingerprints.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe: session cookies and the first-run setup token.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Voter-card codes (the QR on the card): 12 bytes, 16 URL-safe characters, from a ChaCha
/// generator seeded by the OS once, so a million-voter import makes one system call instead of
/// a million. The first 4 bytes count up from a random start and the other 8 are random: codes
/// made together sit together in the unique index (an import writes one region of it instead of
/// a random leaf per voter), and 64 random bits still make a code impossible to guess.
pub struct CardCodes {
    random: rand::rngs::StdRng,
    sequence: u32,
}

impl CardCodes {
    pub fn new() -> CardCodes {
        let mut random: rand::rngs::StdRng = rand::SeedableRng::from_entropy();
        let sequence = random.next_u32();
        CardCodes { random, sequence }
    }

    pub fn next_code(&mut self) -> String {
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&self.sequence.to_be_bytes());
        self.random.fill_bytes(&mut bytes[4..]);
        self.sequence = self.sequence.wrapping_add(1);
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

impl Default for CardCodes {
    fn default() -> Self {
        Self::new()
    }
}

/// What the database keeps of a session cookie: stealing the table does not yield sessions.
pub fn fingerprint(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Short id printed to the user and logged with an internal error, e.g. "K7Q2-M9XD".
pub fn short_reference() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// Compares secrets in time independent of where they first differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_distinct_and_fingerprints_stable() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(fingerprint(&a), fingerprint(&a));
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn card_codes_are_sixteen_url_safe_characters_and_distinct() {
        let mut codes = CardCodes::new();
        let batch: std::collections::HashSet<String> =
            (0..10_000).map(|_| codes.next_code()).collect();
        assert_eq!(batch.len(), 10_000);
        assert!(batch.iter().all(|c| c.len() == 16
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')));
        assert_ne!(CardCodes::new().next_code(), CardCodes::new().next_code());
    }

    #[test]
    fn card_codes_made_together_share_their_beginning_but_not_their_random_part() {
        let mut codes = CardCodes::new();
        let batch: Vec<String> = (0..1_024).map(|_| codes.next_code()).collect();
        // 1.024 consecutive codes cross at most 5 runs of 256 under one 3-byte prefix.
        let beginnings: std::collections::HashSet<&str> =
            batch.iter().map(|code| &code[..4]).collect();
        assert!(beginnings.len() <= 5, "{} beginnings", beginnings.len());
        let endings: std::collections::HashSet<&str> =
            batch.iter().map(|code| &code[6..]).collect();
        assert_eq!(endings.len(), batch.len());
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }

    #[test]
    fn references_are_readable() {
        let reference = short_reference();
        assert_eq!(reference.len(), 9);
        assert!(!reference.contains(['0', 'O', '1', 'I']));
    }
}
