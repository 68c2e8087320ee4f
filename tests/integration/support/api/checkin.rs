//! app/src/checkin/api.rs: the station's desk on election day.

use app::checkin::model::CheckInRequest;
use serde_json::json;

use super::{Client, Form, Reply};

impl Client {
    pub async fn checkin_station(&self, area_id: i64) -> Reply {
        let form = Form::new().field("area_id", area_id);
        self.send_form("checkin/station", form).await
    }

    /// `text` is typed (a name, a CCCD) or scanned ("CUTRI:<card code>").
    pub async fn checkin_lookup(&self, area_id: i64, text: &str) -> Reply {
        let form = Form::new().field("area_id", area_id).field("text", text);
        self.send_form("checkin/lookup", form).await
    }

    pub async fn checkin_record(&self, request: &CheckInRequest) -> Reply {
        self.send_json("checkin/record", json!({ "request": request }))
            .await
    }

    /// `opens`/`closes` as typed ("07:00", "19h30").
    pub async fn checkin_hours(&self, area_id: i64, opens: &str, closes: &str) -> Reply {
        let form = Form::new()
            .field("area_id", area_id)
            .field("opens", opens)
            .field("closes", closes);
        self.send_form("checkin/hours", form).await
    }

    pub async fn checkin_undo(&self, check_in_id: i64, reason: &str) -> Reply {
        let form = Form::new()
            .field("check_in_id", check_in_id)
            .field("reason", reason);
        self.send_form("checkin/undo", form).await
    }
}
