//! Two servers on one PostgreSQL database, sharing nothing but the database, as two machines
//! behind a load balancer: what one server commits reaches the other through the change feed
//! (check-ins on its dashboards, voters in its search, sessions and station areas in its
//! session cache), a staged import moves between them, and stations racing through both still
//! make one check-in per voter with gap-free numbers. PostgreSQL only: SQLite has one server.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::checkin::{
    check_in, check_in_numbers, list_voters, next_board, numbered_voters, open_desk,
    race_for_the_same_voters, turnout,
};
use crate::sessions::{session_cookie, whoami_with};
use crate::support::api::{import_request, voter};
use crate::support::{fresh_databases, Client, TestApp};
use crate::voter_lists::{election_with_two_areas, upload, utf8_csv};

/// How long a change may take to reach the other server.
const AT_ONCE: Duration = Duration::from_secs(1);

/// B is declared first so that it stops before A, whose drop removes the database.
struct Pair {
    b: TestApp,
    a: TestApp,
}

async fn two_servers() -> Option<Pair> {
    let a = first_server().await?;
    let b = a.beside().await;
    Some(Pair { b, a })
}

/// Server A alone on a fresh PostgreSQL database; `None` without PostgreSQL.
async fn first_server() -> Option<TestApp> {
    let Some(database) = fresh_databases()
        .await
        .into_iter()
        .find(|database| database.engine == "postgres")
    else {
        eprintln!("NOTE: two servers need PostgreSQL (CUTRI_TEST_POSTGRES_URL): SKIPPED");
        return None;
    };
    Some(TestApp::start(database).await)
}

