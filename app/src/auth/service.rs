//! Sign-in, sessions, first-run setup and password changes, independent of HTTP so the
//! integration tests can drive them directly.

use crate::domain::ids::UserId;
use serde_json::json;

use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::login_throttle::{
    Locked, LoginThrottle, ALL_ADDRESSES, PER_ADDRESS, PER_USERNAME,
};
use crate::domain::role::Role;
use crate::domain::session_policy;
use crate::domain::user::AuthUser;
use crate::domain::user::{DisplayName, NewPassword, Username};
use crate::engine::login_limits::LoginLimits;
use crate::engine::password;
use crate::engine::session_cache::SessionCache;
use crate::error::{AppError, ErrorCode};
use crate::request::CurrentSession;
use crate::storage::audit::{self, Actor, AuditEntry};
use crate::storage::db::Db;
use crate::storage::db::{now_ms, WriteTx};
use crate::storage::users::{NewUser, UserRecord};
use crate::storage::{login_attempts, sessions, users};
use crate::token;

/// A new session: the secret goes into the cookie, only its fingerprint into the database.
pub struct SignedIn {
    pub user: AuthUser,
    pub secret: String,
    /// When the session ends at the latest (the cookie's lifetime).
    pub expires_at_ms: i64,
}

pub fn auth_user(record: &UserRecord) -> AuthUser {
    AuthUser {
        id: record.id,
        username: record.username.clone(),
        display_name: record.display_name.clone(),
        role: record.role,
    }
}

pub fn user_summary(record: &UserRecord) -> String {
    json!({
        "username": record.username,
        "display_name": record.display_name,
        "role": record.role.as_str(),
        "disabled": record.disabled,
    })
    .to_string()
}

/// Where a sign-in attempt comes from: the peer address, or the address a trusted proxy
/// forwarded (see `server::client_addr`).
pub type ClientAddress = std::net::IpAddr;

/// Signs in, in this order: the in-memory request budgets (no database, no hash), a hashing
/// slot, the attempt counted in one write transaction (refused there, with no password check,
/// while either counter is locked), the password check, and on success the attempt taken back.
/// Unknown and known names take the same steps, so neither the answer, the lockout nor the time
/// tells which accounts exist.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &Db,
    limits: &LoginLimits,
    client: ClientAddress,
    username: &str,
    candidate_password: &str,
) -> Result<SignedIn, AppError> {
    // The address's budget was spent before the request got here (`check_address`).
    limits.check_username(username)?;
    // No account can have this name, and the naming rules are public: nothing to hide.
    let username = Username::parse(username).map_err(|_| ErrorCode::InvalidCredentials)?;
    let client = client.to_string();
    // A locked name is refused without waiting for a hashing slot; `count_attempt` decides.
    refuse_if_locked(db, &username, &client).await?;
    let permit = limits.hash_gate.permit().await?;
    let counted = count_attempt(db, &username, &client).await?;
    let user = users::find_by_username(db.pool(), username.as_str()).await?;
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    let matches = password::verify(permit, stored_hash, candidate_password).await?;
    let Some(user) = user.filter(|_| matches) else {
        tracing::info!(username = username.as_str(), %client, "login refused: wrong credentials");
        return Err(match counted.locked_at(now_ms()) {
            Some(until) => locked_until(until),
            None => ErrorCode::InvalidCredentials.into(),
        });
    };
    if user.disabled {
        return Err(ErrorCode::AccountDisabled.into());
    }
    let signed_in = start_session_after_success(db, &user, &client).await?;
    tracing::info!(username = %user.username, %client, "signed in");
    Ok(signed_in)
}

fn locked_until(until_ms: i64) -> AppError {
    AppError {
        until_ms: Some(until_ms),
        ..AppError::new(ErrorCode::AccountLocked)
    }
}

/// A read-only look at both counters, before anything waits or writes.
async fn refuse_if_locked(db: &Db, username: &Username, client: &str) -> Result<(), AppError> {
    let now = now_ms();
    for key in [client, ALL_ADDRESSES] {
        let counter = login_attempts::find(db.pool(), username.as_str(), key).await?;
        if let Some(until) = counter.locked_at(now) {
            return Err(locked_until(until));
        }
    }
    Ok(())
}

