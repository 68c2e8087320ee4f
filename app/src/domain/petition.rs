//! Petitions across meetings (tổng hợp ý kiến, kiến nghị cử tri, docs/domain.md §2.5): which
//! recorded opinions look like the same petition, the states a petition goes through, official
//! answers' outcomes, and when an answer is overdue.

use crate::domain::ids::{MeetingId, OpinionId, PetitionId};
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::meeting::{add_days, code_enum, SessionTiming};
use super::text::fold_tokens;
use super::voter::Date;

/// Folded words that say nothing about what a petition asks for: function words and the
/// formulas every petition starts with ("cử tri kiến nghị", "đề nghị xem xét"). Without them
/// two unrelated petitions would share half their words.
const STOP_WORDS: &[&str] = &[
    "anh", "ban", "bi", "cac", "can", "cho", "co", "cu", "cua", "da", "dang", "de", "den", "do",
    "duoc", "hien", "khi", "kien", "la", "lai", "ma", "mot", "nay", "nghi", "nhu", "nhung", "o",
    "phan", "rat", "se", "tai", "theo", "thi", "tri", "trong", "tu", "va", "ve", "viec", "voi",
    "xem", "xet",
];

/// Two petitions whose content words overlap at least this much are offered for merging.
pub const MERGE_THRESHOLD: f64 = 0.5;

/// The content words of a petition: folded (no diacritics, đ → d, lower case), stop words out.
pub fn content_words(text: &str) -> BTreeSet<String> {
    fold_tokens(text)
        .into_iter()
        .filter(|word| STOP_WORDS.binary_search(&word.as_str()).is_err())
        .collect()
}

/// Jaccard index of two word sets; two texts with no content words are alike only when they
/// fold to the same text.
fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>, same_when_empty: bool) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return if same_when_empty { 1.0 } else { 0.0 };
    }
    a.intersection(b).count() as f64 / union as f64
}

/// How alike two petitions read, from 0 (no content word in common) to 1 (the same content
/// words): the Jaccard index of their content-word sets. Symmetric; case, diacritics,
/// punctuation and word order do not matter.
pub fn similarity(a: &str, b: &str) -> f64 {
    let same_when_empty = fold_tokens(a) == fold_tokens(b);
    jaccard(&content_words(a), &content_words(b), same_when_empty)
}

/// A suggested merge: `absorb` would join `keep` (the older petition, lower id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeSuggestion {
    pub keep: PetitionId,
    pub absorb: PetitionId,
    /// Similarity in whole percent.
    pub percent: i64,
}

/// Pairs of petitions at or above `MERGE_THRESHOLD`, most alike first.
pub fn merge_suggestions(petitions: &[(PetitionId, &str)]) -> Vec<MergeSuggestion> {
    let words: Vec<(PetitionId, BTreeSet<String>, Vec<String>)> = petitions
        .iter()
        .map(|(id, text)| (*id, content_words(text), fold_tokens(text)))
        .collect();
    let mut found = Vec::new();
    for (i, (a_id, a_words, a_folded)) in words.iter().enumerate() {
        for (b_id, b_words, b_folded) in &words[i + 1..] {
            let score = jaccard(a_words, b_words, a_folded == b_folded);
            if score >= MERGE_THRESHOLD {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "a similarity is in 0..=1, so its percentage is in 0..=100"
                )]
                let percent = (score * 100.0).round() as i64;
                found.push(MergeSuggestion {
                    keep: *a_id.min(b_id),
                    absorb: *a_id.max(b_id),
                    percent,
                });
            }
        }
    }
    found.sort_by(|x, y| {
        y.percent
            .cmp(&x.percent)
            .then(x.keep.cmp(&y.keep))
            .then(x.absorb.cmp(&y.absorb))
    });
    found
}

code_enum!(
    /// Where a petition stands. Collected: made from a meeting's opinion; routed: sent to the
    /// competent body; answered: an official answer is recorded; merged: joined into another
    /// petition; carried: unanswered at the end of its round and carried to the next one.
    PetitionStatus {
        Collected => "collected", "Đã tổng hợp", "Collected";
        Routed => "routed", "Đã chuyển cơ quan có thẩm quyền", "Routed";
        Answered => "answered", "Đã trả lời", "Answered";
        Merged => "merged", "Đã gộp", "Merged";
        Carried => "carried", "Chuyển kỳ sau", "Carried to the next session";
    }
);

