//! Who may call what: every server function is classified, and every forbidden cell of the
//! role × function matrix is refused by the server.

use std::collections::BTreeSet;

use app::domain::role::Permission;

use crate::support::on_each_engine;

/// Endpoints anyone may call, signed in or not.
const PUBLIC: &[&str] = &[
    "auth/whoami",
    "auth/login",
    "auth/setup-status",
    "auth/setup",
    "ui/language",
];

/// Endpoints for any signed-in user.
const SIGNED_IN: &[(&str, Args)] = &[
    ("auth/logout", &[]),
    (
        "auth/change-password",
        &[
            ("current", "x"),
            ("new_password", "0123456789"),
            ("confirm", "0123456789"),
        ],
    ),
];

/// Form fields that deserialize into a server function's arguments.
type Args = &'static [(&'static str, &'static str)];

/// How a protected endpoint is called with arguments that deserialize.
enum Body {
    Form(Args),
    Json(&'static str),
}

const IMPORT_REQUEST: &str = r#"{"request":{"token":"x","election_id":1,"default_area":null,"encoding":null,"mapping":null}}"#;
const VOTER_READERS: &[Permission] = &[Permission::ManageVoterLists, Permission::CheckInVoters];
/// Election-day desk functions: station staff only at their assigned polling areas.
const CHECK_IN_DESK: &[Permission] = &[Permission::CheckInVoters];
const CHECK_IN_REQUEST: &str = r#"{"request":{"request_id":"matrix-request-0001","area_id":999999,"voter_id":999999,"mobile_box":false,"hours_override":false}}"#;

/// Endpoints behind permissions (any one of them suffices).
const PROTECTED: &[(&str, &[Permission], Body)] = &[
    (
        "admin/users/list",
        &[Permission::ManageUsers],
        Body::Form(&[]),
    ),
    (
        "admin/users/create",
        &[Permission::ManageUsers],
        Body::Form(&[
            ("username", "matrix-user"),
            ("display_name", "Ma trận"),
            ("role", "viewer"),
            ("password", "0123456789ab"),
        ]),
    ),
    (
        "admin/users/set-disabled",
        &[Permission::ManageUsers],
        Body::Form(&[("user_id", "999999"), ("disabled", "true")]),
    ),
    (
        "admin/users/reset-password",
        &[Permission::ManageUsers],
        Body::Form(&[("user_id", "999999"), ("new_password", "0123456789")]),
    ),
    (
        "admin/audit/list",
        &[Permission::ReadAudit],
        Body::Form(&[("action", ""), ("actor", "")]),
    ),
    (
        "admin/users/set-areas",
        &[Permission::ManageUsers],
        Body::Form(&[("user_id", "999999")]),
    ),
    (
        "admin/preparation",
        &[Permission::ManageUsers],
        Body::Form(&[]),
    ),
    (
        "admin/login-locks",
        &[Permission::ManageUsers],
        Body::Form(&[]),
    ),
    (
        "admin/unlock-login",
        &[Permission::ManageUsers],
        Body::Form(&[("username", "matrix-user"), ("client", "127.0.0.1")]),
    ),
    (
        "admin/backups/list",
        &[Permission::ManageBackups],
        Body::Form(&[]),
    ),
    (
        "admin/backups/run",
        &[Permission::ManageBackups],
        Body::Form(&[]),
    ),
    (
        "voters/add",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("area_id", "999999"),
            ("voter[full_name]", "X"),
            ("voter[birth_date]", "1960"),
            ("voter[gender]", "Nam"),
            ("reason", "x"),
        ]),
    ),
    (
        "voters/edit",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("voter_id", "999999"),
            ("voter[full_name]", "X"),
            ("voter[birth_date]", "1960"),
            ("voter[gender]", "Nam"),
            ("reason", "x"),
        ]),
    ),
    (
        "voters/set-status",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("voter_id", "999999"),
            ("status", "removed"),
            ("reason", "x"),
        ]),
    ),
    (
        "voters/overview",
        &[Permission::ViewTallies],
        Body::Form(&[]),
    ),
    (
        "voters/ward/save",
        &[Permission::ManageVoterLists],
        Body::Form(&[("name", "Phường Mỹ Thới"), ("province", "Tỉnh An Giang")]),
    ),
    (
        "voters/elections/create",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("name", "Bầu cử thử"),
            ("election_day", "15/03/2026"),
            ("national_assembly", "1"),
        ]),
    ),
    (
        "voters/elections/posted",
        &[Permission::ManageVoterLists],
        Body::Form(&[("election_id", "999999"), ("posted_on", "03/02/2026")]),
    ),
    (
        "voters/areas/create",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("election_id", "999999"),
            ("number", "1"),
            ("name", "Khóm 1"),
            ("address", ""),
        ]),
    ),
    (
        "voters/elections/update",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("election_id", "999999"),
            ("name", "Bầu cử thử"),
            ("election_day", "15/03/2026"),
        ]),
    ),
    (
        "voters/elections/delete",
        &[Permission::ManageVoterLists],
        Body::Form(&[("election_id", "999999")]),
    ),
    (
        "voters/areas/update",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("area_id", "999999"),
            ("number", "1"),
            ("name", "Khóm 1"),
            ("address", ""),
        ]),
    ),
    (
        "voters/areas/delete",
        &[Permission::ManageVoterLists],
        Body::Form(&[("area_id", "999999")]),
    ),
    (
        "voters/import/preview",
        &[Permission::ManageVoterLists],
        Body::Json(IMPORT_REQUEST),
    ),
    (
        "voters/import/commit",
        &[Permission::ManageVoterLists],
        Body::Json(IMPORT_REQUEST),
    ),
    (
        "voters/import/progress",
        &[Permission::ManageVoterLists],
        Body::Json(r#"{"token":"khong-co"}"#),
    ),
    (
        "voters/search",
        VOTER_READERS,
        Body::Form(&[("election_id", "1"), ("query", "nguyen")]),
    ),
    (
        "voters/list",
        VOTER_READERS,
        Body::Form(&[("area_id", "1"), ("page", "0")]),
    ),
    (
        "voters/get",
        VOTER_READERS,
        Body::Form(&[("voter_id", "1")]),
    ),
    (
        "voters/history",
        &[Permission::ManageVoterLists],
        Body::Form(&[("voter_id", "1")]),
    ),
    (
        "complaints/overview",
        &[Permission::ManageVoterLists],
        Body::Form(&[]),
    ),
    (
        "complaints/record",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("election_id", "999999"),
            ("complainant", "Nguyễn Văn An"),
            ("received_on", "01/02/2026"),
            ("content", "Thiếu tên"),
        ]),
    ),
    (
        "complaints/resolve",
        &[Permission::ManageVoterLists],
        Body::Form(&[
            ("complaint_id", "999999"),
            ("resolution", "Đã bổ sung"),
            ("resolved_on", "02/02/2026"),
        ]),
    ),
    // --- election day ---
    ("checkin/areas", &[Permission::ViewTallies], Body::Form(&[])),
    (
        "checkin/station",
        CHECK_IN_DESK,
        Body::Form(&[("area_id", "1")]),
    ),
    (
        "checkin/lookup",
        CHECK_IN_DESK,
        Body::Form(&[("area_id", "1"), ("text", "nguyen")]),
    ),
    (
        "checkin/record",
        CHECK_IN_DESK,
        Body::Json(CHECK_IN_REQUEST),
    ),
    (
        "checkin/record-form",
        CHECK_IN_DESK,
        Body::Form(&[
            ("request_id", "matrix-request-0002"),
            ("area_id", "999999"),
            ("voter_id", "999999"),
        ]),
    ),
    (
        "checkin/form-outcome",
        CHECK_IN_DESK,
        Body::Form(&[("area_id", "999999"), ("request_id", "matrix-request-0002")]),
    ),
    (
        "counting/overview",
        &[Permission::ViewTallies],
        Body::Form(&[]),
    ),
    (
        "counting/view",
        CHECK_IN_DESK,
        Body::Form(&[("area_id", "999999"), ("level", "quoc-hoi")]),
    ),
    (
        "counting/save",
        CHECK_IN_DESK,
        Body::Form(&[
            ("form[area_id]", "999999"),
            ("form[level]", "quoc-hoi"),
            ("form[slot]", "1"),
            ("form[seats]", "1"),
            ("form[voters_on_list]", "0"),
            ("form[voters_voted]", "0"),
            ("form[ballots_issued]", "0"),
            ("form[ballots_collected]", "0"),
            ("form[ballots_valid]", "0"),
            ("form[ballots_invalid]", "0"),
        ]),
    ),
    (
        "constituencies/list",
        &[Permission::ManageElectionDay],
        Body::Form(&[]),
    ),
    (
        "constituencies/save",
        &[Permission::ManageElectionDay],
        Body::Form(&[
            ("election_id", "999999"),
            ("level", "quoc-hoi"),
            ("number", "1"),
            ("name", "Đơn vị ma trận"),
            ("seats", "1"),
        ]),
    ),
    (
        "constituencies/candidates",
        &[Permission::ManageElectionDay],
        Body::Form(&[("constituency_id", "999999"), ("candidates", "")]),
    ),
    (
        "results/constituencies",
        &[Permission::ViewTallies],
        Body::Form(&[]),
    ),
    (
        "counting/finalise",
        &[Permission::ManageElectionDay],
        Body::Form(&[("area_id", "999999"), ("level", "quoc-hoi")]),
    ),
    (
        "checkin/undo",
        CHECK_IN_DESK,
        Body::Form(&[("check_in_id", "999999"), ("reason", "Nhầm người")]),
    ),
    (
        "checkin/hours",
        &[Permission::ManageElectionDay],
        Body::Form(&[
            ("area_id", "999999"),
            ("opens", "07:00"),
            ("closes", "19:00"),
        ]),
    ),
    (
        "turnout/board",
        &[Permission::ViewTallies],
        Body::Form(&[("election_id", "999999")]),
    ),
    // --- turnout reports ---
    (
        "turnout/reports",
        &[Permission::ViewTallies],
        Body::Form(&[("election_id", "999999")]),
    ),
    (
        "turnout/report-times",
        &[Permission::ManageElectionDay],
        Body::Form(&[("election_id", "999999"), ("times", "09:00")]),
    ),
    (
        "turnout/snapshot-now",
        &[Permission::ManageElectionDay],
        Body::Form(&[("election_id", "999999")]),
    ),
    // --- meetings ---
    (
        "meetings/registry",
        &[Permission::ManageMeetings],
        Body::Form(&[]),
    ),
    (
        "meetings/deputies/save",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("deputy_id", "999999"),
            ("deputy[full_name]", "Nguyễn Văn A"),
            ("deputy[level]", "dbqh"),
        ]),
    ),
    (
        "meetings/venues/save",
        &[Permission::ManageMeetings],
        Body::Form(&[("venue_id", "999999"), ("venue[name]", "Nhà văn hóa")]),
    ),
    (
        "meetings/list",
        &[Permission::ManageMeetings],
        Body::Json(
            r#"{"filter":{"deputy_id":null,"area":"","term":"","session_number":null,"from_ms":null,"to_ms":null}}"#,
        ),
    ),
    (
        "meetings/create",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("meeting[title]", "Khóm 3"),
            ("meeting[term]", "XVI"),
            ("meeting[session_number]", "1"),
            ("meeting[timing]", "before"),
            ("meeting[kind]", "regular"),
            ("meeting[format]", "in_person"),
            ("meeting[date]", "05/12/2026"),
            ("meeting[starts_at]", "08:00"),
            ("meeting[ends_at]", "10:00"),
            ("meeting[deputy_ids][0]", "999999"),
        ]),
    ),
    (
        "meetings/update",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("meeting_id", "999999"),
            ("meeting[title]", "Khóm 3"),
            ("meeting[term]", "XVI"),
            ("meeting[session_number]", "1"),
            ("meeting[timing]", "before"),
            ("meeting[kind]", "regular"),
            ("meeting[format]", "in_person"),
            ("meeting[date]", "05/12/2026"),
            ("meeting[starts_at]", "08:00"),
            ("meeting[ends_at]", "10:00"),
            ("meeting[deputy_ids][0]", "999999"),
        ]),
    ),
    (
        "meetings/correct",
        &[Permission::ManageMeetings],
        Body::Form(&[("meeting_id", "999999"), ("reason", "Ghi sai số cử tri")]),
    ),
    (
        "meetings/cancel",
        &[Permission::ManageMeetings],
        Body::Form(&[("meeting_id", "999999"), ("reason", "Mưa bão")]),
    ),
    (
        "meetings/get",
        &[Permission::ManageMeetings],
        Body::Form(&[("meeting_id", "999999")]),
    ),
    (
        "meetings/attendance",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("meeting_id", "999999"),
            ("attendance[present_count]", "10"),
        ]),
    ),
    (
        "meetings/attendees/add",
        &[Permission::ManageMeetings],
        Body::Form(&[("meeting_id", "999999"), ("attendee[full_name]", "X")]),
    ),
    (
        "meetings/attendees/remove",
        &[Permission::ManageMeetings],
        Body::Form(&[("attendee_id", "999999")]),
    ),
    (
        "meetings/opinions/add",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("meeting_id", "999999"),
            ("opinion[speaker]", "X"),
            ("opinion[field]", "khac"),
            ("opinion[content]", "Y"),
            ("opinion[competent_level]", "xa"),
        ]),
    ),
    (
        "meetings/answers/add",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("opinion_id", "999999"),
            ("answered_by", "X"),
            ("content", "Y"),
        ]),
    ),
    (
        "meetings/finalise",
        &[Permission::ManageMeetings],
        Body::Form(&[("meeting_id", "999999")]),
    ),
    // --- petitions across meetings ---
    (
        "petitions/round",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("term", "XVI"),
            ("session_number", "1"),
            ("timing", "before"),
        ]),
    ),
    (
        "petitions/session-dates",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("term", "XVI"),
            ("session_number", "1"),
            ("opens", "01/12/2026"),
            ("closes", "10/12/2026"),
        ]),
    ),
    (
        "petitions/collect",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("term", "XVI"),
            ("session_number", "1"),
            ("timing", "before"),
        ]),
    ),
    (
        "petitions/merge",
        &[Permission::ManageMeetings],
        Body::Form(&[("keep_id", "999998"), ("absorb_id", "999999")]),
    ),
    (
        "petitions/route",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("petition_id", "999999"),
            ("competent_level", "xa"),
            ("competent_body", "UBND phường"),
        ]),
    ),
    (
        "petitions/answer",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("petition_id", "999999"),
            ("answer[outcome]", "resolved"),
            ("answer[content]", "Y"),
            ("answer[document_number]", "1/UBND"),
            ("answer[document_date]", "05/12/2026"),
            ("answer[signer]", "X"),
        ]),
    ),
    (
        "petitions/carry",
        &[Permission::ManageMeetings],
        Body::Form(&[
            ("term", "XVI"),
            ("session_number", "1"),
            ("timing", "before"),
        ]),
    ),
];

