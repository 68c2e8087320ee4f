//! Cross-site refusal and security headers.

use crate::support::on_each_engine;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changes_from_another_site_are_refused_and_change_nothing() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let fields = [
            ("username", "tu-trang-khac"),
            ("display_name", "x"),
            ("role", "admin"),
            ("password", "0123456789"),
        ];
        let foreign = admin
            .post_with("admin/users/create", &fields, Some("http://evil.example"))
            .await;
        assert_eq!(foreign.status, 403, "[{}]", app.engine);
        assert!(foreign
            .body
            .as_str()
            .unwrap_or_default()
            .contains("trang web khác"));
        let null_origin = admin
            .post_with("admin/users/create", &fields, Some("null"))
            .await;
        assert_eq!(null_origin.status, 403);
        let cross = admin
            .http
            .post(format!("{}/api/admin/users/create", app.base_url))
            .header("sec-fetch-site", "cross-site")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("username=tu-trang-khac&display_name=x&role=admin&password=0123456789")
            .send()
            .await
            .expect("sent");
        assert_eq!(cross.status().as_u16(), 403);
        let users = admin.admin_users_list().await;
        assert!(
            !users.body.to_string().contains("tu-trang-khac"),
            "[{}] nothing was created",
            app.engine
        );

        let own_origin = app.base_url.clone();
        let same = admin
            .post_with("admin/users/create", &fields, Some(&own_origin))
            .await;
        assert_eq!(
            same.status, 200,
            "[{}] same-origin posts pass: {:?}",
            app.engine, same.body
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_a_nonce_based_csp_and_security_headers() {
    on_each_engine(|app| async move {
        let client = app.client();
        for path in ["/login", "/healthz", "/does-not-exist"] {
            let (_, headers, _) = client.get(path).await;
            let csp = headers
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            for directive in [
                "frame-ancestors 'none'",
                "object-src 'none'",
                "script-src 'self' 'nonce-",
            ] {
                assert!(
                    csp.contains(directive),
                    "[{}] {path}: {directive} missing in {csp}",
                    app.engine
                );
            }
            assert!(!csp.contains("unsafe-inline"), "{csp}");
            assert_eq!(
                headers
                    .get("x-content-type-options")
                    .and_then(|v| v.to_str().ok()),
                Some("nosniff")
            );
            assert!(headers.get("referrer-policy").is_some());
            assert!(
                headers.get("x-request-id").is_some(),
                "request ids for the logs"
            );
        }
        let (_, headers, html) = client.get("/login").await;
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("nonce");
        let inline_scripts = html.matches("<script").count();
        let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(
            inline_scripts > 0 && with_nonce >= inline_scripts,
            "every script carries this response's nonce"
        );
        let (_, second, _) = client.get("/login").await;
        assert_ne!(
            second
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok()),
            Some(csp.as_str()),
            "a fresh nonce per response"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_database_reachability() {
    on_each_engine(|app| async move {
        let (status, _, body) = app.client().get("/healthz").await;
        assert_eq!(status, 200);
        assert!(body.contains("\"ok\""), "{body}");
    })
    .await;
}