/// Asks `read` until `done` holds of its answer, for at most `within`; the last answer.
async fn within<T, F, Fut>(within: Duration, mut read: F, done: impl Fn(&T) -> bool) -> (T, bool)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let deadline = Instant::now() + within;
    loop {
        let answer = read().await;
        if done(&answer) || Instant::now() >= deadline {
            let held = done(&answer);
            return (answer, held);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn names(reply: &Value) -> Vec<String> {
    reply
        .as_array()
        .map(|found| {
            found
                .iter()
                .map(|v| v["full_name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn search_names(client: &Client, election_id: i64, query: &str) -> Vec<String> {
    let reply = client.voters_search(election_id, None, query).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    names(&reply.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_through_one_server_reaches_a_dashboard_on_the_other() {
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let desk = open_desk(&a).await;
    let voters = list_voters(&a, &desk, 0, &["Nguyễn Văn An", "Trần Thị Bình"], "active").await;
    let mut stream = desk
        .admin
        .http
        .get(format!(
            "{}/results/{}/events",
            b.base_url, desk.election_id
        ))
        .send()
        .await
        .expect("stream opened on B");
    assert_eq!(stream.status(), 200);
    let mut pending = Vec::new();
    let first = next_board(&mut stream, &mut pending).await;
    assert_eq!(first["ward"]["voted"], 0, "{first}");
    for (n, (voter_id, _)) in voters.iter().enumerate() {
        let sent = Instant::now();
        check_in(
            &desk.station,
            &format!("req-ab-{n:05}"),
            desk.areas[0],
            *voter_id,
        )
        .await;
        let board = loop {
            let board = next_board(&mut stream, &mut pending).await;
            if board["ward"]["voted"] == n + 1 {
                break board;
            }
        };
        let took = sent.elapsed();
        assert!(took < AT_ONCE, "B's dashboard heard of it after {took:?}");
        assert_eq!(board["areas"][0]["latest"][0], n + 1, "{board}");
    }
    // Undone on A: B's board goes down too.
    let undone = sqlx::query("update check_ins set undone = 1 where number = 2")
        .execute(a.db.pool())
        .await;
    assert!(undone.is_ok());
    let board = loop {
        let board = next_board(&mut stream, &mut pending).await;
        if board["ward"]["voted"] == 1 {
            break board;
        }
    };
    assert_eq!(board["ward"]["voted"], 1);
    drop(stream);
    // B's counts agree with the database after a refresh from it.
    let reread = turnout(&desk.admin.at(&b), desk.election_id).await;
    assert_eq!(reread["ward"]["voted"], 1, "{reread}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_added_or_corrected_through_one_server_is_found_through_the_other() {
    let Some(a) = first_server().await else {
        return;
    };
    let desk = open_desk(&a).await;
    let listed = list_voters(&a, &desk, 0, &["Nguyễn Văn An", "Trần Thị Bình"], "active").await;
    // B starts with the list in its search index, as a server that has run since morning.
    let b = a.beside().await;
    let on_b = desk.admin.at(&b);
    let election = desk.election_id;
    let (found, held) = within(
        AT_ONCE,
        || search_names(&on_b, election, "nguyen van an"),
        |found| found.iter().any(|n| n == "Nguyễn Văn An"),
    )
    .await;
    assert!(held, "a listed voter is found on B: {found:?}");

    let corrected = desk
        .admin
        .voters_edit(
            listed[1].0,
            &voter("Trần Thị Bích", "02/03/1980", "nu"),
            "Sai chính tả khi nhập",
        )
        .await;
    assert_eq!(corrected.status, 200, "{:?}", corrected.body);
    let (found, held) = within(
        AT_ONCE,
        || search_names(&on_b, election, "tran thi bich"),
        |found| found.iter().any(|n| n == "Trần Thị Bích"),
    )
    .await;
    assert!(held, "the correction is found on B at once: {found:?}");
    assert!(
        !search_names(&on_b, election, "tran thi binh")
            .await
            .iter()
            .any(|n| n == "Trần Thị Bình"),
        "the old name is gone from B's search"
    );

    let added = desk
        .admin
        .voters_add(
            desk.areas[0],
            &voter("Lê Văn Cường", "04/05/1970", "nam"),
            "Bổ sung cử tri mới chuyển đến",
        )
        .await;
    assert_eq!(added.status, 200, "{:?}", added.body);
    let (found, held) = within(
        AT_ONCE,
        || search_names(&on_b, election, "le van cuong"),
        |found| found.iter().any(|n| n == "Lê Văn Cường"),
    )
    .await;
    assert!(held, "an added voter is found on B at once: {found:?}");
    drop(b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_or_a_disabled_account_on_one_server_is_refused_on_the_other() {
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let admin = a.admin().await;
    let station = a.user_with_role(&admin, "tobaucu1", "station").await;
    drop(station);
    let signed_in = a.client().auth_login("tobaucu1", "tobaucu1-mat-khau").await;
    let cookie = session_cookie(&signed_in);
    // B reads the session and keeps it in its cache.
    assert_eq!(whoami_with(&b, &cookie).await.as_deref(), Some("tobaucu1"));
    assert_eq!(whoami_with(&b, &cookie).await.as_deref(), Some("tobaucu1"));
    let copy_on_a = copy_with_cookie(&a, &cookie);
    let out = copy_on_a.auth_logout().await;
    assert_eq!(out.status, 200, "{:?}", out.body);
    let (seen, held) = within(AT_ONCE, || whoami_with(&b, &cookie), Option::is_none).await;
    assert!(
        held,
        "signed out on A: refused on B once B heard it: {seen:?}"
    );

    let signed_in = a.client().auth_login("tobaucu1", "tobaucu1-mat-khau").await;
    let cookie = session_cookie(&signed_in);
    assert_eq!(whoami_with(&b, &cookie).await.as_deref(), Some("tobaucu1"));
    let station_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu1'")
        .fetch_one(a.db.pool())
        .await
        .expect("station id");
    let disabled = admin.admin_users_set_disabled(station_id, true).await;
    assert_eq!(disabled.status, 200, "{:?}", disabled.body);
    let (seen, held) = within(AT_ONCE, || whoami_with(&b, &cookie), Option::is_none).await;
    assert!(
        held,
        "disabled on A: refused on B once B heard it: {seen:?}"
    );
}

fn copy_with_cookie(server: &TestApp, cookie: &str) -> Client {
    let cookie = cookie.split(';').next().unwrap_or_default();
    let headers = reqwest::header::HeaderMap::from_iter([(
        reqwest::header::COOKIE,
        reqwest::header::HeaderValue::from_str(cookie).expect("cookie header"),
    )]);
    Client {
        base_url: server.base_url.clone(),
        http: reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("http client"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_areas_changed_on_one_server_hold_on_the_other() {
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let desk = open_desk(&a).await;
    let there = list_voters(&a, &desk, 1, &["Phạm Văn Đông"], "active").await;
    let station_on_b = desk.station.at(&b);
    let request =
        crate::checkin::check_in_request("req-area-0001", desk.areas[1], there[0].0, false);
    let refused = station_on_b.checkin_record(&request).await;
    assert_eq!(
        refused.status, 403,
        "area 2 is not the station's: {:?}",
        refused.body
    );
    let station_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu1'")
        .fetch_one(a.db.pool())
        .await
        .expect("station id");
    let moved = desk
        .admin
        .admin_users_set_areas(station_id, &[desk.areas[1]])
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    let (recorded, held) = within(
        AT_ONCE,
        || station_on_b.checkin_record(&request),
        |reply| reply.status == 200,
    )
    .await;
    assert!(held, "{:?}", recorded.body);
    assert!(
        recorded.body.get("Recorded").is_some(),
        "moved to area 2 on A: B lets the station check in there at once: {:?}",
        recorded.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_previewed_on_one_server_commits_on_the_other() {
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let admin = a.admin().await;
    let (election_id, _) = election_with_two_areas(&admin).await;
    let token = upload(
        &a,
        &admin,
        election_id,
        "ds.csv",
        utf8_csv(";").into_bytes(),
    )
    .await;
    let preview = admin
        .voters_import_preview(&import_request(&token, election_id))
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    let committed = admin
        .at(&b)
        .voters_import_commit(&import_request(&token, election_id))
        .await;
    assert_eq!(committed.status, 200, "{:?}", committed.body);
    assert_eq!(committed.body.as_i64(), Some(6), "{:?}", committed.body);
    let (found, held) = within(
        AT_ONCE,
        || search_names(&admin, election_id, "dang thuy duong"),
        |found| found.iter().any(|n| n == "Đặng Thùy Dương"),
    )
    .await;
    assert!(held, "committed on B, found on A: {found:?}");
    let again = admin
        .voters_import_commit(&import_request(&token, election_id))
        .await;
    assert_eq!(
        again.error_code(),
        Some("ImportExpired"),
        "a committed file is gone from both servers: {:?}",
        again.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_racing_through_both_servers_check_in_each_voter_once() {
    const VOTERS: usize = 1000;
    const STATIONS: usize = 64;
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let desk = open_desk(&a).await;
    let voters = numbered_voters(&a, &desk, VOTERS).await;
    // Half the stations are sent to A, half to B.
    let on_b = desk.station.at(&b);
    let desk_of = |station: usize| {
        if station.is_multiple_of(2) {
            desk.station.clone()
        } else {
            on_b.clone()
        }
    };
    let totals = race_for_the_same_voters(STATIONS, desk_of, desk.areas[0], &voters).await;
    assert_eq!(
        totals.get("recorded"),
        Some(&VOTERS),
        "one check-in per voter across both servers: {totals:?}"
    );
    let expected: BTreeSet<i64> = (1..=i64::try_from(VOTERS).expect("fits")).collect();
    assert_eq!(
        check_in_numbers(&a).await,
        expected,
        "gap-free numbers across both servers"
    );
    for (name, server) in [("A", &a), ("B", &b)] {
        let admin = desk.admin.at(server);
        let (board, held) = within(
            AT_ONCE,
            || turnout(&admin, desk.election_id),
            |board| board["ward"]["voted"] == VOTERS,
        )
        .await;
        assert!(held, "{name}'s board counts every check-in once: {board}");
    }
    assert!(matches!(
        app::storage::audit::verify(a.db.pool())
            .await
            .expect("verify"),
        app::storage::audit::ChainVerdict::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_whose_listening_connection_is_cut_reads_again_what_it_missed() {
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let desk = open_desk(&a).await;
    let voters = list_voters(&a, &desk, 0, &["Nguyễn Văn An", "Trần Thị Bình"], "active").await;
    let on_b = desk.admin.at(&b);
    let (board, held) = within(
        AT_ONCE,
        || turnout(&on_b, desk.election_id),
        |board| board["ward"]["on_list"] == 2,
    )
    .await;
    assert!(held, "{board}");
    let database: String = sqlx::query_scalar("select current_database()::text")
        .fetch_one(a.db.pool())
        .await
        .expect("database name");
    let cut: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid) from pg_stat_activity \
         where datname = $1 and query like 'LISTEN %'",
    )
    .bind(&database)
    .fetch_all(a.db.pool())
    .await
    .expect("listening connections cut");
    assert_eq!(
        cut,
        vec![true, true],
        "each server had one listening connection"
    );
    // Committed while B does not listen: B never hears of it.
    check_in(&desk.station, "req-cut-00001", desk.areas[0], voters[0].0).await;
    let (board, held) = within(
        Duration::from_secs(5),
        || turnout(&on_b, desk.election_id),
        |board| board["ward"]["voted"] == 1,
    )
    .await;
    assert!(
        held,
        "B read its counts again after listening again: {board}"
    );
    let (health, held) = within(
        Duration::from_secs(5),
        || async {
            let reply = reqwest::get(format!("{}/healthz", b.base_url))
                .await
                .expect("healthz");
            reply.json::<Value>().await.expect("healthz JSON")
        },
        |health| health["change_feed"] == "listening",
    )
    .await;
    assert!(held, "B listens again: {health}");
    // And hears again.
    check_in(&desk.station, "req-cut-00002", desk.areas[0], voters[1].0).await;
    let (board, held) = within(
        AT_ONCE,
        || turnout(&on_b, desk.election_id),
        |board| board["ward"]["voted"] == 2,
    )
    .await;
    assert!(held, "B hears A again: {board}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_to_a_form_post_on_one_server_is_shown_by_the_other() {
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let desk = open_desk(&a).await;
    let voters = list_voters(&a, &desk, 0, &["Nguyễn Văn An"], "active").await;
    let (area, voter) = (desk.areas[0].to_string(), voters[0].0.to_string());
    let posted = desk
        .station
        .post(
            "checkin/record-form",
            &[
                ("area_id", &area),
                ("voter_id", &voter),
                ("request_id", "form-ab-0000001"),
            ],
        )
        .await;
    assert_eq!(posted.status, 200, "{:?}", posted.body);
    // The browser is sent back to the desk, and the load balancer may send it to B.
    let shown = desk
        .station
        .at(&b)
        .post(
            "checkin/form-outcome",
            &[("area_id", &area), ("request_id", "form-ab-0000001")],
        )
        .await;
    assert_eq!(shown.status, 200, "{:?}", shown.body);
    assert_eq!(
        crate::checkin::receipt(&shown.body)["number"],
        1,
        "{:?}",
        shown.body
    );
}

/// One statement of check-ins spread over more areas than one announcement may name (150):
/// the other server still counts every one of them, without waiting for a refresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_ins_over_hundreds_of_areas_in_one_statement_all_reach_the_other_server() {
    const AREAS: i64 = 320;
    let Some(Pair { b, a }) = two_servers().await else {
        return;
    };
    let desk = open_desk(&a).await;
    sqlx::query(
        "insert into polling_areas (election_id, number, name, levels, opens_at, closes_at) \
         select $1, 100 + n, 'Khu vực ' || n, 7, '00:00', '23:59' from generate_series(1, $2) as n",
    )
    .bind(desk.election_id)
    .bind(AREAS)
    .execute(a.db.pool())
    .await
    .expect("areas");
    let names: Vec<String> = (0..AREAS).map(|n| format!("Cử Tri Số {n}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    list_voters(&a, &desk, 0, &names, "active").await;
    // Each voter to an area of their own, as a busy morning's batch spreads over the ward.
    sqlx::query(
        "update voters set polling_area_id = a.id from \
         (select id, row_number() over (order by id) as n from polling_areas where number > 100) a, \
         (select id, row_number() over (order by id) as n from voters) v \
         where voters.id = v.id and a.n = v.n",
    )
    .execute(a.db.pool())
    .await
    .expect("voters spread");
    let on_b = desk.admin.at(&b);
    let (board, held) = within(
        Duration::from_secs(5),
        || turnout(&on_b, desk.election_id),
        |board| board["ward"]["on_list"] == AREAS,
    )
    .await;
    assert!(held, "B knows the list: {board}");
    sqlx::query(
        "insert into check_ins (election_id, voter_id, polling_area_id, number, levels, request_id, \
         checked_in_by, at_ms) \
         select election_id, id, polling_area_id, 1, 7, 'spread-' || id, 'test', 1 from voters",
    )
    .execute(a.db.pool())
    .await
    .expect("one statement of check-ins");
    let (board, held) = within(
        AT_ONCE,
        || turnout(&on_b, desk.election_id),
        |board| board["ward"]["voted"] == AREAS,
    )
    .await;
    assert!(held, "every check-in reached B: {}", board["ward"]);
}
