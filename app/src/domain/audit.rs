//! What the audit log records, as types: the closed list of actions and the things they touch.
//! The stored text (`AuditAction::as_str`, `AuditSubject`'s `Display`) is part of the hash chain
//! and is read back by reconciliation, so it must never change for an existing variant.

use crate::domain::ids::{
    AreaId, AttendeeId, ComplaintId, ConstituencyId, DeputyId, ElectionId, ImportId, MeetingId,
    OpinionId, PetitionId, UserId, VenueId, VoterId,
};
use std::fmt;

use crate::domain::counting::BallotLevel;
use crate::domain::meeting::SessionTiming;
use crate::locale::Locale;

macro_rules! audit_actions {
    ($($variant:ident => $code:literal, $vi:literal, $en:literal;)+) => {
        /// Every kind of change the audit log records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)+
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)+];

            /// The code stored in the log.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)+
                }
            }

            pub fn parse(code: &str) -> Option<AuditAction> {
                match code {
                    $($code => Some(AuditAction::$variant),)+
                    _ => None,
                }
            }

            /// The action in words, for people reading the log.
            pub fn label(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((AuditAction::$variant, Locale::Vi) => $vi,
                    (AuditAction::$variant, Locale::En) => $en,)+
                }
            }
        }
    };
}

audit_actions! {
    AreaCreate => "area.create", "Tạo khu vực bỏ phiếu", "Polling area created";
    AreaDelete => "area.delete", "Xóa khu vực bỏ phiếu", "Polling area deleted";
    AreaHours => "area.hours", "Đổi giờ bỏ phiếu của khu vực", "Polling hours changed";
    AreaUpdate => "area.update", "Sửa khu vực bỏ phiếu", "Polling area corrected";
    BackupCreate => "backup.create", "Sao lưu dữ liệu", "Backup made";
    CheckinRecord => "checkin.record", "Ghi nhận cử tri đi bầu", "Check-in recorded";
    CheckinUndo => "checkin.undo", "Hủy lượt ghi nhận đi bầu", "Check-in undone";
    ComplaintRecord => "complaint.record", "Ghi nhận khiếu nại về danh sách", "Complaint recorded";
    ComplaintResolve => "complaint.resolve", "Giải quyết khiếu nại", "Complaint resolved";
    ConstituencyCandidates => "constituency.candidates", "Lưu danh sách ứng cử viên", "Candidate list saved";
    ConstituencySave => "constituency.save", "Lưu đơn vị bầu cử", "Constituency saved";
    CountingEnter => "counting.enter", "Nhập kết quả kiểm phiếu", "Count entered";
    CountingFinalise => "counting.finalise", "Chốt kết quả kiểm phiếu", "Count finalised";
    DeputyCreate => "deputy.create", "Thêm đại biểu", "Deputy added";
    DeputyUpdate => "deputy.update", "Sửa thông tin đại biểu", "Deputy updated";
    ElectionCreate => "election.create", "Tạo cuộc bầu cử", "Election created";
    ElectionDelete => "election.delete", "Xóa cuộc bầu cử", "Election deleted";
    ElectionUpdate => "election.update", "Sửa cuộc bầu cử", "Election corrected";
    ElectionPostList => "election.post_list", "Niêm yết danh sách cử tri", "Voter list posted";
    LoginUnlock => "login.unlock", "Mở khóa đăng nhập", "Sign-in lock lifted";
    MeetingAnswerAdd => "meeting.answer.add", "Thêm trả lời tại hội nghị", "Meeting answer added";
    MeetingAttendance => "meeting.attendance", "Ghi số người dự hội nghị", "Meeting attendance recorded";
    MeetingAttendeeAdd => "meeting.attendee.add", "Thêm người dự hội nghị", "Meeting attendee added";
    MeetingAttendeeRemove => "meeting.attendee.remove", "Bỏ người dự hội nghị", "Meeting attendee removed";
    MeetingCancel => "meeting.cancel", "Hủy hội nghị", "Meeting cancelled";
    MeetingCorrectionOpen => "meeting.correction.open", "Mở lại biên bản để sửa", "Minutes reopened for correction";
    MeetingCreate => "meeting.create", "Tạo hội nghị tiếp xúc cử tri", "Meeting created";
    MeetingFinalise => "meeting.finalise", "Chốt biên bản hội nghị", "Minutes finalised";
    MeetingOpinionAdd => "meeting.opinion.add", "Ghi ý kiến cử tri", "Voter opinion added";
    MeetingUpdate => "meeting.update", "Sửa hội nghị", "Meeting updated";
    PetitionAnswer => "petition.answer", "Ghi trả lời kiến nghị", "Petition answered";
    PetitionCarry => "petition.carry", "Chuyển kiến nghị sang kỳ sau", "Petitions carried over";
    PetitionCollect => "petition.collect", "Tổng hợp kiến nghị", "Petitions collected";
    PetitionMerge => "petition.merge", "Gộp kiến nghị", "Petitions merged";
    PetitionRoute => "petition.route", "Chuyển kiến nghị đến cơ quan", "Petition routed";
    PetitionSessionDates => "petition.session_dates", "Đặt ngày kỳ họp", "Session dates set";
    TurnoutReportTimes => "turnout.report_times", "Đặt giờ báo cáo số cử tri đi bầu", "Turnout report times set";
    TurnoutSnapshot => "turnout.snapshot", "Chốt số liệu báo cáo cử tri đi bầu", "Turnout figures taken";
    UserCreate => "user.create", "Tạo người dùng", "User created";
    UserDisable => "user.disable", "Khóa người dùng", "User disabled";
    UserEnable => "user.enable", "Mở khóa người dùng", "User enabled";
    UserPasswordChange => "user.password_change", "Đổi mật khẩu", "Password changed";
    UserPasswordReset => "user.password_reset", "Đặt lại mật khẩu", "Password reset";
    UserSetAreas => "user.set_areas", "Giao khu vực cho người dùng", "User areas assigned";
    VenueCreate => "venue.create", "Thêm địa điểm tiếp xúc", "Venue added";
    VenueUpdate => "venue.update", "Sửa địa điểm tiếp xúc", "Venue updated";
    VoterAdd => "voter.add", "Bổ sung cử tri", "Voter added";
    VoterEdit => "voter.edit", "Sửa thông tin cử tri", "Voter edited";
    VoterRemove => "voter.remove", "Xóa tên cử tri khỏi danh sách", "Voter removed";
    VoterRestore => "voter.restore", "Khôi phục cử tri vào danh sách", "Voter restored";
    VoterVoteElsewhere => "voter.vote_elsewhere", "Cử tri bỏ phiếu nơi khác", "Voter votes elsewhere";
    VotersImport => "voters.import", "Nhập danh sách cử tri", "Voter list imported";
    WardSave => "ward.save", "Lưu thông tin xã, phường", "Ward saved";
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an audit record is about; its `Display` is the stored `entity` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditSubject {
    Answer(i64),
    Area(AreaId),
    Attendee(AttendeeId),
    Backup(String),
    Complaint(ComplaintId),
    Constituency(ConstituencyId),
    /// One of the two independent entries of an area's count for a level.
    CountingEntry {
        area_id: AreaId,
        level: BallotLevel,
        slot: i64,
    },
    /// An area's finalised count for a level.
    Counting {
        area_id: AreaId,
        level: BallotLevel,
    },
    Deputy(DeputyId),
    Election(ElectionId),
    Import(ImportId),
    Login(String),
    Meeting(MeetingId),
    Opinion(OpinionId),
    Petition(PetitionId),
    /// The petitions of one meeting round of a term's session.
    PetitionRound {
        term: String,
        session_number: i64,
        timing: SessionTiming,
    },
    PollingArea(AreaId),
    Session {
        term: String,
        session_number: i64,
    },
    TurnoutReport {
        election_id: ElectionId,
        label: String,
    },
    User(UserId),
    Venue(VenueId),
    Voter(VoterId),
    /// The one ward this installation serves.
    Ward,
}

impl fmt::Display for AuditSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditSubject::Answer(id) => write!(f, "answer:{id}"),
            AuditSubject::Area(id) => write!(f, "area:{id}"),
            AuditSubject::Attendee(id) => write!(f, "attendee:{id}"),
            AuditSubject::Backup(name) => write!(f, "backup:{name}"),
            AuditSubject::Complaint(id) => write!(f, "complaint:{id}"),
            AuditSubject::Constituency(id) => write!(f, "constituency:{id}"),
            AuditSubject::CountingEntry {
                area_id,
                level,
                slot,
            } => write!(f, "counting:{area_id}:{}:{slot}", level.slug()),
            AuditSubject::Counting { area_id, level } => {
                write!(f, "counting:{area_id}:{}", level.slug())
            }
            AuditSubject::Deputy(id) => write!(f, "deputy:{id}"),
            AuditSubject::Election(id) => write!(f, "election:{id}"),
            AuditSubject::Import(id) => write!(f, "import:{id}"),
            AuditSubject::Login(username) => write!(f, "login:{username}"),
            AuditSubject::Meeting(id) => write!(f, "meeting:{id}"),
            AuditSubject::Opinion(id) => write!(f, "opinion:{id}"),
            AuditSubject::Petition(id) => write!(f, "petition:{id}"),
            AuditSubject::PetitionRound {
                term,
                session_number,
                timing,
            } => write!(f, "round:{term}/{session_number}/{}", timing.code()),
            AuditSubject::PollingArea(id) => write!(f, "polling_area:{id}"),
            AuditSubject::Session {
                term,
                session_number,
            } => write!(f, "session:{term}/{session_number}"),
            AuditSubject::TurnoutReport { election_id, label } => {
                write!(f, "election:{election_id}/report:{label}")
            }
            AuditSubject::User(id) => write!(f, "user:{id}"),
            AuditSubject::Venue(id) => write!(f, "venue:{id}"),
            AuditSubject::Voter(id) => write!(f, "voter:{id}"),
            AuditSubject::Ward => f.write_str("ward:1"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_action_round_trips_through_its_code() {
        for &action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        let codes: HashSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(codes.len(), AuditAction::ALL.len(), "codes are distinct");
        assert_eq!(AuditAction::parse("checkin.nonsense"), None);
    }

    #[test]
    fn every_action_has_words_in_both_languages() {
        for &action in AuditAction::ALL {
            let vi = action.label(Locale::Vi);
            let en = action.label(Locale::En);
            assert!(!vi.is_empty() && !en.is_empty(), "{action}");
            assert_ne!(vi, action.as_str(), "{action}");
            assert_ne!(vi, en, "{action}");
        }
        assert_eq!(
            AuditAction::CheckinRecord.label(Locale::Vi),
            "Ghi nhận cử tri đi bầu"
        );
    }

    #[test]
    fn codes_read_back_by_reconciliation_are_unchanged() {
        assert_eq!(AuditAction::CheckinRecord.as_str(), "checkin.record");
        assert_eq!(AuditAction::CheckinUndo.as_str(), "checkin.undo");
        assert_eq!(AuditAction::CountingFinalise.as_str(), "counting.finalise");
        assert_eq!(AuditAction::MeetingFinalise.as_str(), "meeting.finalise");
        assert_eq!(AuditAction::VotersImport.as_str(), "voters.import");
    }

    #[test]
    fn subjects_print_the_stored_entity_text() {
        assert_eq!(AuditSubject::Voter(VoterId::new(7)).to_string(), "voter:7");
        assert_eq!(AuditSubject::Ward.to_string(), "ward:1");
        assert_eq!(
            AuditSubject::CountingEntry {
                area_id: AreaId::new(3),
                level: BallotLevel::Commune,
                slot: 2
            }
            .to_string(),
            format!("counting:3:{}:2", BallotLevel::Commune.slug())
        );
        assert_eq!(
            AuditSubject::TurnoutReport {
                election_id: ElectionId::new(1),
                label: "10:00".into()
            }
            .to_string(),
            "election:1/report:10:00"
        );
        assert_eq!(
            AuditSubject::Session {
                term: "XVI".into(),
                session_number: 2
            }
            .to_string(),
            "session:XVI/2"
        );
    }
}
