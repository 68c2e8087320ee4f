//! The audit log records every account change in the change's transaction, and verification
//! names the first record that was edited, deleted or reordered.

use app::storage::audit::{self, ChainProblem, ChainVerdict};

use crate::support::{on_each_engine, TestApp};

/// Five audited changes: setup, three creations, one disable.
async fn five_changes(app: &TestApp) {
    let admin = app.admin().await;
    for (name, role) in [
        ("tobaucu1", "station"),
        ("mttq1", "organizer"),
        ("xem1", "viewer"),
    ] {
        app.user_with_role(&admin, name, role).await;
    }
    let users = admin.admin_users_list().await;
    let id = users
        .body
        .as_array()
        .expect("list")
        .iter()
        .find(|u| u["username"] == "xem1")
        .expect("row")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(admin.admin_users_set_disabled(id, true).await.status, 200);
}

async fn verdict(app: &TestApp) -> ChainVerdict {
    audit::verify(app.db.pool()).await.expect("verify runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_recorded_with_who_what_before_and_after() {
    on_each_engine(|app| async move {
        five_changes(&app).await;
        let records = audit::list(app.db.pool(), &Default::default(), 100)
            .await
            .expect("list");
        let actions: Vec<&str> = records.iter().rev().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "user.create",
                "user.create",
                "user.create",
                "user.create",
                "user.disable"
            ],
            "[{}]",
            app.engine
        );
        let first = records.last().expect("first record");
        assert_eq!(first.actor, "system", "setup is done by the system");
        assert!(first.after.contains("\"role\":\"admin\""));
        let disable = &records[0];
        assert_eq!(disable.actor, "quantri");
        assert!(
            disable.before.contains("\"disabled\":false")
                && disable.after.contains("\"disabled\":true")
        );
        assert!(
            !records.iter().any(|r| r.after.contains("argon2")),
            "no password hash in the log"
        );
        assert!(
            matches!(verdict(&app).await, ChainVerdict::Intact { records: 5, .. }),
            "[{}]",
            app.engine
        );

        // The admin page filters by action and by actor.
        let admin = app.client();
        admin
            .auth_login(crate::support::ADMIN_USER, crate::support::ADMIN_PASSWORD)
            .await;
        let page = admin.admin_audit_list("user.disable", "", None, None).await;
        assert_eq!(page.body["rows"].as_array().expect("rows").len(), 1);
        let page = admin.admin_audit_list("", "system", None, None).await;
        assert_eq!(page.body["rows"].as_array().expect("rows").len(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_names_an_edited_record() {
    on_each_engine(|app| async move {
        five_changes(&app).await;
        sqlx::query("update audit_log set after_summary = replace(after_summary, 'station', 'admin') where seq = 2")
            .execute(app.db.pool())
            .await
            .expect("tamper");
        assert_eq!(verdict(&app).await, ChainVerdict::Broken { seq: 2, problem: ChainProblem::Edited }, "[{}]", app.engine);
        let report = server::cli::audit_report(&app.database_url).await.expect("report");
        assert!(!report.intact);
        assert!(report.text.contains("bản ghi #2 đã bị sửa"), "{}", report.text);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_names_the_record_after_a_deleted_one() {
    on_each_engine(|app| async move {
        five_changes(&app).await;
        sqlx::query("delete from audit_log where seq = 3")
            .execute(app.db.pool())
            .await
            .expect("delete");
        assert_eq!(
            verdict(&app).await,
            ChainVerdict::Broken {
                seq: 4,
                problem: ChainProblem::Deleted
            },
            "[{}]",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_names_swapped_records() {
    on_each_engine(|app| async move {
        five_changes(&app).await;
        // Swap records 3 and 4 wholesale (every column but the position).
        let pool = app.db.pool();
        for (from, to) in [(3, -3), (4, 3), (-3, 4)] {
            sqlx::query("update audit_log set seq = $2 where seq = $1")
                .bind(from)
                .bind(to)
                .execute(pool)
                .await
                .expect("swap");
        }
        assert_eq!(
            verdict(&app).await,
            ChainVerdict::Broken {
                seq: 3,
                problem: ChainProblem::Reordered
            },
            "[{}]",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_change_leaves_no_audit_record() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let refused = admin
            .admin_users_create("quantri", "x", "viewer", "0123456789")
            .await;
        assert_eq!(refused.error_code(), Some("UsernameTaken"));
        assert!(
            matches!(verdict(&app).await, ChainVerdict::Intact { records: 1, .. }),
            "[{}]",
            app.engine
        );
    })
    .await;
}
