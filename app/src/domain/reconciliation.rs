//! Reconciliation of the data with the audit log: what `cutri audit verify` checks after the
//! hash chain. An intact chain proves the records were not touched; only comparing them with
//! the tables shows a row deleted or changed behind the application's back (a check-in deleted
//! so its voter can vote again, a check-in marked undone without an undo). The findings are
//! named here, in Vietnamese and English, in one place.

use super::counting::BallotLevel;
use super::format::count;
use crate::domain::ids::{AreaId, CheckInId, ImportId, MeetingId, VoterId};
use crate::locale::Locale;

/// A check-in as the log names it: the voter, the polling area and the running number in the
/// area (unique in the area, so it identifies the check-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInRef {
    pub voter_id: VoterId,
    pub area: AreaRef,
    pub number: i64,
}

/// A polling area: its number (KVBP N) or, when the row is gone, the id a record names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaRef {
    Number(i64),
    MissingId(AreaId),
}

/// A voter as the reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoterRef {
    pub voter_id: VoterId,
    pub area_number: i64,
    /// Row number in the area's list = voter-card number.
    pub stt: i64,
}

/// The first thing found that the data and the log disagree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// A check-in row no `checkin.record` record describes (inserted behind the application's
    /// back, or its voter, area, number or ballots changed since).
    CheckInUnrecorded {
        check_in_id: CheckInId,
        check_in: CheckInRef,
    },
    /// A `checkin.record` record whose check-in is gone (deleted: the voter can vote again) or
    /// no longer has the recorded voter, area, number or ballots.
    CheckInRecordWithoutRow { seq: i64, check_in: CheckInRef },
    /// A check-in marked undone without a `checkin.undo` record.
    UndoUnrecorded {
        check_in_id: CheckInId,
        check_in: CheckInRef,
    },
    /// A `checkin.undo` record whose check-in is not undone (or is gone).
    UndoRecordWithoutUndone { seq: i64, check_in: CheckInRef },
    /// A voter added outside an import with no `voter.add` record of its id, card number and
    /// area.
    VoterUnrecorded(VoterRef),
    /// A record about a voter whose row is gone (or no longer has the recorded card number
    /// and area).
    VoterRecordWithoutRow { seq: i64, voter_id: VoterId },
    /// A voter whose status is not the one the log last recorded (`active` when none).
    VoterStatusUnrecorded {
        voter: VoterRef,
        status: String,
        recorded: String,
    },
    /// Voters of an import the log has no `voters.import` record of.
    ImportUnrecorded { import_id: ImportId, voters: i64 },
    /// An import whose voters on the list are not as many as its record says.
    ImportCountDiffers {
        seq: i64,
        import_id: ImportId,
        recorded: i64,
        listed: i64,
    },
    /// Finalised counting minutes without a `counting.finalise` record with their data hash.
    CountingFinalUnrecorded { area: AreaRef, level: BallotLevel },
    /// A `counting.finalise` record whose finalised minutes are gone or carry another hash.
    CountingRecordWithoutFinal {
        seq: i64,
        area: AreaRef,
        level: Option<BallotLevel>,
    },
    /// A finalised meeting whose latest finalise-or-reopen record is not a finalisation.
    MeetingFinalUnrecorded { meeting_id: MeetingId },
    /// A meeting the log last recorded as finalised that is not (or is gone).
    MeetingRecordNotFinalised { seq: i64, meeting_id: MeetingId },
}

/// The first mismatch and how many of the same kind there are besides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub mismatch: Mismatch,
    pub others: i64,
}

/// What was reconciled, when everything agreed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub check_ins: i64,
    pub undone: i64,
    pub voters: i64,
    pub voters_added: i64,
    pub imports: i64,
    pub voters_not_active: i64,
    pub counting_finals: i64,
    pub finalised_meetings: i64,
}

/// A `voters.import` record: the import it names and how many voters it listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedImport {
    pub seq: i64,
    pub import_id: ImportId,
    pub voters: i64,
}

