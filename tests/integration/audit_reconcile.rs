//! `cutri audit verify` reconciles the data with the audit log: a day's work done through the
//! server reconciles, and a row deleted or changed behind the application's back (the hash
//! chain still intact) is named, first mismatch first, and fails the verification.

use server::cli::AuditReport;

use crate::checkin::{check_in, open_desk, receipt, server_binary, Desk};
use crate::support::api::voter;
use crate::support::TestApp;

/// An election day done through the server: five voters added one by one, the first three
/// checked in by the station, the third's check-in undone, the fourth removed from the list.
struct Day {
    desk: Desk,
    voters: Vec<i64>,
    check_ins: Vec<i64>,
}

async fn audited_day(app: &TestApp) -> Day {
    let desk = open_desk(app).await;
    let area = desk.areas[0];
    let mut voters = Vec::new();
    for (name, birth, gender) in [
        ("Nguyễn Văn An", "12/03/1960", "Nam"),
        ("Trần Thị Hương", "1975", "Nữ"),
        ("Lê Văn Bình", "01/01/1990", "Nam"),
        ("Phạm Thị Lan", "1982", "Nữ"),
        ("Đặng Văn Tư", "1970", "Nam"),
    ] {
        let added = desk
            .admin
            .voters_add(area, &voter(name, birth, gender), "Chuyển đến cư trú")
            .await;
        let id = added.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("[{}] add {name}: {:?}", app.engine, added.body));
        voters.push(id);
    }
    let mut check_ins = Vec::new();
    for (index, voter) in voters[..3].iter().enumerate() {
        let outcome = check_in(
            &desk.station,
            &format!("req-audit-{index}"),
            desk.areas[0],
            *voter,
        )
        .await;
        check_ins.push(receipt(&outcome)["check_in_id"].as_i64().expect("id"));
    }
    let undone = desk
        .admin
        .checkin_undo(check_ins[2], "Ghi nhầm người cùng tên")
        .await;
    assert_eq!(undone.status, 200, "[{}] {:?}", app.engine, undone.body);
    let removed = desk
        .admin
        .voters_set_status(voters[3], "removed", "Chuyển đi nơi khác", None)
        .await;
    assert_eq!(removed.status, 200, "[{}] {:?}", app.engine, removed.body);
    Day {
        desk,
        voters,
        check_ins,
    }
}

async fn report(app: &TestApp) -> AuditReport {
    server::cli::audit_report(&app.database_url)
        .await
        .expect("verification runs")
}

/// The report says the data does not match the log, naming `mismatch`.
async fn assert_names(app: &TestApp, mismatch: &str) {
    let report = report(app).await;
    assert!(!report.intact, "[{}] {}", app.engine, report.text);
    assert!(
        report.text.contains("Audit log intact"),
        "[{}] the chain itself is intact: {}",
        app.engine,
        report.text
    );
    assert!(
        report
            .text
            .contains(&format!("Dữ liệu KHÔNG khớp nhật ký: {mismatch}")),
        "[{}] expected {mismatch:?} in\n{}",
        app.engine,
        report.text
    );
}

async fn assert_intact(app: &TestApp) -> AuditReport {
    let report = report(app).await;
    assert!(report.intact, "[{}] {}", app.engine, report.text);
    report
}

/// The sequence number of the record of `action` about `entity`.
async fn record_of(app: &TestApp, action: &str, entity: &str) -> i64 {
    sqlx::query_scalar("select seq from audit_log where action = $1 and entity = $2")
        .bind(action)
        .bind(entity)
        .fetch_one(app.db.pool())
        .await
        .expect("record")
}