impl PetitionStatus {
    /// Still waiting for an official answer in its own round.
    pub fn is_open(self) -> bool {
        matches!(self, PetitionStatus::Collected | PetitionStatus::Routed)
    }

    /// Shown in lists and counted in reports (merged and carried rows live on elsewhere).
    pub fn is_live(self) -> bool {
        !matches!(self, PetitionStatus::Merged | PetitionStatus::Carried)
    }
}

code_enum!(
    /// Phân loại of an official answer (docs/domain.md §2.5, KN_KIENNGHI_TRALOI.IPHANLOAI).
    AnswerOutcome {
        Resolved => "resolved", "Đã giải quyết", "Resolved";
        InProgress => "in_progress", "Đang giải quyết", "In progress";
        Roadmap => "roadmap", "Có lộ trình giải quyết", "With a roadmap";
    }
);

/// Days between the session and the deadline.
pub const DEADLINE_DAYS: i64 = 15;

/// When a round's petitions must have been dealt with. NQLT 72/2025 Chương IV, as summarised in
/// docs/domain.md §2.2: the deputies' delegation and the Front classify and report petitions "no
/// later than 15 days before the session opens, and 15 days after it closes"; issue 5 applies the
/// same 15 days to answers ("overdue deadlines (15 days before/after the session)"). So opinions
/// gathered before a session are due 15 days before it opens, those gathered after it 15 days
/// after it closes.
pub fn due_date(timing: SessionTiming, opens: Date, closes: Date) -> Date {
    match timing {
        SessionTiming::Before => add_days(opens, -DEADLINE_DAYS),
        SessionTiming::After => add_days(closes, DEADLINE_DAYS),
    }
}

/// Overdue: still without an answer the day after its due date.
pub fn is_overdue(status: PetitionStatus, due: Option<Date>, today: Date) -> bool {
    status.is_open() && due.is_some_and(|due| today > due)
}

/// The round unanswered petitions are carried to: the meetings after the same session, or
/// those before the next one.
pub fn next_round(timing: SessionTiming, session_number: i64) -> (SessionTiming, i64) {
    match timing {
        SessionTiming::Before => (SessionTiming::After, session_number),
        SessionTiming::After => (SessionTiming::Before, session_number + 1),
    }
}

/// The meetings before or after one session: petitions are collected, reported and answered
/// per round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Khóa, e.g. "XVI".
    pub term: String,
    pub session_number: i64,
    pub timing: SessionTiming,
}

/// An opinion a petition stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionSource {
    pub opinion_id: OpinionId,
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub meeting_start_ms: i64,
    /// Item number in that meeting's minutes.
    pub number: i64,
    pub speaker: String,
    pub address: String,
    pub content: String,
}

