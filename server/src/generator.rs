//! Realistic, deterministic fake voter lists for fixtures and benchmarks: Vietnamese names with
//! every diacritic, in the proportions of a real ward (Nguyễn for 38 %, "Văn" and "Thị" for
//! half the middle names, a few given names common and a long tail), Khmer, Hoa and H'Mông
//! names, households with the head first, partial birth dates, CCCD numbers for most voters.
//! Same seed, same file.

use app::domain::ids::{AreaId, ElectionId};
use app::domain::voter::Cccd;
use std::fmt::Write as _;

/// splitmix64: tiny, fast, and stable across versions (unlike a library RNG's stream).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A position in a list of `len` items (0 for an empty list).
    pub fn index_below(&mut self, len: usize) -> usize {
        let len = u64::try_from(len).expect("a usize fits in a u64");
        usize::try_from(self.below(len)).expect("drawn below `len`, a usize")
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.index_below(items.len())]
    }

    /// Picks with weights falling by rank, 1 / (rank + 12): the first items are the commonest.
    fn ranked<'a>(&mut self, items: &[&'a str]) -> &'a str {
        // Weights scaled by 1.000.000 to stay integers.
        let weights: Vec<(&'a str, u32)> = items
            .iter()
            .zip(12u32..)
            .map(|(item, rank)| (*item, 1_000_000 / rank))
            .collect();
        self.weighted(&weights)
    }

    /// Picks by weight (weights are relative frequencies).
    fn weighted<'a>(&mut self, items: &[(&'a str, u32)]) -> &'a str {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut point = self.below(total);
        for (item, weight) in items {
            if point < u64::from(*weight) {
                return item;
            }
            point -= u64::from(*weight);
        }
        items[0].0
    }
}