async fn tamper(app: &TestApp, sql: &str, id: i64) {
    let changed = sqlx::query(sql)
        .bind(id)
        .execute(app.db.pool())
        .await
        .expect("tamper")
        .rows_affected();
    assert_eq!(changed, 1, "[{}] {sql}", app.engine);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_deleted_behind_the_log_is_named_and_fails_verification() {
    crate::support::on_each_engine(|app| async move {
        let day = audited_day(&app).await;
        assert_intact(&app).await;
        let (voter, check_in) = (day.voters[0], day.check_ins[0]);
        // Deleted, the voter could vote again; the chain does not notice.
        tamper(&app, "delete from check_ins where id = $1", check_in).await;
        let seq = record_of(&app, "checkin.record", &format!("voter:{voter}")).await;
        assert_names(
            &app,
            &format!(
                "Bản ghi nhật ký #{seq} ghi nhận check-in (cử tri {voter}, KVBP 1, lượt số 1) \
                 nhưng dữ liệu không còn (đã bị xóa?)."
            ),
        )
        .await;
        assert!(report(&app).await.text.contains(&format!(
            "Data does NOT match the audit log: Audit record #{seq} records a check-in \
             (voter {voter}, area 1, number 1) that is no longer in the data (deleted?)."
        )));

        // The command fails with exit code 1 and says why.
        let output = std::process::Command::new(server_binary())
            .args(["audit", "verify", "--database-url", &app.database_url])
            .output()
            .expect("cutri runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "[{}] {stdout}", app.engine);
        assert!(
            stdout.contains(&format!("Bản ghi nhật ký #{seq} ghi nhận check-in")),
            "[{}] {stdout}",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_undone_without_an_undo_record_is_named() {
    crate::support::on_each_engine(|app| async move {
        let day = audited_day(&app).await;
        let (voter, check_in) = (day.voters[1], day.check_ins[1]);
        tamper(
            &app,
            "update check_ins set undone = 1 where id = $1",
            check_in,
        )
        .await;
        assert_names(
            &app,
            &format!(
                "Lượt check-in #{check_in} (cử tri {voter}, KVBP 1, lượt số 2) bị đánh dấu đã hủy \
                 nhưng nhật ký không có bản ghi hủy."
            ),
        )
        .await;
        // Put back, the check-in reconciles again; an undo record whose check-in is then
        // brought back into counting is named as well.
        tamper(
            &app,
            "update check_ins set undone = 0 where id = $1",
            check_in,
        )
        .await;
        assert_intact(&app).await;
        let (undone_voter, undone) = (day.voters[2], day.check_ins[2]);
        sqlx::query("delete from check_in_undos where check_in_id = $1")
            .bind(undone)
            .execute(app.db.pool())
            .await
            .expect("delete undo");
        tamper(
            &app,
            "update check_ins set undone = 0 where id = $1",
            undone,
        )
        .await;
        let seq = record_of(&app, "checkin.undo", &format!("voter:{undone_voter}")).await;
        assert_names(
            &app,
            &format!(
                "Bản ghi nhật ký #{seq} ghi nhận hủy check-in (cử tri {undone_voter}, KVBP 1, \
                 lượt số 3) nhưng dữ liệu không cho thấy lượt đó đã hủy."
            ),
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audited_day_reconciles_and_each_table_changed_behind_the_log_is_named() {
    crate::support::on_each_engine(|app| async move {
        let day = audited_day(&app).await;
        let area = day.desk.areas[0];
        let admin = &day.desk.admin;

        // The counting minutes of area 1, entered twice and finalised.
        let second = app.user_with_role(admin, "tobaucu2", "station").await;
        let second_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu2'")
            .fetch_one(app.db.pool())
            .await
            .expect("station id");
        let assigned = admin.admin_users_set_areas(second_id, &[area]).await;
        assert_eq!(assigned.status, 200, "{:?}", assigned.body);
        for (client, slot) in [(&day.desk.station, 1), (&second, 2)] {
            let saved = client.counting_save(&crate::counting::tally(area, slot)).await;
            assert_eq!(saved.status, 200, "[{}] {:?}", app.engine, saved.body);
        }
        let finalised = crate::counting::finalise(admin, area).await;
        assert_eq!(finalised.status, 200, "[{}] {:?}", app.engine, finalised.body);

        // A meeting held and its minutes finalised.
        let (organizer, [deputy, _], venue) = crate::meetings::organizer_of(&app, admin).await;
        let meeting = crate::meetings::held_meeting(&app, &organizer, deputy, venue).await;
        let done = organizer.meetings_finalise(meeting).await;
        assert_eq!(done.status, 200, "[{}] {:?}", app.engine, done.body);

        let report = assert_intact(&app).await;
        assert!(
            report.text.contains(
                "Dữ liệu khớp nhật ký: 3 lượt check-in (1 đã hủy), 5 cử tri (0 lần nhập danh sách, \
                 5 thêm riêng, 1 không còn bỏ phiếu tại đây), 1 biên bản kiểm phiếu đã chốt, \
                 1 biên bản tiếp xúc cử tri đã chốt."
            ),
            "[{}] {}",
            app.engine,
            report.text
        );

        // Each change below is checked before the ones above it, so each is the first named.
        tamper(&app, "update meetings set status = 'held' where id = $1", meeting).await;
        let seq = record_of(&app, "meeting.finalise", &format!("meeting:{meeting}")).await;
        assert_names(
            &app,
            &format!(
                "Bản ghi nhật ký #{seq} ghi nhận chốt biên bản cuộc tiếp xúc cử tri #{meeting} \
                 nhưng dữ liệu không còn ở trạng thái đã chốt."
            ),
        )
        .await;

        tamper(&app, "update counting_finals set data_hash = 'khac' where polling_area_id = $1", area).await;
        assert_names(
            &app,
            "Biên bản kiểm phiếu Quốc hội (KVBP 1) đã chốt nhưng không có bản ghi nhật ký khớp mã dữ liệu.",
        )
        .await;

        let removed = day.voters[3];
        tamper(&app, "update voters set status = 'active' where id = $1", removed).await;
        assert_names(
            &app,
            &format!(
                "Cử tri #{removed} (KVBP 1, số thẻ 4) đang ở trạng thái «có tên trong danh sách» \
                 nhưng nhật ký ghi «đã bị xóa tên»."
            ),
        )
        .await;

        let never_voted = day.voters[4];
        tamper(&app, "delete from voters where id = $1", never_voted).await;
        let seq = record_of(&app, "voter.add", &format!("voter:{never_voted}")).await;
        assert_names(
            &app,
            &format!(
                "Bản ghi nhật ký #{seq} ghi nhận cử tri #{never_voted} nhưng dữ liệu không còn (đã bị xóa?)."
            ),
        )
        .await;

        // A voter slipped onto the list without an addition record.
        let slipped: i64 = sqlx::query_scalar(
            "insert into voters (election_id, polling_area_id, stt, full_name, name_folded, \
             birth_year, gender, levels, status, card_code, created_at_ms, updated_at_ms) \
             values ($1, $2, 9, 'Người Lạ', 'nguoi la', 1980, 'nam', 7, 'active', 'la', 0, 0) \
             returning id",
        )
        .bind(day.desk.election_id)
        .bind(area)
        .fetch_one(app.db.pool())
        .await
        .expect("slipped in");
        assert_names(
            &app,
            &format!(
                "Cử tri #{slipped} (KVBP 1, số thẻ 9) có trong danh sách nhưng không do lần nhập nào \
                 và không có bản ghi thêm cử tri."
            ),
        )
        .await;
    })
    .await;
}
