-- PostgreSQL announces committed changes to every server (its 0018_change_feed.sql). A SQLite
-- file is served by one server only, which applies its own changes as it commits them.
select 1;
