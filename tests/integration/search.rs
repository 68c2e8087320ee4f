//! Finding people over real HTTP on each engine: ranking by which words of the name were typed,
//! the desk's own area first, a CCCD typed in groups, and an area's list browsed page by page.
//! The voters come in through the real import, so the server's name index holds them.

use serde_json::Value;

use crate::checkin::open_desk;
use crate::support::api::import_request;
use crate::support::{on_each_engine, Client, TestApp};
use crate::voter_lists::{election_with_two_areas, upload};

/// A voter row of the import: name, polling area number, CCCD ("" for none).
type Row<'a> = (&'a str, i64, &'a str);

/// Lists `rows` through the import, each voter a household of their own, numbered in file order
/// within their area.
async fn import(app: &TestApp, admin: &Client, election_id: i64, rows: &[Row<'_>]) {
    let mut csv = String::from(
        "STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Nơi thường trú;Khu vực bỏ phiếu;Chủ hộ\n",
    );
    let mut stt = [0i64; 2];
    for (index, (name, area, cccd)) in rows.iter().enumerate() {
        let number = usize::try_from(*area - 1).expect("area 1 or 2");
        stt[number] += 1;
        // A CCCD tells the birth year and gender; the others vary so no two look alike.
        let (birth, gender) = if cccd.is_empty() {
            (1940 + index % 60, if index % 2 == 0 { "Nam" } else { "Nữ" })
        } else {
            (1960, "Nam")
        };
        csv.push_str(&format!(
            "{};{name};{birth};{gender};{cccd};Khóm {area};{area};x\n",
            stt[number]
        ));
    }
    let token = upload(app, admin, election_id, "ds.csv", csv.into_bytes()).await;
    let committed = admin
        .voters_import_commit(&import_request(&token, election_id))
        .await;
    assert_eq!(
        committed.body.as_u64(),
        Some(rows.len() as u64),
        "[{}] {:?}",
        app.engine,
        committed.body
    );
}

async fn voter_id(app: &TestApp, name: &str, area_id: i64) -> i64 {
    sqlx::query_scalar("select id from voters where full_name = $1 and polling_area_id = $2")
        .bind(name)
        .bind(area_id)
        .fetch_one(app.db.pool())
        .await
        .expect("voter")
}

fn names(reply: &Value) -> Vec<String> {
    reply
        .as_array()
        .expect("results")
        .iter()
        .map(|v| v["full_name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn family_name_and_start_of_given_name_rank_the_voter_first() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        // Listed first: people whose middle name starts like the given name typed, more of
        // them than a search shows.
        let decoys: Vec<String> = (0..36)
            .map(|i| {
                let middle = ["Hải", "Hà", "Hạnh", "Hào"][i % 4];
                let given = ["Yến", "Linh", "Dung", "Vy", "Nam", "Sơn"][i / 6];
                format!("Ngô {middle} {given}")
            })
            .collect();
        let mut rows: Vec<Row> = decoys.iter().map(|name| (name.as_str(), 1, "")).collect();
        rows.extend([("Ngô Thị Hạnh", 2, ""), ("Ngô Thị Hà", 2, "")]);
        import(&app, &admin, election_id, &rows).await;
        let engine = app.engine;

        let found = admin.voters_search(election_id, None, "ngo ha").await;
        assert_eq!(found.status, 200, "[{engine}] {:?}", found.body);
        let found = names(&found.body);
        assert_eq!(
            found[..2],
            ["Ngô Thị Hà", "Ngô Thị Hạnh"],
            "[{engine}] family + given name first, the given name typed whole first: {found:?}"
        );
        let initials = names(&admin.voters_search(election_id, None, "n t ha").await.body);
        assert_eq!(
            initials.first().map(String::as_str),
            Some("Ngô Thị Hà"),
            "[{engine}]"
        );
        let given = names(&admin.voters_search(election_id, None, "thi ha").await.body);
        assert_eq!(given, ["Ngô Thị Hà", "Ngô Thị Hạnh"], "[{engine}]");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_name_typed_whole_ranks_before_a_middle_name_it_only_starts() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        // Listed first, more than a search shows: "ngo" only starts their middle name Ngọc.
        let decoys: Vec<String> = (0..40)
            .map(|i| {
                let family = ["Phạm", "Lê", "Trần", "Võ", "Đặng", "Bùi", "Hồ", "Lý"][i % 8];
                format!("{family} Ngọc Hà")
            })
            .collect();
        let mut rows: Vec<Row> = decoys.iter().map(|name| (name.as_str(), 1, "")).collect();
        rows.extend([
            ("Ngô Hải Yến", 2, ""),
            ("Ngô Hà Linh", 2, ""),
            ("Ngô Thị Hà", 2, ""),
        ]);
        import(&app, &admin, election_id, &rows).await;
        let engine = app.engine;

        let found = admin.voters_search(election_id, None, "ngo ha").await;
        assert_eq!(found.status, 200, "[{engine}] {:?}", found.body);
        let found = names(&found.body);
        assert_eq!(
            found[..3],
            ["Ngô Thị Hà", "Ngô Hà Linh", "Ngô Hải Yến"],
            "[{engine}] the family name Ngô typed whole before Ngọc only started: {found:?}"
        );
        assert!(
            found[3..].iter().all(|name| name.ends_with("Ngọc Hà")),
            "[{engine}] then the middle names: {found:?}"
        );
        let alone = names(&admin.voters_search(election_id, None, "ngo").await.body);
        assert_eq!(
            alone[..3],
            ["Ngô Hà Linh", "Ngô Hải Yến", "Ngô Thị Hà"],
            "[{engine}] {alone:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_finds_its_own_voter_among_common_names_of_other_areas() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        // Forty namesakes in the other area, listed before the desk's own voter.
        let mut rows: Vec<Row> = vec![("Nguyễn Văn An", 2, ""); 40];
        rows.extend([
            ("Nguyễn Văn Anh", 1, ""),
            ("Trần Văn An", 1, ""),
            ("Nguyễn Văn An", 1, ""),
        ]);
        import(&app, &desk.admin, desk.election_id, &rows).await;
        let own = voter_id(&app, "Nguyễn Văn An", desk.areas[0]).await;
        let engine = app.engine;

        for typed in ["nguyen van an", "ng v an", "nguyen an", "van an"] {
            let found = desk.station.checkin_lookup(desk.areas[0], typed).await;
            assert_eq!(found.status, 200, "[{engine}] {:?}", found.body);
            let found = found.body.as_array().expect("matches").clone();
            assert_eq!(
                found[0]["Listed"]["voter"]["id"],
                own,
                "[{engine}] {typed}: the desk's own voter first: {:?}",
                found.first()
            );
            let listed = found
                .iter()
                .take_while(|m| m.get("Listed").is_some())
                .count();
            assert!(
                found[listed..].iter().all(|m| m.get("OtherArea").is_some()),
                "[{engine}] {typed}: own area first, then the others"
            );
            assert!(
                found.len() > listed,
                "[{engine}] {typed}: other areas' namesakes still shown"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cccd_typed_in_groups_is_found() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let rows: [Row; 2] = [("Lê Văn Bảy", 1, "079060001234"), ("Lê Văn Tám", 1, "")];
        import(&app, &desk.admin, desk.election_id, &rows).await;
        let engine = app.engine;
        for typed in ["079 060 001 234", "0790 6000 1234", "079060001234"] {
            let found = desk
                .admin
                .voters_search(desk.election_id, None, typed)
                .await;
            assert_eq!(names(&found.body), ["Lê Văn Bảy"], "[{engine}] {typed}");
            let at_desk = desk.station.checkin_lookup(desk.areas[0], typed).await;
            assert_eq!(
                at_desk.body[0]["Listed"]["voter"]["full_name"], "Lê Văn Bảy",
                "[{engine}] {typed}: {:?}",
                at_desk.body
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_area_list_is_browsed_fifty_at_a_time() {
    on_each_engine(|app| async move {
        let desk = open_desk(&app).await;
        let middle = [
            "Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Hữu", "Kim", "Quốc", "Mỹ",
        ];
        let given = [
            "An", "Bình", "Cúc", "Dung", "Giang", "Hà", "Khoa", "Lan", "Mai", "Nam", "Oanh", "Phúc",
        ];
        let names: Vec<String> = (0..120)
            .map(|n| format!("Phạm {} {}", middle[n / 12], given[n % 12]))
            .collect();
        let mut rows: Vec<Row> = names.iter().map(|name| (name.as_str(), 1, "")).collect();
        rows.extend([("Võ Thị Mai", 2, ""), ("Võ Thị Lan", 2, "")]);
        import(&app, &desk.admin, desk.election_id, &rows).await;
        let engine = app.engine;
        let area = desk.areas[0];

        let mut seen = Vec::new();
        for (page, count, more) in [(0, 50, true), (1, 50, true), (2, 20, false), (3, 0, false)] {
            let reply = desk.admin.voters_list(area, page).await;
            assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
            let voters = reply.body["voters"].as_array().expect("voters");
            assert_eq!(voters.len(), count, "[{engine}] page {page}");
            assert_eq!(reply.body["more"], more, "[{engine}] page {page}");
            assert_eq!(reply.body["page"], page, "[{engine}]");
            seen.extend(voters.iter().map(|v| v["stt"].as_i64().expect("stt")));
        }
        assert_eq!(
            seen,
            (1..=120).collect::<Vec<i64>>(),
            "[{engine}] by card number"
        );

        let station = desk.station.voters_list(area, 1).await;
        assert_eq!(
            station.status, 200,
            "[{engine}] the desk browses its own area"
        );
        let other = desk.station.voters_list(desk.areas[1], 0).await;
        assert_eq!(other.error_code(), Some("Forbidden"), "[{engine}]");
    })
    .await;
}
