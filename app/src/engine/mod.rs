//! The parts every request shares and that live as long as the server: the one writer of
//! check-ins, the live tally board, the in-memory voter search, staged imports, the session
//! cache, the sign-in budgets and hashing slots, the backup routine, and the change feed that
//! keeps several servers in step. Below the features: they know storage and the domain, never
//! a page or a server function.

pub mod backups;
pub mod change_feed;
pub mod checkin_desk;
pub mod import_staging;
pub mod login_limits;
pub mod name_match;
pub mod password;
pub mod search_index;
pub mod session_cache;
pub mod tally;
