//! The audit log downloads as a CSV file in words, filtered as the page is, whole however long
//! it is (streamed page by page), and only for those who may read the log.

use app::domain::audit::{AuditAction, AuditSubject};
use app::domain::ids::VoterId;
use app::storage::audit::{append, Actor, AuditEntry};

use crate::support::{on_each_engine, Client, TestApp};

async fn csv(app: &TestApp, client: &Client, query: &str) -> (u16, String, String) {
    let response = client
        .http
        .get(format!("{}/admin/audit.csv{query}", app.base_url))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, kind, response.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_downloads_whole_and_in_words() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        // More records than one page of the export: 2.300 check-in undos of one voter.
        let mut tx = app.db.begin_write().await.expect("tx");
        for n in 0..2_300 {
            let entry = AuditEntry {
                actor: &Actor::system(),
                action: AuditAction::CheckinUndo,
                entity: AuditSubject::Voter(VoterId::new(1675)),
                before: format!("luot={n} khu_vuc=1"),
                after: "huy: Ghi nhầm người".to_string(),
            };
            append(&mut tx, entry, n).await.expect("append");
        }
        tx.commit().await.expect("commit");
        let total: i64 = sqlx::query_scalar("select count(*) from audit_log")
            .fetch_one(app.db.pool())
            .await
            .expect("count");

        let (status, kind, body) = csv(&app, &admin, "").await;
        assert_eq!(status, 200, "[{engine}] {body}");
        assert!(kind.starts_with("text/csv"), "[{engine}] {kind}");
        assert!(
            body.starts_with('\u{FEFF}'),
            "[{engine}] Excel reads it as UTF-8"
        );
        let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
        assert_eq!(
            i64::try_from(lines.len()).expect("lines"),
            total + 1,
            "[{engine}] every record once, under one heading"
        );
        assert!(
            lines[0].contains("Thao tác;Mã thao tác;Đối tượng"),
            "[{engine}] {}",
            lines[0]
        );
        let undo = lines
            .iter()
            .find(|line| line.contains("Lượt: 0;"))
            .expect("the first undo line");
        assert!(
            undo.contains("Hủy lượt ghi nhận đi bầu;checkin.undo"),
            "[{engine}] {undo}"
        );
        assert!(
            undo.contains("Cử tri số 1675;voter:1675"),
            "[{engine}] {undo}"
        );
        assert!(
            undo.contains("Lượt: 0; Khu vực bỏ phiếu (mã): 1"),
            "[{engine}] {undo}"
        );
        assert!(
            undo.contains("Hủy, lý do: Ghi nhầm người"),
            "[{engine}] {undo}"
        );
        let sequence: Vec<i64> = lines[1..]
            .iter()
            .map(|line| {
                line.split(';')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("seq")
            })
            .collect();
        assert!(
            sequence.windows(2).all(|w| w[0] > w[1]),
            "[{engine}] newest first, no repeats"
        );

        // Filtered as the page is: the account creation only, its fields by name.
        let (_, _, body) = csv(&app, &admin, "?action=user.create&actor=quantri&entity=").await;
        let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 2, "[{engine}] {body}");
        assert!(
            lines[1].contains("Tạo người dùng;user.create"),
            "[{engine}] {}",
            lines[1]
        );
        assert!(
            lines[1].contains("Tên đăng nhập: tobaucu1"),
            "[{engine}] {}",
            lines[1]
        );

        let (status, _, _) = csv(&app, &station, "").await;
        assert_eq!(status, 403, "[{engine}] a station does not read the log");
    })
    .await;
}
