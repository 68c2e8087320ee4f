//! An updated list file against the list already kept: which of its people are new, which are
//! listed with some fact written otherwise, and which are listed as the file has them.
//!
//! A row is the listed voter with the same CCCD when both have one. Otherwise (the number is
//! missing on either side) it is the listed voter with the same name and birth date living at
//! the same place: the permanent address when both sides give one, else the temporary address,
//! else the household. Names, addresses and other texts are compared folded (`text::fold`):
//! case, Unicode normalisation, spacing and diacritics written otherwise are no difference.
//! Two CCCDs that differ are two people, whatever their names.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::ids::VoterId;
use super::text::fold;
use super::voter::{BirthDate, Cccd, Date, Gender};

/// A person's facts as a list gives them: a row of the file or a voter already listed.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub full_name: &'a str,
    pub birth: BirthDate,
    pub gender: Gender,
    pub cccd: Option<&'a Cccd>,
    /// The household's label on the list.
    pub household: Option<&'a str>,
    pub ethnicity: &'a str,
    pub occupation: &'a str,
    pub permanent_address: &'a str,
    pub temporary_address: &'a str,
    pub temporary_since: Option<Date>,
}

/// A voter already on the election's list, with the facts a file row is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedVoter {
    pub id: VoterId,
    pub full_name: String,
    pub birth: BirthDate,
    pub gender: Gender,
    pub cccd: Option<Cccd>,
    pub household: Option<String>,
    pub ethnicity: String,
    pub occupation: String,
    pub permanent_address: String,
    pub temporary_address: String,
    pub temporary_since: Option<Date>,
}

impl ListedVoter {
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            full_name: &self.full_name,
            birth: self.birth,
            gender: self.gender,
            cccd: self.cccd.as_ref(),
            household: self.household.as_deref(),
            ethnicity: &self.ethnicity,
            occupation: &self.occupation,
            permanent_address: &self.permanent_address,
            temporary_address: &self.temporary_address,
            temporary_since: self.temporary_since,
        }
    }
}

/// A fact of a voter that a file may write otherwise than the list (each one the amendment
/// form corrects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoterField {
    FullName,
    BirthDate,
    Gender,
    Cccd,
    Ethnicity,
    Occupation,
    PermanentAddress,
    TemporaryAddress,
    TemporarySince,
}

/// One fact the file writes otherwise than the list, both as shown on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: VoterField,
    pub old: String,
    pub new: String,
}

/// What a file row is, against the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// Nobody on the list: the row is a new voter.
    New,
    /// Listed with the facts the row gives.
    Same(VoterId),
    /// Listed, with these facts written otherwise.
    Changed(VoterId, Vec<FieldChange>),
}

/// The listed voters, looked up by CCCD and by folded name and birth date: a file of any size
/// is compared in one pass, without a query per row.
#[derive(Debug, Default)]
pub struct ListedIndex {
    voters: Vec<ListedVoter>,
    by_cccd: HashMap<u64, usize>,
    by_person: HashMap<(String, BirthDate), Vec<usize>>,
}

impl ListedIndex {
    pub fn new(voters: Vec<ListedVoter>) -> ListedIndex {
        let mut by_cccd = HashMap::new();
        let mut by_person: HashMap<(String, BirthDate), Vec<usize>> = HashMap::new();
        for (index, voter) in voters.iter().enumerate() {
            if let Some(cccd) = &voter.cccd {
                by_cccd.insert(cccd.key(), index);
            }
            by_person
                .entry((fold(&voter.full_name), voter.birth))
                .or_default()
                .push(index);
        }
        ListedIndex {
            voters,
            by_cccd,
            by_person,
        }
    }

    pub fn compare(&self, row: &Facts) -> Comparison {
        let Some(listed) = self.find(row) else {
            return Comparison::New;
        };
        let changes = changes(&listed.facts(), row);
        if changes.is_empty() {
            Comparison::Same(listed.id)
        } else {
            Comparison::Changed(listed.id, changes)
        }
    }

    fn find(&self, row: &Facts) -> Option<&ListedVoter> {
        if let Some(index) = row.cccd.and_then(|cccd| self.by_cccd.get(&cccd.key())) {
            return Some(&self.voters[*index]);
        }
        self.by_person
            .get(&(fold(row.full_name), row.birth))?
            .iter()
            .map(|index| &self.voters[*index])
            .find(|listed| {
                // Two numbers that differ are two people.
                (row.cccd.is_none() || listed.cccd.is_none()) && same_place(&listed.facts(), row)
            })
    }
}

