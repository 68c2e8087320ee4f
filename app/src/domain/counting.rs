//! Counting results of one polling area and ballot level (Mẫu 18/HĐBC-QH, 23/HĐBC-HĐND): the
//! tally as the Tổ bầu cử writes it in its minutes, the consistency rules it must pass, the
//! comparison of the two independent entries, the percentages as the forms print them and the
//! official order of the candidates.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::checkin::ClockTime;
use super::text::clean_cell;
use super::voter::{BirthDate, Levels};

/// One ballot (and one set of minutes) per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BallotLevel {
    NationalAssembly,
    Province,
    Commune,
}

impl BallotLevel {
    /// In the order of the forms.
    pub const ALL: [BallotLevel; 3] = [
        BallotLevel::NationalAssembly,
        BallotLevel::Province,
        BallotLevel::Commune,
    ];

    /// The level as it appears in URLs.
    pub fn slug(self) -> &'static str {
        match self {
            BallotLevel::NationalAssembly => "quoc-hoi",
            BallotLevel::Province => "hdnd-tinh",
            BallotLevel::Commune => "hdnd-xa",
        }
    }

    pub fn parse(slug: &str) -> Option<BallotLevel> {
        BallotLevel::ALL
            .into_iter()
            .find(|level| level.slug() == slug)
    }

    /// The bit of this level in a voter's or check-in's `Levels`.
    pub fn levels(self) -> Levels {
        match self {
            BallotLevel::NationalAssembly => Levels::NATIONAL_ASSEMBLY,
            BallotLevel::Province => Levels::PROVINCE,
            BallotLevel::Commune => Levels::COMMUNE,
        }
    }

    pub fn from_bit(bit: i64) -> Option<BallotLevel> {
        BallotLevel::ALL
            .into_iter()
            .find(|level| level.levels().0 == bit)
    }

    /// Short Vietnamese name of the level, true of any ward ("HĐND cấp xã" for a phường's
    /// council as for a xã's): "Quốc hội", "HĐND cấp tỉnh", "HĐND cấp xã".
    pub fn name_vi(self) -> &'static str {
        match self {
            BallotLevel::NationalAssembly => "Quốc hội",
            BallotLevel::Province => "HĐND cấp tỉnh",
            BallotLevel::Commune => "HĐND cấp xã",
        }
    }
}

/// A member of the Tổ bầu cử as listed in the minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    /// "Tổ trưởng", "Thư ký", "Ủy viên"…
    pub role: String,
}

/// A voter who witnessed the counting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub full_name: String,
    /// As written in the candidate list: "dd/mm/yyyy", "mm/yyyy" or "yyyy".
    pub birth_date: String,
    pub votes: i64,
}

/// Everything one person enters for one polling area and ballot level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub members: Vec<Member>,
    pub witnesses: [Witness; 2],
    /// Seats of the constituency (số đại biểu được bầu).
    pub seats: i64,
    /// Voters on the list as updated up to the start of voting, for this level.
    pub voters_on_list: i64,
    /// Voters who voted, as counted by the Tổ from the marked list.
    pub voters_voted: i64,
    pub ballots_issued: i64,
    pub ballots_collected: i64,
    pub ballots_valid: i64,
    pub ballots_invalid: i64,
    pub candidates: Vec<Candidate>,
    /// Sự việc xảy ra, khiếu nại, tố cáo (footnote 6).
    pub incidents: String,
    /// Chưa giải quyết được và kiến nghị (footnote 7).
    pub complaints: String,
    /// When the Tổ checked the empty ballot box before voting, as the minutes state it; not
    /// the area's planned opening, which it may differ from. Absent: left blank on the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot_box_checked_at: Option<ClockTime>,
    /// When the head of the Tổ declared voting closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voting_closed_at: Option<ClockTime>,
}

impl Tally {
    /// The tally as it is stored and compared: text cleaned (NFC, spaces collapsed), candidates
    /// in the official order, so two entries differ only where the figures or words differ.
    pub fn normalised(mut self) -> Tally {
        for member in &mut self.members {
            member.name = clean_cell(&member.name);
            member.role = clean_cell(&member.role);
        }
        self.members
            .retain(|m| !m.name.is_empty() || !m.role.is_empty());
        for witness in &mut self.witnesses {
            witness.name = clean_cell(&witness.name);
            witness.address = clean_cell(&witness.address);
        }
        for candidate in &mut self.candidates {
            candidate.full_name = clean_cell(&candidate.full_name);
            candidate.birth_date = clean_cell(&candidate.birth_date);
        }
        self.candidates.retain(|c| !c.full_name.is_empty());
        self.candidates.sort_by(|a, b| {
            candidate_order(&a.full_name, &a.birth_date, &b.full_name, &b.birth_date)
        });
        self.incidents = self.incidents.trim().to_string();
        self.complaints = self.complaints.trim().to_string();
        self
    }

    fn votes_total(&self) -> i64 {
        self.candidates.iter().map(|c| c.votes).sum()
    }
}

// --- consistency rules ---

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The minutes cannot be finalised while it stands.
    Error,
    /// Shown to the Tổ to check; does not block finalising.
    Warning,
}

