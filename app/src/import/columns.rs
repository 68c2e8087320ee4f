//! Finding the header row under the title rows offices put above it, and recognising the
//! columns of a voter list by their Vietnamese headings.

use serde::{Deserialize, Serialize};

use crate::domain::text::fold;

/// A column cutri understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Stt,
    /// The whole name, or its first part when the list splits it ("Họ và chữ đệm" + "Tên").
    FullName,
    /// "Chữ đệm" when the family name, middle name and given name have a column each.
    MiddleName,
    /// "Tên" when the given name has a column of its own.
    GivenName,
    BirthDate,
    Gender,
    /// Mẫu 31 has two gender columns, "Nam" and "Nữ", each holding a tick or the birth date.
    Male,
    Female,
    Ethnicity,
    Occupation,
    Cccd,
    PermanentAddress,
    TemporaryAddress,
    TemporarySince,
    PollingArea,
    Household,
    HouseholdHead,
    Notes,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Stt,
        Field::FullName,
        Field::MiddleName,
        Field::GivenName,
        Field::BirthDate,
        Field::Gender,
        Field::Male,
        Field::Female,
        Field::Ethnicity,
        Field::Occupation,
        Field::Cccd,
        Field::PermanentAddress,
        Field::TemporaryAddress,
        Field::TemporarySince,
        Field::PollingArea,
        Field::Household,
        Field::HouseholdHead,
        Field::Notes,
    ];

    /// The column name as shown in problems and in the mapping form.
    pub fn label(self) -> &'static str {
        match self {
            Field::Stt => "STT",
            Field::FullName => "Họ và tên",
            Field::MiddleName => "Chữ đệm",
            Field::GivenName => "Tên",
            Field::BirthDate => "Ngày sinh",
            Field::Gender => "Giới tính",
            Field::Male => "Nam",
            Field::Female => "Nữ",
            Field::Ethnicity => "Dân tộc",
            Field::Occupation => "Nghề nghiệp",
            Field::Cccd => "Số CCCD/CMND",
            Field::PermanentAddress => "Nơi thường trú",
            Field::TemporaryAddress => "Nơi tạm trú",
            Field::TemporarySince => "Tạm trú từ ngày",
            Field::PollingArea => "Khu vực bỏ phiếu",
            Field::Household => "Hộ gia đình",
            Field::HouseholdHead => "Chủ hộ",
            Field::Notes => "Ghi chú",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Field::Stt => "stt",
            Field::FullName => "full_name",
            Field::MiddleName => "middle_name",
            Field::GivenName => "given_name",
            Field::BirthDate => "birth_date",
            Field::Gender => "gender",
            Field::Male => "male",
            Field::Female => "female",
            Field::Ethnicity => "ethnicity",
            Field::Occupation => "occupation",
            Field::Cccd => "cccd",
            Field::PermanentAddress => "permanent_address",
            Field::TemporaryAddress => "temporary_address",
            Field::TemporarySince => "temporary_since",
            Field::PollingArea => "polling_area",
            Field::Household => "household",
            Field::HouseholdHead => "household_head",
            Field::Notes => "notes",
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Folded headings seen on real lists, longest first within a field.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Stt => &["so thu tu", "stt", "tt", "so tt"],
            Field::FullName => &[
                "ho va ten",
                "ho ten",
                "ho va ten cu tri",
                "ten cu tri",
                "ho, ten",
                "ho ten cu tri",
                "ho va ten dem",
                "ho va chu dem",
                "ho va ten lot",
                "ho va dem",
                "ho dem",
                "ho, chu dem",
            ],
            Field::MiddleName => &["chu dem", "ten dem", "dem", "ten lot", "chu lot"],
            Field::GivenName => &["ten"],
            Field::BirthDate => &[
                "ngay thang nam sinh",
                "ngay, thang, nam sinh",
                "ngay sinh",
                "nam sinh",
                "sinh ngay",
                "sinh nam",
            ],
            Field::Gender => &["gioi tinh", "phai", "nam/nu", "nam, nu", "nam - nu"],
            Field::Male => &["nam"],
            Field::Female => &["nu"],
            Field::Ethnicity => &["dan toc"],
            Field::Occupation => &["nghe nghiep", "nghe"],
            Field::Cccd => &[
                "so cccd/cmnd",
                "so cccd",
                "cccd",
                "cmnd",
                "so cmnd",
                "can cuoc",
                "so can cuoc",
                "so dinh danh",
                "so dinh danh ca nhan",
                "cccd/cmnd",
                "so ddcn",
                "ddcn",
                "ma dinh danh",
                "so cmnd/cccd",
                "cmnd/cccd",
            ],
            Field::PermanentAddress => &[
                "noi thuong tru",
                "thuong tru",
                "dia chi thuong tru",
                "noi cu tru",
                "dia chi",
                "ho khau thuong tru",
                "noi dang ky thuong tru",
                "hktt",
                "dia chi cu tru",
                "cho o hien nay",
                "noi o hien nay",
                "noi o",
            ],
            Field::TemporaryAddress => &["noi tam tru", "tam tru", "dia chi tam tru"],
            Field::TemporarySince => &["tam tru tu ngay", "ngay dang ky tam tru", "tam tru tu"],
            Field::PollingArea => &[
                "khu vuc bo phieu",
                "kvbp",
                "khu vuc",
                "so khu vuc bo phieu",
                "khu vuc bo phieu so",
                "to bau cu",
                "to bau cu so",
            ],
            Field::Household => &[
                "ho gia dinh",
                "so ho",
                "ma ho",
                "ho so",
                "so ho khau",
                "so so ho khau",
                "ma so ho",
                "ma ho gia dinh",
            ],
            Field::HouseholdHead => &[
                "chu ho",
                "la chu ho",
                "quan he voi chu ho",
                "quan he chu ho",
            ],
            Field::Notes => &["ghi chu"],
        }
    }
}

