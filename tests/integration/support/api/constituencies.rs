//! app/src/constituencies/api.rs: the constituency register and the election's results.

use super::{Client, Form, Reply};

impl Client {
    pub async fn constituencies_list(&self, election_id: Option<i64>) -> Reply {
        let form = Form::new().optional("election_id", election_id);
        self.send_form("constituencies/list", form).await
    }

    /// `id` None adds a constituency; `level` is a ballot level code.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per argument of the server function"
    )]
    pub async fn constituencies_save(
        &self,
        election_id: i64,
        id: Option<i64>,
        level: &str,
        number: i64,
        name: &str,
        seats: i64,
        area_ids: &[i64],
    ) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .optional("id", id)
            .field("level", level)
            .field("number", number)
            .field("name", name)
            .field("seats", seats)
            .each("area_ids", area_ids);
        self.send_form("constituencies/save", form).await
    }

    /// `candidates` one a line: "Họ và tên; ngày sinh; giới tính".
    pub async fn constituencies_candidates(&self, constituency_id: i64, candidates: &str) -> Reply {
        let form = Form::new()
            .field("constituency_id", constituency_id)
            .field("candidates", candidates);
        self.send_form("constituencies/candidates", form).await
    }

    pub async fn results_constituencies(&self, election_id: Option<i64>) -> Reply {
        let form = Form::new().optional("election_id", election_id);
        self.send_form("results/constituencies", form).await
    }
}
