//! End-to-end checks of the generated PDFs through poppler's `pdftotext` and `pdftoppm`, and
//! page-1 previews in `target/pdf-preview/` for a human look.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use unicode_normalization::UnicodeNormalization;

use super::*;

const HASH: &str = "9f3a6c2e";

/// Names covering every Vietnamese vowel with every tone, đ, and Khmer and Hoa names.
const NAMES: [&str; 12] = [
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Đức",
    "Lê Thị Ửng",
    "Phạm Ngọc Ước",
    "Đặng Thùy Dương",
    "Huỳnh Thị Mỹ Lệ",
    "Ông Văn Ỷ",
    "Lý Thị Ỵ",
    "Thạch Thị Sô Phia",
    "Quách Huệ Mẫn",
    "Võ Hoàng Ẩn Ờ Ữ",
    "Châu Ngọc Ẵng Ẳn",
];

const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
];
const MIDDLE: [&str; 8] = [
    "Văn",
    "Thị",
    "Ngọc",
    "Hữu",
    "Thanh",
    "Quốc",
    "Thị Mỹ",
    "Minh",
];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Giàu", "Hằng", "Khánh", "Lộc", "Nghĩa", "Oanh", "Phúc",
    "Quyền", "Sương", "Thảo", "Uyên", "Yến",
];
const OCCUPATIONS: [&str; 8] = [
    "Làm ruộng",
    "Buôn bán",
    "Công nhân",
    "Giáo viên",
    "Học sinh",
    "Nội trợ",
    "Cán bộ, công chức",
    "Lao động tự do",
];
const STREETS: [&str; 5] = [
    "Trần Hưng Đạo",
    "Nguyễn Thái Học",
    "Hà Hoàng Hổ",
    "Lý Thái Tổ",
    "Ung Văn Khiêm",
];

/// A deterministic stand-in for random data (a 64-bit LCG), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn pick(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

pub(crate) fn fonts() -> Fonts {
    Fonts::load(None).expect("Liberation Serif (fonts-liberation2) must be installed for tests")
}

/// `count` voters in households of 1 to 6, the fixed diacritic names first.
fn rows(count: usize) -> Vec<VoterListRow> {
    let mut rng = Lcg(7);
    let mut rows = Vec::with_capacity(count);
    let mut left_in_household = 0;
    let mut address = String::new();
    for i in 0..count {
        let household_start = left_in_household == 0;
        if household_start {
            left_in_household = 1 + rng.pick(6);
            let number = format!(
                "Số {}/{}{}",
                1 + rng.pick(400),
                1 + rng.pick(60),
                ["", "A", "B"][rng.pick(3)]
            );
            let street = STREETS[rng.pick(STREETS.len())];
            let quarter = 1 + rng.pick(9);
            // Most addresses name the quarter only; some carry the whole address.
            address = if rng.pick(4) == 0 {
                format!(
                    "{number}, đường {street}, khóm Đông Thịnh {quarter}, phường Mỹ Thới, \
                     tỉnh An Giang"
                )
            } else {
                format!("{number}, khóm Đông Thịnh {quarter}")
            };
        }
        left_in_household -= 1;
        let full_name = match NAMES.get(i) {
            Some(name) => (*name).to_owned(),
            None => format!(
                "{} {} {}",
                FAMILY[rng.pick(FAMILY.len())],
                MIDDLE[rng.pick(MIDDLE.len())],
                GIVEN[rng.pick(GIVEN.len())]
            ),
        };
        let male = rng.pick(2) == 0;
        let (ethnicity, notes) = match i {
            8 => ("Khmer", ""),
            9 => ("Hoa", "Bỏ phiếu ở nơi khác"),
            _ if i % 37 == 5 => ("Kinh", "Bổ sung ngày 20/02/2026"),
            _ => ("Kinh", ""),
        };
        let temporary_address = if i % 11 == 3 {
            "Tổ 12, ấp Bình Hòa, xã Châu Thành, tỉnh An Giang (tạm trú đến 12/2026)".to_owned()
        } else {
            String::new()
        };
        rows.push(VoterListRow {
            stt: i64::try_from(i + 1).unwrap(),
            full_name,
            birth_date: format!(
                "{:02}/{:02}/{}",
                1 + rng.pick(28),
                1 + rng.pick(12),
                1940 + rng.pick(68)
            ),
            male,
            female: !male,
            ethnicity: ethnicity.to_owned(),
            occupation: OCCUPATIONS[rng.pick(OCCUPATIONS.len())].to_owned(),
            permanent_address: address.clone(),
            temporary_address,
            na: true,
            province: true,
            commune: i % 53 != 7,
            notes: notes.to_owned(),
            household_start,
        });
    }
    rows
}

