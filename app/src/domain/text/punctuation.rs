//! Sentences put together from typed text: a capital to open one, one full stop at the end whatever the text ended
//! with, and excerpts cut between words without a stray comma or full stop before the "…".

/// Marks that end a sentence; text ending with one gets no other.
const SENTENCE_ENDS: [char; 4] = ['.', '!', '?', '…'];
/// Closing quotes may follow the mark that ends the sentence: `… "Khóm 3."`.
const CLOSING_QUOTES: [char; 4] = ['"', '”', '’', '»'];
/// Marks that cannot end a sentence or come before "…": they are dropped there.
const DANGLING: [char; 7] = [',', ';', ':', '-', '–', '(', '“'];

/// `text` ending with exactly one full stop: "Tiếp thu." stays, "Tiếp thu" and "Tiếp thu;"
/// become "Tiếp thu."; nothing for empty text.
pub fn full_stop(text: &str) -> String {
    let text = text
        .trim_end()
        .trim_end_matches(|c: char| DANGLING.contains(&c) || c.is_whitespace());
    if text.is_empty() {
        return String::new();
    }
    let ends_sentence = text
        .trim_end_matches(CLOSING_QUOTES)
        .ends_with(SENTENCE_ENDS);
    if ends_sentence {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// "trước kỳ họp…" → "Trước kỳ họp…", to open a sentence.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `text` to be continued inside a sentence: without the full stop or the comma, colon or
/// semicolon it ended with ("Tiếp thu." → "Tiếp thu"); a question or an ellipsis stays.
pub fn clause(text: &str) -> &str {
    text.trim_end()
        .trim_end_matches(|c: char| c == '.' || DANGLING.contains(&c) || c.is_whitespace())
}

/// At most `max_chars` characters of `text`, cut after a whole word and marked "…" when
/// anything was left out; the punctuation before the cut is dropped ("đường, …" → "đường…").
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    // The last word is whole when a space or a mark follows it.
    let word_ends = text
        .chars()
        .nth(max_chars)
        .is_some_and(|c| c.is_whitespace() || DANGLING.contains(&c) || SENTENCE_ENDS.contains(&c));
    let words = match cut.rfind(char::is_whitespace) {
        Some(space) if !word_ends => &cut[..space],
        _ => cut.as_str(),
    };
    let kept = words.trim_end_matches(|c: char| {
        c.is_whitespace() || DANGLING.contains(&c) || SENTENCE_ENDS.contains(&c)
    });
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_ends_with_one_full_stop() {
        for (text, sentence) in [
            ("Tiếp thu", "Tiếp thu."),
            ("Tiếp thu.", "Tiếp thu."),
            ("Tiếp thu. ", "Tiếp thu."),
            ("Tiếp thu;", "Tiếp thu."),
            ("Có lộ trình:", "Có lộ trình."),
            ("Vì sao?", "Vì sao?"),
            ("Đang xem xét…", "Đang xem xét…"),
            ("tại hội nghị \"Khóm 3.\"", "tại hội nghị \"Khóm 3.\""),
            ("(xem Quyết định 12/QĐ)", "(xem Quyết định 12/QĐ)."),
            ("", ""),
            (" ; ", ""),
        ] {
            assert_eq!(full_stop(text), sentence, "{text:?}");
        }
    }

    #[test]
    fn a_clause_goes_on_inside_a_sentence() {
        assert_eq!(clause("Tiếp thu. "), "Tiếp thu");
        assert_eq!(clause("Tiếp thu;"), "Tiếp thu");
        assert_eq!(clause("Vì sao?"), "Vì sao?");
        assert_eq!(clause("…"), "…");
    }

    #[test]
    fn an_excerpt_ends_on_a_whole_word_without_stray_punctuation() {
        let text = "Đề nghị sửa chữa đường, làm mương thoát nước. Khẩn trương";
        assert_eq!(excerpt(text, 200), text);
        assert_eq!(excerpt(text, 23), "Đề nghị sửa chữa đường…");
        assert_eq!(excerpt(text, 24), "Đề nghị sửa chữa đường…");
        assert_eq!(excerpt(text, 22), "Đề nghị sửa chữa đường…");
        assert_eq!(
            excerpt(text, 46),
            "Đề nghị sửa chữa đường, làm mương thoát nước…"
        );
        assert_eq!(
            excerpt(text, 47),
            "Đề nghị sửa chữa đường, làm mương thoát nước…"
        );
        // The cut falls inside a word: the word is left out.
        assert_eq!(excerpt(text, 20), "Đề nghị sửa chữa…");
        // One long word: cut inside it rather than show nothing.
        assert_eq!(excerpt("Aaaaaaaaaa", 4), "Aaaa…");
    }
}
