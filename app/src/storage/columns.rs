//! Domain values as database columns, decoded in one place: a date is stored as its ISO text
//! ("2026-03-15"), a time of day as "07:00", ballot levels as their bit set. A stored value the
//! domain cannot read is a decode error naming it, never a default.

use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

type Buffer<'q> = <Any as Database>::ArgumentBuffer<'q>;

use crate::domain::checkin::ClockTime;
use crate::domain::voter::{Date, Levels};

/// A column stored as text and read back through the domain type's parser.
macro_rules! text_column {
    ($type:ty, $parse:expr, $write:expr, $what:literal) => {
        impl Type<Any> for $type {
            fn type_info() -> AnyTypeInfo {
                <String as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <String as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $type {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <String as Decode<'r, Any>>::decode(value)?;
                let parse: fn(&str) -> Option<$type> = $parse;
                parse(&text).ok_or_else(|| format!(concat!("bad ", $what, " {:?}"), text).into())
            }
        }

        impl<'q> Encode<'q, Any> for $type {
            fn encode_by_ref(&self, buf: &mut Buffer<'q>) -> Result<IsNull, BoxDynError> {
                let write: fn(&$type) -> String = $write;
                <String as Encode<'q, Any>>::encode(write(self), buf)
            }
        }
    };
}

text_column!(Date, Date::parse, |date| date.iso(), "date");
text_column!(
    ClockTime,
    ClockTime::parse,
    |time| time.display(),
    "time of day"
);

impl Type<Any> for Levels {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Levels {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        <i64 as Decode<'r, Any>>::decode(value).map(Levels)
    }
}

impl<'q> Encode<'q, Any> for Levels {
    fn encode_by_ref(&self, buf: &mut Buffer<'q>) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Any>>::encode(self.0, buf)
    }
}