fn list_doc(rows: Vec<VoterListRow>) -> VoterListDoc {
    let count =
        |f: fn(&VoterListRow) -> bool| i64::try_from(rows.iter().filter(|r| f(r)).count()).unwrap();
    let totals = ListTotals {
        voters: i64::try_from(rows.len()).unwrap(),
        men: count(|r| r.male),
        women: count(|r| r.female),
        national_assembly: count(|r| r.na),
        province_council: count(|r| r.province),
        commune_council: count(|r| r.commune),
    };
    VoterListDoc {
        committee: "ỦY BAN NHÂN DÂN".into(),
        ward_line: "PHƯỜNG MỸ THỚI".into(),
        place_date_line: "Mỹ Thới, ngày 03 tháng 02 năm 2026".into(),
        title_lines: vec![
            "DANH SÁCH CỬ TRI".into(),
            "BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI".into(),
            "VÀ BẦU CỬ ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN CÁC CẤP NHIỆM KỲ 2026 – 2031".into(),
        ],
        subtitle: "Khu vực bỏ phiếu số 3, phường Mỹ Thới, tỉnh An Giang".into(),
        rows,
        totals,
        signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
        signer_name: "Trương Thị Ngọc Hưởng".into(),
        generated_at: "27/11/2026 14:05".into(),
        data_hash: HASH.into(),
        page_note: String::new(),
    }
}

fn cards_doc(rows: &[VoterListRow]) -> VoterCardsDoc {
    let cards = rows
        .iter()
        .map(|row| VoterCard {
            full_name: row.full_name.clone(),
            birth_date: row.birth_date.clone(),
            gender: if row.male { "Nam" } else { "Nữ" }.into(),
            residence: row.permanent_address.clone(),
            card_number: row.stt.to_string(),
            polling_area: "Khu vực bỏ phiếu số 3".into(),
            place_date_line: "Mỹ Thới, ngày 03 tháng 02 năm 2026".into(),
            signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
            signer_name: "Trương Thị Ngọc Hưởng".into(),
            qr_payload: format!("CUTRI1|KV3|{}|{HASH}", row.stt),
        })
        .collect();
    VoterCardsDoc {
        committee: "ỦY BAN NHÂN DÂN".into(),
        ward_line: "PHƯỜNG MỸ THỚI".into(),
        title_lines: vec![
            "THẺ CỬ TRI".into(),
            "BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI".into(),
            "VÀ BẦU CỬ ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN CÁC CẤP".into(),
            "NHIỆM KỲ 2026 – 2031".into(),
        ],
        province_line: "Phường Mỹ Thới, tỉnh An Giang".into(),
        generated_at: "27/11/2026 14:05".into(),
        data_hash: HASH.into(),
        cards,
    }
}

fn preview_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/pdf-preview");
    std::fs::create_dir_all(&dir).expect("create target/pdf-preview");
    dir
}

pub(crate) fn poppler_available() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        eprintln!("pdftotext not on PATH (Debian: poppler-utils): skipping the text checks");
    }
    found
}

