//! How well a folded name ("nguyen thi thu ha") matches the folded words typed into a search
//! box, as a rank: pure functions, the search index orders its hits with them.
//!
//! A Vietnamese name is family name, middle name(s), given name. Staff type the family name and
//! the start of the given name ("ngo ha"), initials and the given name ("n v an"), the given
//! name with the word before it ("thu ha"), or the name from its start while the voter spells
//! it. Each typed word must start a word of the name, in order; what ranks a name is which
//! words the typed ones landed on, then how many typed words were whole words.

/// Where a word stands in a name; a one-word name's word is both family and given name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Family,
    Middle,
    Given,
}

impl Position {
    pub const ALL: [Position; 3] = [Position::Family, Position::Middle, Position::Given];

    pub fn slot(self) -> usize {
        match self {
            Position::Family => 0,
            Position::Middle => 1,
            Position::Given => 2,
        }
    }
}

/// Every (word, position) of a folded name once.
pub fn positioned_words(name: &str) -> Vec<(&str, Position)> {
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let last = words.len().saturating_sub(1);
    let mut out = Vec::with_capacity(words.len() + 1);
    for (at, word) in words.iter().enumerate() {
        if at == 0 {
            out.push((*word, Position::Family));
        }
        if at == last {
            out.push((*word, Position::Given));
        }
        if at != 0 && at != last {
            out.push((*word, Position::Middle));
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.slot().cmp(&b.1.slot())));
    out.dedup();
    out
}

/// Which words of the name the typed words landed on, best first. A first typed word that is
/// the whole family name outranks one that only starts a later word ("ngo ha": Ngô Hà Linh
/// before Phạm Ngọc Hà), so the last words, the first words and those from the family name
/// each come twice: with the first typed word whole, then with it only started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The whole name, every word whole.
    Exact,
    /// Two or more typed words: the first on the family name, the last on the given name, any
    /// others on middle names in order ("ngo ha", "n v an", "nguyen van a").
    FamilyAndGiven,
    /// The typed words are the name's last words, the first of them whole ("thu ha"; "ha"
    /// alone: the given name).
    LastWords,
    /// The typed words are the name's first words, the first the whole family name ("nguyen
    /// van" while the name is spelt out; "ngo ha" for Ngô Hà Linh).
    FirstWords,
    /// The first typed word the whole family name, the others later, not ending on the given
    /// name.
    FromFamily,
    /// The name's last words, the first typed word only starting its word ("ngo ha" for Phạm
    /// Ngọc Hà).
    LastWordsStarted,
    /// The name's first words, the family name only started ("ng va").
    FirstWordsStarted,
    /// The family name only started, the others later, not ending on the given name.
    FromFamilyStarted,
    /// The last typed word on the given name, the others earlier, not from the family name.
    ToGiven,
    /// Anywhere, in order.
    InOrder,
}

/// The rank of a match: lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quality {
    pub tier: Tier,
    /// Typed words that only start the word they landed on ("ha" on "hanh").
    pub partial: u8,
    /// Words of the name nobody typed.
    pub skipped: u8,
}

/// At most this many words are looked at; longer "names" are data errors.
const MAX_WORDS: usize = 16;