/// Family names with their approximate share of the population (per ten thousand): a
/// handful cover most people, Nguyễn alone about 38 %.
const FAMILY: [(&str, u32); 36] = [
    ("Nguyễn", 3800),
    ("Trần", 1100),
    ("Lê", 950),
    ("Phạm", 700),
    ("Huỳnh", 260),
    ("Hoàng", 250),
    ("Phan", 450),
    ("Võ", 200),
    ("Vũ", 190),
    ("Đặng", 210),
    ("Bùi", 200),
    ("Đỗ", 140),
    ("Hồ", 130),
    ("Ngô", 130),
    ("Dương", 100),
    ("Lý", 50),
    ("Đoàn", 60),
    ("Trương", 60),
    ("Lương", 40),
    ("Đinh", 50),
    ("Mai", 40),
    ("Cao", 35),
    ("Lâm", 35),
    ("Trịnh", 30),
    ("Tô", 30),
    ("Hà", 30),
    ("Châu", 25),
    ("Thái", 20),
    ("Tạ", 15),
    ("La", 10),
    ("Từ", 10),
    ("Kiều", 10),
    ("Ông", 5),
    ("Ưng", 2),
    ("Âu", 5),
    ("Ninh", 3),
];
/// Middle names by share among men and women (per thousand); a few people have two.
const MIDDLE_MALE: [(&str, u32); 20] = [
    ("Văn", 420),
    ("Minh", 70),
    ("Đức", 60),
    ("Hữu", 50),
    ("Quốc", 45),
    ("Thanh", 45),
    ("Công", 40),
    ("Ngọc", 35),
    ("Hoàng", 30),
    ("Xuân", 25),
    ("Tấn", 25),
    ("Thành", 20),
    ("Quang", 20),
    ("Anh", 20),
    ("Duy", 15),
    ("Trọng", 15),
    ("Gia", 10),
    ("Văn Minh", 10),
    ("Bảo", 10),
    ("Tuấn", 10),
];
const MIDDLE_FEMALE: [(&str, u32); 20] = [
    ("Thị", 500),
    ("Ngọc", 70),
    ("Thu", 45),
    ("Thanh", 45),
    ("Kim", 40),
    ("Mỹ", 30),
    ("Thúy", 25),
    ("Hồng", 25),
    ("Bích", 20),
    ("Phương", 20),
    ("Thị Thu", 20),
    ("Thị Ngọc", 20),
    ("Minh", 15),
    ("Hoài", 15),
    ("Diệu", 10),
    ("Khánh", 10),
    ("Thị Kim", 10),
    ("Bảo", 10),
    ("Hải", 10),
    ("Thị Ánh", 10),
];
/// Given names, commonest first: drawn with weights falling as 1 / (rank + 12), so the
/// commonest is about 4 % of each sex and the last about 0,5 %, as in a real ward.
const GIVEN_MALE: [&str; 80] = [
    "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Sơn", "Thắng", "Cường", "Hiếu", "Huy",
    "Phúc", "Bình", "Đức", "Tài", "Trung", "Quang", "Khánh", "An", "Anh", "Bảo", "Lộc", "Toàn",
    "Nghĩa", "Việt", "Đạt", "Thành", "Tâm", "Tú", "Hòa", "Phong", "Quân", "Vinh", "Hưng", "Thịnh",
    "Hậu", "Tín", "Lâm", "Khoa", "Hoàng", "Kiên", "Thanh", "Tùng", "Duy", "Hiển", "Lợi", "Nhân",
    "Thái", "Trí", "Vũ", "Hào", "Giàu", "Phát", "Thuận", "Quý", "Lực", "Mạnh", "Tiến", "Thiện",
    "Hoà", "Khải", "Kha", "Luân", "Nhựt", "Phước", "Sang", "Tạo", "Thông", "Tới", "Trọng", "Tường",
    "Vĩnh", "Xuân", "Định", "Được", "Em", "Ước", "Ỷ", "Út",
];
const GIVEN_FEMALE: [&str; 80] = [
    "Hương",
    "Lan",
    "Linh",
    "Trang",
    "Hà",
    "Hằng",
    "Mai",
    "Thảo",
    "Ngọc",
    "Anh",
    "Hoa",
    "Nhung",
    "Phương",
    "Thủy",
    "Dung",
    "Yến",
    "Hạnh",
    "Loan",
    "Oanh",
    "Nga",
    "Vân",
    "Huyền",
    "Thu",
    "Tuyết",
    "Liên",
    "Hồng",
    "Giang",
    "Quỳnh",
    "Nhi",
    "Trâm",
    "Châu",
    "Diễm",
    "Uyên",
    "Hiền",
    "Thúy",
    "Ly",
    "Vy",
    "Như",
    "Tâm",
    "Xuân",
    "Hạ",
    "Hân",
    "Ánh",
    "Bích",
    "Cúc",
    "Đào",
    "Hậu",
    "Kiều",
    "Lệ",
    "My",
    "Nguyệt",
    "Nhàn",
    "Phượng",
    "Sương",
    "Thơ",
    "Thuỷ",
    "Tiên",
    "Trinh",
    "Dương",
    "Ửng",
    "Bảy",
    "Chi",
    "Duyên",
    "Gấm",
    "Hòa",
    "Khanh",
    "Lài",
    "Liễu",
    "Lụa",
    "Mận",
    "Nết",
    "Nhị",
    "Thắm",
    "Thoa",
    "Tư",
    "Vàng",
    "Xinh",
    "Yên",
    "Em",
    "Út",
];
/// Khmer names of the Mekong delta (family names Thạch, Danh, Sơn, Kim, Lâm, Châu …).
const KHMER: [&str; 8] = [
    "Thạch Thị Sô Phia",
    "Danh Sóc Khên",
    "Sơn Thị Sà Rươne",
    "Kim Thị Sa Ly",
    "Thạch Văn Chanh Đa",
    "Lâm Thị Ngọc Bích",
    "Danh Thị Kim Hoa",
    "Sơn Sà Phát",
];
/// Hoa (Chinese Vietnamese) names.
const HOA: [&str; 6] = [
    "Quách Huệ Mẫn",
    "Mã Tú Lan",
    "Châu Kiến Vinh",
    "Lâm Gia Hào",
    "Trịnh Mỹ Linh",
    "Diệp Bảo Ngọc",
];
/// H'Mông and other minority names that do not follow Họ–Đệm–Tên.
const MINORITY: [&str; 5] = [
    "Vừ Thị Mai Dinh",
    "Lỳ Gió Chứ",
    "Thào A Phử",
    "Giàng Seo Pử",
    "Sùng Thị Dợ",
];
const OCCUPATIONS: [&str; 10] = [
    "Làm ruộng",
    "Buôn bán",
    "Công nhân",
    "Nội trợ",
    "Giáo viên",
    "Hưu trí",
    "Học sinh",
    "Tài xế",
    "Thợ hồ",
    "Cán bộ",
];
const KHOM: [&str; 8] = [
    "Thới An",
    "Đông Thịnh",
    "Mỹ Thạnh",
    "Tây Huề",
    "Long Hưng",
    "Bình Đức",
    "Hòa Thạnh",
    "Phú Hữu",
];