/// Writes `pdf` to the preview directory and returns `pdftotext -layout`'s pages.
pub(crate) fn text_pages(pdf: &[u8], name: &str) -> Vec<String> {
    let path = preview_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed on {name}");
    let text = String::from_utf8(out.stdout).expect("pdftotext gives UTF-8");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends every page with a form feed, leaving an empty tail.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Renders page 1 of the written `name.pdf` to `name.png` for looking at.
pub(crate) fn render_preview(name: &str) {
    let dir = preview_dir();
    let status = Command::new("pdftoppm")
        .args(["-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(dir.join(format!("{name}.pdf")))
        .arg(dir.join(name))
        .status()
        .expect("run pdftoppm");
    assert!(status.success(), "pdftoppm failed on {name}");
}

#[test]
fn voter_list_text_round_trips() {
    let fonts = fonts();
    let mut rows = rows(200);
    // A decomposed (NFD) name, as pasted from some Excel exports, must print precomposed.
    let nfd: String = "Huỳnh Thị Ánh Điệp".nfd().collect();
    assert_ne!(nfd, "Huỳnh Thị Ánh Điệp");
    rows[150].full_name = nfd;
    let doc = list_doc(rows);
    let pdf = voter_list_pdf(&doc, &fonts).expect("voter list renders");
    assert!(pdf.starts_with(b"%PDF"));
    if !poppler_available() {
        return;
    }
    let pages = text_pages(&pdf, "voter-list");
    render_preview("voter-list");
    let all = pages.concat();
    for row in &doc.rows {
        let name: String = row.full_name.nfc().collect();
        assert!(all.contains(&name), "name {name:?} missing from the text");
    }
    assert!(all.contains("Huỳnh Thị Ánh Điệp"));
    assert!(
        !all.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
        "combining marks leaked into the text"
    );
    assert!(pages[0].contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(pages[0].contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(pages[0].contains("DANH SÁCH CỬ TRI"));
    assert!(pages[0].contains("Trang 1/"));
    let total = pages.len();
    assert!(total >= 2, "200 rows fill more than one page");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(HASH), "data hash missing on page {}", i + 1);
        assert!(page.contains("Lập lúc 27/11/2026 14:05"));
        assert!(page.contains(&format!("Trang {}/{total}", i + 1)));
        // Every page carrying rows repeats the column header and numbering row.
        if page.contains("Kinh") {
            assert!(
                page.contains("Họ và tên"),
                "header missing on page {}",
                i + 1
            );
            assert!(
                page.contains("(13)"),
                "numbering row missing on page {}",
                i + 1
            );
        }
    }
    let last = &pages[total - 1];
    assert!(last.contains("Tổng số cử tri của khu vực bỏ phiếu là: 200 người; trong đó có:"));
    assert!(last.contains("Cử tri tham gia bầu cử đại biểu Quốc hội: 200 người;"));
    assert!(last.contains("TM. ỦY BAN NHÂN DÂN"));
    assert!(last.contains("Trương Thị Ngọc Hưởng"));
}

#[test]
fn voter_cards_text_round_trips() {
    let fonts = fonts();
    let rows = rows(10);
    let doc = cards_doc(&rows);
    let pdf = voter_cards_pdf(&doc, &fonts).expect("cards render");
    assert!(pdf.starts_with(b"%PDF"));
    if !poppler_available() {
        return;
    }
    let pages = text_pages(&pdf, "voter-cards");
    render_preview("voter-cards");
    assert_eq!(pages.len(), 3, "10 cards take 3 sheets");
    let all = pages.concat();
    for card in &doc.cards {
        assert!(
            all.contains(&card.full_name),
            "{:?} missing",
            card.full_name
        );
        assert!(all.contains(&format!("SỐ THẺ CỬ TRI: {}", card.card_number)));
    }
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(HASH), "data hash missing on sheet {}", i + 1);
        assert!(page.contains("THẺ CỬ TRI"));
        assert!(page.contains("KHU VỰC BỎ PHIẾU SỐ 3"));
    }
}

#[test]
fn empty_card_run_is_one_blank_sheet() {
    let doc = cards_doc(&[]);
    let pdf = voter_cards_pdf(&doc, &fonts()).expect("renders");
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn full_polling_area_renders() {
    let fonts = fonts();
    let doc = list_doc(rows(6_688));
    let started = Instant::now();
    let pdf = voter_list_pdf(&doc, &fonts).expect("6.688 rows render");
    let elapsed = started.elapsed();
    assert!(pdf.starts_with(b"%PDF"));
    let pages = if poppler_available() {
        let pages = text_pages(&pdf, "voter-list-6688");
        let last = pages.last().expect("pages");
        assert!(last.contains("Tổng số cử tri của khu vực bỏ phiếu là: 6.688 người"));
        pages.len().to_string()
    } else {
        "?".to_owned()
    };
    eprintln!(
        "6.688 rows: {pages} pages, {} KB, rendered in {elapsed:.2?} ({} build)",
        pdf.len() / 1024,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
}

#[test]
fn fonts_can_be_shared_between_requests() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Fonts>();
}

#[test]
fn an_explicit_dir_without_fonts_falls_back_to_the_system_ones() {
    let fonts = Fonts::load(Some(Path::new("/nonexistent/fonts"))).expect("system fonts");
    assert_ne!(fonts.dir(), Path::new("/nonexistent/fonts"));
}

#[test]
fn missing_font_dir_explains_itself_in_both_languages() {
    let error = Fonts::from_dir(Path::new("/nonexistent/fonts")).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, PdfError::FontNotFound { .. }));
    assert!(message.contains("Không tìm thấy phông chữ"), "{message}");
    assert!(message.contains("No Liberation Serif"), "{message}");
    assert!(message.contains("/nonexistent/fonts"), "{message}");
}
