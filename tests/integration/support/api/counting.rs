//! app/src/counting/api.rs: entering and finalising the counting minutes.

use app::counting::model::TallyForm;

use super::{Client, Form, Reply};

impl Client {
    /// `level` is a ballot level code ("quoc-hoi", …).
    pub async fn counting_view(&self, area_id: i64, level: &str) -> Reply {
        let form = Form::new().field("area_id", area_id).field("level", level);
        self.send_form("counting/view", form).await
    }

    pub async fn counting_save(&self, tally: &TallyForm) -> Reply {
        self.send_form("counting/save", tally_fields(tally)).await
    }

    pub async fn counting_finalise(&self, area_id: i64, level: &str) -> Reply {
        let form = Form::new().field("area_id", area_id).field("level", level);
        self.send_form("counting/finalise", form).await
    }
}

/// The entry form's `form[…]` fields; `seats` 0 is the form without a seats field (the
/// register gives them).
fn tally_fields(tally: &TallyForm) -> Form {
    let TallyForm {
        area_id,
        level,
        slot,
        seats,
        voters_on_list,
        voters_voted,
        ballots_issued,
        ballots_collected,
        ballots_valid,
        ballots_invalid,
        members,
        witness1_name,
        witness1_address,
        witness2_name,
        witness2_address,
        candidates,
        votes,
        incidents,
        complaints,
        ballot_box_checked_at,
        voting_closed_at,
    } = tally;
    Form::new()
        .field("form[area_id]", area_id)
        .field("form[level]", level)
        .field("form[slot]", slot)
        .optional("form[seats]", (*seats != 0).then_some(seats))
        .field("form[voters_on_list]", voters_on_list)
        .field("form[voters_voted]", voters_voted)
        .field("form[ballots_issued]", ballots_issued)
        .field("form[ballots_collected]", ballots_collected)
        .field("form[ballots_valid]", ballots_valid)
        .field("form[ballots_invalid]", ballots_invalid)
        .unless_empty("form[members]", members)
        .unless_empty("form[witness1_name]", witness1_name)
        .unless_empty("form[witness1_address]", witness1_address)
        .unless_empty("form[witness2_name]", witness2_name)
        .unless_empty("form[witness2_address]", witness2_address)
        .unless_empty("form[candidates]", candidates)
        .numbered("form[votes]", votes)
        .unless_empty("form[incidents]", incidents)
        .unless_empty("form[complaints]", complaints)
        .unless_empty("form[ballot_box_checked_at]", ballot_box_checked_at)
        .unless_empty("form[voting_closed_at]", voting_closed_at)
}
