//! Sign-in, lockout, session lifetime and first-run setup.

use app::storage::db::now_ms;

use crate::support::{
    on_each_engine, on_each_engine_with, without_budgets, Client, Reply, ADMIN_PASSWORD, ADMIN_USER,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    // The request budgets would refuse the eleventh request before the lockout is asked.
    on_each_engine_with(without_budgets, |app| async move {
        let admin = app.admin().await;
        app.user_with_role(&admin, "tobaucu1", "station").await;
        let attacker = app.client();
        for attempt in 1..=9 {
            let reply = attacker.auth_login("tobaucu1", "sai-mat-khau-x").await;
            assert_eq!(reply.status, 401, "[{}] attempt {attempt}", app.engine);
            assert_eq!(reply.error_code(), Some("InvalidCredentials"));
        }
        let tenth = attacker.auth_login("tobaucu1", "sai-mat-khau-x").await;
        assert_eq!(tenth.status, 429, "[{}] tenth failure locks", app.engine);
        assert_eq!(tenth.error_code(), Some("AccountLocked"));
        let until = tenth.body["until_ms"].as_i64().expect("lock end");
        let expected = now_ms() + 15 * 60 * 1000;
        assert!(
            (until - expected).abs() < 60_000,
            "[{}] locked for 15 minutes",
            app.engine
        );

        // Even the right password is refused while locked.
        let right = app
            .client()
            .auth_login("tobaucu1", "tobaucu1-mat-khau")
            .await;
        assert_eq!(
            right.error_code(),
            Some("AccountLocked"),
            "[{}]",
            app.engine
        );

        // Once the lock has run out, the right password works again.
        sqlx::query("update login_attempts set locked_until_ms = $1 where username = 'tobaucu1'")
            .bind(now_ms() - 1)
            .execute(app.db.pool())
            .await
            .expect("age the lock");
        assert_eq!(
            app.client()
                .auth_login("tobaucu1", "tobaucu1-mat-khau")
                .await
                .status,
            200
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_name_is_locked_like_a_real_account() {
    on_each_engine(|app| async move {
        let attacker = app.client();
        let mut codes = Vec::new();
        for _ in 1..=10 {
            codes.push(
                attacker
                    .auth_login("khong-ton-tai", "sai-mat-khau-x")
                    .await
                    .error_code()
                    .map(str::to_string),
            );
        }
        assert_eq!(
            codes[..9],
            vec![Some("InvalidCredentials".to_string()); 9],
            "[{}]",
            app.engine
        );
        assert_eq!(
            codes[9].as_deref(),
            Some("AccountLocked"),
            "[{}] a lockout that only real accounts get would name them",
            app.engine
        );
        // Another name is not affected by that lock.
        app.admin().await;
        let admin = attacker.auth_login(ADMIN_USER, ADMIN_PASSWORD).await;
        assert_eq!(admin.status, 200, "[{}]", app.engine);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_user_costs_a_password_check_too() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        app.user_with_role(&admin, "tobaucu1", "station").await;
        let client = app.client();
        // A name without an account is checked against a dummy hash: the same Argon2 work, so
        // the answer's time does not tell which accounts exist. Nine each: one short of a lock.
        for _ in 0..9 {
            for username in ["tobaucu1", "khong-ton-tai"] {
                let checked_before = app.login_limits.passwords_checked();
                let reply = client.auth_login(username, "khong-dung-mat-khau").await;
                assert_eq!(reply.error_code(), Some("InvalidCredentials"));
                assert_eq!(
                    app.login_limits.passwords_checked() - checked_before,
                    1,
                    "[{}] {username}: one password check per failed sign-in",
                    app.engine
                );
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_after_an_idle_hour_and_after_twelve_hours() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        assert_eq!(admin.whoami().await.as_deref(), Some(ADMIN_USER));

        sqlx::query("update sessions set last_seen_ms = $1")
            .bind(now_ms() - 60 * 60 * 1000)
            .execute(app.db.pool())
            .await
            .expect("idle an hour");
        // Changed behind the server's back, as time would: the server trusts the session it
        // read a moment ago for `LIFETIME` (real time passing is checked on every request).
        tokio::time::sleep(app::engine::session_cache::LIFETIME).await;
        assert_eq!(admin.whoami().await, None, "[{}] idle expiry", app.engine);
        let left: i64 = sqlx::query_scalar("select count(*) from sessions")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(left, 0, "[{}] the expired session is deleted", app.engine);

        assert_eq!(
            admin.auth_login(ADMIN_USER, ADMIN_PASSWORD).await.status,
            200
        );
        // Stored at sign-in: 12 hours for an administrator.
        let (created, expires): (i64, i64) =
            sqlx::query_as("select created_at_ms, expires_at_ms from sessions")
                .fetch_one(app.db.pool())
                .await
                .expect("the session");
        assert_eq!(expires - created, 12 * 60 * 60 * 1000, "[{}]", app.engine);
        sqlx::query("update sessions set expires_at_ms = $1, last_seen_ms = $1")
            .bind(now_ms())
            .execute(app.db.pool())
            .await
            .expect("age 12 hours");
        tokio::time::sleep(app::engine::session_cache::LIFETIME).await;
        assert_eq!(
            admin.whoami().await,
            None,
            "[{}] absolute expiry despite activity",
            app.engine
        );
    })
    .await;
}

pub(crate) fn session_cookie(reply: &crate::support::Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cutri_session="))
        .expect("session cookie set")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_issues_a_new_strict_http_only_session_and_ends_the_previous_one() {
    on_each_engine(|app| async move {
        app.admin().await;
        let client = app.client();
        let first = client.auth_login(ADMIN_USER, ADMIN_PASSWORD).await;
        let first_cookie = session_cookie(&first);
        assert!(
            first_cookie.contains("HttpOnly") && first_cookie.contains("SameSite=Strict"),
            "{first_cookie}"
        );
        assert!(
            !first_cookie.contains("Secure"),
            "plain HTTP on 127.0.0.1 without --secure-cookies"
        );
        let second = client.auth_login(ADMIN_USER, ADMIN_PASSWORD).await;
        let second_cookie = session_cookie(&second);
        assert_ne!(
            first_cookie, second_cookie,
            "[{}] a new id at every login",
            app.engine
        );
        let sessions: i64 = sqlx::query_scalar("select count(*) from sessions")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        // The setup session of `app.admin()` plus the current one; the first login's is gone.
        assert_eq!(sessions, 2, "[{}]", app.engine);
        let stored: Vec<String> = sqlx::query_scalar("select token_hash from sessions")
            .fetch_all(app.db.pool())
            .await
            .expect("hashes");
        let secret = second_cookie
            .trim_start_matches("cutri_session=")
            .split(';')
            .next()
            .unwrap_or_default();
        assert!(
            !stored.iter().any(|h| h == secret),
            "the database keeps only fingerprints"
        );
    })
    .await;
}

/// `auth/whoami` with a copy of a session cookie (another tab, a stolen copy): a client that
/// sends that cookie and keeps none of its own.
pub(crate) async fn whoami_with(
    app: &crate::support::TestApp,
    session_cookie: &str,
) -> Option<String> {
    let cookie = session_cookie.split(';').next().unwrap_or_default();
    let headers = reqwest::header::HeaderMap::from_iter([(
        reqwest::header::COOKIE,
        reqwest::header::HeaderValue::from_str(cookie).expect("cookie header"),
    )]);
    let copy = Client {
        base_url: app.base_url.clone(),
        http: reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("http client"),
    };
    copy.whoami().await
}

/// The server keeps the sessions it read for a moment (`app::engine::session_cache`); whatever
/// ends a session must still hold from the very next request, even one made just before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_disabling_and_new_passwords_hold_from_the_very_next_request() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;

        let tab = app.client();
        let cookie = session_cookie(&tab.auth_login(ADMIN_USER, ADMIN_PASSWORD).await);
        assert_eq!(
            whoami_with(&app, &cookie).await.as_deref(),
            Some(ADMIN_USER)
        );
        assert_eq!(tab.auth_logout().await.status, 200);
        assert_eq!(
            whoami_with(&app, &cookie).await,
            None,
            "[{engine}] signed out"
        );

        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let station_id: i64 =
            sqlx::query_scalar("select id from users where username = 'tobaucu1'")
                .fetch_one(app.db.pool())
                .await
                .expect("station id");
        assert_eq!(station.whoami().await.as_deref(), Some("tobaucu1"));
        let disabled = admin.admin_users_set_disabled(station_id, true).await;
        assert_eq!(disabled.status, 200, "{:?}", disabled.body);
        assert_eq!(station.whoami().await, None, "[{engine}] disabled");

        let enabled = admin.admin_users_set_disabled(station_id, false).await;
        assert_eq!(enabled.status, 200, "{:?}", enabled.body);
        assert_eq!(
            station
                .auth_login("tobaucu1", "tobaucu1-mat-khau")
                .await
                .status,
            200
        );
        assert_eq!(station.whoami().await.as_deref(), Some("tobaucu1"));
        let reset = admin
            .admin_users_reset_password(station_id, "mat-khau-cap-lai-1")
            .await;
        assert_eq!(reset.status, 200, "{:?}", reset.body);
        assert_eq!(station.whoami().await, None, "[{engine}] password reset");

        let tablet = app.client();
        assert_eq!(
            tablet.auth_login(ADMIN_USER, ADMIN_PASSWORD).await.status,
            200
        );
        assert_eq!(tablet.whoami().await.as_deref(), Some(ADMIN_USER));
        let changed = admin
            .auth_change_password(ADMIN_PASSWORD, "mat-khau-moi-99", "mat-khau-moi-99")
            .await;
        assert_eq!(changed.status, 200, "{:?}", changed.body);
        assert_eq!(
            tablet.whoami().await,
            None,
            "[{engine}] own password changed"
        );
        assert_eq!(
            admin.whoami().await.as_deref(),
            Some(ADMIN_USER),
            "[{engine}]"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_logs_out_everywhere_else() {
    on_each_engine(|app| async move {
        let laptop = app.admin().await;
        let tablet = app.client();
        assert_eq!(
            tablet.auth_login(ADMIN_USER, ADMIN_PASSWORD).await.status,
            200
        );

        let wrong = laptop
            .auth_change_password("khong-dung-1", "mat-khau-moi-99", "mat-khau-moi-99")
            .await;
        assert_eq!(wrong.error_code(), Some("InvalidCredentials"));
        let mismatch = laptop
            .auth_change_password(ADMIN_PASSWORD, "mat-khau-moi-99", "mat-khau-moi-98")
            .await;
        assert_eq!(mismatch.error_code(), Some("PasswordMismatch"));
        let changed = laptop
            .auth_change_password(ADMIN_PASSWORD, "mat-khau-moi-99", "mat-khau-moi-99")
            .await;
        assert_eq!(changed.status, 200, "{:?}", changed.body);
        assert_eq!(
            tablet.whoami().await,
            None,
            "[{}] the other device is logged out",
            app.engine
        );
        assert_eq!(
            laptop.whoami().await.as_deref(),
            Some(ADMIN_USER),
            "[{}] this device stays signed in",
            app.engine
        );
        assert_eq!(
            app.client()
                .auth_login(ADMIN_USER, "mat-khau-moi-99")
                .await
                .status,
            200
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_setup_needs_the_token_and_works_once() {
    on_each_engine(|app| async move {
        let token = app.setup_token.clone().expect("token on an empty database");
        let wrong = setup(&app.client(), "sai-ma").await;
        assert_eq!(wrong.status, 403);
        assert_eq!(wrong.error_code(), Some("SetupTokenInvalid"));
        // Two attempts at once: exactly one administrator results.
        let (first, second) = (app.client(), app.client());
        let (a, b) = tokio::join!(setup(&first, &token), setup(&second, &token));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses[0], 200, "[{}] one setup succeeds", app.engine);
        assert_eq!(
            statuses[1], 409,
            "[{}] the other is refused: {:?} {:?}",
            app.engine, a.body, b.body
        );
        let admins: i64 = sqlx::query_scalar("select count(*) from users")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(admins, 1);
        let again = setup(&app.client(), &token).await;
        assert_eq!(again.error_code(), Some("SetupUnavailable"));
    })
    .await;
}

/// The first-run setup form, filled in with `token`.
async fn setup(client: &Client, token: &str) -> Reply {
    client
        .auth_setup(token, "quantri", "Quản trị", "0123456789x", "0123456789x")
        .await
}