fn same_text(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

/// The first place both sides give (permanent address, temporary address, household) is the
/// same; with none given on both sides, nothing tells the two apart.
fn same_place(listed: &Facts, row: &Facts) -> bool {
    let places = [
        (listed.permanent_address, row.permanent_address),
        (listed.temporary_address, row.temporary_address),
        (
            listed.household.unwrap_or_default(),
            row.household.unwrap_or_default(),
        ),
    ];
    places
        .into_iter()
        .find(|(a, b)| !a.trim().is_empty() && !b.trim().is_empty())
        .is_none_or(|(a, b)| same_text(a, b))
}

/// The facts the row writes otherwise than the list. A fact the row leaves empty is no change:
/// a blank cell (or a column the file does not have) never asks to erase what is listed.
fn changes(listed: &Facts, row: &Facts) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut differs = |field: VoterField, old: String, new: String| {
        changes.push(FieldChange { field, old, new });
    };
    let texts = [
        (VoterField::FullName, listed.full_name, row.full_name),
        (VoterField::Ethnicity, listed.ethnicity, row.ethnicity),
        (VoterField::Occupation, listed.occupation, row.occupation),
        (
            VoterField::PermanentAddress,
            listed.permanent_address,
            row.permanent_address,
        ),
        (
            VoterField::TemporaryAddress,
            listed.temporary_address,
            row.temporary_address,
        ),
    ];
    for (field, old, new) in texts {
        if !new.trim().is_empty() && !same_text(old, new) {
            differs(field, old.to_string(), new.to_string());
        }
    }
    if listed.birth != row.birth {
        differs(
            VoterField::BirthDate,
            listed.birth.display(),
            row.birth.display(),
        );
    }
    if listed.gender != row.gender {
        differs(
            VoterField::Gender,
            listed.gender.label().to_string(),
            row.gender.label().to_string(),
        );
    }
    if let Some(cccd) = row.cccd.filter(|cccd| listed.cccd != Some(*cccd)) {
        let old = listed.cccd.map(Cccd::as_str).unwrap_or_default();
        differs(VoterField::Cccd, old.to_string(), cccd.as_str().to_string());
    }
    if let Some(since) = row
        .temporary_since
        .filter(|d| listed.temporary_since != Some(*d))
    {
        let old = listed
            .temporary_since
            .map(|d| d.display())
            .unwrap_or_default();
        differs(VoterField::TemporarySince, old, since.display());
    }
    changes
}

/// A new person of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedRow {
    /// 1-based file row.
    pub row: usize,
    pub full_name: String,
}

/// A listed voter the file writes otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedRow {
    pub row: usize,
    pub voter_id: VoterId,
    /// The name as the file writes it.
    pub full_name: String,
    pub changes: Vec<FieldChange>,
}

/// A file compared with the list: every row counted, the first `SHOWN` new and changed ones
/// kept to show (memory stays small whatever the file's size).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListUpdate {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub added_rows: Vec<AddedRow>,
    pub changed_rows: Vec<ChangedRow>,
}

impl ListUpdate {
    pub const SHOWN: usize = 500;

