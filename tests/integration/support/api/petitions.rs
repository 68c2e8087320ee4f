//! app/src/petitions/api.rs: the petitions of a session's meetings, collected, merged, routed,
//! answered and carried on.

use app::petitions::model::AnswerInput;

use super::{Client, Form, Reply};

/// A round of meetings: the term ("XVI"), the session and its timing ("before"/"after").
fn round(term: &str, session_number: i64, timing: &str) -> Form {
    Form::new()
        .field("term", term)
        .field("session_number", session_number)
        .field("timing", timing)
}

impl Client {
    pub async fn petitions_round(&self, term: &str, session_number: i64, timing: &str) -> Reply {
        self.send_form("petitions/round", round(term, session_number, timing))
            .await
    }

    /// `opens` and `closes` as typed: "01/12/2026".
    pub async fn petitions_session_dates(
        &self,
        term: &str,
        session_number: i64,
        opens: &str,
        closes: &str,
    ) -> Reply {
        let form = Form::new()
            .field("term", term)
            .field("session_number", session_number)
            .field("opens", opens)
            .field("closes", closes);
        self.send_form("petitions/session-dates", form).await
    }

    pub async fn petitions_collect(&self, term: &str, session_number: i64, timing: &str) -> Reply {
        self.send_form("petitions/collect", round(term, session_number, timing))
            .await
    }

    pub async fn petitions_merge(&self, keep_id: i64, absorb_id: i64) -> Reply {
        let form = Form::new()
            .field("keep_id", keep_id)
            .field("absorb_id", absorb_id);
        self.send_form("petitions/merge", form).await
    }

    pub async fn petitions_route(
        &self,
        petition_id: i64,
        competent_level: &str,
        competent_body: &str,
    ) -> Reply {
        let form = Form::new()
            .field("petition_id", petition_id)
            .field("competent_level", competent_level)
            .field("competent_body", competent_body);
        self.send_form("petitions/route", form).await
    }

    pub async fn petitions_answer(&self, petition_id: i64, answer: &AnswerInput) -> Reply {
        let AnswerInput {
            outcome,
            content,
            roadmap,
            document_number,
            document_date,
            signer,
            answering_body,
        } = answer;
        let form = Form::new()
            .field("petition_id", petition_id)
            .field("answer[outcome]", outcome)
            .field("answer[content]", content)
            .unless_empty("answer[roadmap]", roadmap)
            .field("answer[document_number]", document_number)
            .field("answer[document_date]", document_date)
            .field("answer[signer]", signer)
            .unless_empty("answer[answering_body]", answering_body);
        self.send_form("petitions/answer", form).await
    }

    pub async fn petitions_carry(&self, term: &str, session_number: i64, timing: &str) -> Reply {
        self.send_form("petitions/carry", round(term, session_number, timing))
            .await
    }
}
