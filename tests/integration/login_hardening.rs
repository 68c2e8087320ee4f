//! Sign-in under attack: parallel guessing against one account, a real user at another
//! address, the username-wide ceiling, the administrator's unlock, the request budgets and the
//! bound on password hashes running at once.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use app::domain::role::Role;
use app::domain::session_policy;
use app::engine::login_limits::Budget;
use app::storage::db::now_ms;

use crate::support::{on_each_engine, on_each_engine_with, without_budgets, Reply};

const STATION: &str = "tobaucu1";
const STATION_PASSWORD: &str = "tobaucu1-mat-khau";

fn loopback(c: u8, d: u8) -> IpAddr {
    [127, 0, c, d].into()
}

/// How many answers had each (status, error code).
fn tally(replies: &[Reply]) -> BTreeMap<(u16, String), usize> {
    let mut counts = BTreeMap::new();
    for reply in replies {
        let code = reply.error_code().unwrap_or("-").to_string();
        *counts.entry((reply.status, code)).or_insert(0) += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_counted_one_by_one_and_never_succeed_while_locked() {
    on_each_engine_with(without_budgets, |app| async move {
        let admin = app.admin().await;
        app.user_with_role(&admin, STATION, "station").await;
        let attacker = app.client_from(loopback(0, 1));
        let checked_before = app.login_limits.passwords_checked();

        // 32 guessers, 3 guesses each, all at once from one address.
        let guesses: Vec<_> = (0..32)
            .map(|task| {
                let attacker = attacker.clone();
                tokio::spawn(async move {
                    let mut replies = Vec::new();
                    for guess in 0..3 {
                        let password = format!("doan-sai-{task}-{guess}");
                        // A busy server (503) refuses before it counts the guess; the guesser
                        // comes back, as the answer's Retry-After says.
                        let reply = loop {
                            let reply = attacker.auth_login(STATION, &password).await;
                            if reply.status != 503 {
                                break reply;
                            }
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        };
                        replies.push(reply);
                    }
                    replies
                })
            })
            .collect();
        let mut replies = Vec::new();
        for guess in guesses {
            replies.extend(guess.await.expect("guesser"));
        }
        let counts = tally(&replies);
        assert_eq!(
            app.login_limits.passwords_checked() - checked_before,
            10,
            "[{}] passwords checked out of 96 guesses",
            app.engine
        );
        // Ten attempts were admitted and checked: nine answered "wrong", the tenth locked.
        assert_eq!(
            counts.get(&(401, "InvalidCredentials".into())),
            Some(&9),
            "[{}] {counts:?}",
            app.engine
        );
        assert_eq!(
            counts.get(&(429, "AccountLocked".into())),
            Some(&87),
            "[{}] {counts:?}",
            app.engine
        );
        let locked = replies.iter().find(|r| r.status == 429).expect("a refusal");
        let retry_after: u64 = locked.headers["retry-after"]
            .to_str()
            .expect("text")
            .parse()
            .expect("seconds");
        assert!(
            (800..=900).contains(&retry_after),
            "[{}] {retry_after}",
            app.engine
        );

        // The right password from the locked address is refused too, without being checked.
        let right_here = attacker.auth_login(STATION, STATION_PASSWORD).await;
        assert_eq!(
            right_here.error_code(),
            Some("AccountLocked"),
            "[{}]",
            app.engine
        );
        assert_eq!(app.login_limits.passwords_checked() - checked_before, 10);

        // The real user at the polling station (another address) signs in.
        let desk = app.client_from(loopback(0, 2));
        assert_eq!(
            desk.auth_login(STATION, STATION_PASSWORD).await.status,
            200,
            "[{}]",
            app.engine
        );

        // The administrator sees the lock and lifts it.
        let locks = admin.admin_login_locks().await;
        assert_eq!(locks.status, 200, "[{}] {:?}", app.engine, locks.body);
        let listed = locks.body.as_array().expect("list");
        assert_eq!(listed.len(), 1, "[{}] {listed:?}", app.engine);
        assert_eq!(listed[0]["username"], STATION);
        assert_eq!(listed[0]["client"], "127.0.0.1");
        let unlocked = admin.admin_unlock_login(STATION, Some("127.0.0.1")).await;
        assert_eq!(unlocked.status, 200, "[{}] {:?}", app.engine, unlocked.body);
        assert_eq!(
            attacker.auth_login(STATION, STATION_PASSWORD).await.status,
            200,
            "[{}]",
            app.engine
        );
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'login.unlock'")
                .fetch_one(app.db.pool())
                .await
                .expect("audit");
        assert_eq!(audited, 1, "[{}]", app.engine);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_from_many_addresses_meets_the_username_ceiling() {
    on_each_engine_with(without_budgets, |app| async move {
        let admin = app.admin().await;
        app.user_with_role(&admin, STATION, "station").await;
        let mut answers = Vec::new();
        for address in 1..=5 {
            let attacker = app.client_from(loopback(1, address));
            for guess in 0..10 {
                answers.push(
                    attacker
                        .auth_login(STATION, &format!("doan-sai-{guess}"))
                        .await,
                );
            }
        }
        let counts = tally(&answers);
        assert_eq!(
            counts.get(&(401, "InvalidCredentials".into())),
            Some(&45),
            "[{}] {counts:?}",
            app.engine
        );
        let elsewhere = app.client_from(loopback(1, 9));
        let refused = elsewhere.auth_login(STATION, STATION_PASSWORD).await;
        assert_eq!(
            refused.error_code(),
            Some("AccountLocked"),
            "[{}] fifty attempts from everywhere lock the name everywhere",
            app.engine
        );
        let unlocked = admin.admin_unlock_login(STATION, None).await;
        assert_eq!(unlocked.status, 200, "[{}] {:?}", app.engine, unlocked.body);
        assert_eq!(
            elsewhere.auth_login(STATION, STATION_PASSWORD).await.status,
            200,
            "[{}]",
            app.engine
        );
    })
    .await;
}

/// A budget of five requests that never refills within the test.
fn five_per_address(config: &mut server::Config) {
    config.login_budgets.per_address = Budget {
        burst: 5,
        every: Duration::from_secs(3600),
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_over_its_budget_is_refused_before_any_password_check() {
    on_each_engine_with(five_per_address, |app| async move {
        let sprayer = app.client_from(loopback(2, 1));
        let mut statuses = Vec::new();
        for n in 0..6 {
            statuses.push(
                sprayer
                    .auth_login(&format!("ten-bia-{n}"), "doan-sai-mat-khau")
                    .await,
            );
        }
        assert!(
            statuses[..5].iter().all(|r| r.status == 401),
            "[{}]",
            app.engine
        );
        let refused = &statuses[5];
        assert_eq!(refused.status, 429, "[{}]", app.engine);
        assert_eq!(refused.error_code(), Some("TooManyRequests"));
        assert!(refused.headers.contains_key("retry-after"));
        // Refused before the lockout counters: nothing was written for that name.
        let rows: i64 =
            sqlx::query_scalar("select count(*) from login_attempts where username = 'ten-bia-5'")
                .fetch_one(app.db.pool())
                .await
                .expect("count");
        assert_eq!(rows, 0, "[{}]", app.engine);
        // Another address is not affected.
        let other = app.client_from(loopback(2, 2));
        assert_eq!(
            other
                .auth_login("ten-bia-5", "doan-sai-mat-khau")
                .await
                .status,
            401
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_runs_no_more_hashes_at_once_than_there_are_slots() {
    on_each_engine(|app| async move {
        // 64 made-up names from 64 addresses: the budgets let every one through.
        let flood: Vec<_> = (0..64u8)
            .map(|n| {
                let client = app.client_from(loopback(3, n + 1));
                tokio::spawn(async move {
                    client
                        .auth_login(&format!("ke-la-{n}"), "doan-sai-mat-khau")
                        .await
                })
            })
            .collect();
        let mut replies = Vec::new();
        for request in flood {
            replies.push(request.await.expect("request"));
        }
        let counts = tally(&replies);
        assert!(
            replies.iter().all(|r| r.status == 401 || r.status == 503),
            "[{}] {counts:?}",
            app.engine
        );
        // Whether any is told to come back depends on how fast the line moves here; the line's
        // limits are tested in `auth::password`.
        let busy: Vec<&Reply> = replies.iter().filter(|r| r.status == 503).collect();
        assert!(
            busy.iter()
                .all(|r| r.error_code() == Some("ServerBusy")
                    && r.headers.contains_key("retry-after"))
        );
        let peak = app.login_limits.hash_gate.peak_running();
        let slots = app.login_limits.hash_gate.slots();
        assert!(
            peak >= 1 && peak <= slots,
            "[{}] peak {peak} of {slots} slots",
            app.engine
        );
        // Told to come back, nobody lost an attempt: no counter was written for the refused.
        let counted: i64 =
            sqlx::query_scalar("select count(*) from login_attempts where client <> '*'")
                .fetch_one(app.db.pool())
                .await
                .expect("count");
        assert_eq!(
            usize::try_from(counted).unwrap(),
            64 - busy.len(),
            "[{}]",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_session_lasts_the_polling_day() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let desk = app.user_with_role(&admin, STATION, "station").await;
        let (created, expires): (i64, i64) = sqlx::query_as(
            "select s.created_at_ms, s.expires_at_ms from sessions s \
             join users u on u.id = s.user_id where u.username = $1",
        )
        .bind(STATION)
        .fetch_one(app.db.pool())
        .await
        .expect("the station's session");
        assert_eq!(
            expires,
            session_policy::expires_at(Role::Station, created),
            "[{}]",
            app.engine
        );
        assert!(expires - created >= 12 * 3600 * 1000);

        // Two quiet hours at the desk: still signed in; the office account is not.
        sqlx::query("update sessions set last_seen_ms = $1")
            .bind(now_ms() - 2 * 3600 * 1000)
            .execute(app.db.pool())
            .await
            .expect("two idle hours");
        tokio::time::sleep(app::engine::session_cache::LIFETIME).await;
        assert_eq!(
            desk.whoami().await.as_deref(),
            Some(STATION),
            "[{}]",
            app.engine
        );
        assert_eq!(admin.whoami().await, None, "[{}]", app.engine);
    })
    .await;
}
