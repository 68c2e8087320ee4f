//! Election day over real HTTP on each engine: check-in, the refusals, retries, undo by a
//! manager, turnout, and many stations racing for the same voters.

use app::domain::ids::{AreaId, ElectionId, UserId, VoterId};
use std::collections::{BTreeSet, HashMap};

use app::checkin::model::CheckInRequest;
use serde_json::{json, Value};

use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

/// A ward whose election is today and whose two polling areas are open all day, so the tests
/// do not depend on the hour they run at (the hour rules have their own unit tests).
pub(crate) struct Desk {
    pub admin: Client,
    pub station: Client,
    pub election_id: i64,
    pub areas: [i64; 2],
}

/// A voter as the tests insert it: (id, card code).
type Listed = (i64, String);

pub(crate) async fn open_desk(app: &TestApp) -> Desk {
    let admin = app.admin().await;
    let today = crate::support::election_day_today().await.display();
    let election = admin
        .voters_elections_create(
            "Bầu cử ĐBQH khóa XVI và HĐND các cấp",
            &today,
            Some("1"),
            Some("1"),
            Some("1"),
        )
        .await;
    let election_id = election
        .body
        .as_i64()
        .unwrap_or_else(|| panic!("[{}] election: {:?}", app.engine, election.body));
    let mut areas = [0; 2];
    for (index, (number, name)) in [(1, "Khóm Thới An"), (2, "Khóm Đông Thịnh")]
        .into_iter()
        .enumerate()
    {
        let area = admin
            .voters_areas_create(election_id, number, name, "")
            .await;
        areas[index] = area.body.as_i64().expect("area id");
    }
    sqlx::query("update polling_areas set opens_at = '00:00', closes_at = '23:59'")
        .execute(app.db.pool())
        .await
        .expect("open all day");
    let station = app.user_with_role(&admin, "tobaucu1", "station").await;
    let station_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu1'")
        .fetch_one(app.db.pool())
        .await
        .expect("station id");
    let assigned = admin.admin_users_set_areas(station_id, &[areas[0]]).await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    Desk {
        admin,
        station,
        election_id,
        areas,
    }
}

/// Inserts voters straight into the list (the import has its own tests).
pub(crate) async fn list_voters(
    app: &TestApp,
    desk: &Desk,
    area_index: usize,
    names: &[&str],
    status: &str,
) -> Vec<Listed> {
    let area_id = desk.areas[area_index];
    let mut listed = Vec::new();
    // One transaction: thousands of voters, one fsync. They are listed as one import, with its
    // audit record, as the real import lists them (`cutri audit verify` reconciles the two).
    let mut tx = app.db.begin_write().await.expect("transaction");
    let import = app::storage::voters::ImportRecord {
        election_id: ElectionId::new(desk.election_id),
        file_name: "danh-sach-thu.csv",
        file_sha256: "",
        encoding: "utf-8",
        rows: i64::try_from(names.len()).expect("a test list fits i64"),
        imported_by: "test",
    };
    let import_id = app::storage::voters::insert_import(&mut tx, &import, 0)
        .await
        .expect("import recorded");
    for name in names {
        let stt: i64 = sqlx::query_scalar(
            "select coalesce(max(stt), 0) + 1 from voters where polling_area_id = $1",
        )
        .bind(area_id)
        .fetch_one(&mut *tx)
        .await
        .expect("next stt");
        let card_code = format!("card{area_id}x{stt}");
        let id: i64 = sqlx::query_scalar(
            "insert into voters (election_id, polling_area_id, stt, full_name, name_folded, birth_year, \
             gender, levels, status, card_code, import_id, created_at_ms, updated_at_ms) \
             values ($1, $2, $3, $4, $5, 1980, 'nam', 7, $6, $7, $8, 0, 0) returning id",
        )
        .bind(desk.election_id)
        .bind(area_id)
        .bind(stt)
        .bind(*name)
        .bind(app::domain::text::fold(name))
        .bind(status)
        .bind(&card_code)
        .bind(import_id)
        .fetch_one(&mut *tx)
        .await
        .expect("voter inserted");
        listed.push((id, card_code));
    }
    let entry = app::storage::audit::AuditEntry {
        actor: &app::storage::audit::Actor::system(),
        action: app::domain::audit::AuditAction::VotersImport,
        entity: app::domain::audit::AuditSubject::Import(import_id),
        before: String::new(),
        after: json!({ "file": import.file_name, "rows": names.len() }).to_string(),
    };
    app::storage::audit::append(&mut tx, entry, 0)
        .await
        .expect("import audited");
    tx.commit().await.expect("voters committed");
    listed
}