/// The consistency rules, each with a stable code (never renumbered once released).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rule {
    /// Every ballot taken out of the box is either valid or invalid.
    C01CollectedIsValidPlusInvalid,
    /// The box cannot hold more ballots than were handed out.
    C02CollectedAtMostIssued,
    /// One ballot per voter of this level (Điều 69): more ballots than voters is impossible.
    C03IssuedAtMostOnList,
    /// A candidate gets at most one vote per valid ballot.
    C04CandidateAtMostValid,
    /// A valid ballot keeps at most as many names as there are seats (Điều 74).
    C05VotesAtMostValidTimesSeats,
    /// Only voters on the list vote here.
    C06VotedAtMostOnList,
    /// A valid ballot keeps at least one name: one with every name struck out is invalid.
    C07VotesAtLeastValid,
    /// A constituency elects at least one deputy, and the ballot lists candidates.
    C08SeatsAndCandidates,
    /// The Tổ's count of voters who voted should match the check-ins made in cutri; a
    /// difference means check-ins were missed (paper fallback) or the count is wrong.
    W01VotedDiffersFromCheckIns,
    /// Every voter who voted put one ballot in the box; a difference is possible (a voter
    /// leaving with the ballot) but must be explained.
    W02CollectedDiffersFromVoted,
    /// The number of voters should be the list's, as updated to the start of voting.
    W03OnListDiffersFromList,
    /// The law asks for more candidates than seats; fewer is worth a second look at the entry.
    W04CandidatesNotMoreThanSeats,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::C01CollectedIsValidPlusInvalid => "C01",
            Rule::C02CollectedAtMostIssued => "C02",
            Rule::C03IssuedAtMostOnList => "C03",
            Rule::C04CandidateAtMostValid => "C04",
            Rule::C05VotesAtMostValidTimesSeats => "C05",
            Rule::C06VotedAtMostOnList => "C06",
            Rule::C07VotesAtLeastValid => "C07",
            Rule::C08SeatsAndCandidates => "C08",
            Rule::W01VotedDiffersFromCheckIns => "W01",
            Rule::W02CollectedDiffersFromVoted => "W02",
            Rule::W03OnListDiffersFromList => "W03",
            Rule::W04CandidatesNotMoreThanSeats => "W04",
        }
    }

    pub fn severity(self) -> Severity {
        if self.code().starts_with('C') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

/// A rule the tally breaks, with the figures that show it ("95 ≠ 90 + 4").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub detail: String,
}

impl Finding {
    pub fn is_error(&self) -> bool {
        self.rule.severity() == Severity::Error
    }
}

/// What cutri knows besides the entry: the list and the check-ins of the area at this level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub on_list: i64,
    pub checked_in: i64,
}

/// Every rule the tally breaks, errors first, in code order.
pub fn check(tally: &Tally, known: Known) -> Vec<Finding> {
    let t = tally;
    let mut found = Vec::new();
    let mut add = |rule, detail: String| found.push(Finding { rule, detail });
    if t.ballots_collected != t.ballots_valid + t.ballots_invalid {
        add(
            Rule::C01CollectedIsValidPlusInvalid,
            format!(
                "{} ≠ {} + {}",
                t.ballots_collected, t.ballots_valid, t.ballots_invalid
            ),
        );
    }
    if t.ballots_collected > t.ballots_issued {
        add(
            Rule::C02CollectedAtMostIssued,
            format!("{} > {}", t.ballots_collected, t.ballots_issued),
        );
    }
    if t.ballots_issued > t.voters_on_list {
        add(
            Rule::C03IssuedAtMostOnList,
            format!("{} > {}", t.ballots_issued, t.voters_on_list),
        );
    }
    for candidate in &t.candidates {
        if candidate.votes > t.ballots_valid {
            add(
                Rule::C04CandidateAtMostValid,
                format!(
                    "{}: {} > {}",
                    candidate.full_name, candidate.votes, t.ballots_valid
                ),
            );
        }
    }
    let total = t.votes_total();
    if total > t.ballots_valid.saturating_mul(t.seats.max(0)) {
        add(
            Rule::C05VotesAtMostValidTimesSeats,
            format!("{total} > {} × {}", t.ballots_valid, t.seats),
        );
    }
    if t.voters_voted > t.voters_on_list {
        add(
            Rule::C06VotedAtMostOnList,
            format!("{} > {}", t.voters_voted, t.voters_on_list),
        );
    }
    if t.ballots_valid > 0 && total < t.ballots_valid {
        add(
            Rule::C07VotesAtLeastValid,
            format!("{total} < {}", t.ballots_valid),
        );
    }
    if t.seats < 1 || t.candidates.is_empty() {
        add(
            Rule::C08SeatsAndCandidates,
            format!("{} / {}", t.seats, t.candidates.len()),
        );
    }
    if t.voters_voted != known.checked_in {
        add(
            Rule::W01VotedDiffersFromCheckIns,
            format!("{} ≠ {}", t.voters_voted, known.checked_in),
        );
    }
    if t.ballots_collected != t.voters_voted {
        add(
            Rule::W02CollectedDiffersFromVoted,
            format!("{} ≠ {}", t.ballots_collected, t.voters_voted),
        );
    }
    if t.voters_on_list != known.on_list {
        add(
            Rule::W03OnListDiffersFromList,
            format!("{} ≠ {}", t.voters_on_list, known.on_list),
        );
    }
    if !t.candidates.is_empty()
        && t.seats >= 1
        && i64::try_from(t.candidates.len()).is_ok_and(|n| n <= t.seats)
    {
        add(
            Rule::W04CandidatesNotMoreThanSeats,
            format!("{} ≤ {}", t.candidates.len(), t.seats),
        );
    }
    // Negative figures are typing mistakes that no other rule names clearly.
    let negative = [
        t.seats,
        t.voters_on_list,
        t.voters_voted,
        t.ballots_issued,
        t.ballots_collected,
        t.ballots_valid,
        t.ballots_invalid,
    ]
    .into_iter()
    .chain(t.candidates.iter().map(|c| c.votes))
    .any(|n| n < 0);
    if negative {
        found.push(Finding {
            rule: Rule::C08SeatsAndCandidates,
            detail: "< 0".to_string(),
        });
    }
    found
}

