//! All SQL lives here. One implementation serves SQLite (the embedded default) and PostgreSQL
//! through sqlx's `Any` driver; the few statements that differ branch on `Engine`.

pub mod audit;
pub mod audit_reconcile;
pub mod backup;
pub mod change_feed;
pub mod checkins;
pub mod columns;
pub mod complaints;
pub mod constituencies;
pub mod counting;
pub mod db;
pub mod form_outcomes;
pub mod json_rows;
pub mod login_attempts;
pub mod meetings;
pub mod petitions;
pub mod sessions;
pub mod staged_imports;
pub mod turnout_reports;
pub mod users;
pub mod voters;

pub use db::{Db, Engine, WriteTx};