/// The imports on the list (import id, voters listed from it, by import id) against their
/// records: first voters of an import no record describes, then imports whose voters are not
/// as many as recorded (voters deleted, or added under the import's id).
pub fn first_import_mismatch(
    recorded: &[RecordedImport],
    listed: &[(ImportId, i64)],
) -> Option<Finding> {
    let listed_of = |import_id: ImportId| {
        listed
            .iter()
            .find(|(id, _)| *id == import_id)
            .map_or(0, |(_, voters)| *voters)
    };
    let unrecorded: Vec<Mismatch> = listed
        .iter()
        .filter(|(id, _)| !recorded.iter().any(|r| r.import_id == *id))
        .map(|&(import_id, voters)| Mismatch::ImportUnrecorded { import_id, voters })
        .collect();
    let differing: Vec<Mismatch> = recorded
        .iter()
        .filter(|r| listed_of(r.import_id) != r.voters)
        .map(|r| Mismatch::ImportCountDiffers {
            seq: r.seq,
            import_id: r.import_id,
            recorded: r.voters,
            listed: listed_of(r.import_id),
        })
        .collect();
    [unrecorded, differing]
        .into_iter()
        .find(|kind| !kind.is_empty())
        .map(|mut kind| Finding {
            others: i64::try_from(kind.len()).unwrap_or(i64::MAX) - 1,
            mismatch: kind.swap_remove(0),
        })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconciliation {
    Consistent(Reconciled),
    Inconsistent(Finding),
}

fn area_vi(area: AreaRef) -> String {
    match area {
        AreaRef::Number(number) => format!("KVBP {number}"),
        AreaRef::MissingId(id) => format!("khu vực #{id} không còn"),
    }
}

fn area_en(area: AreaRef) -> String {
    match area {
        AreaRef::Number(number) => format!("area {number}"),
        AreaRef::MissingId(id) => format!("area #{id}, gone"),
    }
}

fn check_in_vi(c: &CheckInRef) -> String {
    format!(
        "(cử tri {}, {}, lượt số {})",
        c.voter_id,
        area_vi(c.area),
        c.number
    )
}

fn check_in_en(c: &CheckInRef) -> String {
    format!(
        "(voter {}, {}, number {})",
        c.voter_id,
        area_en(c.area),
        c.number
    )
}

fn voter_vi(v: &VoterRef) -> String {
    format!(
        "Cử tri #{} (KVBP {}, số thẻ {})",
        v.voter_id, v.area_number, v.stt
    )
}

fn voter_en(v: &VoterRef) -> String {
    format!(
        "Voter #{} (area {}, card {})",
        v.voter_id, v.area_number, v.stt
    )
}

fn status_vi(code: &str) -> &str {
    match code {
        "active" => "có tên trong danh sách",
        "removed" => "đã bị xóa tên",
        "elsewhere" => "bỏ phiếu ở nơi khác",
        other => other,
    }
}

fn level_vi(level: Option<BallotLevel>) -> &'static str {
    level.map_or("?", BallotLevel::name_vi)
}

fn level_en(level: Option<BallotLevel>) -> &'static str {
    level.map_or("?", BallotLevel::slug)
}

/// "(và 3 sai lệch khác cùng loại)"; nothing when the mismatch is the only one of its kind.
fn others(finding: &Finding, locale: Locale) -> String {
    match (finding.others, locale) {
        (0, _) => String::new(),
        (n, Locale::Vi) => format!(" (và {} sai lệch khác cùng loại)", count(n, locale)),
        (n, Locale::En) => format!(" (and {} more of this kind)", count(n, locale)),
    }
}

