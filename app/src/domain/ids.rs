//! Typed ids of the ward's records. Each is the row id of one table, so an area id cannot be
//! passed where a voter id belongs. On the wire (serde) and in the database (sqlx) an id is
//! the plain integer it wraps.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What the typed ids share, for code that works with any of them (reading one from a URL).
pub trait RowId: Copy + FromStr {
    /// No row has id 0 (ids start at 1): a URL whose id does not parse asks for this one and
    /// is answered "not found" like any other missing record.
    const UNKNOWN: Self;
}

macro_rules! typed_ids {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(i64);

        impl $name {
            /// See `RowId::UNKNOWN`.
            pub const UNKNOWN: Self = Self(0);

            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The row id, for the places that speak plain integers: URLs, form values,
            /// the search index's postings.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl RowId for $name {
            const UNKNOWN: Self = Self::UNKNOWN;
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(formatter)
            }
        }

        /// Ids are written into forms (`value=area.id`) as their integer.
        impl leptos::attr::IntoAttributeValue for $name {
            type Output = String;

            fn into_attribute_value(self) -> String {
                self.0.to_string()
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim().parse().map(Self)
            }
        }
    )+};
}

typed_ids! {
    /// An election (cuộc bầu cử) of the ward.
    ElectionId;
    /// A polling area (khu vực bỏ phiếu) of an election.
    AreaId;
    /// A voter on an area's list.
    VoterId;
    /// A household of voters (hộ gia đình), as the list groups them.
    HouseholdId;
    /// An account of the ward's staff.
    UserId;
    /// A recorded check-in (lượt bỏ phiếu).
    CheckInId;
    /// An import of a voter list file.
    ImportId;
    /// A constituency (đơn vị bầu cử).
    ConstituencyId;
    /// A complaint about the voter list (khiếu nại).
    ComplaintId;
    /// A deputy–voter meeting (hội nghị tiếp xúc cử tri).
    MeetingId;
    /// A venue where meetings are held.
    VenueId;
    /// A deputy (đại biểu) who meets voters.
    DeputyId;
    /// A person recorded as attending a meeting.
    AttendeeId;
    /// An opinion raised at a meeting.
    OpinionId;
    /// A petition (kiến nghị) forwarded for an answer.
    PetitionId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_integer_on_the_wire() {
        let id = VoterId::new(1675);
        assert_eq!(serde_json::to_string(&id).expect("serialises"), "1675");
        assert_eq!(serde_json::from_str::<VoterId>("1675").expect("parses"), id);
        assert_eq!(id.to_string(), "1675");
        assert_eq!(" 1675 ".parse::<VoterId>(), Ok(id));
        assert!("khu vực 1".parse::<AreaId>().is_err());
    }
}
