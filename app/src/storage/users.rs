use crate::domain::ids::{AreaId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::db::WriteTx;
use crate::domain::role::Role;

/// An account as stored. `password_hash` never leaves the server.
#[derive(Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at_ms: i64,
}

const COLUMNS: &str = "id, username, display_name, role, password_hash, disabled, created_at_ms";

fn from_row(row: &AnyRow) -> Result<UserRecord, sqlx::Error> {
    let role_text: String = row.try_get("role")?;
    let role = Role::parse(&role_text).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "role".into(),
        source: format!("unknown role {role_text:?}").into(),
    })?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at_ms: row.try_get("created_at_ms")?,
    })
}

pub async fn find_by_username(
    pool: &AnyPool,
    username: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users where username = $1");
    let row = sqlx::query(&sql)
        .bind(username)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_id_for_update(
    tx: &mut WriteTx,
    id: UserId,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users where id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(pool: &AnyPool) -> Result<Vec<UserRecord>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users order by username");
    let rows = sqlx::query(&sql).fetch_all(pool).await?;
    rows.iter().map(from_row).collect()
}

pub async fn count(tx: &mut WriteTx) -> Result<i64, sqlx::Error> {
    sqlx::query("select count(*) from users")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

pub async fn any_exist(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("select exists (select 1 from users) as found")
        .fetch_one(pool)
        .await?;
    // SQLite answers an integer, PostgreSQL a boolean.
    row.try_get::<bool, _>(0)
        .or_else(|_| row.try_get::<i64, _>(0).map(|n| n != 0))
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Inserts the account; `None` when the username is taken.
pub async fn insert(
    tx: &mut WriteTx,
    user: &NewUser<'_>,
    now_ms: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    let taken = sqlx::query("select id from users where username = $1")
        .bind(user.username)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let row = sqlx::query(
        "insert into users (username, display_name, role, password_hash, created_at_ms, updated_at_ms) \
         values ($1, $2, $3, $4, $5, $5) returning id",
    )
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.password_hash)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(row.try_get(0)?))
}

pub async fn set_disabled(
    tx: &mut WriteTx,
    id: UserId,
    disabled: bool,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update users set disabled = $2, updated_at_ms = $3 where id = $1")
        .bind(id)
        .bind(i64::from(disabled))
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the password (the caller clears the login throttle).
pub async fn set_password(
    tx: &mut WriteTx,
    id: UserId,
    password_hash: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update users set password_hash = $2, updated_at_ms = $3 where id = $1")
        .bind(id)
        .bind(password_hash)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Enabled station accounts that have at least one polling area to work at.
pub async fn station_accounts_with_areas(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "select count(distinct u.id) from users u \
         join user_polling_areas a on a.user_id = u.id \
         where u.role = 'station' and u.disabled = 0",
    )
    .fetch_one(pool)
    .await?
    .try_get(0)
}

/// Polling areas a station user works at.
pub async fn assigned_areas(pool: &AnyPool, user_id: UserId) -> Result<Vec<AreaId>, sqlx::Error> {
    let rows = sqlx::query("select polling_area_id from user_polling_areas where user_id = $1 order by polling_area_id")
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|row| row.try_get(0)).collect()
}

pub async fn set_assigned_areas(
    tx: &mut WriteTx,
    user_id: UserId,
    area_ids: &[AreaId],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from user_polling_areas where user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for area_id in area_ids {
        sqlx::query("insert into user_polling_areas (user_id, polling_area_id) values ($1, $2)")
            .bind(user_id)
            .bind(area_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
