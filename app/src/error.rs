//! The closed list of errors the server reports to the browser. Each has a stable code (for
//! logs, tests and support calls) and a message per language in `i18n`. Internal failures carry
//! only a reference id; their details stay in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    NotSignedIn,
    Forbidden,
    NotFound,
    InvalidCredentials,
    AccountLocked,
    AccountDisabled,
    InvalidUsername,
    InvalidDisplayName,
    InvalidRole,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    UsernameTaken,
    SetupUnavailable,
    SetupTokenInvalid,
    CannotChangeOwnAccount,
    InvalidInput,
    InvalidDate,
    AreaNumberTaken,
    /// The polling area has voters, check-ins, counts or station accounts: it is corrected,
    /// never deleted.
    AreaInUse,
    /// The election has polling areas or records of its own: it is corrected, never deleted.
    ElectionInUse,
    /// Voters have been checked in: the election day no longer changes.
    ElectionDayLocked,
    ImportHasErrors,
    ImportExpired,
    VoterUnder18,
    InvalidCccd,
    CccdTaken,
    ReasonRequired,
    CertificateRequired,
    /// The list's posting day is in the future or not before election day.
    PostingDateInvalid,
    ComplainantRequired,
    ComplaintContentRequired,
    ResolutionRequired,
    ComplaintDateInFuture,
    ResolvedBeforeReceived,
    ComplaintAlreadyResolved,
    ComplaintVoterNotInElection,
    /// A deputy of the meeting is in another meeting at an overlapping time (detail: `Clash`).
    MeetingDeputyBusy,
    /// The venue is booked for another meeting at an overlapping time (detail: `Clash`).
    MeetingVenueBusy,
    MeetingFinalised,
    MeetingTimeInvalid,
    MeetingNeedsDeputy,
    MeetingNotHeld,
    /// The meeting was cancelled: its plan and record no longer change.
    MeetingCancelled,
    /// Only a meeting not yet held can be cancelled.
    MeetingAlreadyHeld,
    /// Only finalised minutes are corrected; before that the record is simply edited.
    MeetingNotFinalised,
    /// The same name signed in from the same address already.
    MeetingAttendeeTwice,
    /// Fewer voters present than signed in by name.
    MeetingFewerPresentThanSigned,
    /// The meeting's day has not come in Vietnam: it cannot have been held yet (detail: the day).
    MeetingNotYetHeld,
    /// The round is the term and a session number above 0, before or after the session.
    PetitionRoundInvalid,
    /// The closing day is before the opening day.
    PetitionSessionDatesInvalid,
    /// A petition cannot be merged into itself.
    PetitionMergeSelf,
    /// Only petitions of the same round (term, session, before/after) merge.
    PetitionMergeOtherRound,
    /// The petition was merged, carried, or (for a merge) already answered.
    PetitionNotOpen,
    /// Routing needs the competent body's name.
    PetitionBodyRequired,
    /// An official answer needs its content, letter number and signer.
    PetitionAnswerIncomplete,
    /// An answer with a roadmap must state the roadmap.
    PetitionRoadmapRequired,
    /// Opening/closing times outside 05:00–21:00 or not in order (Điều 71).
    VotingHoursInvalid,
    CheckInAlreadyUndone,
    /// A station undoes only its own latest check-in, within minutes of making it.
    OwnUndoOnly,
    /// The counting minutes of this area and level are finalised; nothing can change.
    CountingFinalised,
    /// The same person cannot make both entries of a tally.
    CountingSameUser,
    /// This entry (first or second) was made by someone else.
    CountingEntryTaken,
    /// The two entries differ; finalising waits until they agree.
    CountingEntriesDiffer,
    /// Finalising needs both entries.
    CountingEntriesMissing,
    /// The tally breaks a consistency rule marked as an error.
    CountingHasErrors,
    /// A line of the members or candidates cannot be read.
    CountingInputInvalid,
    /// The ballot-box check or the close of voting is not a time of day ("07:00").
    CountingTimeInvalid,
    /// Turnout report times not "HH:MM", outside 05:00–21:00, repeated, none or too many.
    ReportTimesInvalid,
    /// Another constituency of the election and level has this number.
    ConstituencyNumberTaken,
    /// A polling area is already in another constituency of the level (detail: which areas).
    ConstituencyAreaTaken,
    /// A line of the candidate list cannot be read (detail: the line number).
    CandidateListInvalid,
    /// Number or seats below 1, or no name.
    ConstituencyInputInvalid,
    /// Counting has begun in the constituency: its seats and candidates no longer change.
    ConstituencyLocked,
    /// Too many sign-in requests from this address or for this username; retry after `until_ms`.
    TooManyRequests,
    /// The server is too busy checking passwords; retry in a moment (503).
    ServerBusy,
    /// Another backup is being made; the page's is refused rather than queued.
    BackupInProgress,
    /// `pg_dump`/`pg_restore` is not installed on the server (detail: which).
    BackupToolMissing,
    /// The installed `pg_dump` is older than the PostgreSQL server (detail: both versions).
    BackupToolTooOld,
    /// The backup folder cannot be written: missing, read-only, full (detail: the folder).
    BackupFolderUnavailable,
    /// The copy failed its checks and was removed (details in the log under the reference).
    BackupCopyDamaged,
    Internal,
    /// The request never reached the server function or its answer was unreadable.
    Transport,
    /// The request's body cannot be read at all: empty where arguments are expected, JSON that
    /// does not parse, text that is not UTF-8.
    RequestUnreadable,
    /// The request's body is over the limit the server reads.
    RequestTooLarge,
    /// The body reads, but its fields do not fit the call: one missing, or of the wrong type
    /// (letters where a number is expected).
    RequestFieldsInvalid,
}