/// An official answer (văn bản trả lời).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialAnswer {
    pub id: i64,
    pub outcome: AnswerOutcome,
    pub content: String,
    pub roadmap: String,
    pub document_number: String,
    pub document_date: Date,
    pub signer: String,
    pub answering_body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROAD_A: &str = "Đề nghị sửa chữa đường Trần Hưng Đạo bị xuống cấp";
    const ROAD_B: &str =
        "Cử tri kiến nghị sớm sửa chữa tuyến đường Trần Hưng Đạo xuống cấp nghiêm trọng";
    const LIGHT: &str = "Đề nghị lắp đèn chiếu sáng hẻm 5 khóm Thới Hòa";

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn near_duplicates_score_above_the_threshold_and_unrelated_ones_below() {
        assert!(similarity(ROAD_A, ROAD_B) >= MERGE_THRESHOLD);
        assert!(similarity(ROAD_A, LIGHT) < 0.2);
        assert!(similarity(ROAD_B, LIGHT) < 0.2);
    }

    #[test]
    fn identical_texts_score_one_even_without_content_words() {
        assert_eq!(similarity(ROAD_A, ROAD_A), 1.0);
        assert_eq!(similarity("Đề nghị xem xét", "đề  nghị, xem xét"), 1.0);
        assert_eq!(similarity("Đề nghị", "Kiến nghị"), 0.0);
    }

    #[test]
    fn diacritics_case_and_word_order_do_not_matter() {
        assert_eq!(
            similarity(ROAD_A, "DE NGHI sua chua duong tran hung dao xuong cap"),
            1.0
        );
        assert_eq!(
            similarity("đường Trần Hưng Đạo", "Đạo Hưng Trần đường"),
            1.0
        );
    }

    #[test]
    fn suggestions_pair_the_older_with_the_newer_most_alike_first() {
        let id = PetitionId::new;
        let found = merge_suggestions(&[
            (id(7), ROAD_B),
            (id(3), LIGHT),
            (id(2), ROAD_A),
            (id(9), ROAD_A),
        ]);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[0],
            MergeSuggestion {
                keep: id(2),
                absorb: id(9),
                percent: 100
            }
        );
        assert!(found
            .iter()
            .all(|s| s.keep < s.absorb && s.keep != id(3) && s.absorb != id(3)));
    }

    /// Deterministic pseudo-random texts from petition vocabulary (xorshift), for the
    /// properties below; no external generator needed.
    fn texts(count: usize) -> Vec<String> {
        const WORDS: &[&str] = &[
            "Đề nghị",
            "sửa chữa",
            "đường",
            "Trần Hưng Đạo",
            "xuống cấp",
            "đèn",
            "chiếu sáng",
            "hẻm",
            "khóm",
            "ngập",
            "nước",
            "rác",
            "thải",
            "đất",
            "cấp giấy",
            "chứng nhận",
            "trường học",
            "y tế",
            "bảo hiểm",
            "hộ nghèo",
            "cử tri",
            "kiến nghị",
            "và",
            "của",
            ",",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..count)
            .map(|_| {
                let len = (next() % 9) as usize;
                (0..len)
                    .map(|_| WORDS[usize::try_from(next() % WORDS.len() as u64).unwrap()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn property_similarity_is_symmetric_bounded_and_reflexive() {
        let texts = texts(60);
        for a in &texts {
            assert_eq!(similarity(a, a), 1.0, "{a:?}");
            for b in &texts {
                let (ab, ba) = (similarity(a, b), similarity(b, a));
                assert_eq!(ab, ba, "{a:?} / {b:?}");
                assert!((0.0..=1.0).contains(&ab), "{a:?} / {b:?}: {ab}");
            }
        }
    }

    #[test]
    fn property_suggestions_are_exactly_the_pairs_at_or_above_the_threshold() {
        let texts = texts(40);
        let items: Vec<(PetitionId, &str)> = (1..)
            .map(PetitionId::new)
            .zip(texts.iter().map(String::as_str))
            .collect();
        let found = merge_suggestions(&items);
        let mut expected = 0;
        for (i, (a_id, a)) in items.iter().enumerate() {
            for (b_id, b) in &items[i + 1..] {
                if similarity(a, b) >= MERGE_THRESHOLD {
                    expected += 1;
                    assert!(found.iter().any(|s| s.keep == *a_id && s.absorb == *b_id));
                }
            }
        }
        assert_eq!(found.len(), expected);
        assert!(found.windows(2).all(|w| w[0].percent >= w[1].percent));
    }

    #[test]
    fn deadlines_are_fifteen_days_before_opening_or_after_closing() {
        let opens = Date::new(2026, 12, 1).unwrap();
        let closes = Date::new(2026, 12, 10).unwrap();
        assert_eq!(
            due_date(SessionTiming::Before, opens, closes),
            Date::new(2026, 11, 16).unwrap()
        );
        assert_eq!(
            due_date(SessionTiming::After, opens, closes),
            Date::new(2026, 12, 25).unwrap()
        );
    }

    #[test]
    fn only_open_petitions_past_their_due_date_are_overdue() {
        let due = Date::new(2026, 11, 16);
        let (on_day, day_after) = (
            Date::new(2026, 11, 16).unwrap(),
            Date::new(2026, 11, 17).unwrap(),
        );
        assert!(!is_overdue(PetitionStatus::Routed, due, on_day));
        assert!(is_overdue(PetitionStatus::Routed, due, day_after));
        assert!(is_overdue(PetitionStatus::Collected, due, day_after));
        assert!(!is_overdue(PetitionStatus::Answered, due, day_after));
        assert!(!is_overdue(PetitionStatus::Merged, due, day_after));
        assert!(!is_overdue(PetitionStatus::Routed, None, day_after));
    }

    #[test]
    fn unanswered_petitions_go_to_after_the_session_then_before_the_next() {
        assert_eq!(
            next_round(SessionTiming::Before, 4),
            (SessionTiming::After, 4)
        );
        assert_eq!(
            next_round(SessionTiming::After, 4),
            (SessionTiming::Before, 5)
        );
    }
}
