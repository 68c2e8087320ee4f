//! The desk without script: a voter checked in by a plain HTML form post (`checkin/record-form`)
//! once per request id, the browser sent back to the desk that shows the outcome, the same
//! refusals as the JSON call, and malformed or unauthorised posts refused with a 4xx.

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, REFERER};

use crate::checkin::{list_voters, open_desk, receipt};
use crate::support::{on_each_engine, Client, TestApp};

const ENDPOINT: &str = "checkin/record-form";

fn form_encode(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Posts a form to /api/`endpoint` as a browser without script does, from the page `from`:
/// (status, Location, body).
async fn post_from_page(
    client: &Client,
    endpoint: &str,
    from: &str,
    fields: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let response = client
        .http
        .post(format!("{}/api/{endpoint}", client.base_url))
        .header(ACCEPT, "text/html,application/xhtml+xml")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(REFERER, format!("{}{from}", client.base_url))
        .body(form_encode(fields))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("body"))
}

/// Posts as a browser and follows the redirect back to the desk: the desk's HTML.
async fn confirm_in_browser(
    client: &Client,
    app: &TestApp,
    area: i64,
    fields: &[(&str, &str)],
) -> String {
    let desk_page = format!("/election-day/areas/{area}?q=nguyen");
    let (status, location, body) = post_from_page(client, ENDPOINT, &desk_page, fields).await;
    assert!(
        status == 302 || status == 303,
        "[{}] a form post is sent back to the desk, got {status} {body}",
        app.engine
    );
    let location = location.expect("Location");
    let request_id = fields
        .iter()
        .find(|(k, _)| *k == "request_id")
        .map(|(_, v)| *v)
        .expect("request id");
    assert_eq!(
        location,
        format!("/election-day/areas/{area}?outcome={request_id}"),
        "[{}]",
        app.engine
    );
    let (status, _, html) = client.get(&location).await;
    assert_eq!(status, 200, "[{}] {html}", app.engine);
    html
}

async fn check_ins(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from check_ins")
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_post_checks_in_once_and_the_desk_shows_what_happened() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let voters = list_voters(
            &app,
            &desk,
            0,
            &["Nguyễn Văn An", "Trần Thị Bình"],
            "active",
        )
        .await;
        let area = desk.areas[0];
        let (area_text, an, binh) = (
            area.to_string(),
            voters[0].0.to_string(),
            voters[1].0.to_string(),
        );

        // A client that does not ask for HTML gets the outcome as the JSON call answers it.
        let fields = [
            ("area_id", area_text.as_str()),
            ("voter_id", an.as_str()),
            ("request_id", "form-an-0000001"),
            ("mobile_box", "true"),
        ];
        let first = desk.station.post(ENDPOINT, &fields).await;
        assert_eq!(first.status, 200, "[{engine}] {:?}", first.body);
        let first = receipt(&first.body).clone();
        assert_eq!(first["number"], 1, "[{engine}] {first}");
        assert_eq!(
            first["mobile_box"], true,
            "[{engine}] the ticked box is read"
        );
        // Sent twice (a double click, a resent form): the same check-in, not a second one.
        let again = desk.station.post(ENDPOINT, &fields).await;
        assert_eq!(
            receipt(&again.body)["check_in_id"],
            first["check_in_id"],
            "[{engine}] {:?}",
            again.body
        );
        let in_browser = confirm_in_browser(&desk.station, &app, area, &fields).await;
        assert!(
            in_browser.contains("Nguyễn Văn An — đã ghi nhận đi bầu, lượt #1"),
            "[{engine}] the desk shows the check-in: {in_browser}"
        );
        assert_eq!(
            check_ins(&app).await,
            1,
            "[{engine}] one check-in for one request id"
        );

        // A second confirmation of the same voter (another request id): refused, in words.
        let refused = confirm_in_browser(
            &desk.station,
            &app,
            area,
            &[
                ("area_id", &area_text),
                ("voter_id", &an),
                ("request_id", "form-an-0000002"),
            ],
        )
        .await;
        assert!(
            refused.contains("KHÔNG PHÁT PHIẾU BẦU"),
            "[{engine}] {refused}"
        );
        assert!(
            refused.contains("Cử tri này đã bỏ phiếu: lượt #1 lúc "),
            "[{engine}] the refusal says why: {refused}"
        );
        assert_eq!(
            check_ins(&app).await,
            1,
            "[{engine}] nothing added by a refusal"
        );

        let binh_page = confirm_in_browser(
            &desk.station,
            &app,
            area,
            &[
                ("area_id", &area_text),
                ("voter_id", &binh),
                ("request_id", "form-binh-000001"),
            ],
        )
        .await;
        assert!(
            binh_page.contains("Trần Thị Bình — đã ghi nhận đi bầu, lượt #2"),
            "[{engine}] {binh_page}"
        );
        let mobile: Vec<i64> =
            sqlx::query_scalar("select mobile_box from check_ins order by number")
                .fetch_all(app.db.pool())
                .await
                .expect("check-ins");
        assert_eq!(
            mobile,
            [1, 0],
            "[{engine}] the box ticked, then not sent at all"
        );

        // The kept outcome is shown only to the user who confirmed it.
        let own = desk
            .station
            .post(
                "checkin/form-outcome",
                &[("area_id", &area_text), ("request_id", "form-binh-000001")],
            )
            .await;
        assert_eq!(receipt(&own.body)["number"], 2, "[{engine}] {:?}", own.body);
        let other = desk
            .admin
            .post(
                "checkin/form-outcome",
                &[("area_id", &area_text), ("request_id", "form-binh-000001")],
            )
            .await;
        assert_eq!(
            (other.status, other.body.clone()),
            (200, serde_json::Value::Null),
            "[{engine}]"
        );
    })
    .await;
}

