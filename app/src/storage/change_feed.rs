//! What PostgreSQL announces on the channel `cutri` after a commit (the triggers of
//! `migrations/postgres/0018_change_feed.sql`), decoded once into typed changes; the snapshot
//! a turnout read saw, to tell whether it already holds an announced change; and the heartbeat
//! a server sends itself to know its listening connection still hears.

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::domain::ids::{AreaId, ElectionId, VoterId};
use crate::domain::voter::Levels;

/// The one channel every server listens on.
pub const CHANNEL: &str = "cutri";

/// One committed change, as announced.
#[derive(Debug, Clone, PartialEq)]
pub struct Announcement {
    /// The writing server's origin (`Db::origin`); `None` for writers that are not a server
    /// (the command line, a hand-run statement).
    pub origin: Option<String>,
    /// The writing transaction's id (0 for a heartbeat).
    pub xid: u64,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Check-ins and undos of one transaction, as movements of the counts.
    Turnout(Vec<CountMove>),
    /// Too many movements to name: these elections' counts are to be read again.
    TurnoutOf(Vec<ElectionId>),
    /// Voters added, corrected or removed, per election: the named ones, or `None` for the
    /// whole list (an import).
    Voters(Vec<(ElectionId, Option<Vec<VoterId>>)>),
    /// A session ended, an account changed or a station's areas were reassigned.
    Accounts,
    /// An election or a polling area was created, corrected or removed.
    Setup,
    /// A server's heartbeat to itself (`send_heartbeat`).
    Heartbeat,
}

/// Check-ins (`delta` > 0) or undos (`delta` < 0) of one area and one set of ballot levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountMove {
    pub election_id: ElectionId,
    pub area_id: AreaId,
    pub levels: Levels,
    pub delta: i64,
    /// (number, time) of the area's newest check-in among them.
    pub latest: Option<(i64, i64)>,
}

/// The message as the triggers write it.
#[derive(Deserialize)]
struct Message {
    origin: Option<String>,
    xid: String,
    kind: String,
    #[serde(default)]
    body: serde_json::Value,
}

#[derive(Deserialize)]
struct VotersOfElection {
    election: ElectionId,
    voters: Option<Vec<VoterId>>,
}

/// [election, area, levels, delta, highest number or null, its time or null]
type MoveRow = (ElectionId, AreaId, i64, i64, Option<i64>, Option<i64>);

/// Reads one announcement; an error names what did not fit (a message of a newer version).
pub fn decode(payload: &str) -> Result<Announcement, String> {
    let message: Message = serde_json::from_str(payload).map_err(|error| error.to_string())?;
    let xid = message
        .xid
        .parse()
        .map_err(|_| format!("xid {:?} is not a transaction id", message.xid))?;
    let body = message.body;
    let wrong = |error: serde_json::Error| format!("{}: {error}", message.kind);
    let change = match message.kind.as_str() {
        "turnout" => {
            let rows: Vec<MoveRow> = serde_json::from_value(body).map_err(wrong)?;
            Change::Turnout(
                rows.into_iter()
                    .map(
                        |(election_id, area_id, levels, delta, number, at)| CountMove {
                            election_id,
                            area_id,
                            levels: Levels(levels),
                            delta,
                            latest: number.zip(at),
                        },
                    )
                    .collect(),
            )
        }
        "turnout_coarse" => Change::TurnoutOf(serde_json::from_value(body).map_err(wrong)?),
        "voters" | "voters_coarse" => {
            let elections: Vec<VotersOfElection> = serde_json::from_value(body).map_err(wrong)?;
            Change::Voters(
                elections
                    .into_iter()
                    .map(|named| (named.election, named.voters))
                    .collect(),
            )
        }
        "accounts" => Change::Accounts,
        "setup" => Change::Setup,
        "heartbeat" => Change::Heartbeat,
        other => return Err(format!("unknown kind {other:?}")),
    };
    Ok(Announcement {
        origin: message.origin,
        xid,
        change,
    })
}

/// A heartbeat, written as the triggers write their messages.
#[derive(Serialize)]
struct Heartbeat<'a> {
    origin: &'a str,
    xid: &'static str,
    kind: &'static str,
}

/// Sends this server's heartbeat through the database to its own listening connection.
pub async fn send_heartbeat(pool: &AnyPool, origin: &str) -> Result<(), sqlx::Error> {
    let message = Heartbeat {
        origin,
        xid: "0",
        kind: "heartbeat",
    };
    let message =
        serde_json::to_string(&message).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(message)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Which transactions a PostgreSQL snapshot sees as committed (`pg_current_snapshot()`):
/// those below `xmin`, and those below `xmax` that were not in progress when it was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    xmin: u64,
    xmax: u64,
    in_progress: Vec<u64>,
}