impl Mismatch {
    pub fn vietnamese(&self) -> String {
        match self {
            Mismatch::CheckInUnrecorded {
                check_in_id,
                check_in,
            } => format!(
                "Lượt check-in #{check_in_id} {} không có bản ghi nhật ký",
                check_in_vi(check_in)
            ),
            Mismatch::CheckInRecordWithoutRow { seq, check_in } => format!(
                "Bản ghi nhật ký #{seq} ghi nhận check-in {} nhưng dữ liệu không còn (đã bị xóa?)",
                check_in_vi(check_in)
            ),
            Mismatch::UndoUnrecorded {
                check_in_id,
                check_in,
            } => format!(
                "Lượt check-in #{check_in_id} {} bị đánh dấu đã hủy nhưng nhật ký không có bản ghi hủy",
                check_in_vi(check_in)
            ),
            Mismatch::UndoRecordWithoutUndone { seq, check_in } => format!(
                "Bản ghi nhật ký #{seq} ghi nhận hủy check-in {} nhưng dữ liệu không cho thấy lượt đó đã hủy",
                check_in_vi(check_in)
            ),
            Mismatch::VoterUnrecorded(v) => format!(
                "{} có trong danh sách nhưng không do lần nhập nào và không có bản ghi thêm cử tri",
                voter_vi(v)
            ),
            Mismatch::VoterRecordWithoutRow { seq, voter_id } => format!(
                "Bản ghi nhật ký #{seq} ghi nhận cử tri #{voter_id} nhưng dữ liệu không còn (đã bị xóa?)"
            ),
            Mismatch::VoterStatusUnrecorded {
                voter,
                status,
                recorded,
            } => format!(
                "{} đang ở trạng thái «{}» nhưng nhật ký ghi «{}»",
                voter_vi(voter),
                status_vi(status),
                status_vi(recorded)
            ),
            Mismatch::ImportUnrecorded { import_id, voters } => format!(
                "Lần nhập danh sách #{import_id} ({} cử tri) không có bản ghi nhật ký",
                count(*voters, Locale::Vi)
            ),
            Mismatch::ImportCountDiffers {
                seq,
                import_id,
                recorded,
                listed,
            } => format!(
                "Bản ghi nhật ký #{seq} ghi nhận lần nhập #{import_id} với {} cử tri nhưng danh sách còn {} cử tri của lần nhập đó",
                count(*recorded, Locale::Vi),
                count(*listed, Locale::Vi)
            ),
            Mismatch::CountingFinalUnrecorded { area, level } => format!(
                "Biên bản kiểm phiếu {} ({}) đã chốt nhưng không có bản ghi nhật ký khớp mã dữ liệu",
                level.name_vi(),
                area_vi(*area)
            ),
            Mismatch::CountingRecordWithoutFinal { seq, area, level } => format!(
                "Bản ghi nhật ký #{seq} ghi nhận chốt biên bản kiểm phiếu {} ({}) nhưng dữ liệu không còn hoặc khác mã dữ liệu",
                level_vi(*level),
                area_vi(*area)
            ),
            Mismatch::MeetingFinalUnrecorded { meeting_id } => format!(
                "Cuộc tiếp xúc cử tri #{meeting_id} đã chốt biên bản nhưng nhật ký không ghi nhận lần chốt đó"
            ),
            Mismatch::MeetingRecordNotFinalised { seq, meeting_id } => format!(
                "Bản ghi nhật ký #{seq} ghi nhận chốt biên bản cuộc tiếp xúc cử tri #{meeting_id} nhưng dữ liệu không còn ở trạng thái đã chốt"
            ),
        }
    }

    pub fn english(&self) -> String {
        match self {
            Mismatch::CheckInUnrecorded {
                check_in_id,
                check_in,
            } => format!(
                "Check-in #{check_in_id} {} has no audit record",
                check_in_en(check_in)
            ),
            Mismatch::CheckInRecordWithoutRow { seq, check_in } => format!(
                "Audit record #{seq} records a check-in {} that is no longer in the data (deleted?)",
                check_in_en(check_in)
            ),
            Mismatch::UndoUnrecorded {
                check_in_id,
                check_in,
            } => format!(
                "Check-in #{check_in_id} {} is marked undone without an undo record",
                check_in_en(check_in)
            ),
            Mismatch::UndoRecordWithoutUndone { seq, check_in } => format!(
                "Audit record #{seq} records undoing a check-in {} that the data does not show undone",
                check_in_en(check_in)
            ),
            Mismatch::VoterUnrecorded(v) => format!(
                "{} is on the list, from no import and without a voter.add record",
                voter_en(v)
            ),
            Mismatch::VoterRecordWithoutRow { seq, voter_id } => format!(
                "Audit record #{seq} records voter #{voter_id}, who is no longer in the data (deleted?)"
            ),
            Mismatch::VoterStatusUnrecorded {
                voter,
                status,
                recorded,
            } => format!(
                "{} has status '{status}' but the audit log last recorded '{recorded}'",
                voter_en(voter)
            ),
            Mismatch::ImportUnrecorded { import_id, voters } => format!(
                "Import #{import_id} ({} voters) has no audit record",
                count(*voters, Locale::En)
            ),
            Mismatch::ImportCountDiffers {
                seq,
                import_id,
                recorded,
                listed,
            } => format!(
                "Audit record #{seq} records import #{import_id} with {} voters but the list has {} of them",
                count(*recorded, Locale::En),
                count(*listed, Locale::En)
            ),
            Mismatch::CountingFinalUnrecorded { area, level } => format!(
                "Finalised counting minutes ({}, {}) have no audit record with their data hash",
                level.slug(),
                area_en(*area)
            ),
            Mismatch::CountingRecordWithoutFinal { seq, area, level } => format!(
                "Audit record #{seq} records finalised counting minutes ({}, {}) that are gone or carry another data hash",
                level_en(*level),
                area_en(*area)
            ),
            Mismatch::MeetingFinalUnrecorded { meeting_id } => format!(
                "Meeting #{meeting_id} is finalised but the audit log does not record that finalisation"
            ),
            Mismatch::MeetingRecordNotFinalised { seq, meeting_id } => format!(
                "Audit record #{seq} records finalising meeting #{meeting_id}, which is not finalised in the data"
            ),
        }
    }
}