/// Which column (0-based) holds which field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<(Field, usize)>,
}

impl Mapping {
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    pub fn set(&mut self, field: Field, column: Option<usize>) {
        self.columns.retain(|(f, _)| *f != field);
        if let Some(column) = column {
            self.columns.retain(|(_, c)| *c != column);
            self.columns.push((field, column));
            self.columns.sort();
        }
    }
}

fn match_heading(cell: &str) -> Option<Field> {
    let folded = fold(cell)
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_string();
    // "(1)", "(2)": the column-number row of official forms.
    if folded.is_empty() {
        return None;
    }
    Field::ALL
        .into_iter()
        .find(|field| field.aliases().iter().any(|alias| folded == *alias))
        .or_else(|| {
            Field::ALL.into_iter().find(|field| {
                field
                    .aliases()
                    .iter()
                    .any(|alias| alias.len() >= 6 && folded.starts_with(alias))
            })
        })
}

/// The header row among the first rows: the first row naming a name column and at least one
/// other known column. Rows above it (titles, "DANH SÁCH CỬ TRI…") are skipped. Official forms
/// put sub-headings ("Nam", "Nữ", "Thường trú") on the row below; they are merged in.
/// The header row is looked for in this many first rows (title rows come above it).
pub const SEARCH_ROWS: usize = 30;

