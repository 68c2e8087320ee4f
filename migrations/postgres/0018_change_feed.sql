-- The change feed: every server keeps one LISTEN connection on the channel 'cutri' and applies
-- what others committed (engine/change_feed.rs). The triggers below announce from inside the
-- writing transaction, so PostgreSQL delivers an announcement only if and after the change
-- commits, whoever wrote it (a server, the command line). Announcements carry ids, never rows:
-- a payload must stay under 8.000 bytes.
--
-- Each message: {"origin": the writing server's cutri.origin setting (set on its connections;
-- null for other writers), "xid": the writing transaction's id, "kind", "body"}. A server skips
-- its own messages (it applied them as it committed) and uses the xid to tell whether a
-- turnout snapshot it read already holds the change.

create function cutri_announce(kind text, body jsonb, coarse jsonb) returns void
language plpgsql as $$
declare
    message text;
begin
    if body is null then
        return; -- the statement changed no row
    end if;
    message := jsonb_build_object(
        'origin', current_setting('cutri.origin', true),
        'xid', pg_current_xact_id()::text,
        'kind', kind,
        'body', body)::text;
    if octet_length(message) > 7900 then
        message := jsonb_build_object(
            'origin', current_setting('cutri.origin', true),
            'xid', pg_current_xact_id()::text,
            'kind', kind || '_coarse',
            'body', coarse)::text;
    end if;
    perform pg_notify('cutri', message);
end $$;

-- Check-ins and undos, as movements of the counts: [election, area, levels, +n/-n, highest
-- number, its time], at most 150 to a message (a batch of check-ins spread over hundreds of
-- areas makes several messages rather than one too long). A message still too long names the
-- elections, which every server then recounts.
create function cutri_check_ins_inserted() returns trigger
language plpgsql as $$
declare
    moves_of_one_message jsonb;
begin
    for moves_of_one_message in
        select jsonb_agg(jsonb_build_array(election_id, polling_area_id, levels, moved, last_number, last_at))
          from (select *, (row_number() over (order by election_id, polling_area_id, levels) - 1) / 150 as message
                  from (select election_id, polling_area_id, levels, count(*) as moved,
                               max(number) as last_number, max(at_ms) as last_at
                          from inserted_check_ins where undone = 0
                         group by election_id, polling_area_id, levels) as moves) as numbered
         group by message
    loop
        perform cutri_announce('turnout', moves_of_one_message,
            (select jsonb_agg(distinct election_id) from inserted_check_ins));
    end loop;
    return null;
end $$;

create trigger check_ins_announce_inserted after insert on check_ins
    referencing new table as inserted_check_ins
    for each statement execute function cutri_check_ins_inserted();

create function cutri_check_ins_updated() returns trigger
language plpgsql as $$
begin
    perform cutri_announce('turnout',
        (select jsonb_agg(jsonb_build_array(election_id, polling_area_id, levels, moved, null, null))
           from (select after.election_id, after.polling_area_id, after.levels,
                        sum(before.undone - after.undone) as moved
                   from updated_after as after join updated_before as before on before.id = after.id
                  where before.undone <> after.undone
                  group by after.election_id, after.polling_area_id, after.levels) as moves),
        (select jsonb_agg(distinct election_id) from updated_after));
    return null;
end $$;

create trigger check_ins_announce_updated after update on check_ins
    referencing old table as updated_before new table as updated_after
    for each statement execute function cutri_check_ins_updated();

-- Voters added, corrected or removed: their ids per election (a server re-reads them for its
-- search index and recounts the lists); an import's thousands: the election, read again whole.
create function cutri_voters_changed() returns trigger
language plpgsql as $$
begin
    perform cutri_announce('voters',
        (select jsonb_agg(jsonb_build_object('election', election_id, 'voters', voters))
           from (select election_id, jsonb_agg(id) as voters from changed_voters
                  group by election_id having count(*) <= 64) as named),
        (select jsonb_agg(jsonb_build_object('election', election_id))
           from (select distinct election_id from changed_voters) as elections));
    -- An election with more than 64 changed voters is announced whole.
    perform cutri_announce('voters',
        (select jsonb_agg(jsonb_build_object('election', election_id))
           from (select election_id from changed_voters
                  group by election_id having count(*) > 64) as whole),
        null);
    return null;
end $$;

create trigger voters_announce_inserted after insert on voters
    referencing new table as changed_voters
    for each statement execute function cutri_voters_changed();
create trigger voters_announce_updated after update on voters
    referencing new table as changed_voters
    for each statement execute function cutri_voters_changed();
create trigger voters_announce_deleted after delete on voters
    referencing old table as changed_voters
    for each statement execute function cutri_voters_changed();

-- A table whose change every server applies whole, whatever rows changed: the kind announced
-- is the trigger's argument. 'accounts': sessions ended, accounts changed (disabled, password),
-- station areas reassigned: every server forgets the sessions it keeps in memory. 'setup':
-- elections and polling areas created, corrected or removed (names, hours): every server reads
-- its turnout boards again.
create function cutri_table_changed() returns trigger
language plpgsql as $$
begin
    if exists (select 1 from changed_rows) then
        perform cutri_announce(TG_ARGV[0], '{}'::jsonb, '{}'::jsonb);
    end if;
    return null;
end $$;

create trigger sessions_announce_deleted after delete on sessions
    referencing old table as changed_rows
    for each statement execute function cutri_table_changed('accounts');
create trigger users_announce_updated after update on users
    referencing new table as changed_rows
    for each statement execute function cutri_table_changed('accounts');
create trigger user_areas_announce_inserted after insert on user_polling_areas
    referencing new table as changed_rows
    for each statement execute function cutri_table_changed('accounts');
create trigger user_areas_announce_deleted after delete on user_polling_areas
    referencing old table as changed_rows
    for each statement execute function cutri_table_changed('accounts');

create trigger elections_announce_inserted after insert on elections
    referencing new table as changed_rows
    for each statement execute function cutri_table_changed('setup');
create trigger elections_announce_updated after update on elections
    referencing new table as changed_rows
    for each statement execute function cutri_table_changed('setup');
create trigger elections_announce_deleted after delete on elections
    referencing old table as changed_rows
    for each statement execute function cutri_table_changed('setup');
create trigger areas_announce_inserted after insert on polling_areas
    referencing new table as changed_rows
    for each statement execute function cutri_table_changed('setup');
create trigger areas_announce_updated after update on polling_areas
    referencing new table as changed_rows
    for each statement execute function cutri_table_changed('setup');
create trigger areas_announce_deleted after delete on polling_areas
    referencing old table as changed_rows
    for each statement execute function cutri_table_changed('setup');