pub struct GeneratedVoter {
    pub area: u32,
    pub household: u64,
    pub is_head: bool,
    pub full_name: String,
    pub birth_date: String,
    pub male: bool,
    pub ethnicity: &'static str,
    pub occupation: &'static str,
    pub cccd: Option<Cccd>,
    pub address: String,
}

impl GeneratedVoter {
    /// The voter as the benchmarks and the load generator insert it straight into the
    /// database: numbered `stt` in the area, on every ballot level, without household.
    pub fn row<'a>(
        &'a self,
        election_id: ElectionId,
        area_id: AreaId,
        stt: i64,
        name_folded: &'a str,
        card_code: &'a str,
    ) -> app::storage::voters::NewVoter<'a> {
        use app::domain::voter::{BirthDate, Gender, Levels};
        app::storage::voters::NewVoter {
            election_id,
            area_id,
            stt,
            household_id: None,
            is_head: self.is_head,
            full_name: &self.full_name,
            name_folded,
            birth: BirthDate::parse(&self.birth_date).unwrap_or(BirthDate::Year(1970)),
            gender: if self.male {
                Gender::Male
            } else {
                Gender::Female
            },
            ethnicity: self.ethnicity,
            occupation: self.occupation,
            cccd: self.cccd.as_ref(),
            permanent_address: &self.address,
            temporary_address: "",
            temporary_since: None,
            levels: Levels::ALL,
            notes: "",
            card_code,
            import_id: None,
        }
    }
}

fn name(rng: &mut Rng, male: bool, family: &str) -> (String, &'static str) {
    match rng.below(100) {
        0..=2 => (rng.pick(&KHMER).to_string(), "Khmer"),
        3..=4 => (rng.pick(&HOA).to_string(), "Hoa"),
        5 => (rng.pick(&MINORITY).to_string(), "H'Mông"),
        _ => {
            let (middle, given) = if male {
                (rng.weighted(&MIDDLE_MALE), rng.ranked(&GIVEN_MALE))
            } else {
                (rng.weighted(&MIDDLE_FEMALE), rng.ranked(&GIVEN_FEMALE))
            };
            (format!("{family} {middle} {given}"), "Kinh")
        }
    }
}