// --- double entry ---

/// A field of the tally, for naming where two entries differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Seats,
    VotersOnList,
    VotersVoted,
    BallotsIssued,
    BallotsCollected,
    BallotsValid,
    BallotsInvalid,
    MemberCount,
    /// 0-based position in the members table.
    Member(usize),
    Witness(usize),
    CandidateCount,
    /// 0-based position in the official order.
    CandidateName(usize),
    CandidateBirth(usize),
    CandidateVotes(usize),
    Incidents,
    Complaints,
    BallotBoxCheckedAt,
    VotingClosedAt,
}

/// One field on which the first and second entries disagree, with both values as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub field: Field,
    pub first: String,
    pub second: String,
}

/// Reads one figure of a tally.
type Figure = fn(&Tally) -> i64;

/// Field-by-field comparison of two normalised tallies.
pub fn differences(first: &Tally, second: &Tally) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut cmp = |field, a: String, b: String| {
        if a != b {
            out.push(Difference {
                field,
                first: a,
                second: b,
            });
        }
    };
    let figures: [(Field, Figure); 7] = [
        (Field::Seats, |t| t.seats),
        (Field::VotersOnList, |t| t.voters_on_list),
        (Field::VotersVoted, |t| t.voters_voted),
        (Field::BallotsIssued, |t| t.ballots_issued),
        (Field::BallotsCollected, |t| t.ballots_collected),
        (Field::BallotsValid, |t| t.ballots_valid),
        (Field::BallotsInvalid, |t| t.ballots_invalid),
    ];
    for (field, get) in figures {
        cmp(field, get(first).to_string(), get(second).to_string());
    }
    let member =
        |m: Option<&Member>| m.map_or(String::new(), |m| format!("{}, {}", m.name, m.role));
    cmp(
        Field::MemberCount,
        first.members.len().to_string(),
        second.members.len().to_string(),
    );
    for i in 0..first.members.len().max(second.members.len()) {
        cmp(
            Field::Member(i),
            member(first.members.get(i)),
            member(second.members.get(i)),
        );
    }
    for i in 0..2 {
        let (a, b) = (&first.witnesses[i], &second.witnesses[i]);
        cmp(
            Field::Witness(i),
            format!("{}, {}", a.name, a.address),
            format!("{}, {}", b.name, b.address),
        );
    }
    cmp(
        Field::CandidateCount,
        first.candidates.len().to_string(),
        second.candidates.len().to_string(),
    );
    for i in 0..first.candidates.len().max(second.candidates.len()) {
        let (a, b) = (first.candidates.get(i), second.candidates.get(i));
        let get = |c: Option<&Candidate>, f: fn(&Candidate) -> String| c.map_or(String::new(), f);
        cmp(
            Field::CandidateName(i),
            get(a, |c| c.full_name.clone()),
            get(b, |c| c.full_name.clone()),
        );
        cmp(
            Field::CandidateBirth(i),
            get(a, |c| c.birth_date.clone()),
            get(b, |c| c.birth_date.clone()),
        );
        cmp(
            Field::CandidateVotes(i),
            get(a, |c| c.votes.to_string()),
            get(b, |c| c.votes.to_string()),
        );
    }
    cmp(
        Field::Incidents,
        first.incidents.clone(),
        second.incidents.clone(),
    );
    cmp(
        Field::Complaints,
        first.complaints.clone(),
        second.complaints.clone(),
    );
    let clock = |time: Option<ClockTime>| time.map(ClockTime::display).unwrap_or_default();
    cmp(
        Field::BallotBoxCheckedAt,
        clock(first.ballot_box_checked_at),
        clock(second.ballot_box_checked_at),
    );
    cmp(
        Field::VotingClosedAt,
        clock(first.voting_closed_at),
        clock(second.voting_closed_at),
    );
    out
}

// --- percentages ---