/// What is wrong, the fields sent, the status and error code expected.
type Malformed<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, &'a str);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_or_unauthorised_form_posts_are_refused_with_a_4xx() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let here = list_voters(&app, &desk, 0, &["Nguyễn Văn An"], "active").await;
        let there = list_voters(&app, &desk, 1, &["Đỗ Văn Em"], "active").await;
        let (area, other_area) = (desk.areas[0].to_string(), desk.areas[1].to_string());
        let (voter, voter_there) = (here[0].0.to_string(), there[0].0.to_string());
        let desk_page = format!("/election-day/areas/{area}");

        let malformed: [Malformed; 5] = [
            (
                "no voter",
                vec![("area_id", &area), ("request_id", "form-bad-000001")],
                422,
                "RequestFieldsInvalid",
            ),
            (
                "no request id",
                vec![("area_id", &area), ("voter_id", &voter)],
                422,
                "RequestFieldsInvalid",
            ),
            (
                "letters for the voter",
                vec![
                    ("area_id", &area),
                    ("voter_id", "abc"),
                    ("request_id", "form-bad-000003"),
                ],
                422,
                "RequestFieldsInvalid",
            ),
            (
                "a box ticked with a word",
                vec![
                    ("area_id", &area),
                    ("voter_id", &voter),
                    ("request_id", "form-bad-000004"),
                    ("mobile_box", "có"),
                ],
                422,
                "RequestFieldsInvalid",
            ),
            (
                "a request id too short",
                vec![
                    ("area_id", &area),
                    ("voter_id", &voter),
                    ("request_id", "x"),
                ],
                422,
                "InvalidInput",
            ),
        ];
        for (what, fields, status, code) in &malformed {
            let reply = desk.station.post(ENDPOINT, fields).await;
            assert_eq!(
                (reply.status, reply.error_code()),
                (*status, Some(*code)),
                "[{engine}] {what}: {:?}",
                reply.body
            );
            // A browser without script posting the same is refused the same way, not sent on.
            let (browser_status, _, body) =
                post_from_page(&desk.station, ENDPOINT, &desk_page, fields).await;
            assert_eq!(
                browser_status, *status,
                "[{engine}] {what} from the page: {body}"
            );
        }
        let empty = desk.station.post(ENDPOINT, &[]).await;
        assert_eq!(
            (empty.status, empty.error_code()),
            (400, Some("RequestUnreadable")),
            "[{engine}] {:?}",
            empty.body
        );

        let valid = [
            ("area_id", area.as_str()),
            ("voter_id", voter.as_str()),
            ("request_id", "form-ok-0000001"),
        ];
        for role in ["organizer", "viewer"] {
            let user = app
                .user_with_role(&desk.admin, &format!("khong-{role}"), role)
                .await;
            let reply = user.post(ENDPOINT, &valid).await;
            assert_eq!(
                (reply.status, reply.error_code()),
                (403, Some("Forbidden")),
                "[{engine}] {role}: {:?}",
                reply.body
            );
        }
        let anonymous = app.client().post(ENDPOINT, &valid).await;
        assert_eq!(anonymous.status, 401, "[{engine}] {:?}", anonymous.body);
        // A station works only at its own area.
        let elsewhere = desk
            .station
            .post(
                ENDPOINT,
                &[
                    ("area_id", &other_area),
                    ("voter_id", &voter_there),
                    ("request_id", "form-ok-0000002"),
                ],
            )
            .await;
        assert_eq!(
            (elsewhere.status, elsewhere.error_code()),
            (403, Some("Forbidden")),
            "[{engine}] {:?}",
            elsewhere.body
        );
        assert_eq!(
            check_ins(&app).await,
            0,
            "[{engine}] nothing refused was recorded"
        );
    })
    .await;
}