fn narrow(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

/// Typed word `token` landing on name word `word`: `Some(whole)` when it starts the word.
fn lands(token: &str, word: &str) -> Option<bool> {
    word.starts_with(token).then_some(word.len() == token.len())
}

/// The typed words landing on `words` in order (each on a later word than the one before);
/// how many of them only start their word, or `None` when they do not all land. The first
/// word that fits is taken, so `partial` may count one more than the best assignment would.
fn in_order(tokens: &[String], words: &[&str]) -> Option<usize> {
    let mut partial = 0;
    let mut rest = words.iter();
    for token in tokens {
        let whole = rest.find_map(|word| lands(token, word))?;
        partial += usize::from(!whole);
    }
    Some(partial)
}

/// Each typed word landing on the word in the same place of `words` (as many of each).
fn aligned(tokens: &[String], words: &[&str]) -> Option<usize> {
    tokens
        .iter()
        .zip(words)
        .try_fold(0, |partial, (token, word)| {
            lands(token, word).map(|whole| partial + usize::from(!whole))
        })
}

/// How `name` (folded, words separated by one space) matches `tokens` (folded typed words), or
/// `None` when some typed word does not start a word of the name in order.
pub fn quality(name: &str, tokens: &[String]) -> Option<Quality> {
    let mut buffer = [""; MAX_WORDS];
    let mut n = 0;
    for word in name.split(' ').filter(|w| !w.is_empty()).take(MAX_WORDS) {
        buffer[n] = word;
        n += 1;
    }
    let words = &buffer[..n];
    let k = tokens.len();
    if k == 0 || k > n {
        return None;
    }
    let first = |tier: Tier, partial: usize| Quality {
        tier,
        partial: narrow(partial),
        skipped: narrow(n - k),
    };
    let (last_token, last_word) = (&tokens[k - 1], words[n - 1]);
    let on_family = lands(&tokens[0], words[0]);
    let on_given = lands(last_token, last_word);
    if k >= 2 {
        if let (Some(family), Some(given)) = (on_family, on_given) {
            if let Some(middle) = in_order(&tokens[1..k - 1], &words[1..n - 1]) {
                let partial = middle + usize::from(!family) + usize::from(!given);
                let tier = if partial == 0 && k == n {
                    Tier::Exact
                } else {
                    Tier::FamilyAndGiven
                };
                return Some(first(tier, partial));
            }
        }
    } else if k == n && on_given == Some(true) {
        return Some(first(Tier::Exact, 0));
    }
    if let Some(partial) = aligned(tokens, &words[n - k..]) {
        let tier = if lands(&tokens[0], words[n - k]) == Some(true) {
            Tier::LastWords
        } else {
            Tier::LastWordsStarted
        };
        return Some(first(tier, partial));
    }
    if let Some(partial) = aligned(tokens, words) {
        let tier = if on_family == Some(true) {
            Tier::FirstWords
        } else {
            Tier::FirstWordsStarted
        };
        return Some(first(tier, partial));
    }
    if let Some(family) = on_family {
        if let Some(rest) = in_order(&tokens[1..], &words[1..]) {
            let tier = if family {
                Tier::FromFamily
            } else {
                Tier::FromFamilyStarted
            };
            return Some(first(tier, rest + usize::from(!family)));
        }
    }
    if let Some(given) = on_given {
        if let Some(rest) = in_order(&tokens[..k - 1], &words[..n - 1]) {
            return Some(first(Tier::ToGiven, rest + usize::from(!given)));
        }
    }
    in_order(tokens, words).map(|partial| first(Tier::InOrder, partial))
}

/// Ranks every candidate (id, folded name) against `tokens`, best first, at most `limit`;
/// those that do not match are left out. For a search that reads all its candidates (the SQL
/// fallback): a name's count among them is its count in the election (or area), since every
/// bearer of a matching name matches.
pub fn rank<Id: Ord + Copy>(
    candidates: &[(Id, String)],
    tokens: &[String],
    limit: usize,
) -> Vec<Id> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut matching: Vec<(Quality, &str, Id)> = candidates
        .iter()
        .filter_map(|(id, name)| Some((quality(name, tokens)?, name.as_str(), *id)))
        .collect();
    for (_, name, _) in &matching {
        *counts.entry(*name).or_default() += 1;
    }
    matching.sort_by_key(|(q, name, id)| (*q, std::cmp::Reverse(counts[name]), *name, *id));
    matching
        .into_iter()
        .take(limit)
        .map(|(_, _, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    fn tier(name: &str, text: &str) -> Option<Tier> {
        quality(name, &typed(text)).map(|q| q.tier)
    }

    #[test]
    fn typed_words_must_start_words_of_the_name_in_order() {
        assert_eq!(tier("nguyen van an", "an nguyen"), None);
        assert_eq!(tier("nguyen van an", "guyen"), None);
        assert_eq!(tier("nguyen van an", "nguyen van an tuan"), None);
        assert_eq!(tier("nguyen van an", "van van"), None, "one word each");
        assert_eq!(quality("nguyen van an", &[]), None);
    }

    #[test]
    fn the_family_and_given_name_outrank_a_middle_name() {
        // "ngo ha": Ngô Thị Hà, not Ngô Hải Yến or Ngô Thu Hà Linh.
        let voter = quality("ngo thi ha", &typed("ngo ha")).unwrap();
        let middle = quality("ngo hai yen", &typed("ngo ha")).unwrap();
        let middle_whole = quality("ngo ha linh", &typed("ngo ha")).unwrap();
        assert_eq!(voter.tier, Tier::FamilyAndGiven);
        assert_eq!(middle.tier, Tier::FirstWords);
        assert!(voter < middle && voter < middle_whole);
        // The given name typed whole before one it only starts.
        let hanh = quality("ngo thi hanh", &typed("ngo ha")).unwrap();
        assert!(voter < hanh && hanh < middle_whole);
        assert_eq!((hanh.partial, voter.partial), (1, 0));
    }

    #[test]
    fn a_family_name_typed_whole_outranks_a_later_word_only_started() {
        let q = |name: &str, text: &str| quality(name, &typed(text)).unwrap();
        // "ngo ha": Ngô (the whole family name) before Ngọc (only started), whatever follows.
        let started = q("pham ngoc ha", "ngo ha");
        assert!(q("ngo ha linh", "ngo ha") < started);
        assert!(q("ngo hai yen", "ngo ha") < started);
        assert!(q("ngo thi hanh linh", "ngo ha") < started);
        assert!(q("ngo thi ha", "ngo ha") < q("ngo ha linh", "ngo ha"));
        // One word: the family name Hà before a given name it only starts.
        assert!(q("ha van an", "ha") < q("tran thi hanh", "ha"));
        // Last words typed whole keep their place before the first words.
        assert!(q("tran thi ha", "ha") < q("ha van an", "ha"));
        assert!(q("tran ngo ha", "ngo ha") < q("ngo ha linh", "ngo ha"));
        assert!(q("nguyen ha an", "ha an") < q("ha anh tuan", "ha an"));
        // A family name only started does not jump: the last words before it.
        assert!(q("tran ngoc ha", "n ha") < q("nguyen ha linh", "n ha"));
    }

    #[test]
    fn every_word_typed_ranks_by_whole_words_then_fewer_skipped() {
        assert_eq!(
            quality("nguyen van an", &typed("nguyen van an")),
            Some(Quality {
                tier: Tier::Exact,
                partial: 0,
                skipped: 0
            })
        );
        let initials = quality("nguyen van an", &typed("n v an")).unwrap();
        assert_eq!(
            (initials.tier, initials.partial, initials.skipped),
            (Tier::FamilyAndGiven, 2, 0)
        );
        let longer = quality("nguyen van binh an", &typed("n v an")).unwrap();
        assert!(initials < longer, "the name with no word left over first");
        let anh = quality("nguyen van anh", &typed("n v an")).unwrap();
        assert!(initials < anh);
        assert_eq!(
            tier("nguyen van anh", "nguyen van a"),
            Some(Tier::FamilyAndGiven)
        );
    }

    #[test]
    fn last_words_then_first_words_then_anywhere() {
        assert_eq!(tier("tran thi thu ha", "thu ha"), Some(Tier::LastWords));
        assert_eq!(tier("tran thi thu ha", "ha"), Some(Tier::LastWords));
        assert_eq!(tier("ha van an", "ha"), Some(Tier::FirstWords));
        assert_eq!(tier("tran ha an", "ha"), Some(Tier::InOrder));
        assert_eq!(tier("tran thi thu ha", "tran thi"), Some(Tier::FirstWords));
        assert_eq!(tier("tran thi thu ha", "tran thu"), Some(Tier::FromFamily));
        assert_eq!(tier("tran thi thu ha", "thi ha"), Some(Tier::ToGiven));
        assert_eq!(tier("tran thi thu ha lan", "thi ha"), Some(Tier::InOrder));
        assert_eq!(tier("an", "an"), Some(Tier::Exact));
        assert_eq!(tier("anh", "an"), Some(Tier::LastWordsStarted));
        assert_eq!(tier("pham ngoc ha", "ngo ha"), Some(Tier::LastWordsStarted));
        assert_eq!(
            tier("tran thi thu ha", "tr thi"),
            Some(Tier::FirstWordsStarted)
        );
        assert_eq!(
            tier("tran thi thu ha", "t thu"),
            Some(Tier::FromFamilyStarted)
        );
        let order = [
            Tier::Exact,
            Tier::FamilyAndGiven,
            Tier::LastWords,
            Tier::FirstWords,
            Tier::FromFamily,
            Tier::LastWordsStarted,
            Tier::FirstWordsStarted,
            Tier::FromFamilyStarted,
            Tier::ToGiven,
            Tier::InOrder,
        ];
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn rank_orders_by_quality_then_the_commoner_name() {
        let candidates: Vec<(u32, String)> = [
            (1, "ngo ha linh"),
            (2, "ngo thi hanh"),
            (3, "ngo thi ha"),
            (4, "tran van binh"),
            (5, "ngo thi hanh"),
            (6, "ngo thi hai"),
        ]
        .iter()
        .map(|(id, name)| (*id, name.to_string()))
        .collect();
        assert_eq!(rank(&candidates, &typed("ngo ha"), 10), [3, 2, 5, 6, 1]);
        assert_eq!(rank(&candidates, &typed("ngo ha"), 2), [3, 2]);
    }

    #[test]
    fn words_are_placed_as_family_middle_and_given() {
        assert_eq!(
            positioned_words("nguyen thi thu ha"),
            [
                ("ha", Position::Given),
                ("nguyen", Position::Family),
                ("thi", Position::Middle),
                ("thu", Position::Middle),
            ]
        );
        assert_eq!(
            positioned_words("an"),
            [("an", Position::Family), ("an", Position::Given)]
        );
        assert_eq!(
            positioned_words("thi thi thi"),
            [
                ("thi", Position::Family),
                ("thi", Position::Middle),
                ("thi", Position::Given)
            ]
        );
    }
}
