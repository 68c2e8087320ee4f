//! Honest HTTP answers: what is wrong with a request is said with the right status and a stable
//! code, never as a 500 "Transport" failure; pages of signed-in users send others to the login
//! page and back, and never to another site.

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};

use crate::support::{on_each_engine, Client, Reply};

async fn post_raw(client: &Client, endpoint: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let response = client
        .http
        .post(format!("{}/api/{endpoint}", client.base_url))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        headers,
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// (what is wrong, endpoint, content type, body, expected status, expected error code)
type BodyCase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    u16,
    &'static str,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_bodies_are_400_oversized_ones_413_and_misfitting_fields_422() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        let cases: [BodyCase; 10] = [
            ("malformed JSON", "checkin/record", JSON, br#"{"request": {"#.to_vec(), 400, "RequestUnreadable"),
            ("empty JSON body", "checkin/record", JSON, Vec::new(), 400, "RequestUnreadable"),
            ("empty form", "checkin/lookup", FORM, Vec::new(), 400, "RequestUnreadable"),
            ("form not UTF-8", "checkin/lookup", FORM, b"area_id=1&text=\xff\xfe".to_vec(), 400, "RequestUnreadable"),
            ("letters for an i64", "checkin/lookup", FORM, b"area_id=abc&text=nguyen".to_vec(), 422, "RequestFieldsInvalid"),
            ("missing form field", "checkin/lookup", FORM, b"area_id=1".to_vec(), 422, "RequestFieldsInvalid"),
            (
                "JSON string for an i64",
                "checkin/record",
                JSON,
                br#"{"request":{"request_id":"http-answers-01","area_id":"one","voter_id":1,"mobile_box":false,"hours_override":false}}"#.to_vec(),
                422,
                "RequestFieldsInvalid",
            ),
            ("missing JSON field", "checkin/record", JSON, br#"{"request":{"request_id":"http-answers-01"}}"#.to_vec(), 422, "RequestFieldsInvalid"),
            (
                "form over the limit",
                "checkin/lookup",
                FORM,
                format!("area_id=1&text={}", "a".repeat(3 * 1024 * 1024)).into_bytes(),
                413,
                "RequestTooLarge",
            ),
            (
                "JSON over the limit",
                "checkin/record",
                JSON,
                format!(r#"{{"request":{{"request_id":"{}"}}}}"#, "a".repeat(3 * 1024 * 1024)).into_bytes(),
                413,
                "RequestTooLarge",
            ),
        ];
        for (case, endpoint, content_type, body, status, code) in cases {
            // The server closes a connection whose body it did not read to the end: an oversized
            // request goes on a connection of its own, so the admin's next call cannot meet the
            // closed one.
            let client = if status == 413 { app.client() } else { admin.clone() };
            let reply = post_raw(&client, endpoint, content_type, body).await;
            assert_eq!(reply.status, status, "[{engine}] {case}: {:?}", reply.body);
            assert_eq!(reply.error_code(), Some(code), "[{engine}] {case}");
        }
        // Calls that take no argument still take an empty body.
        assert_eq!(admin.whoami().await.as_deref(), Some("quantri"), "[{engine}]");
        let checked_in: i64 = sqlx::query_scalar("select count(*) from check_ins")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(checked_in, 0, "[{engine}] nothing was recorded");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protected_pages_send_visitors_to_log_in_and_back_never_elsewhere() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let anonymous = app.client();
        let location = |headers: &reqwest::header::HeaderMap| {
            headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (status, headers, _) = anonymous.get("/voters/complaints?election=3&x=a%20b").await;
        assert_eq!(status, 303, "[{engine}] a real redirect");
        assert_eq!(
            location(&headers).as_deref(),
            Some("/login?next=%2Fvoters%2Fcomplaints%3Felection%3D3%26x%3Da%2520b"),
            "[{engine}]"
        );
        // A client that does not say it accepts HTML (curl, scripts) is redirected all the same.
        let plain = anonymous
            .http
            .get(format!("{}/admin/users", app.base_url))
            .header(ACCEPT, "*/*")
            .send()
            .await
            .expect("sent");
        assert_eq!(plain.status().as_u16(), 303, "[{engine}]");
        assert_eq!(
            location(plain.headers()).as_deref(),
            Some("/login?next=%2Fadmin%2Fusers"),
            "[{engine}]"
        );
        let (status, _, html) = anonymous.get("/login?next=%2Fvoters").await;
        assert_eq!(status, 200, "[{engine}] the login form");
        assert!(html.contains("login-form"), "[{engine}]");

        // Signed in, the login page goes on to `next` when it is a path of this site, and to the
        // home page when it is not.
        let admin = app.admin().await;
        for (next, expected) in [
            ("%2Fvoters%3Felection%3D1", "/voters?election=1"),
            ("/admin/users", "/admin/users"),
            ("//evil.example", "/"),
            ("%2F%2Fevil.example%2Fx", "/"),
            ("%2F%5Cevil.example", "/"),
            ("https://evil.example/", "/"),
            ("javascript:alert(1)", "/"),
        ] {
            let (status, headers, _) = admin.get(&format!("/login?next={next}")).await;
            assert_eq!(status, 303, "[{engine}] next={next}");
            assert_eq!(
                location(&headers).as_deref(),
                Some(expected),
                "[{engine}] next={next}"
            );
        }
        let (status, _, _) = admin.get("/login").await;
        assert_eq!(status, 200, "[{engine}] without next the login page stays");
    })
    .await;
}
