//! app/src/complaints/api.rs: the register of complaints about the voter list.

use super::{Client, Form, Reply};

impl Client {
    pub async fn complaints_overview(&self, election_id: Option<i64>) -> Reply {
        let form = Form::new().optional("election_id", election_id);
        self.send_form("complaints/overview", form).await
    }

    /// `voter_id` `Some(0)` is the form's "no one voter" choice.
    pub async fn complaints_record(
        &self,
        election_id: i64,
        voter_id: Option<i64>,
        complainant: &str,
        received_on: &str,
        content: &str,
    ) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .optional("voter_id", voter_id)
            .field("complainant", complainant)
            .field("received_on", received_on)
            .field("content", content);
        self.send_form("complaints/record", form).await
    }

    pub async fn complaints_resolve(
        &self,
        complaint_id: i64,
        resolution: &str,
        resolved_on: &str,
    ) -> Reply {
        let form = Form::new()
            .field("complaint_id", complaint_id)
            .field("resolution", resolution)
            .field("resolved_on", resolved_on);
        self.send_form("complaints/resolve", form).await
    }
}
