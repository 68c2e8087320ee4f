//! Reconciles the tables with the audit log (see `domain::reconciliation`): every check-in,
//! undo, voter addition, status change, import, finalised counting and finalised meeting
//! against the records that describe it, and back. Each comparison is one set-based statement
//! over a whole table (an aggregate, so no planner bets on finding a mismatch early), run in one
//! snapshot so a check-in written meanwhile is seen with its record or not at all. Only the
//! first mismatch of a kind is then looked up for its details.

use crate::domain::ids::{AreaId, CheckInId, ImportId, MeetingId, VoterId};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use super::db::{Db, Engine};
use crate::domain::counting::BallotLevel;
use crate::domain::reconciliation::{
    first_import_mismatch, AreaRef, CheckInRef, Finding, Mismatch, Reconciled, Reconciliation,
    RecordedImport, VoterRef,
};

/// The records that set a voter's status, and every record about one voter.
const STATUS_ACTIONS: &str = "'voter.remove', 'voter.restore', 'voter.vote_elsewhere'";
const VOTER_ACTIONS: &str =
    "'voter.add', 'voter.edit', 'voter.remove', 'voter.restore', 'voter.vote_elsewhere'";
/// The records that lock or reopen a meeting's minutes.
const MEETING_ACTIONS: &str = "'meeting.finalise', 'meeting.correction.open'";

/// The expressions that differ between the engines: pulling the facts out of the records'
/// summaries. The check-in records are `luot=N khu_vuc=A cap=L …` text (see `checkin::desk`),
/// the others JSON; entities are `kind:id`.
#[derive(Clone, Copy)]
struct Dialect(Engine);

impl Dialect {
    /// The integer after `key=` in a `key=value key=value` summary.
    fn number_after(self, column: &str, key: &str) -> String {
        match self.0 {
            // A cast reads the longest integer prefix and ignores the rest.
            Engine::Sqlite => format!(
                "cast(substr({column}, instr({column}, '{key}=') + {}) as integer)",
                key.len() + 1
            ),
            Engine::Postgres => {
                format!("cast(split_part(split_part({column}, '{key}=', 2), ' ', 1) as bigint)")
            }
        }
    }

    /// The id in an entity `kind:id` (or `kind:id:more`).
    fn entity_id(self, column: &str) -> String {
        match self.0 {
            Engine::Sqlite => {
                format!("cast(substr({column}, instr({column}, ':') + 1) as integer)")
            }
            Engine::Postgres => format!("cast(split_part({column}, ':', 2) as bigint)"),
        }
    }

    /// A text field of a JSON summary.
    fn json_text(self, column: &str, field: &str) -> String {
        match self.0 {
            Engine::Sqlite => format!("json_extract({column}, '$.{field}')"),
            Engine::Postgres => format!("(cast({column} as jsonb) ->> '{field}')"),
        }
    }

    /// An integer field of a JSON summary.
    fn json_number(self, column: &str, field: &str) -> String {
        match self.0 {
            Engine::Sqlite => format!("json_extract({column}, '$.{field}')"),
            Engine::Postgres => format!("cast(cast({column} as jsonb) ->> '{field}' as bigint)"),
        }
    }
}

/// The entity a `counting.finalise` record names for a `counting_finals` row `f`:
/// `counting:<area id>:<level slug>`.
fn final_entity() -> String {
    let slugs: String = BallotLevel::ALL
        .iter()
        .map(|level| format!(" when {} then '{}'", level.levels().0, level.slug()))
        .collect();
    format!("'counting:' || f.polling_area_id || ':' || (case f.level{slugs} end)")
}

/// A kind of mismatch counted over its table: how many, and the first one's key.
struct Tally {
    mismatches: i64,
    first: Option<i64>,
}

impl Tally {
    fn of(row: &AnyRow) -> Result<Tally, sqlx::Error> {
        Ok(Tally {
            mismatches: row.try_get(0)?,
            first: row.try_get(1)?,
        })
    }

    /// The first mismatch's key, when there is one.
    fn first(&self) -> Option<i64> {
        self.first.filter(|_| self.mismatches > 0)
    }

