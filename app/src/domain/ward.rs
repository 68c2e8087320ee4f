//! The ward's elections, polling areas and voters as storage returns them, shared by the server
//! and the browser.

use crate::domain::ids::{AreaId, ElectionId, HouseholdId, VoterId};
use serde::{Deserialize, Serialize};

use super::text::fold;
use super::voter::{BirthDate, Cccd, Date, Gender, Levels};

/// The ward as staff enter it: its name with its kind ("Phường Mỹ Thới") and its province
/// ("Tỉnh An Giang", or just "An Giang").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ward {
    pub name: String,
    pub province: String,
}

/// What kind of commune-level unit (đơn vị hành chính cấp xã) the ward is. Since Luật
/// 83/2025 the level has xã, phường and đặc khu; older lists still say thị trấn. Documents and
/// screens name the ward's council by it: "HĐND phường", never "HĐND xã" for a phường.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitType {
    Commune,
    Ward,
    SpecialZone,
    Township,
}

impl UnitType {
    pub const ALL: [UnitType; 4] = [
        UnitType::Commune,
        UnitType::Ward,
        UnitType::SpecialZone,
        UnitType::Township,
    ];

    /// As written inside a sentence: "phường".
    pub fn vi(self) -> &'static str {
        match self {
            UnitType::Commune => "xã",
            UnitType::Ward => "phường",
            UnitType::SpecialZone => "đặc khu",
            UnitType::Township => "thị trấn",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            UnitType::Commune => "commune",
            UnitType::Ward => "ward",
            UnitType::SpecialZone => "special zone",
            UnitType::Township => "township",
        }
    }
}

/// The provincial level: a tỉnh or a centrally run city (thành phố trực thuộc trung ương).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProvinceType {
    Province,
    City,
}

impl ProvinceType {
    /// As written inside a sentence: "tỉnh".
    pub fn vi(self) -> &'static str {
        match self {
            ProvinceType::Province => "tỉnh",
            ProvinceType::City => "thành phố",
        }
    }
}

/// The six centrally run cities since the 2025 merger, folded; a province entered without its
/// kind is one of them or a tỉnh.
const CITIES: [&str; 6] = [
    "ha noi",
    "ho chi minh",
    "hai phong",
    "da nang",
    "can tho",
    "hue",
];

/// Splits a place name into the kind its first words name and the rest: "Phường Mỹ Thới" →
/// (kind, "Mỹ Thới"). `kinds` pairs each kind with its folded words.
fn split_kind<K: Copy>(name: &str, kinds: &[(K, &str)]) -> (Option<K>, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    for (kind, kind_words) in kinds {
        let count = kind_words.split(' ').count();
        if words.len() > count && fold(&words[..count].join(" ")) == *kind_words {
            return (Some(*kind), words[count..].join(" "));
        }
    }
    (None, words.join(" "))
}

const UNIT_WORDS: [(UnitType, &str); 4] = [
    (UnitType::Commune, "xa"),
    (UnitType::Ward, "phuong"),
    (UnitType::SpecialZone, "dac khu"),
    (UnitType::Township, "thi tran"),
];

const PROVINCE_WORDS: [(ProvinceType, &str); 4] = [
    (ProvinceType::Province, "tinh"),
    (ProvinceType::City, "thanh pho"),
    (ProvinceType::City, "tp."),
    (ProvinceType::City, "tp"),
];

impl Ward {
    /// The ward's kind, read from the start of its name; `None` when the name does not say.
    pub fn unit_type(&self) -> Option<UnitType> {
        split_kind(&self.name, &UNIT_WORDS).0
    }

    /// "phường Mỹ Thới", as the ward is named inside a sentence; the name as entered when it
    /// does not start with its kind.
    pub fn in_sentence(&self) -> String {
        match split_kind(&self.name, &UNIT_WORDS) {
            (Some(kind), place) => format!("{} {place}", kind.vi()),
            (None, place) => place,
        }
    }

    /// The province's kind: as its name starts, else a city for the six centrally run
    /// cities and a tỉnh for the rest.
    pub fn province_type(&self) -> ProvinceType {
        match split_kind(&self.province, &PROVINCE_WORDS) {
            (Some(kind), _) => kind,
            (None, place) if CITIES.contains(&fold(&place).as_str()) => ProvinceType::City,
            (None, _) => ProvinceType::Province,
        }
    }

