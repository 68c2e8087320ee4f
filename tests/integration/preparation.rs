//! The administrator's start page: which preparation step comes next, from the stored state.

use crate::support::api::import_request;
use serde_json::Value;

use crate::support::{on_each_engine, Client};
use crate::voter_lists::{election_with_two_areas, upload};

async fn preparation(admin: &Client) -> Value {
    let reply = admin.admin_preparation().await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checklist_follows_the_ward_from_a_fresh_install_to_ready() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let fresh = preparation(&admin).await;
        assert_eq!(
            (&fresh["ward"], &fresh["election"], &fresh["voters"]),
            (&Value::Null, &Value::Null, &Value::from(0)),
            "[{}] {fresh}",
            app.engine
        );

        let (election_id, areas) = election_with_two_areas(&admin).await;
        let prepared = preparation(&admin).await;
        assert_eq!(prepared["ward"]["name"], "Phường Mỹ Thới", "[{}]", app.engine);
        assert_eq!(prepared["election"]["id"], election_id);
        assert_eq!(prepared["polling_areas"], 2);
        assert_eq!(prepared["voters"], 0);

        let csv = "Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu\nNguyễn Văn An;1980;Nam;1\nTrần Thị Bình;1985;Nữ;2\nLê Văn Cường;1962;Nam;2\n";
        let token = upload(&app, &admin, election_id, "ds.csv", csv.as_bytes().to_vec()).await;
        let committed = admin
            .voters_import_commit(&import_request(&token, election_id))
            .await;
        assert_eq!(committed.body.as_i64(), Some(3), "[{}] {:?}", app.engine, committed.body);
        let posted = admin
            .voters_elections_posted(election_id, "01/02/2026")
            .await;
        assert_eq!(posted.status, 200, "[{}] {:?}", app.engine, posted.body);
        let listed = preparation(&admin).await;
        assert_eq!(listed["voters"], 3, "[{}] {listed}", app.engine);
        assert_ne!(listed["election"]["posted_on"], Value::Null, "[{}] {listed}", app.engine);
        assert_eq!(listed["station_accounts"], 0);

        // A station account counts once it has a polling area; a disabled one does not.
        app.user_with_role(&admin, "tobaucu1", "station").await;
        let station_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu1'")
            .fetch_one(app.db.pool())
            .await
            .expect("station id");
        assert_eq!(preparation(&admin).await["station_accounts"], 0, "[{}] no area yet", app.engine);
        let assigned = admin
            .admin_users_set_areas(station_id, &[areas[0]])
            .await;
        assert_eq!(assigned.status, 200, "{:?}", assigned.body);
        assert_eq!(preparation(&admin).await["station_accounts"], 1, "[{}]", app.engine);
        admin.admin_users_set_disabled(station_id, true).await;
        assert_eq!(preparation(&admin).await["station_accounts"], 0, "[{}] disabled", app.engine);
    })
    .await;
}