impl Finding {
    pub fn vietnamese(&self) -> String {
        format!(
            "{}{}.",
            self.mismatch.vietnamese(),
            others(self, Locale::Vi)
        )
    }

    pub fn english(&self) -> String {
        format!("{}{}.", self.mismatch.english(), others(self, Locale::En))
    }
}

impl Reconciled {
    pub fn vietnamese(&self) -> String {
        let n = |value| count(value, Locale::Vi);
        format!(
            "Dữ liệu khớp nhật ký: {} lượt check-in ({} đã hủy), {} cử tri ({} lần nhập danh sách, \
             {} thêm riêng, {} không còn bỏ phiếu tại đây), {} biên bản kiểm phiếu đã chốt, \
             {} biên bản tiếp xúc cử tri đã chốt.",
            n(self.check_ins),
            n(self.undone),
            n(self.voters),
            n(self.imports),
            n(self.voters_added),
            n(self.voters_not_active),
            n(self.counting_finals),
            n(self.finalised_meetings)
        )
    }

    pub fn english(&self) -> String {
        let n = |value| count(value, Locale::En);
        format!(
            "Data matches the audit log: {} check-ins ({} undone), {} voters ({} imports, \
             {} added one by one, {} removed or voting elsewhere), {} finalised counting minutes, \
             {} finalised meeting minutes.",
            n(self.check_ins),
            n(self.undone),
            n(self.voters),
            n(self.imports),
            n(self.voters_added),
            n(self.voters_not_active),
            n(self.counting_finals),
            n(self.finalised_meetings)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deleted_check_in_is_named_with_its_voter_area_and_number() {
        let finding = Finding {
            mismatch: Mismatch::CheckInUnrecorded {
                check_in_id: CheckInId::new(286),
                check_in: CheckInRef {
                    voter_id: VoterId::new(1675),
                    area: AreaRef::Number(1),
                    number: 12,
                },
            },
            others: 0,
        };
        assert_eq!(
            finding.vietnamese(),
            "Lượt check-in #286 (cử tri 1675, KVBP 1, lượt số 12) không có bản ghi nhật ký."
        );
        assert_eq!(
            finding.english(),
            "Check-in #286 (voter 1675, area 1, number 12) has no audit record."
        );
    }

    #[test]
    fn imports_are_reconciled_by_their_voter_counts() {
        let recorded = [
            RecordedImport {
                seq: 3,
                import_id: ImportId::new(1),
                voters: 100,
            },
            RecordedImport {
                seq: 9,
                import_id: ImportId::new(2),
                voters: 50,
            },
        ];
        assert_eq!(
            first_import_mismatch(
                &recorded,
                &[(ImportId::new(1), 100), (ImportId::new(2), 50)]
            ),
            None
        );
        assert_eq!(
            first_import_mismatch(&recorded, &[(ImportId::new(1), 99), (ImportId::new(2), 50)]),
            Some(Finding {
                mismatch: Mismatch::ImportCountDiffers {
                    seq: 3,
                    import_id: ImportId::new(1),
                    recorded: 100,
                    listed: 99
                },
                others: 0
            })
        );
        assert_eq!(
            first_import_mismatch(
                &recorded,
                &[
                    (ImportId::new(1), 100),
                    (ImportId::new(2), 50),
                    (ImportId::new(7), 4)
                ]
            ),
            Some(Finding {
                mismatch: Mismatch::ImportUnrecorded {
                    import_id: ImportId::new(7),
                    voters: 4
                },
                others: 0
            })
        );
        // Every voter of an import deleted: the import is not listed at all.
        assert_eq!(
            first_import_mismatch(&recorded, &[(ImportId::new(2), 50)]).map(|f| f.mismatch),
            Some(Mismatch::ImportCountDiffers {
                seq: 3,
                import_id: ImportId::new(1),
                recorded: 100,
                listed: 0
            })
        );
    }

    #[test]
    fn more_mismatches_of_the_kind_are_counted() {
        let finding = Finding {
            mismatch: Mismatch::VoterRecordWithoutRow {
                seq: 4021,
                voter_id: VoterId::new(9),
            },
            others: 1234,
        };
        assert!(finding
            .vietnamese()
            .ends_with("(và 1.234 sai lệch khác cùng loại)."));
        assert!(finding
            .english()
            .ends_with("(and 1,234 more of this kind)."));
    }
}
