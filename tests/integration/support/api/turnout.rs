//! `turnout/…`: the live board (app/src/checkin/api.rs) and the reported snapshots
//! (app/src/turnout/api.rs).

use super::{Client, Form, Reply};

impl Client {
    pub async fn turnout_board(&self, election_id: i64) -> Reply {
        let form = Form::new().field("election_id", election_id);
        self.send_form("turnout/board", form).await
    }

    pub async fn turnout_reports(&self, election_id: i64) -> Reply {
        let form = Form::new().field("election_id", election_id);
        self.send_form("turnout/reports", form).await
    }

    /// `times` as typed: "09:00, 15:00".
    pub async fn turnout_report_times(&self, election_id: i64, times: &str) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .field("times", times);
        self.send_form("turnout/report-times", form).await
    }

    pub async fn turnout_snapshot_now(&self, election_id: i64) -> Reply {
        let form = Form::new().field("election_id", election_id);
        self.send_form("turnout/snapshot-now", form).await
    }
}
