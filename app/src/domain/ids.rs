//! Typed ids of the ward's records: an area id cannot be passed where a voter id belongs.
//! Each is an `i64` on the wire (serde) and in the database (sqlx), so JSON, form posts and
//! columns are unchanged.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<$name, Self::Err> {
                text.parse().map($name)
            }
        }
    )*};
}

ids! {
    /// An election (cuộc bầu cử) of the ward.
    ElectionId;
    /// A polling area (khu vực bỏ phiếu).
    AreaId;
    /// A voter on a list.
    VoterId;
    /// A check-in at a polling station.
    CheckInId;
    /// An account.
    UserId;
    /// A deputy–voter meeting.
    MeetingId;
    /// A deputy who meets voters.
    DeputyId;
    /// A meeting venue.
    VenueId;
    /// An opinion voiced at a meeting.
    OpinionId;
    /// A petition collected from opinions.
    PetitionId;
    /// A complaint about the voter list.
    ComplaintId;
    /// A constituency (đơn vị bầu cử).
    ConstituencyId;
    /// A committed import of a voter file.
    ImportId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_travel_as_plain_numbers() {
        assert_eq!(serde_json::to_string(&VoterId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<AreaId>("7").unwrap(), AreaId(7));
        assert_eq!("15".parse::<ElectionId>(), Ok(ElectionId(15)));
        assert!("x".parse::<ElectionId>().is_err());
    }
}