    fn finding(&self, mismatch: Mismatch) -> Finding {
        Finding {
            mismatch,
            others: self.mismatches - 1,
        }
    }
}

struct Reconciler {
    tx: Transaction<'static, Any>,
    sql: Dialect,
}

/// Reconciles the whole database; the first mismatch found, or what was reconciled.
pub async fn reconcile(db: &Db) -> Result<Reconciliation, sqlx::Error> {
    let mut reconciler = Reconciler {
        tx: db.begin_snapshot().await?,
        sql: Dialect(db.engine()),
    };
    let finding = reconciler.first_finding().await?;
    let result = match finding {
        Some(finding) => Reconciliation::Inconsistent(finding),
        None => Reconciliation::Consistent(reconciler.reconciled().await?),
    };
    reconciler.tx.rollback().await?;
    Ok(result)
}

impl Reconciler {
    /// The checks in the order the report names their mismatches.
    async fn first_finding(&mut self) -> Result<Option<Finding>, sqlx::Error> {
        if let Some(finding) = self.check_ins().await? {
            return Ok(Some(finding));
        }
        if let Some(finding) = self.voters().await? {
            return Ok(Some(finding));
        }
        if let Some(finding) = self.imports().await? {
            return Ok(Some(finding));
        }
        if let Some(finding) = self.counting_finals().await? {
            return Ok(Some(finding));
        }
        self.meetings().await
    }

    fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    async fn tally(&mut self, sql: &str) -> Result<Tally, sqlx::Error> {
        let row = sqlx::query(sql).fetch_one(self.conn()).await?;
        Tally::of(&row)
    }

    /// Check-in rows, `checkin.record` and `checkin.undo` records in one pass: all three grouped
    /// by the check-in they name (area, number, voter), a group agreeing when it has as many rows
    /// as records, as many undone rows as undo records and the same ballots on both sides.
    async fn check_ins(&mut self) -> Result<Option<Finding>, sqlx::Error> {
        let sql = self.sql;
        let (area, number, levels) = (
            sql.number_after("after_summary", "khu_vuc"),
            sql.number_after("after_summary", "luot"),
            sql.number_after("after_summary", "cap"),
        );
        let (undo_area, undo_number) = (
            sql.number_after("before_summary", "khu_vuc"),
            sql.number_after("before_summary", "luot"),
        );
        let voter = sql.entity_id("entity");
        let query = format!(
            "with facts as ( \
               select polling_area_id as area_id, number, voter_id, levels, undone, \
                      id as check_in_id, 1 as is_row, 0 as is_record, 0 as is_undo, \
                      cast(null as bigint) as seq \
               from check_ins \
               union all \
               select {area}, {number}, {voter}, {levels}, 0, null, 0, 1, 0, seq \
               from audit_log where action = 'checkin.record' \
               union all \
               select {undo_area}, {undo_number}, {voter}, null, 0, null, 0, 0, 1, seq \
               from audit_log where action = 'checkin.undo'), \
             groups as ( \
               select area_id, number, voter_id, \
                      cast(sum(is_row) as bigint) as row_count, \
                      cast(sum(undone) as bigint) as undone_count, \
                      cast(sum(is_record) as bigint) as record_count, \
                      cast(sum(is_undo) as bigint) as undo_count, \
                      min(check_in_id) as check_in_id, \
                      min(case when is_row = 1 then levels end) as row_levels, \
                      min(case when is_record = 1 then levels end) as least_recorded_levels, \
                      max(case when is_record = 1 then levels end) as most_recorded_levels, \
                      max(case when is_record = 1 then seq end) as record_seq, \
                      max(case when is_undo = 1 then seq end) as undo_seq \
               from facts group by area_id, number, voter_id) \
             select g.area_id, g.number, g.voter_id, g.row_count, g.undone_count, g.record_count, \
                    g.undo_count, g.check_in_id, g.row_levels, g.least_recorded_levels, \
                    g.record_seq, g.undo_seq, p.number as area_number, \
                    count(*) over () as mismatches \
             from groups g left join polling_areas p on p.id = g.area_id \
             where g.row_count <> g.record_count or g.undone_count <> g.undo_count \
                or g.row_levels <> g.least_recorded_levels \
                or g.least_recorded_levels <> g.most_recorded_levels \
             order by g.check_in_id is null, g.check_in_id, g.record_seq, g.undo_seq \
             limit 1"
        );
        let Some(row) = sqlx::query(&query).fetch_optional(self.conn()).await? else {
            return Ok(None);
        };
        let area_id: AreaId = row.try_get("area_id")?;
        let check_in = CheckInRef {
            voter_id: row.try_get("voter_id")?,
            area: match row.try_get::<Option<i64>, _>("area_number")? {
                Some(number) => AreaRef::Number(number),
                None => AreaRef::MissingId(area_id),
            },
            number: row.try_get("number")?,
        };
        let count = |column: &str| row.try_get::<i64, _>(column);
        let check_in_id: Option<CheckInId> = row.try_get("check_in_id")?;
        let record_seq: Option<i64> = row.try_get("record_seq")?;
        let undo_seq: Option<i64> = row.try_get("undo_seq")?;
        let mismatch = match (check_in_id, record_seq, undo_seq) {
            // More records than rows (none, or a row since deleted whose number was given again
            // to the same voter): the newest record is the one without its row.
            (_, Some(seq), _) if count("record_count")? > count("row_count")? => {
                Mismatch::CheckInRecordWithoutRow { seq, check_in }
            }
            (_, _, Some(seq)) if count("undo_count")? > count("undone_count")? => {
                Mismatch::UndoRecordWithoutUndone { seq, check_in }
            }
            (Some(check_in_id), _, _)
                if count("undone_count")? > count("undo_count")?
                    && count("row_count")? == count("record_count")? =>
            {
                Mismatch::UndoUnrecorded {
                    check_in_id,
                    check_in,
                }
            }
            (Some(check_in_id), _, _) => Mismatch::CheckInUnrecorded {
                check_in_id,
                check_in,
            },
            // A group without a row has a record or an undo record: one of the arms above.
            (None, _, _) => {
                return Err(sqlx::Error::Protocol(
                    "reconciliation: a mismatched check-in group with neither row nor record"
                        .into(),
                ))
            }
        };
        Ok(Some(Finding {
            mismatch,
            others: count("mismatches")? - 1,
        }))
    }