async fn call(
    client: &crate::support::Client,
    endpoint: &str,
    body: &Body,
) -> crate::support::Reply {
    match body {
        Body::Form(args) => client.post(endpoint, args).await,
        Body::Json(json) => client.post_json(endpoint, json).await,
    }
}

#[test]
fn every_registered_server_function_is_classified() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let classified: BTreeSet<String> = PUBLIC
        .iter()
        .copied()
        .chain(SIGNED_IN.iter().map(|(e, _)| *e))
        .chain(PROTECTED.iter().map(|(e, _, _)| *e))
        .map(str::to_string)
        .collect();
    assert_eq!(
        registered, classified,
        "a server function was added without deciding who may call it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_every_forbidden_cell() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let organizer = app.user_with_role(&admin, "mttq1", "organizer").await;
        let viewer = app.user_with_role(&admin, "xemketqua", "viewer").await;
        let anonymous = app.client();
        let roles = [
            ("admin", &admin),
            ("station", &station),
            ("organizer", &organizer),
            ("viewer", &viewer),
        ];

        for (endpoint, permissions, body) in PROTECTED {
            let reply = call(&anonymous, endpoint, body).await;
            assert_eq!(reply.status, 401, "[{}] anonymous → {endpoint}", app.engine);
            assert_eq!(reply.error_code(), Some("NotSignedIn"));
            for (role_name, client) in roles {
                let role = app::domain::role::Role::parse(role_name).expect("role");
                let reply = call(client, endpoint, body).await;
                // Station staff are further limited to their assigned polling areas; this user
                // has none, so only the area refusal can be checked here (the area rules have
                // their own tests: `a_station_reads_nothing_personal_of_another_area` below, and
                // in voter_lists).
                let area_scoped = role == app::domain::role::Role::Station
                    && (*permissions == VOTER_READERS || *permissions == CHECK_IN_DESK);
                if area_scoped {
                    assert_eq!(
                        reply.error_code(),
                        Some("Forbidden"),
                        "[{}] {endpoint} without assigned areas",
                        app.engine
                    );
                } else if permissions.iter().any(|p| role.can(*p)) {
                    assert!(
                        reply.status != 401 && reply.status != 403,
                        "[{}] {role_name} must reach {endpoint}, got {} {:?}",
                        app.engine,
                        reply.status,
                        reply.body
                    );
                } else {
                    assert_eq!(
                        reply.status, 403,
                        "[{}] {role_name} → {endpoint}: {:?}",
                        app.engine, reply.body
                    );
                    assert_eq!(reply.error_code(), Some("Forbidden"));
                }
            }
        }
        for (endpoint, args) in SIGNED_IN {
            let reply = anonymous.post(endpoint, args).await;
            assert_eq!(reply.status, 401, "[{}] anonymous → {endpoint}", app.engine);
        }
        // Nothing a refused call asked for happened: the only matrix user is the admin's.
        let users = admin.admin_users_list().await;
        let names: Vec<&str> = users
            .body
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|u| u["username"].as_str())
            .collect();
        assert_eq!(
            names.iter().filter(|n| **n == "matrix-user").count(),
            1,
            "[{}] {names:?}",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_refused_on_the_server_too() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        for page in [
            "/admin/users",
            "/admin/audit",
            "/admin/backups",
            "/voters",
            "/meetings",
        ] {
            let (status, _, html) = station.get(page).await;
            assert_eq!(status, 403, "[{}] station → {page}", app.engine);
            assert!(
                html.contains("Không có quyền truy cập"),
                "[{}] {page} explains the refusal",
                app.engine
            );
            assert!(
                !html.contains("users-table"),
                "[{}] {page} leaks no admin content",
                app.engine
            );
        }
        let (status, _, html) = admin.get("/admin/users").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("tobaucu1"),
            "[{}] admin sees the user list in the server-rendered page",
            app.engine
        );

        let (status, headers, _) = app.client().get("/admin/users").await;
        assert_eq!(
            status, 303,
            "[{}] anonymous visitors are sent to the login page",
            app.engine
        );
        assert_eq!(
            headers.get("location").and_then(|v| v.to_str().ok()),
            Some("/login?next=%2Fadmin%2Fusers")
        );
        let (status, _, html) = admin.get("/khong-co-trang-nay").await;
        assert_eq!(status, 404, "[{}] unknown page", app.engine);
        assert!(html.contains("Không tìm thấy trang"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_manages_accounts_and_cannot_lock_themselves_out() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let users = admin.admin_users_list().await;
        let station_id = users
            .body
            .as_array()
            .expect("list")
            .iter()
            .find(|u| u["username"] == "tobaucu1")
            .expect("row")["id"]
            .as_i64()
            .expect("id");
        let admin_id = users
            .body
            .as_array()
            .expect("list")
            .iter()
            .find(|u| u["username"] == "quantri")
            .expect("row")["id"]
            .as_i64()
            .expect("id");

        let duplicate = admin
            .admin_users_create("TOBAUCU1", "x", "viewer", "0123456789")
            .await;
        assert_eq!(
            duplicate.error_code(),
            Some("UsernameTaken"),
            "[{}]",
            app.engine
        );
        let short = admin.admin_users_create("abc", "x", "viewer", "123").await;
        assert_eq!(short.error_code(), Some("PasswordTooShort"));
        let self_disable = admin.admin_users_set_disabled(admin_id, true).await;
        assert_eq!(self_disable.error_code(), Some("CannotChangeOwnAccount"));

        // Disabling ends the station's session at once and blocks new logins.
        let disabled = admin.admin_users_set_disabled(station_id, true).await;
        assert_eq!(disabled.status, 200, "{:?}", disabled.body);
        assert_eq!(
            station.whoami().await,
            None,
            "[{}] disabled user's session ended",
            app.engine
        );
        let refused = station.auth_login("tobaucu1", "tobaucu1-mat-khau").await;
        assert_eq!(refused.error_code(), Some("AccountDisabled"));
        let enabled = admin.admin_users_set_disabled(station_id, false).await;
        assert_eq!(enabled.status, 200);

        // A reset password replaces the old one and ends sessions.
        assert_eq!(
            station
                .auth_login("tobaucu1", "tobaucu1-mat-khau")
                .await
                .status,
            200
        );
        let reset = admin
            .admin_users_reset_password(station_id, "mat-khau-moi-123")
            .await;
        assert_eq!(reset.status, 200);
        assert_eq!(station.whoami().await, None);
        assert_eq!(
            station
                .auth_login("tobaucu1", "tobaucu1-mat-khau")
                .await
                .error_code(),
            Some("InvalidCredentials")
        );
        assert_eq!(
            station
                .auth_login("tobaucu1", "mat-khau-moi-123")
                .await
                .status,
            200
        );
    })
    .await;
}