    /// Counts the row on file row `row`, named as the file writes it.
    pub fn record(&mut self, row: usize, full_name: &str, comparison: Comparison) {
        match comparison {
            Comparison::New => {
                self.added += 1;
                if self.added_rows.len() < Self::SHOWN {
                    self.added_rows.push(AddedRow {
                        row,
                        full_name: full_name.to_string(),
                    });
                }
            }
            Comparison::Same(_) => self.unchanged += 1,
            Comparison::Changed(voter_id, changes) => {
                self.changed += 1;
                if self.changed_rows.len() < Self::SHOWN {
                    self.changed_rows.push(ChangedRow {
                        row,
                        voter_id,
                        full_name: full_name.to_string(),
                        changes,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn listed(id: i64, name: &str, birth: &str, cccd: Option<&str>, address: &str) -> ListedVoter {
        ListedVoter {
            id: VoterId::new(id),
            full_name: name.to_string(),
            birth: BirthDate::parse(birth).expect("birth"),
            gender: Gender::Male,
            cccd: cccd.map(|c| Cccd::parse(c).expect("cccd")),
            household: None,
            ethnicity: "Kinh".to_string(),
            occupation: String::new(),
            permanent_address: address.to_string(),
            temporary_address: String::new(),
            temporary_since: None,
        }
    }

    fn index(voters: Vec<ListedVoter>) -> ListedIndex {
        ListedIndex::new(voters)
    }

    #[test]
    fn a_row_is_the_listed_voter_with_its_cccd_whatever_else_it_writes() {
        let list = index(vec![listed(
            1,
            "Nguyễn Văn An",
            "01/02/1960",
            Some("079060001234"),
            "Khóm 1",
        )]);
        let mut row = listed(0, "Nguyễn Văn Ân", "1960", Some("079060001234"), "Khóm 2");
        row.occupation = "Hưu trí".to_string();
        let Comparison::Changed(id, changes) = list.compare(&row.facts()) else {
            panic!("matched by CCCD: {:?}", list.compare(&row.facts()));
        };
        assert_eq!(id, VoterId::new(1));
        let fields: Vec<(VoterField, &str, &str)> = changes
            .iter()
            .map(|c| (c.field, c.old.as_str(), c.new.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (VoterField::Occupation, "", "Hưu trí"),
                (VoterField::PermanentAddress, "Khóm 1", "Khóm 2"),
                (VoterField::BirthDate, "01/02/1960", "1960"),
            ],
            "the name differs only by a diacritic, which is no change"
        );
        let other = listed(
            0,
            "Nguyễn Văn An",
            "01/02/1960",
            Some("079060009999"),
            "Khóm 1",
        );
        assert_eq!(
            list.compare(&other.facts()),
            Comparison::New,
            "two CCCDs that differ are two people"
        );
    }

    #[test]
    fn without_a_cccd_on_either_side_name_birth_and_place_match() {
        let list = index(vec![
            listed(1, "Trần Thị Bích", "05/06/1970", None, "Khóm 3"),
            listed(2, "Lê Văn Cường", "1955", Some("079055000111"), "Khóm 4"),
        ]);
        // The file gives no CCCD for someone listed without one.
        let row = listed(0, "Trần Thị Bích", "05/06/1970", None, "Khóm 3");
        assert_eq!(
            list.compare(&row.facts()),
            Comparison::Same(VoterId::new(1))
        );
        // The file gives a CCCD the list lacks: the same person, with a number to add.
        let row = listed(
            0,
            "Trần Thị Bích",
            "05/06/1970",
            Some("079170000222"),
            "Khóm 3",
        );
        let Comparison::Changed(id, changes) = list.compare(&row.facts()) else {
            panic!("matched by name, birth and place");
        };
        assert_eq!(id, VoterId::new(1));
        assert_eq!(
            changes,
            [FieldChange {
                field: VoterField::Cccd,
                old: String::new(),
                new: "079170000222".to_string()
            }]
        );
        // The list has a CCCD the file leaves blank: the same person, nothing erased.
        let row = listed(0, "Lê Văn Cường", "1955", None, "Khóm 4");
        assert_eq!(
            list.compare(&row.facts()),
            Comparison::Same(VoterId::new(2))
        );
        // Another birth date is another person.
        let row = listed(0, "Trần Thị Bích", "05/06/1971", None, "Khóm 3");
        assert_eq!(list.compare(&row.facts()), Comparison::New);
    }

    #[test]
    fn case_normalisation_and_diacritics_are_no_change() {
        let mut stored = listed(1, "Nguyễn Thị Thủy", "1980", None, "Số 12, Khóm Thới An");
        stored.ethnicity = "Kinh".to_string();
        let list = index(vec![stored]);
        let mut row = listed(
            0,
            &"NGUYỄN  THỊ THUỶ".nfd().collect::<String>(),
            "1980",
            None,
            &"số 12, khóm thới an".nfd().collect::<String>(),
        );
        row.ethnicity = "kinh".to_string();
        assert_eq!(
            list.compare(&row.facts()),
            Comparison::Same(VoterId::new(1))
        );
    }

    #[test]
    fn same_name_and_birth_in_other_households_are_kept_apart() {
        let mut first = listed(1, "Phạm Văn Hải", "1975", None, "");
        first.household = Some("Hộ 12".to_string());
        let mut second = listed(2, "Phạm Văn Hải", "1975", None, "");
        second.household = Some("Hộ 30".to_string());
        let list = index(vec![first.clone(), second.clone()]);
        assert_eq!(
            list.compare(&second.facts()),
            Comparison::Same(VoterId::new(2))
        );
        assert_eq!(
            list.compare(&first.facts()),
            Comparison::Same(VoterId::new(1))
        );
        let mut elsewhere = first.clone();
        elsewhere.household = Some("Hộ 44".to_string());
        assert_eq!(list.compare(&elsewhere.facts()), Comparison::New);
        // The address, when both give it, tells apart before the household label.
        let list = index(vec![
            listed(3, "Phạm Văn Hải", "1975", None, "Khóm 1"),
            listed(4, "Phạm Văn Hải", "1975", None, "Khóm 2"),
        ]);
        let row = listed(0, "Pham Van Hai", "1975", None, "KHÓM 2");
        assert_eq!(
            list.compare(&row.facts()),
            Comparison::Same(VoterId::new(4))
        );
    }

    #[test]
    fn the_report_counts_every_row_and_keeps_what_it_shows() {
        let mut update = ListUpdate::default();
        update.record(5, "Mới Một", Comparison::New);
        update.record(6, "Cũ", Comparison::Same(VoterId::new(1)));
        let change = FieldChange {
            field: VoterField::Gender,
            old: "Nam".into(),
            new: "Nữ".into(),
        };
        update.record(7, "Đổi", Comparison::Changed(VoterId::new(2), vec![change]));
        assert_eq!((update.added, update.changed, update.unchanged), (1, 1, 1));
        assert_eq!(update.added_rows[0].row, 5);
        assert_eq!(update.changed_rows[0].voter_id, VoterId::new(2));
    }
}