    /// Voters added one by one against their `voter.add` records, every record about a voter
    /// against the voter's row, and each voter's status against the last status record. A
    /// voter is matched on id, card number and area number, which every voter record carries
    /// and nothing changes: SQLite gives a deleted voter's id to the next row inserted.
    async fn voters(&mut self) -> Result<Option<Finding>, sqlx::Error> {
        let sql = self.sql;
        let voter = sql.entity_id("entity");
        let (stt, area) = (
            sql.json_number("after_summary", "stt"),
            sql.json_number("after_summary", "area"),
        );
        let unrecorded = self
            .tally(&format!(
                "with added as ( \
                   select {voter} as voter_id, {stt} as stt, {area} as area_number \
                   from audit_log where action = 'voter.add') \
                 select count(*), min(v.id) from voters v \
                 join polling_areas p on p.id = v.polling_area_id \
                 where v.import_id is null and not exists ( \
                   select 1 from added a where a.voter_id = v.id and a.stt = v.stt \
                   and a.area_number = p.number)"
            ))
            .await?;
        if let Some(id) = unrecorded.first() {
            let voter = self.voter(VoterId::new(id)).await?;
            return Ok(Some(unrecorded.finding(Mismatch::VoterUnrecorded(voter))));
        }

        let orphaned = self
            .tally(&format!(
                "with recorded as ( \
                   select seq, {voter} as voter_id, {stt} as stt, {area} as area_number \
                   from audit_log where action in ({VOTER_ACTIONS})) \
                 select count(*), min(r.seq) from recorded r where not exists ( \
                   select 1 from voters v join polling_areas p on p.id = v.polling_area_id \
                   where v.id = r.voter_id and v.stt = r.stt and p.number = r.area_number)"
            ))
            .await?;
        if let Some(seq) = orphaned.first() {
            let voter_id = VoterId::new(self.entity_id(seq).await?);
            return Ok(Some(
                orphaned.finding(Mismatch::VoterRecordWithoutRow { seq, voter_id }),
            ));
        }

        let recorded_status = sql.json_text("a.after_summary", "status");
        let status = self
            .tally(&format!(
                "with latest as ( \
                   select {voter} as voter_id, max(seq) as seq from audit_log \
                   where action in ({STATUS_ACTIONS}) group by entity) \
                 select count(*), min(v.id) from voters v \
                 left join latest l on l.voter_id = v.id \
                 left join audit_log a on a.seq = l.seq \
                 where v.status <> coalesce({recorded_status}, 'active')"
            ))
            .await?;
        let Some(id) = status.first().map(VoterId::new) else {
            return Ok(None);
        };
        let voter = self.voter(id).await?;
        let current: String = sqlx::query_scalar("select status from voters where id = $1")
            .bind(id)
            .fetch_one(self.conn())
            .await?;
        let last_recorded = format!(
            "select {} from audit_log where action in ({STATUS_ACTIONS}) and entity = $1 \
             order by seq desc limit 1",
            sql.json_text("after_summary", "status")
        );
        let recorded: Option<String> = sqlx::query_scalar(&last_recorded)
            .bind(format!("voter:{id}"))
            .fetch_optional(self.conn())
            .await?;
        Ok(Some(status.finding(Mismatch::VoterStatusUnrecorded {
            voter,
            status: current,
            recorded: recorded.unwrap_or_else(|| "active".to_string()),
        })))
    }

