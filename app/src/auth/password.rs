//! Argon2id password hashing on the blocking thread pool (≈ 50 ms each; never on async threads).

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::user::NewPassword;
use crate::error::AppError;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: &NewPassword) -> Result<String, AppError> {
    let password = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Checks `candidate` against a stored PHC hash. `None` checks against a dummy hash, so an
/// unknown username costs the same time as a wrong password.
pub async fn verify(stored_hash: Option<String>, candidate: &str) -> Result<bool, AppError> {
    let candidate = candidate.to_string();
    tokio::task::spawn_blocking(move || {
        let is_real = stored_hash.is_some();
        let stored = stored_hash.unwrap_or_else(|| dummy_hash().to_string());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let matches = hasher()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok();
        Ok(matches && is_real)
    })
    .await
    .map_err(AppError::internal)?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let secret = super::token::new_secret();
        hasher()
            .hash_password(secret.as_bytes(), &salt)
            .expect("hashing a random secret")
            .to_string()
    })
}

/// Computes the dummy hash ahead of the first login attempt.
pub fn warm_up() {
    dummy_hash();
}