    /// "tỉnh An Giang", "thành phố Cần Thơ", as the province is named inside a sentence.
    pub fn province_in_sentence(&self) -> String {
        let place = split_kind(&self.province, &PROVINCE_WORDS).1;
        format!("{} {place}", self.province_type().vi())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectionSummary {
    pub id: ElectionId,
    pub name: String,
    pub election_day: Date,
    pub levels: Levels,
    /// The day the list was posted (niêm yết); complaints run for 30 days from it.
    pub posted_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSummary {
    pub id: AreaId,
    pub election_id: ElectionId,
    pub number: i64,
    pub name: String,
    pub address: String,
    pub opens_at: String,
    pub closes_at: String,
    pub levels: Levels,
    /// Active voters on the list.
    pub voters: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoterStatus {
    Active,
    /// Removed from the list, with the reason.
    Removed,
    /// "Bỏ phiếu ở nơi khác": holds a certificate to vote elsewhere.
    Elsewhere,
}

impl VoterStatus {
    pub fn code(self) -> &'static str {
        match self {
            VoterStatus::Active => "active",
            VoterStatus::Removed => "removed",
            VoterStatus::Elsewhere => "elsewhere",
        }
    }

    pub fn from_code(code: &str) -> Option<VoterStatus> {
        [
            VoterStatus::Active,
            VoterStatus::Removed,
            VoterStatus::Elsewhere,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterSummary {
    pub id: VoterId,
    pub area_id: AreaId,
    pub area_number: i64,
    pub stt: i64,
    pub full_name: String,
    pub birth: BirthDate,
    pub gender: Gender,
    pub cccd: Option<Cccd>,
    pub permanent_address: String,
    pub temporary_address: String,
    /// Start of temporary residence; decides the ballot levels.
    pub temporary_since: Option<Date>,
    pub levels: Levels,
    pub status: VoterStatus,
    pub status_reason: String,
    pub certificate_no: String,
    pub notes: String,
    pub household_id: Option<HouseholdId>,
    pub is_head: bool,
    pub ethnicity: String,
    pub occupation: String,
    /// Random code printed as QR on the voter card; identifies the voter without the CCCD.
    pub card_code: String,
}

impl VoterSummary {
    /// The address shown in search results: where the voter is listed from.
    pub fn address(&self) -> &str {
        if self.permanent_address.is_empty() {
            &self.temporary_address
        } else {
            &self.permanent_address
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ward(name: &str, province: &str) -> Ward {
        Ward {
            name: name.into(),
            province: province.into(),
        }
    }

    #[test]
    fn the_unit_type_is_read_from_the_name_as_staff_write_it() {
        for (name, unit, in_sentence) in [
            ("Phường Mỹ Thới", Some(UnitType::Ward), "phường Mỹ Thới"),
            ("PHƯỜNG MỸ THỚI", Some(UnitType::Ward), "phường MỸ THỚI"),
            ("Xã Mỹ Hòa Hưng", Some(UnitType::Commune), "xã Mỹ Hòa Hưng"),
            (
                "Đặc khu Phú Quốc",
                Some(UnitType::SpecialZone),
                "đặc khu Phú Quốc",
            ),
            (
                "thị trấn  An Châu",
                Some(UnitType::Township),
                "thị trấn An Châu",
            ),
            ("Mỹ Thới", None, "Mỹ Thới"),
            // A name that is only a kind has no place in it.
            ("Phường", None, "Phường"),
        ] {
            let w = ward(name, "Tỉnh An Giang");
            assert_eq!(w.unit_type(), unit, "{name}");
            assert_eq!(w.in_sentence(), in_sentence, "{name}");
        }
    }

    #[test]
    fn the_province_is_a_tinh_or_a_centrally_run_city() {
        for (province, in_sentence) in [
            ("Tỉnh An Giang", "tỉnh An Giang"),
            ("An Giang", "tỉnh An Giang"),
            ("Thành phố Cần Thơ", "thành phố Cần Thơ"),
            ("TP. Hồ Chí Minh", "thành phố Hồ Chí Minh"),
            ("Hà Nội", "thành phố Hà Nội"),
        ] {
            assert_eq!(
                ward("Phường Mỹ Thới", province).province_in_sentence(),
                in_sentence
            );
        }
    }
}