/// At its own desk, a check-in of the other area's removed voter is refused with the area
/// only, never why the voter was removed.
async fn removed_voter_of_another_area_keeps_the_reason(
    app: &crate::support::TestApp,
    desk: &crate::checkin::Desk,
) {
    let engine = app.engine;
    let own = desk.areas[0];
    let removed_id =
        crate::checkin::list_voters(app, desk, 1, &["Trần Văn Bảo"], "removed").await[0].0;
    const REMOVAL_REASON: &str = "Đang chấp hành án phạt tù";
    sqlx::query("update voters set status_reason = $1 where id = $2")
        .bind(REMOVAL_REASON)
        .bind(removed_id)
        .execute(app.db.pool())
        .await
        .expect("removal reason");
    let outcome =
        crate::checkin::check_in(&desk.station, "scope-removed-01", own, removed_id).await;
    assert_eq!(
        outcome["Refused"]["OtherArea"]["area_number"], 2,
        "[{engine}] {outcome}"
    );
    assert!(
        !outcome.to_string().contains(REMOVAL_REASON),
        "[{engine}] {outcome}"
    );
}

/// The matrix above checks roles; this checks places. A station of polling area 1 asks for
/// area 2's voters and documents every way it can: refused, or told only the name, birth year
/// and area of a voter (what the desk needs to send the voter there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_reads_nothing_personal_of_another_area() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let desk = crate::checkin::open_desk(&app).await;
        let [own, other] = desk.areas;
        let (own_id, own_card) =
            crate::checkin::list_voters(&app, &desk, 0, &["Nguyễn Văn An"], "active")
                .await
                .remove(0);
        let (other_id, other_card) =
            crate::checkin::list_voters(&app, &desk, 1, &["Nguyễn Văn Ân"], "active")
                .await
                .remove(0);
        const CCCD: &str = "079090001234";
        const ADDRESS: &str = "Số 12 đường Trần Hưng Đạo";
        sqlx::query("update voters set cccd = $1, permanent_address = $2 where id = $3")
            .bind(CCCD)
            .bind(ADDRESS)
            .bind(other_id)
            .execute(app.db.pool())
            .await
            .expect("papers of the other area's voter");
        let personal = [CCCD, ADDRESS, other_card.as_str()];
        let leaks = |body: &str| personal.iter().any(|p| body.contains(p));
        let station = &desk.station;

        // The desk of area 1 finds the other area's voter by name, by CCCD and by card, and is
        // told only where the voter belongs.
        for text in ["nguyen van", CCCD, &format!("CUTRI:{other_card}")] {
            let found = station.checkin_lookup(own, text).await;
            assert_eq!(found.status, 200, "[{engine}] {text}: {:?}", found.body);
            let body = found.body.to_string();
            assert!(!leaks(&body), "[{engine}] {text}: {body}");
            let elsewhere: Vec<&serde_json::Value> = found
                .body
                .as_array()
                .expect("matches")
                .iter()
                .filter_map(|m| m.get("OtherArea"))
                .collect();
            assert_eq!(elsewhere.len(), 1, "[{engine}] {text}: {body}");
            assert_eq!(
                *elsewhere[0],
                serde_json::json!({"full_name": "Nguyễn Văn Ân", "birth_year": 1980, "area_number": 2}),
                "[{engine}] {text}"
            );
        }
        // Its own voters in full, and an administrator sees every voter in full.
        let own_found = station
            .checkin_lookup(own, &format!("CUTRI:{own_card}"))
            .await;
        assert_eq!(
            own_found.body[0]["Listed"]["voter"]["id"], own_id,
            "[{engine}] {:?}",
            own_found.body
        );
        let by_admin = desk.admin.checkin_lookup(own, CCCD).await;
        assert_eq!(
            by_admin.body[0]["Listed"]["voter"]["cccd"], CCCD,
            "[{engine}] {:?}",
            by_admin.body
        );

        // Area 2's own desk, lists and documents: refused.
        let refused_calls = [
            ("lookup", station.checkin_lookup(other, "nguyen").await),
            ("station", station.checkin_station(other).await),
            ("counting", station.counting_view(other, "quoc-hoi").await),
            (
                "search",
                station
                    .voters_search(desk.election_id, Some(other), "nguyen")
                    .await,
            ),
            ("voter", station.voters_get(other_id).await),
        ];
        for (call, reply) in refused_calls {
            assert_eq!(reply.status, 403, "[{engine}] {call}: {:?}", reply.body);
            assert!(!leaks(&reply.body.to_string()), "[{engine}] {call}");
        }
        let record = station
            .checkin_record(&crate::checkin::check_in_request(
                "scope-other-0001",
                other,
                other_id,
                false,
            ))
            .await;
        assert_eq!(record.status, 403, "[{engine}] {:?}", record.body);
        removed_voter_of_another_area_keeps_the_reason(&app, &desk).await;
        for path in [
            format!("/election-day/areas/{other}/checklist.pdf"),
            format!("/voters/areas/{other}/list.pdf"),
            format!("/voters/areas/{other}/cards.pdf"),
            format!("/voters/areas/{other}/list.csv"),
            format!("/voters/areas/{other}/list.xlsx"),
            format!("/results/counting/{other}/quoc-hoi/minutes.pdf"),
        ] {
            let (status, _, body) = station.get(&path).await;
            assert_eq!(status, 403, "[{engine}] {path}");
            assert!(!leaks(&body), "[{engine}] {path}");
        }
        // The same requests for its own area pass the area check.
        let (status, _, _) = station
            .get(&format!("/election-day/areas/{own}/checklist.pdf"))
            .await;
        assert_ne!(status, 403, "[{engine}] own checklist");
        let own_station = station.checkin_station(own).await;
        assert_eq!(own_station.status, 200, "[{engine}] {:?}", own_station.body);
    })
    .await;
}