impl ErrorCode {
    /// Stable identifier, never renamed once released.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotSignedIn => "AUTH-001",
            ErrorCode::Forbidden => "AUTH-002",
            ErrorCode::InvalidCredentials => "AUTH-003",
            ErrorCode::AccountLocked => "AUTH-004",
            ErrorCode::AccountDisabled => "AUTH-005",
            ErrorCode::SetupUnavailable => "AUTH-006",
            ErrorCode::SetupTokenInvalid => "AUTH-007",
            ErrorCode::TooManyRequests => "AUTH-009",
            ErrorCode::ServerBusy => "GEN-503",
            ErrorCode::InvalidUsername => "USER-001",
            ErrorCode::InvalidDisplayName => "USER-002",
            ErrorCode::InvalidRole => "USER-003",
            ErrorCode::PasswordTooShort => "USER-004",
            ErrorCode::PasswordTooLong => "USER-005",
            ErrorCode::PasswordMismatch => "USER-006",
            ErrorCode::UsernameTaken => "USER-007",
            ErrorCode::CannotChangeOwnAccount => "USER-008",
            ErrorCode::InvalidInput => "GEN-422",
            ErrorCode::InvalidDate => "GEN-DATE",
            ErrorCode::AreaNumberTaken => "VOTER-001",
            ErrorCode::ImportHasErrors => "VOTER-002",
            ErrorCode::ImportExpired => "VOTER-003",
            ErrorCode::VoterUnder18 => "VOTER-004",
            ErrorCode::InvalidCccd => "VOTER-005",
            ErrorCode::CccdTaken => "VOTER-006",
            ErrorCode::ReasonRequired => "VOTER-007",
            ErrorCode::CertificateRequired => "VOTER-008",
            ErrorCode::PostingDateInvalid => "VOTER-009",
            ErrorCode::AreaInUse => "VOTER-010",
            ErrorCode::ElectionInUse => "VOTER-011",
            ErrorCode::ElectionDayLocked => "VOTER-012",
            ErrorCode::ComplainantRequired => "COMPLAINT-001",
            ErrorCode::ComplaintContentRequired => "COMPLAINT-002",
            ErrorCode::ResolutionRequired => "COMPLAINT-003",
            ErrorCode::ComplaintDateInFuture => "COMPLAINT-004",
            ErrorCode::ResolvedBeforeReceived => "COMPLAINT-005",
            ErrorCode::ComplaintAlreadyResolved => "COMPLAINT-006",
            ErrorCode::ComplaintVoterNotInElection => "COMPLAINT-007",
            ErrorCode::MeetingDeputyBusy => "MEET-001",
            ErrorCode::MeetingVenueBusy => "MEET-002",
            ErrorCode::MeetingFinalised => "MEET-003",
            ErrorCode::MeetingTimeInvalid => "MEET-004",
            ErrorCode::MeetingNeedsDeputy => "MEET-005",
            ErrorCode::MeetingNotHeld => "MEET-006",
            ErrorCode::MeetingCancelled => "MEET-007",
            ErrorCode::MeetingAlreadyHeld => "MEET-008",
            ErrorCode::MeetingNotFinalised => "MEET-009",
            ErrorCode::MeetingAttendeeTwice => "MEET-010",
            ErrorCode::MeetingFewerPresentThanSigned => "MEET-011",
            ErrorCode::MeetingNotYetHeld => "MEET-012",
            ErrorCode::PetitionRoundInvalid => "PET-001",
            ErrorCode::PetitionSessionDatesInvalid => "PET-002",
            ErrorCode::PetitionMergeSelf => "PET-003",
            ErrorCode::PetitionMergeOtherRound => "PET-004",
            ErrorCode::PetitionNotOpen => "PET-005",
            ErrorCode::PetitionBodyRequired => "PET-006",
            ErrorCode::PetitionAnswerIncomplete => "PET-007",
            ErrorCode::PetitionRoadmapRequired => "PET-008",
            ErrorCode::VotingHoursInvalid => "CHECKIN-001",
            ErrorCode::CheckInAlreadyUndone => "CHECKIN-002",
            ErrorCode::OwnUndoOnly => "CHECKIN-003",
            ErrorCode::CountingFinalised => "COUNT-001",
            ErrorCode::CountingSameUser => "COUNT-002",
            ErrorCode::CountingEntryTaken => "COUNT-003",
            ErrorCode::CountingEntriesDiffer => "COUNT-004",
            ErrorCode::CountingEntriesMissing => "COUNT-005",
            ErrorCode::CountingHasErrors => "COUNT-006",
            ErrorCode::CountingInputInvalid => "COUNT-007",
            ErrorCode::CountingTimeInvalid => "COUNT-008",
            ErrorCode::ReportTimesInvalid => "TURNOUT-001",
            ErrorCode::ConstituencyNumberTaken => "CONST-001",
            ErrorCode::ConstituencyAreaTaken => "CONST-002",
            ErrorCode::CandidateListInvalid => "CONST-003",
            ErrorCode::ConstituencyInputInvalid => "CONST-004",
            ErrorCode::ConstituencyLocked => "CONST-005",
            ErrorCode::BackupInProgress => "BACKUP-001",
            ErrorCode::BackupToolMissing => "BACKUP-002",
            ErrorCode::BackupToolTooOld => "BACKUP-003",
            ErrorCode::BackupFolderUnavailable => "BACKUP-004",
            ErrorCode::BackupCopyDamaged => "BACKUP-005",
            ErrorCode::NotFound => "GEN-404",
            ErrorCode::Internal => "GEN-500",
            ErrorCode::Transport => "GEN-NET",
            ErrorCode::RequestUnreadable => "GEN-400",
            ErrorCode::RequestTooLarge => "GEN-413",
            ErrorCode::RequestFieldsInvalid => "GEN-FIELDS",
        }
    }

    /// HTTP status a server function answers with when it fails this way.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotSignedIn | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::AccountDisabled | ErrorCode::SetupTokenInvalid => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::UsernameTaken
            | ErrorCode::SetupUnavailable
            | ErrorCode::AreaNumberTaken
            | ErrorCode::AreaInUse
            | ErrorCode::ElectionInUse
            | ErrorCode::ElectionDayLocked => 409,
            ErrorCode::ImportExpired => 410,
            ErrorCode::CheckInAlreadyUndone => 409,
            ErrorCode::OwnUndoOnly => 403,
            ErrorCode::CountingFinalised
            | ErrorCode::CountingSameUser
            | ErrorCode::CountingEntryTaken
            | ErrorCode::CountingEntriesDiffer
            | ErrorCode::CountingEntriesMissing => 409,
            ErrorCode::CountingHasErrors
            | ErrorCode::CountingInputInvalid
            | ErrorCode::CountingTimeInvalid => 422,
            ErrorCode::VotingHoursInvalid | ErrorCode::ReportTimesInvalid => 422,
            ErrorCode::AccountLocked | ErrorCode::TooManyRequests => 429,
            ErrorCode::ServerBusy => 503,
            ErrorCode::MeetingDeputyBusy
            | ErrorCode::MeetingVenueBusy
            | ErrorCode::MeetingFinalised
            | ErrorCode::MeetingCancelled
            | ErrorCode::MeetingAlreadyHeld
            | ErrorCode::MeetingNotFinalised
            | ErrorCode::MeetingAttendeeTwice
            | ErrorCode::MeetingFewerPresentThanSigned
            | ErrorCode::MeetingNotYetHeld => 409,
            ErrorCode::PetitionMergeOtherRound | ErrorCode::PetitionNotOpen => 409,
            ErrorCode::PetitionRoundInvalid
            | ErrorCode::PetitionSessionDatesInvalid
            | ErrorCode::PetitionMergeSelf
            | ErrorCode::PetitionBodyRequired
            | ErrorCode::PetitionAnswerIncomplete
            | ErrorCode::PetitionRoadmapRequired => 422,
            ErrorCode::MeetingTimeInvalid
            | ErrorCode::MeetingNeedsDeputy
            | ErrorCode::MeetingNotHeld => 422,
            ErrorCode::RequestUnreadable => 400,
            ErrorCode::RequestTooLarge => 413,
            ErrorCode::RequestFieldsInvalid => 422,
            ErrorCode::Internal | ErrorCode::Transport | ErrorCode::BackupCopyDamaged => 500,
            ErrorCode::BackupInProgress => 409,
            // The server's setup, not the request, is at fault; it may work again later.
            ErrorCode::BackupToolMissing
            | ErrorCode::BackupToolTooOld
            | ErrorCode::BackupFolderUnavailable => 503,
            ErrorCode::InvalidUsername
            | ErrorCode::InvalidDisplayName
            | ErrorCode::InvalidRole
            | ErrorCode::PasswordTooShort
            | ErrorCode::PasswordTooLong
            | ErrorCode::PasswordMismatch
            | ErrorCode::CannotChangeOwnAccount
            | ErrorCode::InvalidInput
            | ErrorCode::InvalidDate
            | ErrorCode::ImportHasErrors
            | ErrorCode::VoterUnder18
            | ErrorCode::InvalidCccd
            | ErrorCode::ReasonRequired
            | ErrorCode::CertificateRequired
            | ErrorCode::PostingDateInvalid
            | ErrorCode::ComplainantRequired
            | ErrorCode::ComplaintContentRequired
            | ErrorCode::ResolutionRequired
            | ErrorCode::ComplaintDateInFuture
            | ErrorCode::ResolvedBeforeReceived
            | ErrorCode::ComplaintVoterNotInElection => 422,
            ErrorCode::CccdTaken | ErrorCode::ComplaintAlreadyResolved => 409,
            ErrorCode::ConstituencyNumberTaken
            | ErrorCode::ConstituencyAreaTaken
            | ErrorCode::ConstituencyLocked => 409,
            ErrorCode::CandidateListInvalid | ErrorCode::ConstituencyInputInvalid => 422,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub code: ErrorCode,
    /// For `Internal`: the id under which the details were logged.
    pub reference: Option<String>,
    /// For `AccountLocked`, `TooManyRequests`: when attempts are accepted again (Unix ms).
    pub until_ms: Option<i64>,
    /// What the message must name, for the codes that carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<ErrorDetail>,
}

