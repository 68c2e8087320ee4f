//! app/src/voters/api.rs: the ward, elections and polling areas, the list's import, search and
//! amendments.

use app::domain::ids::ElectionId;
use app::voters::model::{ImportRequest, VoterInput};
use serde_json::json;

use super::{Client, Form, Reply};

impl Client {
    pub async fn voters_ward_save(&self, name: &str, province: &str) -> Reply {
        let form = Form::new().field("name", name).field("province", province);
        self.send_form("voters/ward/save", form).await
    }

    /// The levels are the form's checkboxes: `Some("1")` when ticked.
    pub async fn voters_elections_create(
        &self,
        name: &str,
        election_day: &str,
        national_assembly: Option<&str>,
        province: Option<&str>,
        commune: Option<&str>,
    ) -> Reply {
        let form = Form::new()
            .field("name", name)
            .field("election_day", election_day)
            .optional("national_assembly", national_assembly)
            .optional("province", province)
            .optional("commune", commune);
        self.send_form("voters/elections/create", form).await
    }

    pub async fn voters_elections_posted(&self, election_id: i64, posted_on: &str) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .field("posted_on", posted_on);
        self.send_form("voters/elections/posted", form).await
    }

    pub async fn voters_areas_create(
        &self,
        election_id: i64,
        number: i64,
        name: &str,
        address: &str,
    ) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .field("number", number)
            .field("name", name)
            .field("address", address);
        self.send_form("voters/areas/create", form).await
    }

    pub async fn voters_areas_update(
        &self,
        area_id: i64,
        number: i64,
        name: &str,
        address: &str,
    ) -> Reply {
        let form = Form::new()
            .field("area_id", area_id)
            .field("number", number)
            .field("name", name)
            .field("address", address);
        self.send_form("voters/areas/update", form).await
    }

    pub async fn voters_areas_delete(&self, area_id: i64) -> Reply {
        let form = Form::new().field("area_id", area_id);
        self.send_form("voters/areas/delete", form).await
    }

    pub async fn voters_elections_update(
        &self,
        election_id: i64,
        name: &str,
        election_day: &str,
    ) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .field("name", name)
            .field("election_day", election_day);
        self.send_form("voters/elections/update", form).await
    }

    pub async fn voters_elections_delete(&self, election_id: i64) -> Reply {
        let form = Form::new().field("election_id", election_id);
        self.send_form("voters/elections/delete", form).await
    }

    pub async fn voters_import_preview(&self, request: &ImportRequest) -> Reply {
        self.send_json("voters/import/preview", json!({ "request": request }))
            .await
    }

    pub async fn voters_import_commit(&self, request: &ImportRequest) -> Reply {
        self.send_json("voters/import/commit", json!({ "request": request }))
            .await
    }

    /// The full problem list of a staged file's dry run, as the preview page links it:
    /// (status, headers, body).
    pub async fn voters_import_problems_csv(
        &self,
        request: &ImportRequest,
    ) -> (u16, reqwest::header::HeaderMap, String) {
        self.get(&format!("/voters/import/problems.csv?{}", request.query()))
            .await
    }

    /// The import page of a staged file, rendered by the server: (status, HTML).
    pub async fn voters_import_page(&self, request: &ImportRequest) -> (u16, String) {
        let (status, _, html) = self
            .get(&format!("/voters/import?{}", request.query()))
            .await;
        (status, html)
    }

    pub async fn voters_import_progress(&self, token: &str) -> Reply {
        self.send_json("voters/import/progress", json!({ "token": token }))
            .await
    }

    pub async fn voters_search(
        &self,
        election_id: i64,
        area_id: Option<i64>,
        query: &str,
    ) -> Reply {
        let form = Form::new()
            .field("election_id", election_id)
            .optional("area_id", area_id)
            .field("query", query);
        self.send_form("voters/search", form).await
    }

    pub async fn voters_list(&self, area_id: i64, page: u32) -> Reply {
        let form = Form::new().field("area_id", area_id).field("page", page);
        self.send_form("voters/list", form).await
    }

    pub async fn voters_history(&self, voter_id: i64) -> Reply {
        let form = Form::new().field("voter_id", voter_id);
        self.send_form("voters/history", form).await
    }

    pub async fn voters_get(&self, voter_id: i64) -> Reply {
        let form = Form::new().field("voter_id", voter_id);
        self.send_form("voters/get", form).await
    }

    pub async fn voters_add(&self, area_id: i64, voter: &VoterInput, reason: &str) -> Reply {
        let form =
            voter_fields(Form::new().field("area_id", area_id), voter).field("reason", reason);
        self.send_form("voters/add", form).await
    }

    pub async fn voters_edit(&self, voter_id: i64, voter: &VoterInput, reason: &str) -> Reply {
        let form =
            voter_fields(Form::new().field("voter_id", voter_id), voter).field("reason", reason);
        self.send_form("voters/edit", form).await
    }

    /// `status` is a `VoterStatus` code ("removed", "elsewhere", …).
    pub async fn voters_set_status(
        &self,
        voter_id: i64,
        status: &str,
        reason: &str,
        certificate_no: Option<&str>,
    ) -> Reply {
        let form = Form::new()
            .field("voter_id", voter_id)
            .field("status", status)
            .field("reason", reason)
            .optional("certificate_no", certificate_no);
        self.send_form("voters/set-status", form).await
    }
}

/// The add form with only the fields it requires filled in.
pub fn voter(full_name: &str, birth_date: &str, gender: &str) -> VoterInput {
    VoterInput {
        full_name: full_name.to_string(),
        birth_date: birth_date.to_string(),
        gender: gender.to_string(),
        ..VoterInput::default()
    }
}

/// The add and edit forms' `voter[…]` fields.
fn voter_fields(form: Form, voter: &VoterInput) -> Form {
    let VoterInput {
        full_name,
        birth_date,
        gender,
        ethnicity,
        occupation,
        cccd,
        permanent_address,
        temporary_address,
        temporary_since,
        notes,
    } = voter;
    form.field("voter[full_name]", full_name)
        .field("voter[birth_date]", birth_date)
        .field("voter[gender]", gender)
        .unless_empty("voter[ethnicity]", ethnicity)
        .unless_empty("voter[occupation]", occupation)
        .unless_empty("voter[cccd]", cccd)
        .unless_empty("voter[permanent_address]", permanent_address)
        .unless_empty("voter[temporary_address]", temporary_address)
        .unless_empty("voter[temporary_since]", temporary_since)
        .unless_empty("voter[notes]", notes)
}

/// The staged file `token` as uploaded: no default area; the encoding, sheet and columns found.
pub fn import_request(token: &str, election_id: i64) -> ImportRequest {
    ImportRequest {
        token: token.to_string(),
        election_id: ElectionId::new(election_id),
        default_area: None,
        encoding: None,
        sheet: None,
        mapping: None,
    }
}