/// Counts one attempt on both counters of `username` before its password is checked, or
/// refuses it while either is locked. One write transaction: parallel attempts are counted one
/// by one. Returns the (username, address) counter as counted.
async fn count_attempt(
    db: &Db,
    username: &Username,
    client: &str,
) -> Result<LoginThrottle, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut counted = LoginThrottle::default();
    for (key, policy) in [(client, &PER_ADDRESS), (ALL_ADDRESSES, &PER_USERNAME)] {
        let current = login_attempts::find(&mut *tx, username.as_str(), key).await?;
        match current.admit(policy, now) {
            Ok(next) => {
                login_attempts::save(&mut tx, username.as_str(), key, &next).await?;
                if key == client {
                    counted = next;
                }
            }
            Err(Locked { until_ms }) => {
                // Nothing of this transaction is kept: a refused attempt changes no counter.
                tx.rollback().await?;
                tracing::warn!(
                    username = username.as_str(),
                    client,
                    "login refused: locked"
                );
                return Err(locked_until(until_ms));
            }
        }
    }
    login_attempts::delete_spent(&mut tx, now).await?;
    tx.commit().await?;
    Ok(counted)
}

/// The correct password takes its attempt back from both counters, and the session starts, in
/// one transaction.
async fn start_session_after_success(
    db: &Db,
    user: &UserRecord,
    client: &str,
) -> Result<SignedIn, AppError> {
    let mut tx = db.begin_write().await?;
    for key in [client, ALL_ADDRESSES] {
        let counted = login_attempts::find(&mut *tx, &user.username, key).await?;
        if counted != LoginThrottle::default() {
            login_attempts::save(&mut tx, &user.username, key, &counted.after_success()).await?;
        }
    }
    let signed_in = insert_session(&mut tx, user).await?;
    tx.commit().await?;
    Ok(signed_in)
}

/// Always a fresh session id at sign-in (no fixation through a planted cookie).
async fn insert_session(tx: &mut WriteTx, user: &UserRecord) -> Result<SignedIn, AppError> {
    let secret = token::new_secret();
    let now = now_ms();
    let expires_at_ms = session_policy::expires_at(user.role, now);
    sessions::insert(tx, &token::fingerprint(&secret), user, now, expires_at_ms).await?;
    Ok(SignedIn {
        user: auth_user(user),
        secret,
        expires_at_ms,
    })
}

async fn start_session(db: &Db, user: &UserRecord) -> Result<SignedIn, AppError> {
    let mut tx = db.begin_write().await?;
    let signed_in = insert_session(&mut tx, user).await?;
    tx.commit().await?;
    Ok(signed_in)
}

#[tracing::instrument(skip_all)]
pub async fn logout(db: &Db, session: &CurrentSession) -> Result<(), AppError> {
    sessions::delete(db.pool(), &session.token_hash).await?;
    Ok(())
}

/// The session a cookie value names, if it is still valid; expired sessions are deleted.
#[tracing::instrument(skip_all)]
pub async fn resolve_session(
    db: &Db,
    cache: &SessionCache,
    cookie_secret: &str,
) -> Result<Option<CurrentSession>, AppError> {
    let token_hash = token::fingerprint(cookie_secret);
    let found = match cache.get(&token_hash) {
        Some(found) => found,
        None => {
            let generation = cache.generation();
            let Some(found) = sessions::find(db.pool(), &token_hash).await? else {
                return Ok(None);
            };
            cache.keep(&token_hash, found.clone(), generation);
            found
        }
    };
    let now = now_ms();
    let role = Role::parse(&found.role);
    let expired = role.is_none_or(|role| {
        session_policy::is_expired(role, found.expires_at_ms, found.last_seen_ms, now)
    });
    let Some(role) = role.filter(|_| !found.disabled && !expired) else {
        sessions::delete(db.pool(), &token_hash).await?;
        cache.forget_all();
        return Ok(None);
    };
    if session_policy::needs_touch(found.last_seen_ms, now) {
        sessions::touch(db.pool(), &token_hash, now).await?;
        cache.touched(&token_hash, now);
    }
    let user = AuthUser {
        id: found.user_id,
        username: found.username,
        display_name: found.display_name,
        role,
    };
    Ok(Some(CurrentSession {
        user,
        token_hash,
        assigned_areas: found.assigned_areas,
    }))
}