/// part/whole in hundredths of a percent, rounded half-up (22,566% → 2257). None when whole
/// is not positive, or when the share is too large to hold (part far above whole).
pub fn percent_hundredths(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 || part < 0 {
        return None;
    }
    let (part, whole) = (i128::from(part), i128::from(whole));
    i64::try_from((part * 20_000 + whole) / (whole * 2)).ok()
}

/// Shares of a whole that must print as 100,00% together (valid and invalid ballots), in
/// hundredths: each share rounded down, then the hundredths still missing go to the shares
/// with the largest remainders (equal remainders: the earlier share). This agrees with
/// half-up rounding except where half-up would print 100,01% or 99,99%. None when the parts
/// sum to zero.
pub fn largest_remainder(parts: &[i64]) -> Option<Vec<i64>> {
    let whole: i128 = parts.iter().map(|&p| i128::from(p.max(0))).sum();
    if whole == 0 {
        return None;
    }
    let mut shares: Vec<i64> = Vec::with_capacity(parts.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(parts.len());
    for (i, &part) in parts.iter().enumerate() {
        let scaled = i128::from(part.max(0)) * 10_000;
        #[expect(
            clippy::cast_possible_truncation,
            reason = "every part is at most the whole, so its share is at most 10 000"
        )]
        let share = (scaled / whole) as i64;
        shares.push(share);
        remainders.push((scaled % whole, i));
    }
    let missing = 10_000 - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders
        .iter()
        .take(usize::try_from(missing).unwrap_or(0))
    {
        shares[i] += 1;
    }
    Some(shares)
}

/// The percentages printed in the minutes, in hundredths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shares {
    /// Voters who voted / voters on the list.
    pub turnout: Option<i64>,
    /// Valid and invalid / collected, summing to 100,00%.
    pub valid: Option<i64>,
    pub invalid: Option<i64>,
    /// Each candidate's votes / valid ballots, in the tally's candidate order (see
    /// `candidate_shares`).
    pub candidates: Vec<Option<i64>>,
}

/// Each candidate's votes as a share of the valid ballots, in hundredths. When the votes are
/// parts of the valid ballots (every valid ballot kept exactly one name, which is always the
/// case with one seat: Σ votes = valid) they print as 100,00% together, by largest remainder.
/// Otherwise a ballot counts for several candidates, the shares add up to more than 100% by
/// nature, and each is rounded half-up on its own; forcing them to 100% would misstate every
/// candidate's share (and the "more than half" the winners need).
pub fn candidate_shares(tally: &Tally) -> Vec<Option<i64>> {
    let votes: Vec<i64> = tally.candidates.iter().map(|c| c.votes).collect();
    if tally.ballots_valid > 0 && votes.iter().sum::<i64>() == tally.ballots_valid {
        if let Some(split) = largest_remainder(&votes) {
            return split.into_iter().map(Some).collect();
        }
    }
    votes
        .iter()
        .map(|&v| percent_hundredths(v, tally.ballots_valid))
        .collect()
}

pub fn shares(tally: &Tally) -> Shares {
    let split = largest_remainder(&[tally.ballots_valid, tally.ballots_invalid]);
    Shares {
        turnout: percent_hundredths(tally.voters_voted, tally.voters_on_list),
        valid: split.as_ref().map(|s| s[0]),
        invalid: split.as_ref().map(|s| s[1]),
        candidates: candidate_shares(tally),
    }
}

// --- candidate order ---

/// Letters in the order of the Vietnamese alphabet (with the Latin letters it lacks in their
/// usual places): ă and â are letters of their own after a, đ after d, and so on.
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// Tone marks in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// Collation key of a word: the letters (primary) and the tones (secondary), so "Anh" <
/// "Ánh" < "Ân" and "Dũng" < "Đức", unlike a comparison that drops every diacritic.
fn collation(word: &str) -> (Vec<u32>, Vec<u32>) {
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    let lowered = word.to_lowercase();
    let mut base: Option<char> = None;
    let flush = |base: &mut Option<char>, letters: &mut Vec<u32>| {
        if let Some(c) = base.take() {
            let rank = ALPHABET.chars().zip(1..).find(|&(a, _)| a == c);
            letters.push(rank.map_or(1_000 + u32::from(c), |(_, rank)| rank));
        }
    };
    for c in lowered.nfd() {
        match (base, c) {
            (Some('a'), '\u{306}') => base = Some('ă'),
            (Some('a'), '\u{302}') => base = Some('â'),
            (Some('e'), '\u{302}') => base = Some('ê'),
            (Some('o'), '\u{302}') => base = Some('ô'),
            (Some('o'), '\u{31B}') => base = Some('ơ'),
            (Some('u'), '\u{31B}') => base = Some('ư'),
            (_, c) if TONES.contains(&c) => {
                let rank = TONES.iter().zip(1..).find(|&(&t, _)| t == c);
                tones.push(rank.map_or(1, |(_, rank)| rank));
            }
            // Any other mark is not part of Vietnamese spelling; it does not decide the order.
            (_, c) if ('\u{300}'..='\u{36F}').contains(&c) => {}
            (_, c) => {
                flush(&mut base, &mut letters);
                base = Some(if matches!(c, 'đ' | 'ð') { 'đ' } else { c });
            }
        }
    }
    flush(&mut base, &mut letters);
    (letters, tones)
}

