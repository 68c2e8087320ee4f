//! Vietnamese text: NFC cleaning at the import boundary, accent-insensitive search keys,
//! tone-placement-insensitive name matching, and decoding of the legacy 8-bit encodings
//! (TCVN3/ABC, VNI-Windows) that old Excel voter lists still arrive in.

mod fold;
mod legacy;
mod normalize;
mod punctuation;
mod syllable;

pub use fold::{canonical_tone_placement, fold, fold_tokens, name_key, same_name};
pub use legacy::{
    decode_str, decode_tcvn3_bytes, decode_tcvn3_str, decode_vni_bytes, decode_vni_str, detect,
    detect_many, fits_windows_1252, font_hint, windows_1252_to_string, EncodingVotes,
    LegacyEncoding,
};
pub use normalize::{clean_cell, nfc};
pub use punctuation::{capitalise, clause, excerpt, full_stop};
pub use syllable::{strange_words, StrangeWord};