/// Facts an error message names beyond its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorDetail {
    /// The meeting a booking collides with: the deputy's or venue's name, that meeting's title
    /// and time.
    Clash {
        with: String,
        meeting: String,
        start_ms: i64,
        end_ms: i64,
    },
    /// What the refusal is about, named in the message: "dòng 3", "KVBP số 2, 5".
    Subject(String),
}

impl AppError {
    pub fn new(code: ErrorCode) -> AppError {
        AppError {
            code,
            reference: None,
            until_ms: None,
            detail: None,
        }
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> AppError {
        AppError::new(code)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code.as_str())?;
        if let Some(reference) = &self.reference {
            write!(f, " (ref {reference})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server these errors come from decoding a request's arguments, before the server
    /// function runs and can answer through `respond`: the status is set here instead. In the
    /// browser they are failures of the network or of the server's answer.
    fn from_server_fn_error(error: ServerFnErrorErr) -> AppError {
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(_)
        | ServerFnErrorErr::Deserialization(_)
        | ServerFnErrorErr::MissingArg(_) = error
        {
            let body_was_empty = leptos::prelude::use_context::<http::request::Parts>()
                .is_some_and(|parts| parts.extensions.get::<EmptyRequestBody>().is_some());
            let code = if body_was_empty {
                ErrorCode::RequestUnreadable
            } else {
                ErrorCode::RequestFieldsInvalid
            };
            set_status_of(code);
            return AppError::new(code);
        }
        #[cfg(not(feature = "ssr"))]
        let _ = error;
        AppError::new(ErrorCode::Transport)
    }
}

/// Put into a server-function request whose body is empty, so that an empty body where
/// arguments are expected is told apart from fields that are missing or wrong.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy)]
pub struct EmptyRequestBody;

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs an unexpected failure with a fresh reference id and returns the error the user sees.
    pub fn internal(error: impl std::fmt::Display) -> AppError {
        let reference = crate::token::short_reference();
        tracing::error!(reference = %reference, "internal error: {error:#}");
        AppError {
            code: ErrorCode::Internal,
            reference: Some(reference),
            until_ms: None,
            detail: None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> AppError {
        AppError::internal(error)
    }
}

/// Gives the response being made the HTTP status of `code`.
#[cfg(feature = "ssr")]
pub fn set_status_of(code: ErrorCode) {
    use leptos_axum::ResponseOptions;
    if let Some(response) = leptos::prelude::use_context::<ResponseOptions>() {
        let status = http::StatusCode::from_u16(code.http_status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        response.set_status(status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let all = [
            ErrorCode::NotSignedIn,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::InvalidCredentials,
            ErrorCode::AccountLocked,
            ErrorCode::AccountDisabled,
            ErrorCode::InvalidUsername,
            ErrorCode::InvalidDisplayName,
            ErrorCode::InvalidRole,
            ErrorCode::PasswordTooShort,
            ErrorCode::PasswordTooLong,
            ErrorCode::PasswordMismatch,
            ErrorCode::UsernameTaken,
            ErrorCode::SetupUnavailable,
            ErrorCode::SetupTokenInvalid,
            ErrorCode::CannotChangeOwnAccount,
            ErrorCode::InvalidInput,
            ErrorCode::InvalidDate,
            ErrorCode::AreaNumberTaken,
            ErrorCode::AreaInUse,
            ErrorCode::ElectionInUse,
            ErrorCode::ElectionDayLocked,
            ErrorCode::ImportHasErrors,
            ErrorCode::ImportExpired,
            ErrorCode::VoterUnder18,
            ErrorCode::InvalidCccd,
            ErrorCode::CccdTaken,
            ErrorCode::ReasonRequired,
            ErrorCode::CertificateRequired,
            ErrorCode::PostingDateInvalid,
            ErrorCode::ComplainantRequired,
            ErrorCode::ComplaintContentRequired,
            ErrorCode::ResolutionRequired,
            ErrorCode::ComplaintDateInFuture,
            ErrorCode::ResolvedBeforeReceived,
            ErrorCode::ComplaintAlreadyResolved,
            ErrorCode::ComplaintVoterNotInElection,
            ErrorCode::MeetingDeputyBusy,
            ErrorCode::MeetingVenueBusy,
            ErrorCode::MeetingFinalised,
            ErrorCode::MeetingTimeInvalid,
            ErrorCode::MeetingNeedsDeputy,
            ErrorCode::MeetingNotHeld,
            ErrorCode::MeetingCancelled,
            ErrorCode::MeetingAlreadyHeld,
            ErrorCode::MeetingNotFinalised,
            ErrorCode::MeetingAttendeeTwice,
            ErrorCode::MeetingFewerPresentThanSigned,
            ErrorCode::MeetingNotYetHeld,
            ErrorCode::PetitionRoundInvalid,
            ErrorCode::PetitionSessionDatesInvalid,
            ErrorCode::PetitionMergeSelf,
            ErrorCode::PetitionMergeOtherRound,
            ErrorCode::PetitionNotOpen,
            ErrorCode::PetitionBodyRequired,
            ErrorCode::PetitionAnswerIncomplete,
            ErrorCode::PetitionRoadmapRequired,
            ErrorCode::OwnUndoOnly,
            ErrorCode::CountingFinalised,
            ErrorCode::CountingSameUser,
            ErrorCode::CountingEntryTaken,
            ErrorCode::CountingEntriesDiffer,
            ErrorCode::CountingEntriesMissing,
            ErrorCode::CountingHasErrors,
            ErrorCode::CountingInputInvalid,
            ErrorCode::CountingTimeInvalid,
            ErrorCode::ReportTimesInvalid,
            ErrorCode::ConstituencyNumberTaken,
            ErrorCode::ConstituencyAreaTaken,
            ErrorCode::CandidateListInvalid,
            ErrorCode::ConstituencyInputInvalid,
            ErrorCode::ConstituencyLocked,
            ErrorCode::TooManyRequests,
            ErrorCode::ServerBusy,
            ErrorCode::BackupInProgress,
            ErrorCode::BackupToolMissing,
            ErrorCode::BackupToolTooOld,
            ErrorCode::BackupFolderUnavailable,
            ErrorCode::BackupCopyDamaged,
            ErrorCode::Internal,
            ErrorCode::Transport,
            ErrorCode::RequestUnreadable,
            ErrorCode::RequestTooLarge,
            ErrorCode::RequestFieldsInvalid,
        ];
        let mut codes: Vec<_> = all.iter().map(|c| c.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