/// The name split as the ballot orders it: (tên, họ, đệm). The last word is the given name,
/// the first the family name, the rest the middle name; a one-word name is a given name.
fn name_parts(full_name: &str) -> (String, String, String) {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.as_slice() {
        [] => Default::default(),
        [given] => (given.to_string(), String::new(), String::new()),
        [family, middle @ .., given] => (given.to_string(), family.to_string(), middle.join(" ")),
    }
}

/// The official order of candidates on the ballot and in the minutes (docs/domain.md §1.3.6): by given name,
/// then family name, then middle name (letters first, then tones), then the older first.
/// A birth date that cannot be read sorts after the readable ones.
pub fn candidate_order(a_name: &str, a_birth: &str, b_name: &str, b_birth: &str) -> Ordering {
    let key = |name: &str| {
        let (given, family, middle) = name_parts(name);
        let (g, f, m) = (collation(&given), collation(&family), collation(&middle));
        ((g.0, f.0, m.0), (g.1, f.1, m.1))
    };
    let birth = |text: &str| BirthDate::parse(text).map(|b| b.reference_date());
    let (ka, kb) = (key(a_name), key(b_name));
    ka.0.cmp(&kb.0).then_with(|| ka.1.cmp(&kb.1)).then_with(|| {
        match (birth(a_birth), birth(b_birth)) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    })
}

// --- constituency results (docs/domain.md §1.7) ---

/// The figures of several polling areas of one constituency added up; None when their
/// candidate lists differ (a tally of another constituency slipped in). Members, witnesses
/// and texts are not summed: they belong to each Tổ's own minutes.
pub fn sum_tallies(tallies: &[Tally]) -> Option<Tally> {
    let (first, rest) = tallies.split_first()?;
    let mut total = Tally {
        seats: first.seats,
        candidates: first.candidates.clone(),
        ..Tally::default()
    };
    total.candidates.iter_mut().for_each(|c| c.votes = 0);
    for t in std::iter::once(first).chain(rest) {
        let same = t.seats == total.seats
            && t.candidates.len() == total.candidates.len()
            && t.candidates.iter().zip(&total.candidates).all(|(a, b)| {
                super::text::same_name(&a.full_name, &b.full_name) && a.birth_date == b.birth_date
            });
        if !same {
            return None;
        }
        total.voters_on_list += t.voters_on_list;
        total.voters_voted += t.voters_voted;
        total.ballots_issued += t.ballots_issued;
        total.ballots_collected += t.ballots_collected;
        total.ballots_valid += t.ballots_valid;
        total.ballots_invalid += t.ballots_invalid;
        for (sum, c) in total.candidates.iter_mut().zip(&t.candidates) {
            sum.votes += c.votes;
        }
    }
    Some(total)
}

/// What the Ban bầu cử concludes for a constituency (Điều 78–80).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// More than half of the voters on the list voted; otherwise the election is re-run.
    pub valid: bool,
    /// Indexes into the tally's candidates, most votes first.
    pub winners: Vec<usize>,
    /// Seats still empty (bầu cử thêm may follow).
    pub unfilled: i64,
}

