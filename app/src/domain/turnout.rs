//! Live turnout: voters on the list and voters checked in, per polling area, per ballot level
//! and for the ward.

use crate::domain::ids::{AreaId, ElectionId};
use serde::{Deserialize, Serialize};

use super::voter::Levels;

/// Voters on the list and voters checked in, for one ballot level or all of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub on_list: i64,
    pub voted: i64,
}

impl Count {
    pub fn add(&mut self, other: Count) {
        self.on_list += other.on_list;
        self.voted += other.voted;
    }
}

/// The ballot levels in the order of the forms: Quốc hội, HĐND tỉnh, HĐND xã.
pub const LEVELS_IN_ORDER: [Levels; 3] =
    [Levels::NATIONAL_ASSEMBLY, Levels::PROVINCE, Levels::COMMUNE];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaTurnout {
    pub area_id: AreaId,
    pub number: i64,
    pub name: String,
    pub levels: Levels,
    /// Every voter of the area.
    pub all: Count,
    /// Per ballot level, in `LEVELS_IN_ORDER`.
    pub per_level: [Count; 3],
    /// (number, time) of the latest check-in.
    pub latest: Option<(i64, i64)>,
}

/// Live turnout of an election: per polling area and for the ward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnout {
    pub election_id: ElectionId,
    pub election_name: String,
    pub levels: Levels,
    pub areas: Vec<AreaTurnout>,
    pub ward: Count,
    pub ward_per_level: [Count; 3],
    pub as_of_ms: i64,
}

impl Turnout {
    /// Sums the areas into the ward's figures.
    pub fn recount_ward(&mut self) {
        self.ward = Count::default();
        self.ward_per_level = [Count::default(); 3];
        for area in &self.areas {
            self.ward.add(area.all);
            for (total, count) in self.ward_per_level.iter_mut().zip(area.per_level) {
                total.add(count);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ward_totals_sum_the_areas() {
        let area = |number, on_list, voted| AreaTurnout {
            area_id: AreaId::new(number),
            number,
            name: String::new(),
            levels: Levels::ALL,
            all: Count { on_list, voted },
            per_level: [Count { on_list, voted }; 3],
            latest: None,
        };
        let mut turnout = Turnout {
            election_id: ElectionId::new(1),
            election_name: String::new(),
            levels: Levels::ALL,
            areas: vec![area(1, 3344, 3311), area(2, 3344, 3311)],
            ward: Count::default(),
            ward_per_level: [Count::default(); 3],
            as_of_ms: 0,
        };
        turnout.recount_ward();
        assert_eq!(
            turnout.ward,
            Count {
                on_list: 6688,
                voted: 6622
            }
        );
        assert_eq!(turnout.ward_per_level[2].voted, 6622);
    }
}
