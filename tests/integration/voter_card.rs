//! One voter's card reprinted on its own: that voter's card only, never for a voter no longer
//! voting by the list, only for those who keep the lists.

use crate::support::api::import_request;
use crate::support::{have_pdftotext, on_each_engine, pdf_text, TestApp};
use crate::voter_lists::{election_with_two_areas, upload};

/// Status and body of a GET with the client's session.
async fn get(app: &TestApp, client: &crate::support::Client, path: &str) -> (u16, Vec<u8>) {
    let (status, _, body) = crate::list_export::fetch(app, client, path).await;
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_voter_card_is_reprinted_alone() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = "STT;Họ và tên;Ngày sinh;Giới tính;Nơi thường trú;Khu vực bỏ phiếu\r\n\
                   1;Nguyễn Văn An;05/07/1960;Nam;Số 1 khóm Thới An;1\r\n\
                   2;Trần Thị Hương;03/1965;Nữ;Số 2 khóm Thới An;1\r\n";
        let token = upload(&app, &admin, election_id, "ds.csv", csv.as_bytes().to_vec()).await;
        let done = admin
            .voters_import_commit(&import_request(&token, election_id))
            .await;
        assert_eq!(done.body.as_i64(), Some(2), "[{engine}] {:?}", done.body);
        let ids: Vec<(i64, String)> =
            sqlx::query_as("select id, full_name from voters order by stt")
                .fetch_all(app.db.pool())
                .await
                .expect("voters");
        let (huong, _) = &ids[1];

        let (status, pdf) = get(&app, &admin, &format!("/voters/{huong}/card.pdf")).await;
        assert_eq!(status, 200, "[{engine}]");
        assert!(pdf.starts_with(b"%PDF"), "[{engine}]");
        if have_pdftotext("the reprinted card's text") {
            let text = pdf_text(&pdf, &[]);
            assert!(text.contains("Trần Thị Hương"), "[{engine}] {text}");
            assert!(
                !text.contains("Nguyễn Văn An"),
                "[{engine}] one card only: {text}"
            );
            assert_eq!(
                text.matches("Họ và tên:").count(),
                1,
                "[{engine}] one card: {text}"
            );
        }

        let (status, _) = get(&app, &admin, "/voters/999999/card.pdf").await;
        assert_eq!(status, 404, "[{engine}]");
        sqlx::query("update voters set status = 'removed', status_reason = 'Chết' where id = $1")
            .bind(huong)
            .execute(app.db.pool())
            .await
            .expect("removed");
        let (status, _) = get(&app, &admin, &format!("/voters/{huong}/card.pdf")).await;
        assert_eq!(status, 409, "[{engine}] no card for a removed voter");
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let (status, _) = get(&app, &station, &format!("/voters/{}/card.pdf", ids[0].0)).await;
        assert_eq!(status, 403, "[{engine}]");
    })
    .await;
}