/// Winners need more than half of the valid ballots; when more pass than there are seats, the
/// most votes win, and at an equal count at the cut-off the older candidate wins. An election
/// that is not valid elects nobody.
pub fn determine(total: &Tally) -> Outcome {
    let valid = total.voters_voted * 2 > total.voters_on_list;
    let mut passed: Vec<usize> = (0..total.candidates.len())
        .filter(|&i| valid && total.candidates[i].votes * 2 > total.ballots_valid)
        .collect();
    let birth =
        |i: usize| BirthDate::parse(&total.candidates[i].birth_date).map(|b| b.reference_date());
    passed.sort_by(|&a, &b| {
        let (va, vb) = (total.candidates[a].votes, total.candidates[b].votes);
        vb.cmp(&va).then_with(|| match (birth(a), birth(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => Ordering::Equal,
        })
    });
    passed.truncate(usize::try_from(total.seats.max(0)).unwrap_or(usize::MAX));
    let filled = i64::try_from(passed.len()).unwrap_or(i64::MAX);
    Outcome {
        valid,
        unfilled: total.seats.max(0) - filled,
        winners: passed,
    }
}

/// Whether the seats left empty call for an additional election (bầu cử thêm, Điều 79): for
/// the National Assembly whenever a seat is empty; for a People's Council only when fewer than
/// two thirds of the seats were filled. An election that is not valid is re-run instead.
pub fn additional_election_needed(level: BallotLevel, seats: i64, outcome: &Outcome) -> bool {
    if !outcome.valid || outcome.unfilled <= 0 {
        return false;
    }
    let elected = seats - outcome.unfilled;
    match level {
        BallotLevel::NationalAssembly => true,
        BallotLevel::Province | BallotLevel::Commune => elected * 3 < seats * 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally() -> Tally {
        Tally {
            members: vec![Member {
                name: "Nguyễn Văn Tổ".into(),
                role: "Tổ trưởng".into(),
            }],
            witnesses: Default::default(),
            seats: 2,
            voters_on_list: 1000,
            voters_voted: 990,
            ballots_issued: 990,
            ballots_collected: 990,
            ballots_valid: 980,
            ballots_invalid: 10,
            candidates: vec![
                Candidate {
                    full_name: "Lê An".into(),
                    birth_date: "1970".into(),
                    votes: 900,
                },
                Candidate {
                    full_name: "Trần Thị Bình".into(),
                    birth_date: "1980".into(),
                    votes: 700,
                },
                Candidate {
                    full_name: "Phạm Văn Ánh".into(),
                    birth_date: "1975".into(),
                    votes: 300,
                },
            ],
            incidents: String::new(),
            complaints: String::new(),
            ballot_box_checked_at: None,
            voting_closed_at: None,
        }
    }

    const KNOWN: Known = Known {
        on_list: 1000,
        checked_in: 990,
    };

    fn codes(t: &Tally, known: Known) -> Vec<&'static str> {
        check(t, known).iter().map(|f| f.rule.code()).collect()
    }

    #[test]
    fn a_consistent_tally_has_no_findings() {
        assert_eq!(codes(&tally(), KNOWN), Vec::<&str>::new());
    }

    #[test]
    fn c01_collected_must_be_valid_plus_invalid() {
        let mut t = tally();
        t.ballots_invalid = 9;
        let found = check(&t, KNOWN);
        assert_eq!(found[0].rule, Rule::C01CollectedIsValidPlusInvalid);
        assert_eq!(found[0].detail, "990 ≠ 980 + 9");
        assert!(found[0].is_error());
    }

    #[test]
    fn c02_collected_at_most_issued() {
        let mut t = tally();
        t.ballots_issued = 989;
        assert!(codes(&t, KNOWN).contains(&"C02"));
    }

    #[test]
    fn c03_issued_at_most_on_list() {
        let mut t = tally();
        t.ballots_issued = 1001;
        assert!(codes(&t, KNOWN).contains(&"C03"));
    }

    #[test]
    fn c04_each_candidate_at_most_valid() {
        let mut t = tally();
        t.candidates[0].votes = 981;
        let found = check(&t, KNOWN);
        let c04: Vec<_> = found
            .iter()
            .filter(|f| f.rule == Rule::C04CandidateAtMostValid)
            .collect();
        assert_eq!(c04.len(), 1);
        assert_eq!(c04[0].detail, "Lê An: 981 > 980");
    }

    #[test]
    fn c05_votes_at_most_valid_times_seats() {
        let mut t = tally();
        t.seats = 1;
        assert!(codes(&t, KNOWN).contains(&"C05"));
        t.seats = 2;
        assert!(!codes(&t, KNOWN).contains(&"C05"));
    }

    #[test]
    fn c06_voted_at_most_on_list() {
        let mut t = tally();
        t.voters_voted = 1001;
        assert!(codes(&t, KNOWN).contains(&"C06"));
    }

    #[test]
    fn c07_valid_ballots_keep_a_name() {
        let mut t = tally();
        for c in &mut t.candidates {
            c.votes = 100;
        }
        assert!(codes(&t, KNOWN).contains(&"C07"));
    }

    #[test]
    fn c08_needs_seats_and_candidates_and_no_negative_figures() {
        let mut t = tally();
        t.seats = 0;
        assert!(codes(&t, KNOWN).contains(&"C08"));
        let mut t = tally();
        t.candidates.clear();
        assert!(codes(&t, KNOWN).contains(&"C08"));
        let mut t = tally();
        t.candidates[2].votes = -1;
        assert!(codes(&t, KNOWN).contains(&"C08"));
    }

    #[test]
    fn warnings_compare_with_check_ins_and_the_list() {
        let t = tally();
        let known = Known {
            on_list: 1001,
            checked_in: 985,
        };
        let found = check(&t, known);
        assert_eq!(codes(&t, known), vec!["W01", "W03"]);
        assert!(found.iter().all(|f| !f.is_error()));
        assert_eq!(found[0].detail, "990 ≠ 985");
        let mut t = tally();
        t.ballots_collected = 989;
        t.ballots_valid = 979;
        assert_eq!(codes(&t, KNOWN), vec!["W02"]);
        let mut t = tally();
        t.seats = 3;
        assert_eq!(codes(&t, KNOWN), vec!["W04"]);
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent_hundredths(6622, 6688), Some(9901));
        // 22,566% → 22,57%; 22,565% → 22,57% (half up); 22,5649% → 22,56%.
        assert_eq!(percent_hundredths(22_566, 100_000), Some(2257));
        assert_eq!(percent_hundredths(22_565, 100_000), Some(2257));
        assert_eq!(percent_hundredths(225_649, 1_000_000), Some(2256));
        assert_eq!(percent_hundredths(1, 0), None);
    }

    #[test]
    fn a_share_too_large_to_hold_is_none_not_a_wrapped_number() {
        assert_eq!(percent_hundredths(i64::MAX, 1), None);
        assert_eq!(
            percent_hundredths(i64::MAX / 10_000, 1),
            Some(i64::MAX / 10_000 * 10_000)
        );
    }

    #[test]
    fn largest_remainder_makes_shares_sum_to_100() {
        // Half-up alone would print 66,67% + 33,33% = 100,00% here…
        assert_eq!(largest_remainder(&[2, 1]), Some(vec![6667, 3333]));
        // …but 0,005% + 99,995% would become 0,01% + 100,00%.
        assert_eq!(largest_remainder(&[1, 19_999]), Some(vec![1, 9999]));
        assert_eq!(largest_remainder(&[1, 1, 1]), Some(vec![3334, 3333, 3333]));
        assert_eq!(largest_remainder(&[0, 0]), None);
        for (a, b) in [(980, 10), (6622, 66), (1, 2), (7, 13), (999, 1)] {
            let s = largest_remainder(&[a, b]).unwrap();
            assert_eq!(s.iter().sum::<i64>(), 10_000, "{a} {b}");
        }
    }

    #[test]
    fn candidate_shares_sum_to_100_when_each_valid_ballot_names_one_candidate() {
        // One seat: 1 + 1 + 1 of 3 valid ballots would print 33,33% × 3 = 99,99% rounded
        // half-up; by largest remainder they print 33,34% + 33,33% + 33,33%.
        let mut t = tally();
        t.seats = 1;
        t.ballots_valid = 3;
        for c in &mut t.candidates {
            c.votes = 1;
        }
        let s = candidate_shares(&t);
        assert_eq!(s, vec![Some(3334), Some(3333), Some(3333)]);
        assert_eq!(s.iter().flatten().sum::<i64>(), 10_000);
        // Several names per ballot: shares of the valid ballots, each half-up (more than 100%).
        assert_eq!(
            candidate_shares(&tally()),
            vec![Some(9184), Some(7143), Some(3061)]
        );
        let mut t = tally();
        t.ballots_valid = 0;
        assert_eq!(candidate_shares(&t), vec![None, None, None]);
    }

    #[test]
    fn additional_elections_follow_the_level_rule() {
        let outcome = |valid, unfilled| Outcome {
            valid,
            winners: Vec::new(),
            unfilled,
        };
        let na = BallotLevel::NationalAssembly;
        assert!(additional_election_needed(na, 3, &outcome(true, 1)));
        assert!(!additional_election_needed(na, 3, &outcome(true, 0)));
        assert!(!additional_election_needed(na, 3, &outcome(false, 3)));
        // HĐND: 2 of 3 filled is two thirds, enough; 1 of 3 is not.
        let commune = BallotLevel::Commune;
        assert!(!additional_election_needed(commune, 3, &outcome(true, 1)));
        assert!(additional_election_needed(commune, 3, &outcome(true, 2)));
        assert!(additional_election_needed(
            BallotLevel::Province,
            5,
            &outcome(true, 2)
        ));
    }

    #[test]
    fn shares_of_a_tally() {
        let s = shares(&tally());
        assert_eq!(s.turnout, Some(9900));
        assert_eq!(s.valid, Some(9899));
        assert_eq!(s.invalid, Some(101));
        assert_eq!(s.candidates, vec![Some(9184), Some(7143), Some(3061)]);
    }

    fn sorted(names: &[(&str, &str)]) -> Vec<String> {
        let mut names: Vec<(String, String)> = names
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_string()))
            .collect();
        names.sort_by(|a, b| candidate_order(&a.0, &a.1, &b.0, &b.1));
        names
            .into_iter()
            .map(|(n, b)| format!("{n} {b}").trim().to_string())
            .collect()
    }

    #[test]
    fn candidates_sort_by_given_then_family_then_middle_name() {
        assert_eq!(
            sorted(&[
                ("Trần Thị Bình", ""),
                ("Phạm Văn Ánh", ""),
                ("Nguyễn Văn An", ""),
                ("Lê An", ""),
            ]),
            vec!["Lê An", "Nguyễn Văn An", "Phạm Văn Ánh", "Trần Thị Bình"]
        );
        // Same given and family name: the middle name decides.
        assert_eq!(
            sorted(&[("Nguyễn Văn Hùng", ""), ("Nguyễn Đức Hùng", "")]),
            vec!["Nguyễn Đức Hùng", "Nguyễn Văn Hùng"]
        );
    }

    #[test]
    fn vietnamese_letters_sort_as_letters_of_their_own() {
        // a < ă < â, d < đ, o < ô < ơ, u < ư; tones only break ties between equal letters.
        assert_eq!(
            sorted(&[("Lê Ân", ""), ("Lê Ánh", ""), ("Lê Anh", ""), ("Lê Ăn", ""),]),
            vec!["Lê Anh", "Lê Ánh", "Lê Ăn", "Lê Ân"]
        );
        assert_eq!(
            sorted(&[
                ("Hà Đức", ""),
                ("Hà Dũng", ""),
                ("Hà Ưng", ""),
                ("Hà Uy", "")
            ]),
            vec!["Hà Dũng", "Hà Đức", "Hà Uy", "Hà Ưng"]
        );
        // Tone order: ngang, huyền, hỏi, ngã, sắc, nặng.
        assert_eq!(
            sorted(&[
                ("Lê Má", ""),
                ("Lê Mạ", ""),
                ("Lê Mã", ""),
                ("Lê Mà", ""),
                ("Lê Ma", ""),
                ("Lê Mả", "")
            ]),
            vec!["Lê Ma", "Lê Mà", "Lê Mả", "Lê Mã", "Lê Má", "Lê Mạ"]
        );
        // Decomposed input sorts like precomposed.
        let nfd: String = "Lê Ánh".nfd().collect();
        assert_eq!(candidate_order(&nfd, "", "Lê Ánh", ""), Ordering::Equal);
    }

    #[test]
    fn identical_names_put_the_older_first() {
        assert_eq!(
            sorted(&[
                ("Nguyễn Văn An", "12/05/1980"),
                ("Nguyễn Văn An", "1975"),
                ("Nguyễn Văn An", "03/1980"),
            ]),
            vec![
                "Nguyễn Văn An 1975",
                "Nguyễn Văn An 03/1980",
                "Nguyễn Văn An 12/05/1980"
            ]
        );
    }

    #[test]
    fn entries_are_compared_field_by_field_after_normalising() {
        let first = tally().normalised();
        let mut second = tally();
        second.candidates.reverse();
        second.members[0].name = " Nguyễn  Văn Tổ ".into();
        assert_eq!(differences(&first, &second.clone().normalised()), vec![]);
        second.ballots_valid = 981;
        second.candidates[0].votes = 301; // Phạm Văn Ánh, second in the official order
        let diff = differences(&first, &second.normalised());
        assert_eq!(
            diff,
            vec![
                Difference {
                    field: Field::BallotsValid,
                    first: "980".into(),
                    second: "981".into()
                },
                Difference {
                    field: Field::CandidateVotes(1),
                    first: "300".into(),
                    second: "301".into()
                },
            ]
        );
    }

    #[test]
    fn the_times_of_the_minutes_are_compared_and_old_tallies_still_read() {
        let mut first = tally().normalised();
        first.ballot_box_checked_at = ClockTime::new(6, 45);
        let mut second = first.clone();
        second.ballot_box_checked_at = ClockTime::new(6, 50);
        second.voting_closed_at = ClockTime::new(17, 30);
        assert_eq!(
            differences(&first, &second),
            vec![
                Difference {
                    field: Field::BallotBoxCheckedAt,
                    first: "06:45".into(),
                    second: "06:50".into()
                },
                Difference {
                    field: Field::VotingClosedAt,
                    first: String::new(),
                    second: "17:30".into()
                },
            ]
        );
        // A tally stored before the times existed reads as "not written", and one without
        // times is stored as it was (the finalised tally's hash covers its JSON).
        let old = serde_json::to_string(&tally()).expect("json");
        assert!(!old.contains("checked_at"), "{old}");
        let read: Tally = serde_json::from_str(&old).expect("old tally");
        assert_eq!(read.voting_closed_at, None);
        let round: Tally = serde_json::from_str(&serde_json::to_string(&second).expect("json"))
            .expect("round trip");
        assert_eq!(round.voting_closed_at, ClockTime::new(17, 30));
    }

    #[test]
    fn levels_round_trip() {
        for level in BallotLevel::ALL {
            assert_eq!(BallotLevel::parse(level.slug()), Some(level));
            assert_eq!(BallotLevel::from_bit(level.levels().0), Some(level));
        }
        assert_eq!(BallotLevel::parse("x"), None);
    }

    #[test]
    fn area_tallies_add_up_per_constituency() {
        let total = sum_tallies(&[tally(), tally()]).expect("same candidates");
        assert_eq!(total.voters_on_list, 2000);
        assert_eq!(total.ballots_valid, 1960);
        assert_eq!(total.candidates[0].votes, 1800);
        let mut other = tally();
        other.candidates[1].full_name = "Trần Thị Bính".into();
        assert_eq!(sum_tallies(&[tally(), other]), None);
        assert_eq!(sum_tallies(&[]), None);
    }

    #[test]
    fn winners_need_more_than_half_of_valid_ballots_and_ties_go_to_the_older() {
        let t = tally(); // valid 980: Lê An 900, Trần Thị Bình 700, Phạm Văn Ánh 300
        assert_eq!(
            determine(&t),
            Outcome {
                valid: true,
                winners: vec![0, 1],
                unfilled: 0
            }
        );
        // Exactly half is not more than half.
        let mut t = tally();
        t.candidates[1].votes = 490;
        assert_eq!(determine(&t).winners, vec![0]);
        assert_eq!(determine(&t).unfilled, 1);
        // Three pass for two seats and two tie at the cut-off: the older (born 1975) wins.
        let mut t = tally();
        t.candidates[1].votes = 600;
        t.candidates[2].votes = 600;
        assert_eq!(determine(&t).winners, vec![0, 2]);
        // Half the voters or fewer: the election is not valid and elects nobody.
        let mut t = tally();
        t.voters_voted = 500;
        let outcome = determine(&t);
        assert!(!outcome.valid);
        assert!(outcome.winners.is_empty());
        assert_eq!(outcome.unfilled, 2);
    }
}
