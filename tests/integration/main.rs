//! Integration tests: the real server over real HTTP against a real database, every story on
//! SQLite and (when CUTRI_TEST_POSTGRES_URL is set) on PostgreSQL.

mod access;
mod audit_chain;
mod audit_export;
mod audit_reconcile;
mod backup;
mod checkin;
mod checkin_form;
mod complaints;
mod constituencies;
mod counting;
mod document_wording;
mod failover;
mod http_answers;
mod import_messages;
mod import_new;
mod list_export;
mod login_hardening;
mod meetings;
mod petitions;
mod preparation;
mod search;
mod sessions;
mod setup;
mod single_server;
mod storage;
mod support;
mod turnout_reports;
mod two_servers;
mod voter_card;
mod voter_lists;
mod web_security;
mod xlsx_import;