impl Snapshot {
    /// Reads `xmin:xmax:xip,xip,…`.
    pub fn parse(text: &str) -> Option<Snapshot> {
        let mut parts = text.trim().splitn(3, ':');
        let xmin = parts.next()?.parse().ok()?;
        let xmax = parts.next()?.parse().ok()?;
        let in_progress = match parts.next()? {
            "" => Vec::new(),
            list => list
                .split(',')
                .map(|xid| xid.parse().ok())
                .collect::<Option<Vec<u64>>>()?,
        };
        Some(Snapshot {
            xmin,
            xmax,
            in_progress,
        })
    }

    /// Whether the committed transaction `xid` is among what this snapshot saw.
    pub fn sees(&self, xid: u64) -> bool {
        xid < self.xmin || (xid < self.xmax && !self.in_progress.contains(&xid))
    }
}

/// The snapshot of the transaction `connection` is in; its first statement takes it (in a
/// REPEATABLE READ transaction every later read sees the same).
pub async fn current_snapshot(connection: &mut AnyConnection) -> Result<Snapshot, sqlx::Error> {
    let text: String = sqlx::query("select pg_current_snapshot()::text")
        .fetch_one(connection)
        .await?
        .try_get(0)?;
    Snapshot::parse(&text).ok_or_else(|| {
        crate::storage::db::decode_error("pg_current_snapshot", format!("cannot read {text:?}"))
    })
}

#[cfg(test)]
mod tests {
    use super::{decode, Change, CountMove, Snapshot};
    use crate::domain::ids::{AreaId, ElectionId, VoterId};
    use crate::domain::voter::Levels;

    #[test]
    fn a_snapshot_sees_what_committed_before_it_and_nothing_in_progress() {
        let snapshot = Snapshot::parse("100:105:101,103").expect("snapshot");
        assert!(snapshot.sees(99));
        assert!(snapshot.sees(100));
        assert!(!snapshot.sees(101));
        assert!(snapshot.sees(102));
        assert!(!snapshot.sees(103));
        assert!(snapshot.sees(104));
        assert!(!snapshot.sees(105));
        assert!(!snapshot.sees(200));
        let none_running = Snapshot::parse("7:7:").expect("snapshot");
        assert!(none_running.sees(6) && !none_running.sees(7));
        assert_eq!(Snapshot::parse("7:x:"), None);
    }

    #[test]
    fn announcements_decode_into_their_changes() {
        let turnout = decode(
            r#"{"origin":"a1","xid":"812","kind":"turnout","body":[[1,2,7,3,41,1700000000000],[1,3,4,-1,null,null]]}"#,
        )
        .expect("turnout");
        assert_eq!(turnout.origin.as_deref(), Some("a1"));
        assert_eq!(turnout.xid, 812);
        assert_eq!(
            turnout.change,
            Change::Turnout(vec![
                CountMove {
                    election_id: ElectionId::new(1),
                    area_id: AreaId::new(2),
                    levels: Levels(7),
                    delta: 3,
                    latest: Some((41, 1_700_000_000_000)),
                },
                CountMove {
                    election_id: ElectionId::new(1),
                    area_id: AreaId::new(3),
                    levels: Levels(4),
                    delta: -1,
                    latest: None,
                },
            ])
        );
        let voters = decode(
            r#"{"origin":null,"xid":"9","kind":"voters","body":[{"election":1,"voters":[5,6]},{"election":2}]}"#,
        )
        .expect("voters");
        assert_eq!(voters.origin, None);
        assert_eq!(
            voters.change,
            Change::Voters(vec![
                (
                    ElectionId::new(1),
                    Some(vec![VoterId::new(5), VoterId::new(6)])
                ),
                (ElectionId::new(2), None),
            ])
        );
        let coarse = decode(r#"{"origin":"a","xid":"3","kind":"turnout_coarse","body":[4]}"#);
        assert_eq!(
            coarse.expect("coarse").change,
            Change::TurnoutOf(vec![ElectionId::new(4)])
        );
        assert!(decode(r#"{"origin":"a","xid":"3","kind":"what"}"#).is_err());
        assert!(decode(r#"{"origin":"a","xid":"x","kind":"setup"}"#).is_err());
        assert!(decode("not json").is_err());
    }
}