#[tracing::instrument(skip_all)]
pub async fn purge_expired_sessions(db: &Db) -> Result<u64, AppError> {
    let now = now_ms();
    let removed =
        sessions::delete_expired(db.pool(), now, now - session_policy::LONGEST_IDLE_MS).await?;
    Ok(removed)
}

pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

/// Creates an account and its audit record in one transaction. `require_empty` is the
/// first-run case: it only succeeds while no account exists, even under concurrent attempts.
#[tracing::instrument(skip_all)]
pub async fn create_account(
    db: &Db,
    actor: &Actor,
    input: &AccountInput,
    require_empty: bool,
) -> Result<UserRecord, AppError> {
    let username = Username::parse(&input.username)?;
    let display_name = DisplayName::parse(&input.display_name)?;
    let password = NewPassword::parse(&input.password)?;
    let password_hash = password::hash(&password).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if require_empty && users::count(&mut tx).await? > 0 {
        return Err(ErrorCode::SetupUnavailable.into());
    }
    let new_user = NewUser {
        username: username.as_str(),
        display_name: display_name.as_str(),
        role: input.role,
        password_hash: &password_hash,
    };
    let Some(id) = users::insert(&mut tx, &new_user, now).await? else {
        return Err(ErrorCode::UsernameTaken.into());
    };
    let record = users::find_by_id_for_update(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::internal("inserted user not found"))?;
    let entry = AuditEntry {
        actor,
        action: AuditAction::UserCreate,
        entity: AuditSubject::User(id),
        before: String::new(),
        after: user_summary(&record),
    };
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(record)
}

/// First-run: the administrator account, guarded by the one-time token.
#[tracing::instrument(skip_all)]
pub async fn setup_first_admin(
    db: &Db,
    gate: &crate::state::SetupGate,
    setup_token: &str,
    input: AccountInput,
    password_confirm: &str,
) -> Result<SignedIn, AppError> {
    if !gate.is_open() {
        return Err(ErrorCode::SetupUnavailable.into());
    }
    if !gate.accepts(setup_token) {
        return Err(ErrorCode::SetupTokenInvalid.into());
    }
    if input.password != password_confirm {
        return Err(ErrorCode::PasswordMismatch.into());
    }
    let input = AccountInput {
        role: Role::Admin,
        ..input
    };
    let record = create_account(db, &Actor::system(), &input, true).await?;
    gate.close();
    tracing::info!(username = %record.username, "first administrator created; setup closed");
    start_session(db, &record).await
}

/// Replaces a password. Every session of the account ends; when `own` the caller gets a new one.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    user_id: UserId,
    new_password: &NewPassword,
    action: AuditAction,
) -> Result<UserRecord, AppError> {
    let password_hash = password::hash(new_password).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let record = users::find_by_id_for_update(&mut tx, user_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    users::set_password(&mut tx, user_id, &password_hash, now).await?;
    login_attempts::clear_username(&mut tx, &record.username).await?;
    sessions::delete_for_user(&mut tx, user_id).await?;
    let entry = AuditEntry {
        actor,
        action,
        entity: AuditSubject::User(user_id),
        before: String::new(),
        after: json!({ "username": record.username, "password": "changed", "sessions": "ended" })
            .to_string(),
    };
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(record)
}

/// The signed-in user changes their own password after proving the current one.
#[tracing::instrument(skip_all)]
pub async fn change_own_password(
    db: &Db,
    gate: &password::HashGate,
    session: &CurrentSession,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<SignedIn, AppError> {
    let new_password = NewPassword::parse(new)?;
    if new != confirm {
        return Err(ErrorCode::PasswordMismatch.into());
    }
    let user = users::find_by_username(db.pool(), &session.user.username)
        .await?
        .ok_or(ErrorCode::NotSignedIn)?;
    let permit = gate.permit().await?;
    if !password::verify(permit, Some(user.password_hash.clone()), current).await? {
        return Err(ErrorCode::InvalidCredentials.into());
    }
    let actor = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
    };
    let record = change_password(
        db,
        &actor,
        user.id,
        &new_password,
        AuditAction::UserPasswordChange,
    )
    .await?;
    start_session(db, &record).await
}
