//! Rules of the ward's world as plain functions over plain types. Compiled for both the server
//! and the browser, free of I/O, so every rule is unit-tested without a database.

pub mod audit;
pub mod backup;
pub mod checkin;
pub mod complaint;
pub mod constituency;
pub mod counting;
pub mod format;
pub mod ids;
pub mod list_update;
pub mod login_throttle;
pub mod meeting;
pub mod meeting_record;
pub mod petition;
pub mod reconciliation;
pub mod role;
pub mod session_policy;
pub mod text;
pub mod turnout;
pub mod turnout_report;
pub mod user;
pub mod voter;
pub mod ward;
