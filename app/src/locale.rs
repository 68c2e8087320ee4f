//! The language of the UI, chosen per browser with the `cutri_lang` cookie; Vietnamese is the
//! default. A leaf: labels anywhere in the crate can take a `Locale` without pulling in texts.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

pub const LOCALE_COOKIE: &str = "cutri_lang";

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        match code {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale named by the `cutri_lang` cookie in a `Cookie` header, Vietnamese otherwise.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::parse(value))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_the_default_and_the_cookie_switches_language() {
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("a=b; cutri_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("cutri_lang=fr"), Locale::Vi);
    }
}