/// The login form posted without script: signed in, the browser goes on to the page that sent
/// it to log in (or home), never to another site; refused, it is sent back to the login page,
/// which shows why, instead of a bare error. Clients that do not ask for HTML are answered as
/// before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_form_works_without_script() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        app.user_with_role(&admin, "tobaucu1", "station").await;
        let password = "tobaucu1-mat-khau";
        let sign_in = |next: &'static str| {
            [
                ("username", "tobaucu1"),
                ("password", password),
                ("next", next),
            ]
        };

        let login = "auth/login";
        let desk = app.client();
        let from = "/login?next=%2Felection-day";
        let (status, location, _) =
            post_from_page(&desk, login, from, &sign_in("/election-day")).await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/election-day")),
            "[{engine}]"
        );
        assert_eq!(
            desk.whoami().await.as_deref(),
            Some("tobaucu1"),
            "[{engine}] signed in"
        );

        let home = app.client();
        let (status, location, _) = post_from_page(&home, login, "/login", &sign_in("")).await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/")),
            "[{engine}] no next: home"
        );
        let away = app.client();
        let (_, location, _) =
            post_from_page(&away, login, "/login", &sign_in("//evil.example")).await;
        assert_eq!(
            location.as_deref(),
            Some("/"),
            "[{engine}] never another site"
        );

        let wrong = app.client();
        let mistyped = [("username", "tobaucu1"), ("password", "sai-mat-khau")];
        let (status, location, _) = post_from_page(&wrong, login, "/login", &mistyped).await;
        assert_eq!(status, 302, "[{engine}] back to the form");
        let location = location.expect("Location");
        let back = location.strip_prefix(&wrong.base_url).unwrap_or_default();
        assert!(
            back.starts_with("/login?") && back.contains("__err="),
            "[{engine}] {location}"
        );
        let (status, _, page) = wrong.get(back).await;
        assert_eq!(status, 200, "[{engine}]");
        assert!(
            page.contains("class=\"form-error\""),
            "[{engine}] the page says why: {page}"
        );
        assert_eq!(wrong.whoami().await, None, "[{engine}] not signed in");

        // The server functions' own client (the hydrated page) and API clients: as before.
        let api = app.client();
        let refused = api.auth_login("tobaucu1", "sai-mat-khau").await;
        assert_eq!(
            (refused.status, refused.error_code()),
            (401, Some("InvalidCredentials")),
            "[{engine}]"
        );
        let signed_in = api.auth_login("tobaucu1", password).await;
        assert_eq!(signed_in.status, 200, "[{engine}] {:?}", signed_in.body);
        assert!(
            signed_in.headers.get(LOCATION).is_none(),
            "[{engine}] no redirect"
        );
    })
    .await;
}