    /// The voters of each import against the count its `voters.import` record holds (the record
    /// keeps the file's totals, not the voters).
    async fn imports(&mut self) -> Result<Option<Finding>, sqlx::Error> {
        let query = format!(
            "select seq, {}, {} from audit_log where action = 'voters.import' order by seq",
            self.sql.entity_id("entity"),
            self.sql.json_number("after_summary", "rows")
        );
        let recorded = sqlx::query(&query)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(|row| {
                Ok(RecordedImport {
                    seq: row.try_get(0)?,
                    import_id: row.try_get(1)?,
                    voters: row.try_get(2)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let listed = sqlx::query(
            "select import_id, count(*) from voters where import_id is not null \
             group by import_id order by import_id",
        )
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<Vec<(ImportId, i64)>, sqlx::Error>>()?;
        Ok(first_import_mismatch(&recorded, &listed))
    }

    /// Finalised counting minutes against `counting.finalise` records with the same data hash.
    async fn counting_finals(&mut self) -> Result<Option<Finding>, sqlx::Error> {
        let entity = final_entity();
        let recorded_hash = self.sql.json_text("a.after_summary", "data_hash");
        let unrecorded = self
            .tally(&format!(
                "select count(*), min(f.id) from counting_finals f where not exists ( \
                   select 1 from audit_log a where a.action = 'counting.finalise' \
                   and a.entity = {entity} and {recorded_hash} = f.data_hash)"
            ))
            .await?;
        if let Some(id) = unrecorded.first() {
            let row = sqlx::query(
                "select f.polling_area_id, p.number, f.level from counting_finals f \
                 left join polling_areas p on p.id = f.polling_area_id where f.id = $1",
            )
            .bind(id)
            .fetch_one(self.conn())
            .await?;
            let level = BallotLevel::from_bit(row.try_get(2)?).ok_or(sqlx::Error::RowNotFound)?;
            let area = area_ref(row.try_get(0)?, row.try_get(1)?);
            return Ok(Some(
                unrecorded.finding(Mismatch::CountingFinalUnrecorded { area, level }),
            ));
        }
        let orphaned = self
            .tally(&format!(
                "select count(*), min(a.seq) from audit_log a \
                 where a.action = 'counting.finalise' and not exists ( \
                   select 1 from counting_finals f \
                   where {entity} = a.entity and f.data_hash = {recorded_hash})"
            ))
            .await?;
        let Some(seq) = orphaned.first() else {
            return Ok(None);
        };
        let entity: String = sqlx::query_scalar("select entity from audit_log where seq = $1")
            .bind(seq)
            .fetch_one(self.conn())
            .await?;
        let mut parts = entity.split(':').skip(1);
        let area_id = AreaId::new(parts.next().and_then(|id| id.parse().ok()).unwrap_or(0));
        let level = parts.next().and_then(BallotLevel::parse);
        let area = self.area(area_id).await?;
        Ok(Some(orphaned.finding(
            Mismatch::CountingRecordWithoutFinal { seq, area, level },
        )))
    }

    /// Each meeting's status against its latest finalise-or-reopen record.
    async fn meetings(&mut self) -> Result<Option<Finding>, sqlx::Error> {
        let marks = format!(
            "with marks as ( \
               select seq, {} as meeting_id, action from audit_log \
               where action in ({MEETING_ACTIONS})), \
             latest as (select meeting_id, max(seq) as seq from marks group by meeting_id)",
            self.sql.entity_id("entity")
        );
        let unrecorded = self
            .tally(&format!(
                "{marks} select count(*), min(m.id) from meetings m \
                 left join latest l on l.meeting_id = m.id left join marks k on k.seq = l.seq \
                 where m.status = 'finalised' \
                   and (k.action is null or k.action <> 'meeting.finalise')"
            ))
            .await?;
        if let Some(meeting_id) = unrecorded.first().map(MeetingId::new) {
            return Ok(Some(
                unrecorded.finding(Mismatch::MeetingFinalUnrecorded { meeting_id }),
            ));
        }
        let orphaned = self
            .tally(&format!(
                "{marks} select count(*), min(k.seq) from latest l \
                 join marks k on k.seq = l.seq left join meetings m on m.id = k.meeting_id \
                 where k.action = 'meeting.finalise' and (m.id is null or m.status <> 'finalised')"
            ))
            .await?;
        let Some(seq) = orphaned.first() else {
            return Ok(None);
        };
        let meeting_id = MeetingId::new(self.entity_id(seq).await?);
        Ok(Some(orphaned.finding(
            Mismatch::MeetingRecordNotFinalised { seq, meeting_id },
        )))
    }

    async fn reconciled(&mut self) -> Result<Reconciled, sqlx::Error> {
        let row = sqlx::query(
            "select (select count(*) from check_ins), \
                    (select count(*) from check_ins where undone = 1), \
                    (select count(*) from voters), \
                    (select count(*) from voters where import_id is null), \
                    (select count(*) from audit_log where action = 'voters.import'), \
                    (select count(*) from voters where status <> 'active'), \
                    (select count(*) from counting_finals), \
                    (select count(*) from meetings where status = 'finalised')",
        )
        .fetch_one(self.conn())
        .await?;
        Ok(Reconciled {
            check_ins: row.try_get(0)?,
            undone: row.try_get(1)?,
            voters: row.try_get(2)?,
            voters_added: row.try_get(3)?,
            imports: row.try_get(4)?,
            voters_not_active: row.try_get(5)?,
            counting_finals: row.try_get(6)?,
            finalised_meetings: row.try_get(7)?,
        })
    }

    async fn voter(&mut self, id: VoterId) -> Result<VoterRef, sqlx::Error> {
        let row = sqlx::query(
            "select v.id, p.number, v.stt from voters v \
             join polling_areas p on p.id = v.polling_area_id where v.id = $1",
        )
        .bind(id)
        .fetch_one(self.conn())
        .await?;
        Ok(VoterRef {
            voter_id: row.try_get(0)?,
            area_number: row.try_get(1)?,
            stt: row.try_get(2)?,
        })
    }

    /// The id in the entity of record `seq`.
    async fn entity_id(&mut self, seq: i64) -> Result<i64, sqlx::Error> {
        let query = format!(
            "select {} from audit_log where seq = $1",
            self.sql.entity_id("entity")
        );
        sqlx::query_scalar(&query)
            .bind(seq)
            .fetch_one(self.conn())
            .await
    }

    async fn area(&mut self, id: AreaId) -> Result<AreaRef, sqlx::Error> {
        let number: Option<i64> =
            sqlx::query_scalar("select number from polling_areas where id = $1")
                .bind(id)
                .fetch_optional(self.conn())
                .await?;
        Ok(area_ref(id, number))
    }
}

fn area_ref(id: AreaId, number: Option<i64>) -> AreaRef {
    match number {
        Some(number) => AreaRef::Number(number),
        None => AreaRef::MissingId(id),
    }
}