pub fn find_header(rows: &[Vec<String>]) -> Option<(usize, Mapping)> {
    for (index, row) in rows.iter().enumerate().take(SEARCH_ROWS) {
        let mut mapping = Mapping::default();
        for (column, cell) in row.iter().enumerate() {
            if let Some(field) = match_heading(cell) {
                if mapping.column_of(field).is_none() {
                    mapping.set(field, Some(column));
                }
            }
        }
        // "Họ" alone is the family name only beside a "Tên" column: "Hộ" (household) folds
        // the same way.
        if mapping.column_of(Field::FullName).is_none()
            && mapping.column_of(Field::GivenName).is_some()
        {
            let family = row.iter().position(|cell| fold(cell).trim() == "ho");
            if family.is_some() {
                mapping.set(Field::FullName, family);
            }
        }
        if mapping.column_of(Field::FullName).is_none() || mapping.columns.len() < 2 {
            continue;
        }
        let mut header_rows = 1;
        if let Some(below) = rows.get(index + 1) {
            let sub: Vec<(usize, Field)> = below
                .iter()
                .enumerate()
                .filter_map(|(c, cell)| match_heading(cell).map(|f| (c, f)))
                .collect();
            // A sub-heading row holds only headings; a data row ("…; Nam; …") has other cells too.
            let only_headings = below.iter().filter(|c| !c.is_empty()).count() == sub.len();
            if !sub.is_empty() && only_headings {
                for (column, field) in sub {
                    if mapping.column_of(field).is_none() {
                        mapping.set(field, Some(column));
                    }
                }
                header_rows = 2;
            }
        }
        return Some((index + header_rows - 1, mapping));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn title_rows_are_skipped_and_vietnamese_headings_recognised() {
        let rows = vec![
            row(&["ỦY BAN NHÂN DÂN PHƯỜNG MỸ THỚI", "", ""]),
            row(&["DANH SÁCH CỬ TRI", "", ""]),
            row(&[
                "STT",
                "Họ và tên",
                "Ngày sinh",
                "Giới tính",
                "Số CCCD/CMND",
                "Nơi thường trú",
                "Khu vực bỏ phiếu",
            ]),
            row(&[
                "1",
                "Nguyễn Văn An",
                "01/02/1980",
                "Nam",
                "079080001234",
                "Khóm Đông Thịnh",
                "1",
            ]),
        ];
        let (header_row, mapping) = find_header(&rows).expect("header found");
        assert_eq!(header_row, 2);
        assert_eq!(mapping.column_of(Field::FullName), Some(1));
        assert_eq!(mapping.column_of(Field::BirthDate), Some(2));
        assert_eq!(mapping.column_of(Field::Gender), Some(3));
        assert_eq!(mapping.column_of(Field::Cccd), Some(4));
        assert_eq!(mapping.column_of(Field::PermanentAddress), Some(5));
        assert_eq!(mapping.column_of(Field::PollingArea), Some(6));
    }

    #[test]
    fn the_official_two_row_heading_with_nam_nu_is_merged() {
        let rows = vec![
            row(&[
                "STT",
                "Họ và tên",
                "Ngày tháng năm sinh",
                "Giới tính",
                "",
                "Dân tộc",
                "Nơi cư trú",
                "",
            ]),
            row(&["", "", "", "Nam", "Nữ", "", "Thường trú", "Tạm trú"]),
            row(&["1", "Lê Thị Hoa", "1975", "", "x", "Kinh", "Khóm 1", ""]),
        ];
        let (header_row, mapping) = find_header(&rows).expect("header");
        assert_eq!(header_row, 1);
        assert_eq!(mapping.column_of(Field::Male), Some(3));
        assert_eq!(mapping.column_of(Field::Female), Some(4));
        assert_eq!(mapping.column_of(Field::TemporaryAddress), Some(7));
    }

    #[test]
    fn headings_of_other_offices_lists_are_recognised() {
        let rows = vec![row(&[
            "TT",
            "Họ tên",
            "Sinh năm",
            "Nam/Nữ",
            "Số ĐDCN",
            "Chỗ ở hiện nay",
            "Tổ bầu cử số",
            "Số hộ khẩu",
            "Quan hệ với chủ hộ",
            "Quê quán",
        ])];
        let (_, mapping) = find_header(&rows).expect("header");
        let fields: Vec<Field> = mapping.columns.iter().map(|(field, _)| *field).collect();
        assert_eq!(
            fields,
            [
                Field::Stt,
                Field::FullName,
                Field::BirthDate,
                Field::Gender,
                Field::Cccd,
                Field::PermanentAddress,
                Field::PollingArea,
                Field::Household,
                Field::HouseholdHead,
            ],
            "the home town (quê quán) is not an address of residence"
        );
    }

    #[test]
    fn a_file_without_a_name_column_has_no_header() {
        assert_eq!(find_header(&[row(&["a", "b"]), row(&["1", "2"])]), None);
    }
}