/// `count` voters of the desk's first area, named by their number; their ids.
pub(crate) async fn numbered_voters(app: &TestApp, desk: &Desk, count: usize) -> Vec<i64> {
    let names: Vec<String> = (0..count).map(|i| format!("Cử Tri Số {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    list_voters(app, desk, 0, &names, "active")
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// `stations` desks check in the same `voters` of `area` at once, each through the client
/// `desk_of(station)` gives it and each walking the list from a different place, so collisions
/// are constant: how many answers were "recorded" and how many "already" checked in.
pub(crate) async fn race_for_the_same_voters(
    stations: usize,
    desk_of: impl Fn(usize) -> Client,
    area: i64,
    voters: &[i64],
) -> HashMap<&'static str, usize> {
    let mut racers = Vec::new();
    for station in 0..stations {
        let client = desk_of(station);
        let mut order = voters.to_vec();
        order.rotate_left(station * voters.len() / stations);
        racers.push(tokio::spawn(async move {
            let mut outcomes = HashMap::new();
            for voter in order {
                let request_id = format!("race-{station}-{voter}");
                let outcome = check_in(&client, &request_id, area, voter).await;
                let kind = if outcome.get("Recorded").is_some() {
                    "recorded"
                } else if outcome["Refused"].get("AlreadyCheckedIn").is_some() {
                    "already"
                } else {
                    panic!("unexpected outcome {outcome}")
                };
                *outcomes.entry(kind).or_insert(0usize) += 1;
            }
            outcomes
        }));
    }
    let mut totals = HashMap::new();
    for racer in racers {
        for (kind, count) in racer.await.expect("station task") {
            *totals.entry(kind).or_default() += count;
        }
    }
    totals
}

/// The numbers of every check-in stored.
pub(crate) async fn check_in_numbers(app: &TestApp) -> BTreeSet<i64> {
    sqlx::query_scalar("select number from check_ins")
        .fetch_all(app.db.pool())
        .await
        .expect("numbers")
        .into_iter()
        .collect()
}

/// A check-in at the desk (no mobile box); `hours_override` is a manager's.
pub(crate) fn check_in_request(
    request_id: &str,
    area_id: i64,
    voter_id: i64,
    hours_override: bool,
) -> CheckInRequest {
    CheckInRequest {
        request_id: request_id.to_string(),
        area_id: AreaId::new(area_id),
        voter_id: VoterId::new(voter_id),
        mobile_box: false,
        hours_override,
    }
}

pub(crate) async fn check_in(
    client: &Client,
    request_id: &str,
    area_id: i64,
    voter_id: i64,
) -> Value {
    let reply = client
        .checkin_record(&check_in_request(request_id, area_id, voter_id, false))
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

fn refusal(outcome: &Value) -> &Value {
    outcome
        .get("Refused")
        .unwrap_or_else(|| panic!("expected a refusal, got {outcome}"))
}

pub(crate) fn receipt(outcome: &Value) -> &Value {
    outcome
        .get("Recorded")
        .unwrap_or_else(|| panic!("expected a check-in, got {outcome}"))
}

async fn counting_check_ins(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from check_ins where undone = 0")
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

pub(crate) async fn turnout(client: &Client, election_id: i64) -> Value {
    let reply = client.turnout_board(election_id).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

/// The manager's undo needs a reason, keeps the check-in and frees the voter; it is done once.
async fn manager_undoes_check_in(app: &TestApp, desk: &Desk, check_in_id: i64) {
    let engine = app.engine;
    let no_reason = desk.admin.checkin_undo(check_in_id, "  ").await;
    assert_eq!(no_reason.error_code(), Some("ReasonRequired"), "[{engine}]");
    let undone = desk
        .admin
        .checkin_undo(check_in_id, "Ghi nhầm người cùng tên")
        .await;
    assert_eq!(undone.status, 200, "[{engine}] {:?}", undone.body);
    let twice = desk.admin.checkin_undo(check_in_id, "Lần nữa").await;
    assert_eq!(
        twice.error_code(),
        Some("CheckInAlreadyUndone"),
        "[{engine}]"
    );
    let kept: (i64, i64) = sqlx::query_as(
        "select (select count(*) from check_ins), (select count(*) from check_in_undos)",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("rows");
    assert_eq!(
        kept,
        (1, 1),
        "[{engine}] an undo is a new record, not a delete"
    );
    let board = turnout(&desk.admin, desk.election_id).await;
    assert_eq!(board["ward"]["voted"], 0, "[{engine}] {board}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_is_checked_in_once_and_every_refusal_says_why() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let here = list_voters(&app, &desk, 0, &["Nguyễn Văn An", "Trần Thị Bình"], "active").await;
        let removed = list_voters(&app, &desk, 0, &["Lê Văn Cường"], "removed").await;
        let elsewhere = list_voters(&app, &desk, 0, &["Phạm Thị Dung"], "elsewhere").await;
        let other_area = list_voters(&app, &desk, 1, &["Đỗ Văn Em"], "active").await;
        let area = desk.areas[0];
        let engine = app.engine;

        let first = check_in(&desk.station, "req-an-000001", area, here[0].0).await;
        let first = receipt(&first).clone();
        assert_eq!(first["number"], 1, "[{engine}] {first}");
        assert_eq!(first["levels"], 7, "[{engine}] all three ballots");
        assert_eq!(first["full_name"], "Nguyễn Văn An");
        assert_eq!(
            (first["area_voted"].as_i64(), first["area_on_list"].as_i64()),
            (Some(1), Some(2)),
            "[{engine}] removed and voting-elsewhere voters are not on the list's count"
        );

        // A retry of the same request (the answer was lost) gets the same check-in back.
        let retried = check_in(&desk.station, "req-an-000001", area, here[0].0).await;
        assert_eq!(receipt(&retried)["check_in_id"], first["check_in_id"], "[{engine}]");
        assert_eq!(counting_check_ins(&app).await, 1, "[{engine}] a retry adds nothing");

        let again = check_in(&desk.station, "req-an-000002", area, here[0].0).await;
        let earlier = &refusal(&again)["AlreadyCheckedIn"];
        assert_eq!(earlier["number"], 1, "[{engine}] {again}");
        assert_eq!(earlier["by"], "tobaucu1");
        assert_eq!(earlier["area_number"], 1);

        let gone = check_in(&desk.station, "req-cuong-0001", area, removed[0].0).await;
        assert!(refusal(&gone).get("Removed").is_some(), "[{engine}] {gone}");
        let away = check_in(&desk.station, "req-dung-00001", area, elsewhere[0].0).await;
        assert!(refusal(&away).get("VotingElsewhere").is_some(), "[{engine}] {away}");
        let wrong_place = check_in(&desk.station, "req-em-0000001", area, other_area[0].0).await;
        assert_eq!(
            refusal(&wrong_place)["OtherArea"]["area_number"],
            2,
            "[{engine}] {wrong_place}"
        );

        // Station staff check in only at their own areas and cannot override or undo.
        let foreign = desk
            .station
            .checkin_record(&check_in_request(
                "req-foreign-01",
                desk.areas[1],
                other_area[0].0,
                false,
            ))
            .await;
        assert_eq!(foreign.status, 403, "[{engine}] {:?}", foreign.body);
        let self_override = desk
            .station
            .checkin_record(&check_in_request("req-override-1", area, here[1].0, true))
            .await;
        assert_eq!(self_override.status, 403, "[{engine}] {:?}", self_override.body);
        let check_in_id = first["check_in_id"].as_i64().expect("id");
        // The desk's own latest check-in, but made more than two minutes ago: a manager's.
        sqlx::query("update check_ins set at_ms = at_ms - 180000 where id = $1")
            .bind(check_in_id)
            .execute(app.db.pool())
            .await
            .expect("age the check-in");
        let station_undo = desk.station.checkin_undo(check_in_id, "Nhầm").await;
        assert_eq!(station_undo.status, 403, "[{engine}]");
        assert_eq!(station_undo.error_code(), Some("OwnUndoOnly"), "[{engine}]");

        manager_undoes_check_in(&app, &desk, check_in_id).await;

        let back = check_in(&desk.station, "req-an-000003", area, here[0].0).await;
        assert_eq!(receipt(&back)["number"], 2, "[{engine}] numbers are never reused");
        let board = turnout(&desk.admin, desk.election_id).await;
        assert_eq!(board["ward"]["voted"], 1, "[{engine}] {board}");
        assert_eq!(board["ward"]["on_list"], 3, "[{engine}] two here, one in area 2");
        assert_eq!(board["areas"][0]["per_level"][0]["voted"], 1, "[{engine}]");

        // Outside the hours: refused at the desk, admitted by a manager's override (audited).
        sqlx::query("update polling_areas set opens_at = '23:59', closes_at = '23:59'")
            .execute(app.db.pool())
            .await
            .expect("closed");
        let late = check_in(&desk.station, "req-binh-00001", area, here[1].0).await;
        assert!(refusal(&late).get("OutsideHours").is_some(), "[{engine}] {late}");
        let allowed = desk
            .admin
            .checkin_record(&check_in_request("req-binh-00002", area, here[1].0, true))
            .await;
        assert_eq!(receipt(&allowed.body)["number"], 3, "[{engine}] {:?}", allowed.body);

        let actions: Vec<(String, i64)> = sqlx::query_as(
            "select action, count(*) from audit_log where action like 'checkin.%' group by action order by action",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            [("checkin.record".to_string(), 3), ("checkin.undo".to_string(), 1)],
            "[{engine}]"
        );
        let overrides: String = sqlx::query_scalar(
            "select after_summary from audit_log where action = 'checkin.record' order by seq desc limit 1",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("last");
        assert!(overrides.contains("ngoai_gio"), "[{engine}] {overrides}");
        assert!(matches!(
            app::storage::audit::verify(app.db.pool()).await.expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));
    })
    .await;
}

/// A desk takes back its own mistaken check-in at once (the wrong line confirmed): only its
/// latest, only for two minutes, with a reason, audited; anything else is a manager's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_undoes_its_own_latest_check_in_within_two_minutes() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let engine = app.engine;
        let area = desk.areas[0];
        let listed = list_voters(
            &app,
            &desk,
            0,
            &["Kiều Văn Tâm", "Kiều Văn Tấn", "Mai Thị Lan"],
            "active",
        )
        .await;
        let second_desk = app.user_with_role(&desk.admin, "tobaucu2", "station").await;
        let second_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu2'")
            .fetch_one(app.db.pool())
            .await
            .expect("id");
        let assigned = desk.admin.admin_users_set_areas(second_id, &[area]).await;
        assert_eq!(assigned.status, 200, "[{engine}] {:?}", assigned.body);

        let older = check_in(&desk.station, "req-tam-000001", area, listed[0].0).await;
        let latest = check_in(&desk.station, "req-tan-000001", area, listed[1].0).await;
        let by_other = check_in(&second_desk, "req-lan-000001", area, listed[2].0).await;
        let id = |outcome: &Value| receipt(outcome)["check_in_id"].as_i64().expect("id");

        // The station screen offers the undo on the desk's own latest line only.
        let station = desk.station.checkin_station(area).await;
        let offered: Vec<i64> = station.body["log"]
            .as_array()
            .expect("log")
            .iter()
            .filter(|line| line["may_undo"] == true)
            .map(|line| line["check_in_id"].as_i64().expect("id"))
            .collect();
        assert_eq!(offered, [id(&latest)], "[{engine}] {:?}", station.body);

        for (what, check_in_id) in [
            ("an older one", id(&older)),
            ("another desk's", id(&by_other)),
        ] {
            let refused = desk.station.checkin_undo(check_in_id, "Nhầm người").await;
            assert_eq!(refused.status, 403, "[{engine}] {what}: {:?}", refused.body);
            assert_eq!(
                refused.error_code(),
                Some("OwnUndoOnly"),
                "[{engine}] {what}"
            );
        }
        let no_reason = desk.station.checkin_undo(id(&latest), "  ").await;
        assert_eq!(no_reason.error_code(), Some("ReasonRequired"), "[{engine}]");
        let undone = desk
            .station
            .checkin_undo(id(&latest), "Bấm nhầm dòng, cử tri chưa nhận phiếu")
            .await;
        assert_eq!(undone.status, 200, "[{engine}] {:?}", undone.body);
        let audited: String =
            sqlx::query_scalar("select actor from audit_log where action = 'checkin.undo'")
                .fetch_one(app.db.pool())
                .await
                .expect("undo audited");
        assert_eq!(audited, "tobaucu1", "[{engine}]");
        // Undone, it is still the desk's latest: the older one does not become undoable.
        let again = desk.station.checkin_undo(id(&older), "Nhầm người").await;
        assert_eq!(again.error_code(), Some("OwnUndoOnly"), "[{engine}]");
        let board = turnout(&desk.admin, desk.election_id).await;
        assert_eq!(board["ward"]["voted"], 2, "[{engine}] {board}");
    })
    .await;
}

/// The election board sets an area's hours within Điều 71 (start from 05:00 up to 07:00, end
/// from 19:00 up to 21:00; never closing early), audited, and the desks apply them to the
/// next check-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_sets_the_hours_and_the_desk_applies_them_at_once() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let listed = list_voters(&app, &desk, 0, &["Lâm Thị Nguyệt"], "active").await;
        let area = desk.areas[0];
        let engine = app.engine;

        let by_station = desk.station.checkin_hours(area, "07:00", "19:00").await;
        assert_eq!(by_station.status, 403, "[{engine}] {:?}", by_station.body);
        for (opens, closes) in [
            ("04:30", "19:00"),
            ("07:00", "21:30"),
            ("19:00", "07:00"),
            ("08:00", "19:00"),
            ("07:00", "17:00"),
            ("bảy giờ", "19:00"),
        ] {
            let wrong = desk.admin.checkin_hours(area, opens, closes).await;
            assert_eq!(
                wrong.status, 422,
                "[{engine}] {opens}–{closes}: {:?}",
                wrong.body
            );
            assert_eq!(wrong.error_code(), Some("VotingHoursInvalid"), "[{engine}]");
        }

        let set = desk.admin.checkin_hours(area, "6:00", "20g30").await;
        assert_eq!(set.status, 200, "[{engine}] {:?}", set.body);
        assert_eq!(set.body["opens_at"], "06:00", "[{engine}] as stored");
        assert_eq!(set.body["closes_at"], "20:30", "[{engine}] as stored");
        let station = desk.station.checkin_station(area).await;
        assert_eq!(
            (
                &station.body["window"]["opens"],
                &station.body["window"]["closes"]
            ),
            (&serde_json::json!(360), &serde_json::json!(1230)),
            "[{engine}] the desk has the new hours"
        );
        let (before, after): (String, String) = sqlx::query_as(
            "select before_summary, after_summary from audit_log where action = 'area.hours'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("hours audited");
        assert_eq!(
            (before.as_str(), after.as_str()),
            ("00:00–23:59", "06:00–20:30"),
            "[{engine}]"
        );

        // The next check-in follows them, whatever the hour the test runs at.
        let now = app::domain::format::VietnamTime::from_unix_ms(app::storage::db::now_ms());
        let minute = now.hour * 60 + now.minute;
        let outcome = check_in(&desk.station, "req-nguyet-0001", area, listed[0].0).await;
        if (6 * 60..20 * 60 + 30).contains(&minute) {
            assert_eq!(receipt(&outcome)["number"], 1, "[{engine}] {outcome}");
        } else {
            let outside = &refusal(&outcome)["OutsideHours"];
            assert_eq!(outside["window"]["closes"], 1230, "[{engine}] {outcome}");
        }
    })
    .await;
}

/// A station's request whose answer was lost is retried after a manager undid its check-in: the
/// station hears that, by whom and when, not the old receipt as if it still counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_of_a_check_in_undone_since_says_who_undid_it_and_when() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let voter = list_voters(&app, &desk, 0, &["Huỳnh Văn Lộc"], "active").await[0].0;
        let area = desk.areas[0];
        let engine = app.engine;
        let first = check_in(&desk.station, "req-loc-000001", area, voter).await;
        let check_in_id = receipt(&first)["check_in_id"].as_i64().expect("id");
        let undone = desk
            .admin
            .checkin_undo(check_in_id, "Ghi nhầm người cùng tên")
            .await;
        assert_eq!(undone.status, 200, "[{engine}] {:?}", undone.body);
        let undone_at: i64 = sqlx::query_scalar("select at_ms from check_in_undos")
            .fetch_one(app.db.pool())
            .await
            .expect("undo time");

        let retried = check_in(&desk.station, "req-loc-000001", area, voter).await;
        let told = retried
            .get("UndoneSince")
            .unwrap_or_else(|| panic!("[{engine}] expected the undo, got {retried}"));
        assert_eq!(told["undone_by"], "Quản trị viên", "[{engine}] {told}");
        assert_eq!(told["undone_at_ms"], undone_at, "[{engine}] {told}");
        assert_eq!(
            told["reason"], "Ghi nhầm người cùng tên",
            "[{engine}] {told}"
        );
        assert_eq!(told["number"], 1, "[{engine}] {told}");
        assert_eq!(told["full_name"], "Huỳnh Văn Lộc", "[{engine}] {told}");
        assert_eq!(
            counting_check_ins(&app).await,
            0,
            "[{engine}] the retry checks nobody in"
        );

        // Checked in again with a new request, the old request still answers with its undo.
        let again = check_in(&desk.station, "req-loc-000002", area, voter).await;
        assert_eq!(receipt(&again)["number"], 2, "[{engine}] {again}");
        let old_again = check_in(&desk.station, "req-loc-000001", area, voter).await;
        assert!(
            old_again.get("UndoneSince").is_some(),
            "[{engine}] {old_again}"
        );
        assert_eq!(counting_check_ins(&app).await, 1, "[{engine}]");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_finds_voters_by_name_and_by_scanned_card() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let here = list_voters(
            &app,
            &desk,
            0,
            &["Nguyễn Văn An", "Nguyễn Thị Bình"],
            "active",
        )
        .await;
        list_voters(&app, &desk, 1, &["Nguyễn Văn Ân"], "active").await;
        let area = desk.areas[0];
        let engine = app.engine;

        let scanned = desk
            .station
            .checkin_lookup(area, &format!("CUTRI:{}", here[1].1))
            .await;
        let found = scanned.body.as_array().expect("list");
        assert_eq!(found.len(), 1, "[{engine}] {:?}", scanned.body);
        assert_eq!(found[0]["Listed"]["voter"]["full_name"], "Nguyễn Thị Bình");

        check_in(&desk.station, "req-lookup-001", desk.areas[0], here[0].0).await;
        let typed = desk.station.checkin_lookup(area, "nguyen van").await;
        let found = typed.body.as_array().expect("list");
        let names: Vec<&str> = found
            .iter()
            .map(|f| {
                f.pointer("/Listed/voter/full_name")
                    .or_else(|| f.pointer("/OtherArea/full_name"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            names,
            ["Nguyễn Văn An", "Nguyễn Văn Ân"],
            "[{engine}] this area's voters first, others still found"
        );
        assert_eq!(
            found[0]["Listed"]["checked_in"]["number"], 1,
            "[{engine}] the desk sees who voted"
        );
        assert_eq!(
            found[1]["OtherArea"]["area_number"], 2,
            "[{engine}] the voter of another area is only sent there: {:?}",
            found[1]
        );
        let by_admin = desk.admin.checkin_lookup(area, "nguyen van").await;
        assert!(
            by_admin.body[1]["Listed"]["checked_in"].is_null(),
            "[{engine}] an administrator sees every voter in full: {:?}",
            by_admin.body
        );
    })
    .await;
}

/// 64 stations try to check in the same 1.000 voters at once: every voter is checked in exactly
/// once, every other attempt hears "already checked in", and the numbers have no gaps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_stations_check_in_each_voter_exactly_once() {
    const VOTERS: usize = 1000;
    const STATIONS: usize = 64;
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let voters = numbered_voters(&app, &desk, VOTERS).await;
        let station = desk.station.clone();
        let totals =
            race_for_the_same_voters(STATIONS, |_| station.clone(), desk.areas[0], &voters).await;
        let engine = app.engine;
        assert_eq!(
            totals.get("recorded"),
            Some(&VOTERS),
            "[{engine}] {totals:?}"
        );
        assert_eq!(
            totals.get("already"),
            Some(&(VOTERS * (STATIONS - 1))),
            "[{engine}] {totals:?}"
        );
        assert_eq!(
            counting_check_ins(&app).await,
            i64::try_from(VOTERS).unwrap(),
            "[{engine}]"
        );
        assert_eq!(
            check_in_numbers(&app).await,
            (1..=i64::try_from(VOTERS).unwrap()).collect(),
            "[{engine}] gap-free numbers"
        );
        let board = turnout(&desk.admin, desk.election_id).await;
        assert_eq!(
            board["ward"]["voted"],
            i64::try_from(VOTERS).unwrap(),
            "[{engine}]"
        );
        assert!(matches!(
            app::storage::audit::verify(app.db.pool())
                .await
                .expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));
        if engine == "postgres" {
            assert!(
                check_in_statistics_appear(&app).await,
                "the writer asks PostgreSQL for statistics after its first 1.000 check-ins"
            );
        }
    })
    .await;
}