/// Voters of a ward of `voters` people in `areas` polling areas, households kept together.
pub fn voters(seed: u64, voters: u64, areas: u32) -> impl Iterator<Item = GeneratedVoter> {
    let mut rng = Rng::new(seed);
    let per_area = voters.div_ceil(u64::from(areas.max(1)));
    let mut produced = 0u64;
    let mut household = 0u64;
    let mut pending: Vec<GeneratedVoter> = Vec::new();
    std::iter::from_fn(move || {
        if produced >= voters {
            return None;
        }
        if pending.is_empty() {
            household += 1;
            let area = u32::try_from(produced / per_area).expect("fewer than `areas`, a u32") + 1;
            let family = rng.weighted(&FAMILY);
            let size = 1 + rng.below(5);
            let address = format!(
                "Số {}, khóm {}",
                1 + rng.below(300),
                KHOM[(area as usize - 1) % KHOM.len()]
            );
            for member in 0..size {
                let male = rng.below(2) == 0;
                let (full_name, ethnicity) = name(&mut rng, male, family);
                let year = 1930 + rng.below(78);
                let month = 1 + rng.below(12);
                let day = 1 + rng.below(28);
                let birth_date = match rng.below(100) {
                    0..=9 => format!("{year}"),
                    10..=14 => format!("{month:02}/{year}"),
                    _ => format!("{day:02}/{month:02}/{year}"),
                };
                let cccd = (rng.below(10) < 7)
                    .then(|| {
                        let century = if year >= 2000 { 2 } else { 0 } + u64::from(!male);
                        Cccd::parse(&format!(
                            "089{century}{:02}{:06}",
                            year % 100,
                            produced + member
                        ))
                    })
                    .flatten();
                pending.push(GeneratedVoter {
                    area,
                    household,
                    is_head: member == 0,
                    full_name,
                    birth_date,
                    male,
                    ethnicity,
                    occupation: rng.pick(&OCCUPATIONS),
                    cccd,
                    address: address.clone(),
                });
            }
            pending.reverse();
        }
        produced += 1;
        pending.pop()
    })
}

pub const CSV_HEADER: &str =
    "STT;Họ và tên;Ngày sinh;Giới tính;Dân tộc;Nghề nghiệp;Số CCCD;Nơi thường trú;Khu vực bỏ phiếu;Hộ gia đình;Chủ hộ";

/// One voter as a CSV line in the import format (UTF-8, semicolon separated).
pub fn csv_line(index: u64, voter: &GeneratedVoter) -> String {
    let mut line = String::with_capacity(160);
    let _ = write!(
        line,
        "{};{};{};{};{};{};{};{};{};HGĐ-{:06};{}",
        index,
        voter.full_name,
        voter.birth_date,
        if voter.male { "Nam" } else { "Nữ" },
        voter.ethnicity,
        voter.occupation,
        voter.cccd.as_ref().map_or("", Cccd::as_str),
        voter.address,
        voter.area,
        voter.household,
        if voter.is_head { "x" } else { "" }
    );
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_below_draws_the_positions_below_draws() {
        // Same seed, same stream: the generated wards stay the ones BENCHMARKS.md measured.
        let (mut by_index, mut by_below) = (Rng::new(5), Rng::new(5));
        for len in [0usize, 1, 2, 7, 300, 1_000_003] {
            let expected = usize::try_from(by_below.below(u64::try_from(len).unwrap())).unwrap();
            assert_eq!(by_index.index_below(len), expected, "len {len}");
            assert!(expected < len.max(1));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_ward() {
        let a: Vec<String> = voters(7, 500, 3)
            .enumerate()
            .map(|(i, v)| csv_line(i as u64, &v))
            .collect();
        let b: Vec<String> = voters(7, 500, 3)
            .enumerate()
            .map(|(i, v)| csv_line(i as u64, &v))
            .collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 500);
    }

    #[test]
    fn households_start_with_their_head_and_stay_in_one_area() {
        let all: Vec<GeneratedVoter> = voters(1, 2000, 4).collect();
        for pair in all.windows(2) {
            if pair[1].household != pair[0].household {
                assert!(pair[1].is_head, "a new household starts with its head");
            } else {
                assert!(!pair[1].is_head);
                assert_eq!(pair[1].area, pair[0].area);
            }
        }
        assert_eq!(all.iter().map(|v| v.area).max(), Some(4));
        let cccds: std::collections::HashSet<_> =
            all.iter().filter_map(|v| v.cccd.clone()).collect();
        assert_eq!(
            cccds.len(),
            all.iter().filter(|v| v.cccd.is_some()).count(),
            "CCCDs are unique"
        );
        assert!(
            all.iter().any(|v| v.ethnicity == "Khmer")
                && all.iter().any(|v| v.birth_date.len() == 4)
        );
    }
}