/// Whether PostgreSQL gets statistics on `check_ins` within a few seconds (`reltuples` is -1
/// until the table is first analysed; autovacuum would take a minute at the earliest).
async fn check_in_statistics_appear(app: &TestApp) -> bool {
    for _ in 0..100 {
        let rows: f32 =
            sqlx::query_scalar("select reltuples from pg_class where relname = 'check_ins'")
                .fetch_one(app.db.pool())
                .await
                .expect("reltuples");
        if rows >= 0.0 {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_racing_each_other_get_one_check_in_and_the_same_receipt() {
    const RETRIES: usize = 24;
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let names: Vec<String> = (0..RETRIES).map(|i| format!("Người Khác {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let others = list_voters(&app, &desk, 0, &names, "active").await;
        let retried = list_voters(&app, &desk, 0, &["Võ Thị Hồng"], "active").await[0].0;
        let not_yet_voted = list_voters(&app, &desk, 0, &["Lâm Chưa Bầu"], "active").await[0].0;
        let area = desk.areas[0];
        let engine = app.engine;
        // The same request sent many times at once (a station retrying over a bad network),
        // interleaved with other voters' check-ins so that copies land in one batch and in
        // different batches. Afterwards the id is reused for another voter.
        let mut senders = Vec::new();
        for (copy, &(other, _)) in others.iter().enumerate() {
            let client = desk.station.clone();
            senders.push(tokio::spawn(async move {
                let other_request = format!("req-other-{copy:04}");
                let (own, other) = tokio::join!(
                    check_in(&client, "req-hong-retry-1", area, retried),
                    check_in(&client, &other_request, area, other)
                );
                assert!(other.get("Recorded").is_some(), "{other}");
                own
            }));
        }
        let mut receipts = Vec::new();
        for sender in senders {
            receipts.push(receipt(&sender.await.expect("sender")).clone());
        }
        let misuse = desk
            .station
            .checkin_record(&check_in_request(
                "req-hong-retry-1",
                area,
                others[0].0,
                false,
            ))
            .await;
        // Reused for a voter who could be checked in: the insert finds the id taken.
        let misuse_on_new_voter = desk
            .station
            .checkin_record(&check_in_request(
                "req-hong-retry-1",
                area,
                not_yet_voted,
                false,
            ))
            .await;
        // The same check-in each time; only the area's running count is as of the answer.
        let same = |r: &Value| {
            (
                r["check_in_id"].clone(),
                r["number"].clone(),
                r["at_ms"].clone(),
            )
        };
        assert!(
            receipts.iter().all(|r| same(r) == same(&receipts[0])),
            "[{engine}] {receipts:?}"
        );
        assert_eq!(receipts[0]["full_name"], "Võ Thị Hồng", "[{engine}]");
        let rows: i64 = sqlx::query_scalar("select count(*) from check_ins where voter_id = $1")
            .bind(retried)
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(rows, 1, "[{engine}] one check-in row for all the copies");
        assert_eq!(
            counting_check_ins(&app).await,
            i64::try_from(RETRIES).unwrap() + 1,
            "[{engine}]"
        );
        assert_eq!(
            misuse.error_code(),
            Some("InvalidInput"),
            "[{engine}] {:?}",
            misuse.body
        );
        assert_eq!(
            misuse_on_new_voter.error_code(),
            Some("InvalidInput"),
            "[{engine}] {:?}",
            misuse_on_new_voter.body
        );
        let new_voter_rows: i64 =
            sqlx::query_scalar("select count(*) from check_ins where voter_id = $1")
                .bind(not_yet_voted)
                .fetch_one(app.db.pool())
                .await
                .expect("count");
        assert_eq!(
            new_voter_rows, 0,
            "[{engine}] nothing written for a misused id"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refreshing_the_counts_during_check_ins_counts_each_check_in_once() {
    use app::domain::checkin::CheckInOutcome;
    use app::engine::checkin_desk::{CheckInDesk, DeskJob};
    use app::engine::tally::TallyBoard;
    use app::storage::audit::Actor;
    const VOTERS: usize = 150;
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let names: Vec<String> = (0..VOTERS).map(|i| format!("Cử Tri Làm Mới {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let voters: Vec<i64> = list_voters(&app, &desk, 0, &names, "active")
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let (area, election) = (desk.areas[0], desk.election_id);
        let engine = app.engine;
        let station: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu1'")
            .fetch_one(app.db.pool())
            .await
            .expect("station id");
        let board = TallyBoard::new(app.db.clone());
        let writer = CheckInDesk::start(app.db.clone(), board.clone());
        board
            .turnout(ElectionId::new(election))
            .await
            .expect("first load");
        // Each check-in commits while the counts are being read again: before the refresh's
        // snapshot, inside it, or after the swap. Whichever, it must be counted exactly once.
        for (round, voter_id) in voters.into_iter().enumerate() {
            let job = DeskJob {
                request_id: format!("refresh-{voter_id:06}"),
                station_area_id: AreaId::new(area),
                voter_id: VoterId::new(voter_id),
                mobile_box: false,
                hours_override: false,
                actor: Actor {
                    user_id: Some(UserId::new(station)),
                    username: "tobaucu1".into(),
                },
                by_name: "Tổ bầu cử số 1".into(),
            };
            let (refreshed, outcome) = tokio::join!(
                board.refresh(ElectionId::new(election)),
                writer.check_in(job)
            );
            refreshed.expect("refresh");
            let outcome = outcome.expect("check-in");
            assert!(
                matches!(outcome, CheckInOutcome::Recorded(_)),
                "{outcome:?}"
            );
            let live = board
                .turnout(ElectionId::new(election))
                .await
                .expect("turnout")
                .expect("election");
            assert_eq!(
                live.ward.voted,
                i64::try_from(round).unwrap() + 1,
                "[{engine}] after check-in {}",
                round + 1
            );
        }
        board
            .refresh(ElectionId::new(election))
            .await
            .expect("refresh");
        let reread = board
            .turnout(ElectionId::new(election))
            .await
            .expect("turnout")
            .expect("election");
        assert_eq!(
            reread.ward.voted,
            i64::try_from(VOTERS).unwrap(),
            "[{engine}] the database agrees"
        );
    })
    .await;
}

/// The next turnout board of a dashboard's event stream (comments are skipped).
pub(crate) async fn next_board(stream: &mut reqwest::Response, pending: &mut Vec<u8>) -> Value {
    loop {
        if let Some(end) = pending.windows(2).position(|pair| pair == b"\n\n") {
            let event: Vec<u8> = pending.drain(..end + 2).collect();
            let event = String::from_utf8(event).expect("utf-8 event");
            if event.starts_with(':') {
                continue;
            }
            let data = event
                .strip_prefix("event: turnout\ndata: ")
                .unwrap_or_else(|| panic!("not a turnout event: {event:?}"));
            return serde_json::from_str(data.trim_end()).expect("board JSON");
        }
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("an update in time")
            .expect("stream read")
            .expect("stream open");
        pending.extend_from_slice(&chunk);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboards_get_the_board_at_once_and_again_after_a_check_in() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let engine = app.engine;
        let here = list_voters(
            &app,
            &desk,
            0,
            &["Nguyễn Văn An", "Trần Thị Bình"],
            "active",
        )
        .await;
        let mut stream = desk
            .admin
            .http
            .get(format!(
                "{}/results/{}/events",
                desk.admin.base_url, desk.election_id
            ))
            .send()
            .await
            .expect("stream opened");
        assert_eq!(stream.status(), 200, "[{engine}]");
        assert_eq!(
            stream.headers()["content-type"],
            "text/event-stream",
            "[{engine}] not compressed, not buffered"
        );
        let mut pending = Vec::new();
        let first = next_board(&mut stream, &mut pending).await;
        assert_eq!(
            first["areas"][0]["name"], "Khóm Thới An",
            "[{engine}] {first}"
        );
        assert_eq!(
            (
                first["ward"]["voted"].as_i64(),
                first["ward"]["on_list"].as_i64()
            ),
            (Some(0), Some(2)),
            "[{engine}]"
        );
        check_in(&desk.station, "req-live-00001", desk.areas[0], here[0].0).await;
        let second = next_board(&mut stream, &mut pending).await;
        assert_eq!(second["ward"]["voted"], 1, "[{engine}] {second}");
        assert_eq!(second["areas"][0]["latest"][0], 1, "[{engine}] {second}");
    })
    .await;
}

/// The board keeps its list counts between refreshes (counting a million-voter list is the
/// costly part), so a list change made through the app must make it count again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_change_reaches_the_board_without_waiting_for_the_next_refresh() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let engine = app.engine;
        let here = list_voters(
            &app,
            &desk,
            0,
            &["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
            "active",
        )
        .await;
        let first = check_in(&desk.station, "req-list-00001", desk.areas[0], here[0].0).await;
        let second = check_in(&desk.station, "req-list-00002", desk.areas[0], here[1].0).await;
        let board = turnout(&desk.admin, desk.election_id).await;
        assert_eq!(board["areas"][0]["all"]["on_list"], 3, "[{engine}] {board}");
        assert_eq!(
            board["areas"][0]["latest"][0],
            receipt(&second)["number"],
            "[{engine}] the latest check-in of the area"
        );
        assert_eq!(receipt(&first)["number"], 1, "[{engine}]");

        let removed = desk
            .admin
            .voters_set_status(here[2].0, "removed", "Chuyển đi nơi khác", None)
            .await;
        assert_eq!(removed.status, 200, "[{engine}] {:?}", removed.body);
        // The first read after the change starts a refresh; it lands within moments.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let board = turnout(&desk.admin, desk.election_id).await;
            if board["areas"][0]["all"]["on_list"] == 2 {
                assert_eq!(board["ward"]["voted"], 2, "[{engine}] {board}");
                assert_eq!(board["ward"]["on_list"], 2, "[{engine}] {board}");
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "[{engine}] the removal never reached the board: {board}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_itself_refuses_a_second_counting_check_in() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let voter = list_voters(&app, &desk, 0, &["Nguyễn Văn An"], "active").await[0].0;
        check_in(&desk.station, "req-db-000001", desk.areas[0], voter).await;
        // Bypassing the application entirely: the unique index still says no.
        let second = sqlx::query(
            "insert into check_ins (election_id, voter_id, polling_area_id, number, levels, request_id, \
             checked_in_by, at_ms) values ($1, $2, $3, 99, 7, 'direct-insert', 'x', 0)",
        )
        .bind(desk.election_id)
        .bind(voter)
        .bind(desk.areas[0])
        .execute(app.db.pool())
        .await;
        assert!(second.is_err(), "[{}] second counting check-in accepted", app.engine);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_paper_checklist_marks_who_voted_and_the_latest_check_in() {
    if !have_pdftotext("checklist PDF text check") {
        return;
    }
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let voters = list_voters(
            &app,
            &desk,
            0,
            &["Nguyễn Văn An", "Trần Thị Hương", "Đặng Thùy Dương"],
            "active",
        )
        .await;
        check_in(&desk.station, "req-paper-0001", desk.areas[0], voters[2].0).await;
        check_in(&desk.station, "req-paper-0002", desk.areas[0], voters[0].0).await;
        let path = format!("/election-day/areas/{}/checklist.pdf", desk.areas[0]);
        let response = desk
            .station
            .http
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .expect("checklist");
        assert_eq!(response.status().as_u16(), 200, "[{}]", app.engine);
        let bytes = response.bytes().await.expect("pdf");
        assert!(bytes.starts_with(b"%PDF"), "[{}]", app.engine);
        let text = pdf_text(&bytes, &["-layout"]);
        let line_of = |name: &str| {
            text.lines()
                .find(|line| line.contains(name))
                .unwrap_or_else(|| panic!("{name} not in the checklist:\n{text}"))
                .to_string()
        };
        let line = line_of("Đặng Thùy Dương");
        assert!(line.contains("ĐÃ BẦU #1"), "[{}] {line}", app.engine);
        let line = line_of("Nguyễn Văn An");
        assert!(line.contains("ĐÃ BẦU #2"), "[{}] {line}", app.engine);
        assert!(
            !line_of("Trần Thị Hương").contains("ĐÃ BẦU"),
            "[{}]",
            app.engine
        );
        assert!(
            text.contains("Lượt ghi nhận cuối: #2"),
            "[{}] every page says how far the check-ins went:\n{text}",
            app.engine
        );

        // Another area's staff cannot print it.
        let other = desk
            .admin
            .voters_areas_create(desk.election_id, 3, "Khóm 3", "")
            .await;
        let other_area = other.body.as_i64().expect("area");
        let refused = desk
            .station
            .http
            .get(format!(
                "{}/election-day/areas/{other_area}/checklist.pdf",
                app.base_url
            ))
            .send()
            .await
            .expect("refused");
        assert_eq!(refused.status().as_u16(), 403, "[{}]", app.engine);
    })
    .await;
}

/// The `cutri` binary built next to this test (`cargo test --workspace` builds it), or
/// CUTRI_BIN.
pub(crate) fn server_binary() -> std::path::PathBuf {
    if let Ok(bin) = std::env::var("CUTRI_BIN") {
        return bin.into();
    }
    let exe = std::env::current_exe().expect("test binary path");
    let bin = exe
        .parent()
        .and_then(std::path::Path::parent)
        .map(|dir| dir.join("cutri"))
        .expect("target directory");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p server --bin cutri` (scripts/test.sh runs `cargo test --workspace`, which does)",
        bin.display()
    );
    bin
}

/// A `cutri serve` process on the test's database, killed with SIGKILL when dropped.
pub(crate) struct ServerProcess {
    child: std::process::Child,
    pub client: Client,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn spawn_server(app: &TestApp) -> ServerProcess {
    spawn_server_on(app, &app.database_url).await
}

/// A `cutri serve` process on the database at `database_url`, signed in as the test's admin.
pub(crate) async fn spawn_server_on(app: &TestApp, database_url: &str) -> ServerProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new(server_binary())
        .arg("serve")
        .env("CUTRI_ADDR", format!("127.0.0.1:{port}"))
        .env("CUTRI_DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("server starts");
    let mut client = app.client();
    client.base_url = format!("http://127.0.0.1:{port}");
    let mut process = ServerProcess { child, client };
    for _ in 0..300 {
        if let Ok(reply) = process
            .client
            .http
            .get(format!("{}/healthz", process.client.base_url))
            .send()
            .await
        {
            if reply.status().is_success() {
                let login = process
                    .client
                    .auth_login(crate::support::ADMIN_USER, crate::support::ADMIN_PASSWORD)
                    .await;
                assert_eq!(login.status, 200, "{:?}", login.body);
                return process;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = process.child.kill();
    panic!("the server process did not start");
}

/// One station checking in the next voter of `voters` until the server stops answering;
/// returns (voter, check-in id) of every check-in it was told about.
async fn check_in_until_killed(
    client: Client,
    voters: std::sync::Arc<Vec<i64>>,
    next: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    area: i64,
) -> Vec<(i64, i64)> {
    let mut told = Vec::new();
    loop {
        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(&voter) = voters.get(index) else {
            break;
        };
        // Not `checkin_record`: the connection breaks when the server is killed, and that ends
        // this station instead of failing the test.
        let request = check_in_request(&format!("crash-{index:08}"), area, voter, false);
        let Ok(response) = client
            .http
            .post(format!("{}/api/checkin/record", client.base_url))
            .header("content-type", "application/json")
            .body(json!({ "request": request }).to_string())
            .send()
            .await
        else {
            break;
        };
        let Ok(body) = response.json::<Value>().await else {
            break;
        };
        if let Some(id) = body["Recorded"]["check_in_id"].as_i64() {
            told.push((voter, id));
        }
    }
    told
}

/// kill -9 while check-ins are flowing, 20 times: every check-in a station was told about is in
/// the database afterwards, the audit chain is intact and the turnout equals the check-ins.
/// (A longer soak: CUTRI_CRASH_ROUNDS=500.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_check_ins_survive_the_server_being_killed() {
    let rounds: usize = std::env::var("CUTRI_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    on_each_engine(|app| async move {
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let names: Vec<String> = (0..rounds * 400).map(|i| format!("Cử Tri {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let voters: Vec<i64> = list_voters(&app, &desk, 0, &names, "active")
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let voters = std::sync::Arc::new(voters);
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut acknowledged: HashMap<i64, i64> = HashMap::new();
        let area = desk.areas[0];
        for round in 0..rounds {
            let server = spawn_server(&app).await;
            let mut senders = Vec::new();
            for _ in 0..8 {
                let (client, voters, next) = (server.client.clone(), voters.clone(), next.clone());
                senders.push(tokio::spawn(check_in_until_killed(
                    client, voters, next, area,
                )));
            }
            // Kill at a different moment each round, mid-flow.
            tokio::time::sleep(std::time::Duration::from_millis(
                150 + (round as u64 * 37) % 300,
            ))
            .await;
            drop(server);
            for sender in senders {
                for (voter, id) in sender.await.expect("sender") {
                    acknowledged.insert(voter, id);
                }
            }
        }
        assert!(
            acknowledged.len() >= rounds,
            "[{engine}] check-ins flowed in every round: {}",
            acknowledged.len()
        );
        let stored: HashMap<i64, i64> =
            sqlx::query_as::<_, (i64, i64)>("select voter_id, id from check_ins where undone = 0")
                .fetch_all(app.db.pool())
                .await
                .expect("check-ins")
                .into_iter()
                .collect();
        for (voter, id) in &acknowledged {
            assert_eq!(
                stored.get(voter),
                Some(id),
                "[{engine}] acknowledged check-in of voter {voter} lost"
            );
        }
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'checkin.record'")
                .fetch_one(app.db.pool())
                .await
                .expect("audit count");
        assert_eq!(
            audited,
            i64::try_from(stored.len()).unwrap(),
            "[{engine}] one audit record per check-in"
        );
        assert!(matches!(
            app::storage::audit::verify(app.db.pool())
                .await
                .expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));
        let numbers: BTreeSet<i64> = sqlx::query_scalar("select number from check_ins")
            .fetch_all(app.db.pool())
            .await
            .expect("numbers")
            .into_iter()
            .collect();
        assert_eq!(
            numbers,
            (1..=i64::try_from(stored.len()).unwrap()).collect(),
            "[{engine}] numbers stay gap-free across crashes"
        );
        let server = spawn_server(&app).await;
        let board = turnout(&server.client, desk.election_id).await;
        assert_eq!(
            board["ward"]["voted"],
            i64::try_from(stored.len()).unwrap(),
            "[{engine}] {board}"
        );
    })
    .await;
}
