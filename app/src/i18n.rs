//! Every word the UI shows, in Vietnamese (first) and English, in this one file.
//! The language is chosen per browser with the `cutri_lang` cookie; Vietnamese is the default.

use serde::{Deserialize, Serialize};

use crate::domain::role::Role;
use crate::error::{AppError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

pub const LOCALE_COOKIE: &str = "cutri_lang";

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        match code {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale named by the `cutri_lang` cookie in a `Cookie` header, Vietnamese otherwise.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::parse(value))
            .unwrap_or_default()
    }
}

macro_rules! messages {
    ($($key:ident => $vi:literal, $en:literal;)*) => {
        /// A piece of UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Msg::$key, Locale::Vi) => $vi, (Msg::$key, Locale::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "cutri — Quản lý cử tri", "cutri — Voter management";
    AppShortName => "cutri", "cutri";
    NavVoters => "Cử tri", "Voters";
    NavElectionDay => "Ngày bầu cử", "Election day";
    NavResults => "Kết quả", "Results";
    NavMeetings => "Tiếp xúc cử tri", "Voter meetings";
    NavAdmin => "Quản trị", "Administration";
    NavUsers => "Người dùng", "Users";
    NavAudit => "Nhật ký thao tác", "Audit log";
    NavBackups => "Sao lưu", "Backups";
    BackupsTitle => "Sao lưu dữ liệu", "Backups";
    BackupsFolder => "Thư mục sao lưu", "Backup folder";
    BackupsAutomatic => "Tự động sao lưu mỗi", "Automatic backup every";
    BackupsMinutesKeeping => "phút, giữ lại số bản gần nhất:", "minutes, keeping the latest:";
    BackupsManualOnly => "Chưa bật sao lưu tự động (khởi động máy chủ với --backup-every PHÚT, xem README).", "Automatic backups are off (start the server with --backup-every MINUTES, see README).";
    BackupsHint => "Mỗi bản sao lưu được kiểm tra trước khi ghi tên. Hãy chép thư mục này ra một USB hoặc máy khác sau mỗi lần sao lưu quan trọng.", "Every backup is checked before it gets its name. Copy this folder to a USB stick or another computer after each important backup.";
    BackupNow => "Sao lưu ngay", "Back up now";
    BackupRunning => "Đang sao lưu…", "Backing up…";
    BackupDone => "Đã sao lưu và kiểm tra", "Backed up and checked";
    BackupFileName => "Tệp", "File";
    BackupSize => "Dung lượng", "Size";
    BackupHead => "Mã băm cuối nhật ký", "Audit head hash";
    BackupAuditRecords => "bản ghi nhật ký", "audit records";
    BackupVoters => "cử tri", "voters";
    BackupCheckIns => "lượt bỏ phiếu được tính", "counted check-ins";
    BackupsNone => "Chưa có bản sao lưu nào trong thư mục này.", "No backup in this folder yet.";
    NavAccount => "Tài khoản", "Account";
    Logout => "Đăng xuất", "Log out";
    Login => "Đăng nhập", "Log in";
    LoginTitle => "Đăng nhập vào cutri", "Log in to cutri";
    Username => "Tên đăng nhập", "Username";
    DisplayName => "Họ tên hiển thị", "Display name";
    Password => "Mật khẩu", "Password";
    PasswordConfirm => "Nhập lại mật khẩu", "Repeat password";
    PasswordHint => "Ít nhất 10 ký tự.", "At least 10 characters.";
    Role => "Vai trò", "Role";
    Status => "Trạng thái", "Status";
    Actions => "Thao tác", "Actions";
    Active => "Đang hoạt động", "Active";
    Disabled => "Đã khóa", "Disabled";
    Disable => "Khóa tài khoản", "Disable";
    Enable => "Mở khóa", "Enable";
    ResetPassword => "Đặt lại mật khẩu", "Reset password";
    NewPassword => "Mật khẩu mới", "New password";
    CurrentPassword => "Mật khẩu hiện tại", "Current password";
    ChangePassword => "Đổi mật khẩu", "Change password";
    PasswordChanged => "Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "Password changed. Your other sessions were logged out.";
    Save => "Lưu", "Save";
    Saving => "Đang lưu…", "Saving…";
    CreateUser => "Tạo người dùng", "Create user";
    UserCreated => "Đã tạo người dùng.", "User created.";
    UserUpdated => "Đã cập nhật người dùng.", "User updated.";
    UsersTitle => "Người dùng", "Users";
    LoginLocksTitle => "Tên đăng nhập đang bị tạm khóa", "Usernames locked for sign-in";
    LoginLocksIntro => "Sau 10 lần đăng nhập sai trong 15 phút từ một địa chỉ, tên đó bị khóa 15 phút từ địa chỉ ấy; sau 50 lần từ mọi nơi, bị khóa ở mọi nơi. Mở khóa khi chắc chắn đó là người dùng thật.", "After 10 wrong passwords in 15 minutes from one address the name is locked from that address for 15 minutes; after 50 from everywhere, everywhere. Unlock once you are sure it is the real user.";
    LoginLocksNone => "Không có tên đăng nhập nào đang bị khóa.", "No username is locked.";
    LockedFrom => "Từ địa chỉ", "From address";
    LockedEverywhere => "Mọi địa chỉ", "Every address";
    LockedUntil => "Khóa đến", "Locked until";
    LoginAttempts => "Số lần thử", "Attempts";
    Unlock => "Mở khóa", "Unlock";
    Unlocked => "Đã mở khóa.", "Unlocked.";
    CreatedAt => "Ngày tạo", "Created";
    RoleAdmin => "Quản trị viên", "Administrator";
    RoleStation => "Tổ bầu cử (ngày bầu cử)", "Polling station staff";
    RoleOrganizer => "Tổ chức tiếp xúc cử tri", "Meeting organizer";
    RoleViewer => "Chỉ xem kết quả", "Viewer (read-only)";
    SetupTitle => "Tạo tài khoản quản trị đầu tiên", "Create the first administrator";
    SetupIntro => "cutri chưa có tài khoản nào. Tài khoản tạo ở đây có toàn quyền quản trị phường/xã.", "cutri has no accounts yet. The account created here administers the whole ward.";
    SetupCreate => "Tạo tài khoản quản trị", "Create administrator";
    HomeTitle => "Trang chủ", "Home";
    HomeWelcome => "Xin chào", "Welcome";
    HomeIntro => "Chọn một mục để bắt đầu.", "Pick an area to begin.";
    TileVotersHint => "Danh sách cử tri theo khu vực bỏ phiếu: nhập từ Excel/CSV, sửa đổi, khiếu nại, in danh sách và thẻ cử tri.", "Voter lists per polling area: import from Excel/CSV, amendments, complaints, printed lists and voter cards.";
    TileElectionDayHint => "Ghi nhận cử tri đến bỏ phiếu tại khu vực: tìm tên hoặc quét thẻ, danh sách giấy dự phòng.", "Check voters in at the polling area: search or scan the card, paper checklist as a fallback.";
    TileResultsHint => "Tỷ lệ cử tri đi bầu trực tiếp, báo cáo theo giờ, biên bản kiểm phiếu và kết quả bầu cử.", "Live turnout, report times, counting minutes and election results.";
    TileMeetingsHint => "Lịch tiếp xúc cử tri của đại biểu, ý kiến, kiến nghị, trả lời và biên bản.", "Deputies' meetings with voters: schedule, opinions, petitions, answers and minutes.";
    TileAdminHint => "Tài khoản người dùng, giao khu vực cho Tổ bầu cử, nhật ký thao tác.", "User accounts, polling areas of station staff, audit log.";
    PrepTitle => "Chuẩn bị cho cuộc bầu cử", "Getting ready for the election";
    PrepReady => "Các bước chuẩn bị đã xong. Vào ngày bầu cử, Tổ bầu cử mở mục “Ngày bầu cử”.", "Every preparation step is done. On election day, station staff open “Election day”.";
    PrepNext => "Làm bước này", "Do this step";
    PrepOpen => "Mở", "Open";
    PrepDone => "Đã xong", "Done";
    PrepToDo => "Chưa làm", "To do";
    PrepWard => "Nhập tên phường/xã và tỉnh/thành phố", "Enter the ward and its province";
    PrepElection => "Tạo cuộc bầu cử: tên, ngày bầu cử, các cấp bầu cử", "Create the election: name, election day, ballot levels";
    PrepAreas => "Tạo các khu vực bỏ phiếu", "Create the polling areas";
    PrepVoters => "Nhập danh sách cử tri từ tệp Excel hoặc CSV", "Import the voter list from an Excel or CSV file";
    PrepPosting => "Ghi ngày niêm yết danh sách cử tri", "Record the day the voter list was posted";
    PrepStations => "Tạo tài khoản cho Tổ bầu cử và giao khu vực bỏ phiếu", "Create polling-station accounts and assign their areas";
    PrepAreasCount => "khu vực bỏ phiếu", "polling areas";
    PrepVotersCount => "cử tri trong danh sách", "voters on the list";
    PrepPostedOn => "Niêm yết ngày", "Posted on";
    PrepStationsCount => "tài khoản Tổ bầu cử đã được giao khu vực", "station accounts with areas";
    AuditTitle => "Nhật ký thao tác", "Audit log";
    AuditTime => "Thời gian", "Time";
    AuditActor => "Người thực hiện", "By";
    AuditAction => "Thao tác", "Action";
    AuditEntity => "Đối tượng", "Object";
    AuditBefore => "Trước", "Before";
    AuditAfter => "Sau", "After";
    AuditFilterAction => "Lọc theo thao tác", "Filter by action";
    AuditFilterActor => "Lọc theo người thực hiện", "Filter by user";
    AuditAllActions => "Tất cả thao tác", "All actions";
    Filter => "Lọc", "Filter";
    PreviousPage => "Trang trước", "Previous";
    NextPage => "Trang sau", "Next";
    NoRecords => "Không có bản ghi nào.", "No records.";
    Loading => "Đang tải…", "Loading…";
    ForbiddenTitle => "Không có quyền truy cập", "Access denied";
    ForbiddenText => "Tài khoản của bạn không được phép mở trang này. Hãy liên hệ quản trị viên nếu bạn cần quyền này.", "Your account may not open this page. Ask an administrator if you need access.";
    NotFoundTitle => "Không tìm thấy trang", "Page not found";
    NotFoundText => "Địa chỉ này không tồn tại. Hãy kiểm tra lại hoặc quay về trang chủ.", "This address does not exist. Check it or go back to the home page.";
    ErrorTitle => "Đã xảy ra lỗi", "Something went wrong";
    ErrorReference => "Mã tham chiếu", "Reference";
    BackHome => "Về trang chủ", "Back to home";
    Language => "Ngôn ngữ", "Language";
    SkipToContent => "Bỏ qua, tới nội dung chính", "Skip to main content";
    VotersTitle => "Danh sách cử tri", "Voter lists";
    WardTitle => "Phường, xã", "Ward";
    WardName => "Tên phường/xã", "Ward name";
    Province => "Tỉnh/thành phố", "Province";
    WardMissing => "Hãy nhập tên phường/xã và tỉnh trước: chúng được in trên danh sách và thẻ cử tri.", "Enter the ward and province first: they are printed on lists and voter cards.";
    Elections => "Cuộc bầu cử", "Elections";
    ElectionName => "Tên cuộc bầu cử", "Election name";
    ElectionDay => "Ngày bầu cử", "Election day";
    CreateElection => "Tạo cuộc bầu cử", "Create election";
    LevelNationalAssembly => "Đại biểu Quốc hội", "National Assembly";
    LevelProvince => "HĐND tỉnh", "Provincial council";
    LevelCommune => "HĐND xã", "Commune council";
    BallotLevels => "Cấp bầu cử", "Ballot levels";
    NoElections => "Chưa có cuộc bầu cử nào.", "No elections yet.";
    PollingAreas => "Khu vực bỏ phiếu", "Polling areas";
    AreaNumber => "Số", "No.";
    AreaName => "Tên khu vực", "Area name";
    AreaAddress => "Địa điểm bỏ phiếu", "Polling station address";
    CreateArea => "Thêm khu vực bỏ phiếu", "Add polling area";
    VoterCount => "Số cử tri", "Voters";
    ListPdf => "Danh sách (PDF)", "List (PDF)";
    CardsPdf => "Thẻ cử tri (PDF)", "Voter cards (PDF)";
    // --- xlsx / export ---
    ListCsv => "Danh sách (CSV)", "List (CSV)";
    ListXlsx => "Danh sách (Excel)", "List (Excel)";
    SpreadsheetFile => "Tệp Excel", "Excel workbook";
    ImportVoters => "Nhập danh sách từ tệp", "Import a list from a file";
    ImportTitle => "Nhập danh sách cử tri", "Import a voter list";
    ImportIntro => "Chọn tệp Excel (.xlsx hoặc .xls) hoặc CSV (UTF-8, TCVN3, VNI hoặc ANSI Windows-1258; dấu phẩy, chấm phẩy hoặc tab). cutri đọc thử và báo lỗi từng dòng trước khi ghi; chưa có gì được ghi cho đến khi bạn bấm “Ghi vào danh sách”.", "Choose an Excel (.xlsx or .xls) or CSV file (UTF-8, TCVN3, VNI or ANSI Windows-1258; comma, semicolon or tab). cutri reads it first and reports each row's problems; nothing is written until you press “Write to the list”.";
    ImportFile => "Tệp danh sách", "List file";
    DefaultArea => "Khu vực bỏ phiếu (khi tệp không có cột này)", "Polling area (when the file has no such column)";
    NoDefaultArea => "— theo cột trong tệp —", "— from the file's column —";
    Upload => "Tải lên và đọc thử", "Upload and check";
    DetectedEncoding => "Bảng mã", "Encoding";
    DatesMonthFirst => "Ngày tháng trong tệp này viết tháng trước ngày (như 12/25/1980, kiểu Mỹ), nên cutri đọc 05/07/1990 là ngày 07 tháng 05. Hãy xem lại cột ngày sinh ở bảng dưới.",
        "This file writes the month before the day (as in 12/25/1980, the US way), so cutri reads 05/07/1990 as 7 May. Check the birth-date column below.";
    SheetRead => "Trang tính", "Sheet";
    Separator => "Dấu phân cách", "Separator";
    HeaderRow => "Dòng tiêu đề", "Header row";
    ColumnMapping => "Cột trong tệp", "Columns in the file";
    FileColumn => "Cột", "Column";
    Heading => "Tiêu đề", "Heading";
    MapsTo => "Dùng làm", "Used as";
    Ignored => "— bỏ qua —", "— ignored —";
    Samples => "Ví dụ", "Examples";
    ApplyChanges => "Áp dụng và đọc lại", "Apply and re-check";
    ControlTotals => "Tổng kiểm tra", "Control totals";
    RowsReady => "Số cử tri hợp lệ", "Valid voters";
    Men => "Nam", "Men";
    Women => "Nữ", "Women";
    Problems => "Vấn đề cần xem", "Problems to review";
    NoProblems => "Không phát hiện vấn đề nào.", "No problems found.";
    Row => "Dòng", "Row";
    Column => "Cột", "Column";
    Problem => "Vấn đề", "Problem";
    ErrorLevel => "Lỗi", "Error";
    WarningLevel => "Lưu ý", "Warning";
    CommitImport => "Ghi vào danh sách", "Write to the list";
    ImportAlreadyListedLead => "Có vẻ tệp này đã được nhập trước đây:", "This file seems to have been imported before:";
    ImportAlreadyListedTail => "cử tri của tệp đã có trong danh sách (cùng họ tên và ngày sinh)", "of its voters are on the list already (same name and birth date)";
    ImportAlreadyListedHint => "Nhập lại sẽ ghi mỗi người hai lần, nên chưa ghi gì. Hãy chỉ để lại những cử tri mới trong tệp; người cần sửa thì sửa trong danh sách.", "Importing it again would list each of them twice, so nothing was written. Keep only the new voters in the file; correct the others in the list.";
    ImportBlocked => "Còn lỗi: hãy sửa tệp hoặc cách đọc cột rồi tải lên lại. Chưa có gì được ghi.", "Errors remain: fix the file or the column mapping and upload again. Nothing was written.";
    Imported => "Đã ghi vào danh sách", "Written to the list";
    ImportChecking => "Đang đọc và kiểm tra lại tệp…", "Reading and checking the file again…";
    ImportWriting => "Đang ghi vào danh sách", "Writing to the list";
    ImportIndexing => "Đang hoàn tất: cập nhật chỉ mục tìm kiếm…", "Finishing: updating the search indexes…";
    RowsUnit => "dòng", "rows";
    ListPosting => "Niêm yết danh sách cử tri", "Posting of the voter list";
    PostedOn => "Đã niêm yết ngày", "Posted on";
    ComplaintsUntil => "nhận khiếu nại đến hết ngày", "complaints accepted until";
    PostedLate => "Niêm yết muộn: chậm nhất phải là ngày", "Posted late: the latest day allowed was";
    NotPostedYet => "Chưa ghi ngày niêm yết. Phải niêm yết chậm nhất vào ngày", "No posting day recorded yet. The list must be posted by";
    PostingDay => "Ngày niêm yết", "Posting day";
    RecordPosting => "Ghi ngày niêm yết", "Record the posting day";
    ComplaintLate => "Nhận sau thời hạn khiếu nại (30 ngày kể từ ngày niêm yết)", "Received after the complaint period (30 days from posting)";
    UploadSent => "Đang tải tệp lên", "Uploading the file";
    ImportReading => "Đang đọc thử và kiểm tra tệp", "Reading and checking the file (dry run)";
    UploadFailed => "Tải tệp lên không thành công (mất kết nối?). Hãy thử lại; dữ liệu chưa bị thay đổi.", "The upload failed (connection lost?). Try again; nothing was changed.";
    SearchVoters => "Tìm cử tri", "Find a voter";
    SearchHint => "Gõ họ tên có dấu hoặc không dấu (vd. “nguyen van a”, “ng v an”), năm sinh, số thẻ hoặc số CCCD.", "Type the name with or without diacritics (e.g. “nguyen van a”, “ng v an”), birth year, card number or ID number.";
    AllAreas => "Tất cả khu vực", "All areas";
    NoResults => "Không tìm thấy cử tri phù hợp.", "No matching voter.";
    CardNumber => "Số thẻ", "Card no.";
    BirthDate => "Ngày sinh", "Date of birth";
    Gender => "Giới tính", "Gender";
    Address => "Nơi cư trú", "Residence";
    PermanentAddress => "Thường trú", "Permanent residence";
    TemporaryAddress => "Tạm trú", "Temporary residence";
    VoterStatusLabel => "Tình trạng", "Status";
    StatusActive => "Trong danh sách", "On the list";
    StatusRemoved => "Đã xóa khỏi danh sách", "Removed from the list";
    StatusElsewhere => "Bỏ phiếu ở nơi khác", "Voting elsewhere";
    Ethnicity => "Dân tộc", "Ethnicity";
    Occupation => "Nghề nghiệp", "Occupation";
    IdNumber => "Số CCCD", "ID number";
    Notes => "Ghi chú", "Notes";
    HouseholdHead => "Chủ hộ", "Head of household";
    VoterTitle => "Cử tri", "Voter";
    FullName => "Họ và tên", "Full name";
    VotersUnit => "cử tri", "voters";
    AmendTitle => "Điều chỉnh danh sách", "Amend the list";
    Reason => "Lý do", "Reason";
    CertificateNo => "Số giấy chứng nhận", "Certificate no.";
    RemoveVoter => "Xóa khỏi danh sách", "Remove from the list";
    RestoreVoter => "Khôi phục vào danh sách", "Restore to the list";
    EditVoter => "Sửa thông tin cử tri", "Correct the voter's details";
    AddVoter => "Bổ sung cử tri", "Add a voter";
    TemporarySince => "Tạm trú từ ngày", "Temporary since";
    Saved => "Đã lưu.", "Saved.";
    // --- meetings ---
    MeetTitle => "Hội nghị tiếp xúc cử tri", "Deputy–voter meetings";
    MeetList => "Danh sách hội nghị", "Meeting list";
    MeetWeek => "Lịch tuần", "Week view";
    MeetPrevWeek => "← Tuần trước", "← Previous week";
    MeetMonth => "Lịch tháng", "Month view";
    MeetMonthWord => "Tháng", "Month";
    MeetPrevMonth => "← Tháng trước", "← Previous month";
    MeetNextMonth => "Tháng sau →", "Next month →";
    MeetToday => "Hôm nay", "Today";
    DayMon => "Thứ Hai", "Monday";
    DayTue => "Thứ Ba", "Tuesday";
    DayWed => "Thứ Tư", "Wednesday";
    DayThu => "Thứ Năm", "Thursday";
    DayFri => "Thứ Sáu", "Friday";
    DaySat => "Thứ Bảy", "Saturday";
    DaySun => "Chủ nhật", "Sunday";
    MeetNextWeek => "Tuần sau →", "Next week →";
    MeetNew => "Lên lịch hội nghị", "Schedule a meeting";
    MeetSchedule => "Lên lịch", "Schedule";
    MeetRegistry => "Đại biểu và địa điểm", "Deputies and venues";
    MeetFilter => "Lọc", "Filter";
    MeetNone => "Chưa có hội nghị nào phù hợp.", "No matching meetings.";
    MeetConference => "Hội nghị tiếp xúc cử tri", "Voter meeting";
    MeetName => "Tên hội nghị", "Meeting";
    MeetWhen => "Thời gian", "When";
    MeetDate => "Ngày", "Date";
    MeetStarts => "Giờ bắt đầu", "Starts at";
    MeetEnds => "Giờ kết thúc", "Ends at";
    MeetVenue => "Địa điểm", "Venue";
    MeetVenues => "Địa điểm", "Venues";
    MeetNoVenue => "Không có (trực tuyến)", "None (online)";
    MeetCapacity => "Sức chứa", "Capacity";
    MeetAddress => "Địa chỉ", "Address";
    MeetAreas => "Khóm/ấp/tổ dân phố được mời", "Areas invited";
    MeetDeputy => "Đại biểu", "Deputy";
    MeetDeputies => "Đại biểu tham dự", "Deputies attending";
    MeetAllDeputies => "Tất cả đại biểu", "All deputies";
    MeetLevel => "Cấp đại biểu", "Level";
    MeetPosition => "Chức vụ", "Position";
    MeetConstituency => "Đơn vị bầu cử", "Constituency";
    MeetDeputyGroup => "Tổ đại biểu", "Deputy group";
    MeetContact => "Liên hệ", "Contact";
    MeetAddDeputy => "Thêm đại biểu", "Add a deputy";
    MeetAddVenue => "Thêm địa điểm", "Add a venue";
    MeetTerm => "Khóa", "Term";
    MeetTermWord => "khóa", "term";
    MeetSession => "Kỳ họp", "Session";
    MeetSessionWord => "kỳ họp thứ", "session no.";
    MeetTiming => "Trước/sau kỳ họp", "Before/after the session";
    MeetKind => "Loại hội nghị", "Kind";
    MeetFormat => "Hình thức", "Format";
    MeetChair => "Chủ trì", "Chair";
    MeetSecretary => "Thư ký", "Secretary";
    MeetInvited => "Số cử tri được mời", "Voters invited";
    MeetPresent => "Số cử tri có mặt", "Voters present";
    MeetOthers => "Đại biểu khách mời, cơ quan dự", "Officials present";
    MeetReported => "Nội dung báo cáo", "Content reported";
    MeetEndedAt => "Giờ kết thúc thực tế", "Actual end time";
    MeetAttendance => "Ghi nhận hội nghị", "Record the meeting";
    MeetSignedIn => "Cử tri ký tên tham dự", "Voters signed in";
    MeetSignedInHint => "Không bắt buộc: ghi tên từng cử tri theo sổ ký tên của hội nghị. Biên bản in danh sách này và thành phần cử tri dự.", "Optional: enter each voter from the meeting's sign-in sheet. The minutes print this list and the composition of those present.";
    MeetSignedInCount => "Đã ký tên", "Signed in";
    MeetNoSignedIn => "Chưa có cử tri nào ký tên.", "No voter has signed in yet.";
    MeetNoAddress => "không ghi địa chỉ", "no address given";
    MeetSignedOverPresent => "Số cử tri đã ký tên nhiều hơn số cử tri có mặt đã ghi: hãy sửa số có mặt trước khi chốt biên bản.", "More voters signed in than the number present: correct the number present before finalising.";
    MeetGenderNotGiven => "Không ghi", "Not given";
    MeetSignIn => "Ghi tên cử tri", "Sign a voter in";
    MeetRemove => "Xóa", "Remove";
    MeetStatus => "Tình trạng", "Status";
    MeetOpinions => "Ý kiến, kiến nghị của cử tri", "Voters' opinions and petitions";
    MeetNoOpinions => "Chưa ghi ý kiến nào.", "No opinions recorded yet.";
    MeetItem => "Ý kiến số", "Item";
    MeetSpeaker => "Cử tri phát biểu", "Speaker";
    MeetField => "Lĩnh vực", "Field";
    MeetContent => "Nội dung", "Content";
    MeetCompetent => "Cấp có thẩm quyền", "Competent level";
    MeetRepeats => "Trùng kiến nghị trước", "Repeats an earlier petition";
    MeetNotRepeat => "Không trùng", "Not a repeat";
    MeetAddOpinion => "Ghi ý kiến, kiến nghị", "Record an opinion";
    MeetAnswers => "Trả lời (giải trình, tiếp thu)", "Answers";
    MeetAddAnswer => "Ghi trả lời", "Record an answer";
    MeetAnsweredBy => "Người trả lời", "Answered by";
    MeetAnswerText => "Nội dung trả lời", "Answer";
    MeetFinalise => "Chốt biên bản", "Finalise the minutes";
    MeetFinaliseHint => "Sau khi chốt, số liệu, ý kiến và trả lời được khóa lại; muốn thay đổi phải lập bản sửa đổi có ghi lý do.", "Once finalised, attendance, opinions and answers are locked; a change needs a correction with its reason.";
    MeetLockedNotice => "Biên bản đã chốt và được khóa; chỉ thay đổi được bằng bản sửa đổi.", "The minutes are finalised and locked; only a correction can change them.";
    MeetMinutesPdf => "Biên bản (PDF)", "Minutes (PDF)";
    MeetInvitationPdf => "Giấy mời (PDF)", "Invitation (PDF)";
    MeetEdit => "Sửa kế hoạch", "Edit the plan";
    MeetSaveChanges => "Lưu thay đổi", "Save changes";
    MeetCancel => "Hủy hội nghị", "Cancel the meeting";
    MeetCancelHint => "Hội nghị đã hủy vẫn được lưu và hiện với tình trạng \"Đã hủy\"; đại biểu và địa điểm được giải phóng cho lịch khác.", "A cancelled meeting is kept and shown as \"Cancelled\"; its deputies and venue become free for other meetings.";
    MeetCancelReason => "Lý do hủy", "Reason for cancelling";
    MeetCancelled => "Đã hủy", "Cancelled";
    MeetBackToMeeting => "Về trang hội nghị", "Back to the meeting";
    PetTitle => "Tổng hợp ý kiến, kiến nghị cử tri", "Voters' opinions and petitions";
    PetMerge => "Gộp", "Merge";
    PetSession => "Kỳ họp", "Session";
    PetOpens => "Ngày khai mạc", "Opening day";
    PetCloses => "Ngày bế mạc", "Closing day";
    PetDue => "Hạn trả lời (15 ngày trước khai mạc / sau bế mạc): ", "Answers due (15 days before opening / after closing): ";
    PetSummaryPdf => "Báo cáo tổng hợp (PDF)", "Summary report (PDF)";
    PetSummaryXlsx => "Báo cáo tổng hợp (XLSX)", "Summary report (XLSX)";
    PetUncollected => "Ý kiến chưa tổng hợp:", "Opinions not collected yet:";
    PetCollect => "Tổng hợp kiến nghị", "Collect petitions";
    PetDuplicates => "Kiến nghị có thể trùng", "Possible duplicates";
    PetList => "Danh sách kiến nghị", "Petitions";
    PetField => "Lĩnh vực", "Field";
    PetContent => "Nội dung", "Content";
    PetSources => "Nguồn", "Sources";
    PetStatus => "Tình trạng", "Status";
    PetRouteAnswer => "Chuyển xử lý / trả lời", "Route / answer";
    PetCarry => "Chuyển kiến nghị chưa trả lời sang kỳ sau", "Carry unanswered petitions to the next session";
    PetItemWord => "mục", "item";
    PetLetterWord => "văn bản số", "letter no.";
    PetDateWord => "ngày", "of";
    PetCarriedFrom => "Chuyển từ kỳ trước:", "Carried from:";
    PetOverdue => "Quá hạn", "Overdue";
    PetRoute => "Chuyển", "Route";
    PetRecordAnswer => "Ghi nhận văn bản trả lời", "Record an official answer";
    PetAnswerContent => "Nội dung trả lời", "Answer";
    PetRoadmap => "Lộ trình", "Roadmap";
    PetLetterNumber => "Số văn bản", "Letter no.";
    PetIssuedOn => "Ngày ban hành", "Issued on";
    PetSigner => "Người ký", "Signed by";
    PetAnsweringBody => "Cơ quan trả lời", "Answering body";
    PetNav => "Kiến nghị cử tri", "Voters' petitions";
    MeetIcsLink => "Lịch (.ics)", "Calendar (.ics)";
    MeetCalendar => "Lịch", "Calendar";
    MeetCorrect => "Sửa đổi biên bản", "Correct the minutes";
    MeetCorrectHint => "Biên bản đã chốt được giữ nguyên; sửa đổi mở lại hồ sơ để sửa, khi chốt lại sẽ thành bản sửa đổi mới.", "The finalised minutes are kept as they are; a correction reopens the record, and finalising it again makes a new version.";
    MeetCorrectReason => "Lý do sửa đổi", "Reason for the correction";
    MeetCorrectionOpen => "Đang sửa đổi biên bản", "Correction in progress";
    MeetFinaliseCorrection => "Chốt bản sửa đổi", "Finalise the corrected minutes";
    MeetVersions => "Các bản biên bản đã chốt", "Finalised versions of the minutes";
    MeetVersionFirst => "Bản chốt lần đầu", "First finalised version";
    MeetVersionCorrection => "Bản sửa đổi lần", "Correction no.";
    MeetVersionLatest => "bản hiện hành", "current";
    // --- complaints ---
    ComplaintsTitle => "Sổ khiếu nại về danh sách cử tri", "Complaints about the voter list";
    ComplaintsLink => "Sổ khiếu nại", "Complaints register";
    ComplaintsIntro => "Khiếu nại về danh sách cử tri được ghi vào sổ và phải được trả lời trong 5 ngày kể từ ngày nhận (Điều 33 Luật Bầu cử).", "Complaints about the voter list are recorded in the register and must be answered within 5 days of receipt (Election Law, Art. 33).";
    ComplaintNumber => "Số", "No.";
    ReceivedOn => "Ngày nhận", "Received on";
    Complainant => "Người khiếu nại", "Complainant";
    ComplaintVoter => "Cử tri liên quan", "Voter concerned";
    ComplaintContent => "Nội dung khiếu nại", "Complaint";
    AnswerDeadline => "Hạn trả lời", "Answer due";
    ComplaintStatus => "Tình trạng", "Status";
    ComplaintOverdue => "Quá hạn", "Overdue";
    ComplaintOpen => "Chưa giải quyết", "Open";
    ComplaintResolved => "Đã giải quyết", "Resolved";
    Resolution => "Kết quả giải quyết", "Resolution";
    ResolvedOn => "Ngày giải quyết", "Resolved on";
    RecordComplaint => "Ghi khiếu nại vào sổ", "Record a complaint";
    ResolveComplaint => "Ghi kết quả giải quyết", "Record the resolution";
    NoComplaints => "Chưa có khiếu nại nào.", "No complaints yet.";
    LinkVoter => "Cử tri liên quan (không bắt buộc): tìm rồi chọn", "Voter concerned (optional): search, then choose";
    NoVoterLinked => "Không gắn với cử tri nào", "No voter";
    OverdueSummary => "khiếu nại quá hạn chưa trả lời", "overdue complaints without an answer";
    NoOpenComplaints => "Không còn khiếu nại nào chưa giải quyết.", "No open complaints.";
    ComplaintRecorded => "Đã ghi khiếu nại vào sổ.", "Complaint recorded.";
    ComplaintResolvedSaved => "Đã ghi kết quả giải quyết.", "Resolution recorded.";
    // --- counting ---
    CountingTitle => "Kết quả kiểm phiếu", "Counting results";
    CountingIntro => "Mỗi khu vực bỏ phiếu và mỗi cấp bầu cử được hai người khác nhau nhập độc lập từ biên bản giấy. Chỉ chốt biên bản khi hai lần nhập khớp nhau.", "Each polling area and ballot level is entered independently by two different people from the paper minutes. The minutes are finalised only when both entries agree.";
    CountingLink => "Nhập kết quả kiểm phiếu (Mẫu 18, 23)", "Enter counting results (forms 18, 23)";
    BallotLevelCol => "Cấp bầu cử", "Ballot level";
    CountingStateCol => "Tình trạng", "State";
    StateNotEntered => "Chưa nhập", "Not entered";
    StateFirstEntry => "Đã nhập lần 1", "First entry made";
    StateEntriesDiffer => "Hai lần nhập khác nhau", "Entries differ";
    StateAgreed => "Hai lần nhập khớp — chờ chốt", "Entries agree — awaiting finalising";
    StateFinalised => "Đã chốt biên bản", "Minutes finalised";
    NoCountingAreas => "Chưa có khu vực bỏ phiếu nào để nhập kết quả.", "No polling areas to enter results for.";
    FirstEntry => "Lần nhập thứ nhất", "First entry";
    SecondEntry => "Lần nhập thứ hai", "Second entry";
    EnteredBy => "Người nhập", "Entered by";
    YourEntry => "(của bạn)", "(yours)";
    OtherEntryHidden => "Nội dung lần nhập của người kia được ẩn cho đến khi cả hai lần nhập xong.", "The other person's entry stays hidden until both entries are made.";
    SeatsField => "Số đại biểu được bầu của đơn vị bầu cử", "Seats of the constituency";
    OnListField => "Tổng số cử tri của khu vực bỏ phiếu (theo danh sách cập nhật đến lúc bắt đầu bỏ phiếu)", "Voters on the list (as updated to the start of voting)";
    VotedField => "Số cử tri đã tham gia bỏ phiếu", "Voters who voted";
    OnListKnown => "Theo danh sách trong cutri:", "On cutri's list:";
    CheckInsKnown => "Theo ghi nhận đi bầu:", "Checked in:";
    IssuedField => "Số phiếu phát ra", "Ballots issued";
    CollectedField => "Số phiếu thu vào", "Ballots collected";
    ValidField => "Số phiếu hợp lệ", "Valid ballots";
    InvalidField => "Số phiếu không hợp lệ", "Invalid ballots";
    MembersField => "Thành viên Tổ bầu cử (mỗi dòng: Họ và tên; Chức vụ)", "Members of the Tổ (one a line: Full name; Role)";
    WitnessField => "Cử tri chứng kiến", "Witnessing voter";
    WitnessName => "Họ và tên", "Full name";
    WitnessAddress => "Nơi ở hiện tại", "Address";
    CandidatesField => "Người ứng cử (mỗi dòng: Họ và tên; Ngày sinh; Số phiếu bầu)", "Candidates (one a line: Full name; Birth date; Votes)";
    IncidentsField => "Sự việc xảy ra, khiếu nại, tố cáo", "Incidents, complaints";
    UnresolvedField => "Vấn đề, khiếu nại chưa giải quyết được và kiến nghị", "Unresolved matters and recommendations";
    SaveEntry => "Lưu lần nhập", "Save entry";
    EntrySaved => "Đã lưu lần nhập.", "Entry saved.";
    FindingsTitle => "Kiểm tra tính nhất quán", "Consistency checks";
    NoFindings => "Không phát hiện sai lệch.", "No inconsistencies found.";
    FindingError => "Lỗi", "Error";
    FindingWarning => "Cảnh báo", "Warning";
    DifferencesTitle => "Khác nhau giữa hai lần nhập", "Differences between the entries";
    DifferencesHint => "Người nhập sai hãy nhập lại lần nhập của mình theo biên bản giấy.", "Whoever made the mistake re-enters their own entry from the paper minutes.";
    FieldCol => "Mục", "Field";
    FinaliseMinutes => "Chốt biên bản", "Finalise the minutes";
    MinutesFinalised => "Biên bản đã chốt bởi", "Minutes finalised by";
    MinutesPdf => "Biên bản kiểm phiếu (PDF)", "Counting minutes (PDF)";
    MemberRow => "Thành viên Tổ bầu cử", "Tổ member";
    MemberCount => "Số thành viên Tổ bầu cử", "Number of Tổ members";
    CandidateCount => "Số người ứng cử", "Number of candidates";
    CandidateName => "Họ tên người ứng cử", "Candidate name";
    CandidateBirth => "Ngày sinh người ứng cử", "Candidate birth date";
    CandidateVotes => "Số phiếu bầu của người ứng cử", "Candidate votes";
    RuleC01 => "Số phiếu thu vào phải bằng số phiếu hợp lệ cộng số phiếu không hợp lệ.", "Ballots collected must equal valid plus invalid.";
    RuleC02 => "Số phiếu thu vào không được nhiều hơn số phiếu phát ra.", "More ballots collected than issued.";
    RuleC03 => "Số phiếu phát ra không được nhiều hơn tổng số cử tri.", "More ballots issued than voters on the list.";
    RuleC04 => "Số phiếu của một người ứng cử không được nhiều hơn số phiếu hợp lệ.", "A candidate has more votes than there are valid ballots.";
    RuleC05 => "Tổng số phiếu bầu cho các người ứng cử không được vượt quá số phiếu hợp lệ × số đại biểu được bầu.", "Total votes exceed valid ballots × seats.";
    RuleC06 => "Số cử tri đã bỏ phiếu không được nhiều hơn tổng số cử tri.", "More voters voted than are on the list.";
    RuleC07 => "Mỗi phiếu hợp lệ còn ít nhất một tên: tổng số phiếu bầu không được ít hơn số phiếu hợp lệ.", "Each valid ballot keeps a name: total votes cannot be below valid ballots.";
    RuleC08 => "Số đại biểu được bầu phải từ 1 trở lên, phải có người ứng cử, và không có số âm.", "Seats must be at least 1, candidates must be listed, and no figure may be negative.";
    RuleW01 => "Số cử tri đã bỏ phiếu khác số lượt ghi nhận đi bầu trong cutri.", "Voters who voted differs from the check-ins recorded in cutri.";
    RuleW02 => "Số phiếu thu vào khác số cử tri đã bỏ phiếu: hãy kiểm tra và ghi rõ lý do.", "Ballots collected differ from voters who voted: check and explain.";
    RuleW03 => "Tổng số cử tri khác danh sách cử tri trong cutri.", "Voters on the list differ from cutri's voter list.";
    RuleW04 => "Số người ứng cử phải nhiều hơn số đại biểu được bầu: hãy kiểm tra lại.", "There should be more candidates than seats: check the entry.";
    // --- constituencies and results ---
    ConstituenciesTitle => "Đơn vị bầu cử và danh sách người ứng cử", "Constituencies and candidate lists";
    ConstituenciesIntro => "Mỗi cấp bầu cử có các đơn vị bầu cử; mỗi khu vực bỏ phiếu thuộc đúng một đơn vị bầu cử của mỗi cấp. Danh sách người ứng cử được sắp theo thứ tự chính thức: tên, họ, tên đệm, người nhiều tuổi hơn trước.", "Each ballot level has its constituencies; each polling area belongs to exactly one constituency per level. Candidates are listed in the official order: given name, family name, middle name, the older first.";
    ConstituenciesLink => "Đơn vị bầu cử, người ứng cử", "Constituencies, candidates";
    AddConstituency => "Thêm đơn vị bầu cử", "Add a constituency";
    EditConstituency => "Sửa đơn vị bầu cử", "Edit the constituency";
    ConstituencyNumber => "Đơn vị bầu cử số", "Constituency no.";
    ConstituencyName => "Tên đơn vị bầu cử (gồm …)", "Constituency name (comprising …)";
    SeatsWord => "đại biểu", "seats";
    Stt => "STT", "No.";
    Male => "Nam", "Male";
    Female => "Nữ", "Female";
    CandidateListField => "Danh sách người ứng cử (mỗi dòng: Họ và tên; Ngày sinh; Nam/Nữ)", "Candidates (one a line: Full name; Birth date; Nam/Nữ)";
    SaveCandidateList => "Lưu danh sách người ứng cử", "Save the candidate list";
    ConstituencySaved => "Đã lưu đơn vị bầu cử.", "Constituency saved.";
    CandidatesSaved => "Đã lưu danh sách người ứng cử.", "Candidate list saved.";
    ResultsTitle => "Xác định kết quả bầu cử", "Election results";
    ConstituencyVoters => "Tổng số cử tri của đơn vị bầu cử", "Voters of the constituency";
    ResultsIntro => "Kết quả mỗi đơn vị bầu cử được tổng hợp từ biên bản kiểm phiếu đã chốt của tất cả khu vực bỏ phiếu thuộc đơn vị.", "Each constituency's result adds up the finalised counting minutes of all its polling areas.";
    ResultsLink => "Xác định kết quả bầu cử theo đơn vị bầu cử", "Results by constituency";
    NoConstituencies => "Cuộc bầu cử này chưa có đơn vị bầu cử nào.", "This election has no constituencies yet.";
    ConstituencyHasNoAreas => "Đơn vị bầu cử chưa có khu vực bỏ phiếu nào.", "The constituency has no polling areas yet.";
    ResultWaiting => "Chưa xác định được kết quả: còn", "Not determined yet:";
    AreasNotFinalised => "khu vực bỏ phiếu chưa chốt biên bản kiểm phiếu", "polling areas without finalised counting minutes";
    ResultCandidatesDiffer => "Biên bản kiểm phiếu của các khu vực không cùng danh sách người ứng cử hoặc số đại biểu được bầu với đơn vị bầu cử; hãy kiểm tra lại.", "The areas' counting minutes do not share the constituency's candidate list or seats; check them.";
    Elected => "Trúng cử", "Elected";
    VotesCol => "Số phiếu bầu", "Votes";
    VotesWord => "phiếu", "votes";
    ShareOfValid => "Tỷ lệ % so với tổng số phiếu hợp lệ", "% of valid ballots";
    Conclusions => "Kết luận", "Conclusions";
    WinnersLead => "Trúng cử (quá nửa tổng số phiếu hợp lệ và nhiều phiếu hơn)", "Elected (more than half of the valid ballots, most votes)";
    ResultInvalidLead => "Số cử tri đi bầu không quá một nửa tổng số cử tri: cuộc bầu cử ở đơn vị bầu cử số", "Not more than half of the voters voted: the election in constituency no.";
    ResultInvalidTail => "không có giá trị, đề nghị bầu cử lại.", "is not valid; a re-run is proposed.";
    SeatsToElect => "Được bầu", "Seats:";
    ElectedSoFar => "đã bầu được", "elected:";
    StillMissing => "còn thiếu", "still missing:";
    AdditionalElection => "Đề nghị bầu cử thêm.", "An additional election is proposed.";
    ResultMinutesPdf => "Biên bản xác định kết quả bầu cử (PDF)", "Result minutes (PDF)";
    RegisterCandidates => "Người ứng cử theo danh sách chính thức của đơn vị bầu cử số", "Candidates from the official list of constituency no.";
    VotesForCandidate => "Số phiếu bầu", "Votes";
    // --- check-in ---
    ChooseStation => "Chọn khu vực bỏ phiếu để mở bàn ghi nhận cử tri đi bầu.", "Choose a polling area to open its check-in desk.";
    NoStationAreas => "Bạn chưa được phân công khu vực bỏ phiếu nào. Hãy liên hệ quản trị viên.", "You are not assigned to any polling area. Ask an administrator.";
    ChecklistPdf => "Danh sách đánh dấu (giấy)", "Paper checklist";
    VotingHours => "Giờ bỏ phiếu", "Voting hours";
    DeskSearch => "Tìm cử tri hoặc quét mã trên thẻ cử tri", "Find a voter or scan the voter card";
    DeskHint => "Gõ tên không dấu, số thẻ, năm sinh hoặc số CCCD. ↑/↓ để chọn, Enter để mở, Enter lần nữa để xác nhận, Esc để hủy.", "Type the name without diacritics, card number, birth year or ID number. ↑/↓ to choose, Enter to open, Enter again to confirm, Esc to cancel.";
    AreaShort => "KVBP số", "Area";
    AlreadyVoted => "Đã bỏ phiếu, lượt", "Voted, check-in";
    OfOtherArea => "thuộc khu vực bỏ phiếu số", "belongs to polling area";
    BornIn => "sinh năm", "born";
    MobileBox => "Hòm phiếu phụ", "Mobile ballot box";
    HoursOverride => "Cho phép ngoài giờ bỏ phiếu (quản lý)", "Allow outside voting hours (manager)";
    ConfirmCheckIn => "Xác nhận đã phát phiếu bầu", "Confirm ballots issued";
    Cancel => "Hủy", "Cancel";
    CheckedIn => "đã ghi nhận đi bầu, lượt", "checked in, number";
    DoNotIssueBallots => "KHÔNG PHÁT PHIẾU BẦU", "DO NOT ISSUE BALLOTS";
    AreaTurnout => "Khu vực đã bỏ phiếu", "Area turnout";
    RecentCheckIns => "Lượt ghi nhận gần đây", "Recent check-ins";
    Undone => "Đã hủy", "Undone";
    UndoCheckIn => "Hủy lượt này", "Undo";
    UndoConfirm => "Xác nhận hủy", "Confirm undo";
    TurnoutTitle => "Tỷ lệ cử tri đi bầu", "Voter turnout";
    AsOf => "Số liệu lúc", "As of";
    AllBallots => "Tất cả cử tri", "All voters";
    LatestCheckIn => "Lượt gần nhất", "Latest check-in";
    WardTotal => "Toàn phường/xã", "Whole ward";
    PublicDisplay => "Màn hình công khai", "Public display";
    VotersWord => "cử tri", "voters";
    Voted => "Đã bầu", "Voted";
    OnList => "Danh sách", "On list";
    // --- turnout reports ---
    ElectionChoice => "Cuộc bầu cử", "Election";
    ShowElection => "Xem", "Show";
    ReportsTitle => "Báo cáo theo giờ", "Reports by the hour";
    ReportTime => "Giờ báo cáo", "Report time";
    ReportTakenAt => "Chốt số liệu lúc", "Figures taken at";
    ReportNotDue => "Chưa đến giờ", "Not yet";
    ReportPending => "Đang chờ chốt", "Waiting to be taken";
    ReportNext => "Giờ báo cáo tiếp theo:", "Next report time:";
    ReportDefaultTimes => "Đang dùng giờ báo cáo mặc định.", "Using the default report times.";
    ReportByArea => "Xem theo từng khu vực bỏ phiếu", "Show each polling area";
    ReportChartTitle => "Tỷ lệ cử tri đi bầu toàn phường/xã theo giờ báo cáo", "Ward turnout at each report time";
    ReportTimesField => "Giờ báo cáo (HH:MM, cách nhau bằng dấu phẩy)", "Report times (HH:MM, separated by commas)";
    SaveReportTimes => "Lưu giờ báo cáo", "Save report times";
    ReportTimesSaved => "Đã lưu giờ báo cáo.", "Report times saved.";
    SnapshotNow => "Chốt số liệu ngay", "Take the figures now";
    SnapshotsTaken => "Số giờ báo cáo vừa được chốt số liệu:", "Report times just taken:";
    NothingToSnapshot => "Không có giờ báo cáo nào đã đến mà chưa chốt số liệu.", "No report time has passed without its figures.";
    ReportPdf => "Báo cáo tình hình cử tri đi bầu (PDF)", "Turnout report (PDF)";
    ReportAutomatic => "tự động", "automatic";
}

/// The name of a ballot level.
pub fn level_label(level: crate::domain::voter::Levels) -> Msg {
    use crate::domain::voter::Levels;
    match level {
        Levels::NATIONAL_ASSEMBLY => Msg::LevelNationalAssembly,
        Levels::PROVINCE => Msg::LevelProvince,
        _ => Msg::LevelCommune,
    }
}

/// Why the desk must not hand out ballots, in words the desk can say to the voter.
pub fn refusal_text(refusal: &crate::domain::checkin::Refusal, locale: Locale) -> String {
    use crate::domain::checkin::{Refusal, WindowState};
    use crate::domain::format::date_time;
    let vi = locale == Locale::Vi;
    match refusal {
        Refusal::AlreadyCheckedIn(earlier) => {
            let at = date_time(earlier.at_ms);
            if vi {
                format!(
                    "Cử tri này đã bỏ phiếu: lượt #{} lúc {at} tại khu vực bỏ phiếu số {}, do {} ghi nhận.",
                    earlier.number, earlier.area_number, earlier.by
                )
            } else {
                format!(
                    "This voter has already voted: check-in #{} at {at} at polling area {}, recorded by {}.",
                    earlier.number, earlier.area_number, earlier.by
                )
            }
        }
        Refusal::Removed { reason } => match (vi, reason.is_empty()) {
            (true, true) => "Cử tri này đã bị xóa tên khỏi danh sách cử tri.".to_string(),
            (true, false) => {
                format!("Cử tri này đã bị xóa tên khỏi danh sách cử tri. Lý do: {reason}.")
            }
            (false, true) => "This voter was removed from the voter list.".to_string(),
            (false, false) => {
                format!("This voter was removed from the voter list. Reason: {reason}.")
            }
        },
        Refusal::VotingElsewhere { certificate_no } => {
            if vi {
                format!("Cử tri này đã nhận giấy chứng nhận bỏ phiếu ở nơi khác (số {certificate_no}), không bỏ phiếu tại đây.")
            } else {
                format!("This voter holds a certificate to vote elsewhere (no. {certificate_no}) and does not vote here.")
            }
        }
        Refusal::OtherArea {
            area_number,
            area_name,
        } => {
            if vi {
                format!("Cử tri này thuộc khu vực bỏ phiếu số {area_number} ({area_name}). Hãy hướng dẫn cử tri đến đúng khu vực.")
            } else {
                format!("This voter belongs to polling area {area_number} ({area_name}). Direct the voter there.")
            }
        }
        Refusal::OutsideHours { state, window } => {
            let hours = format!(
                "{} – {} {}",
                window.opens.display(),
                window.closes.display(),
                window.day.display()
            );
            match (state, vi) {
                (WindowState::NotYetOpen, true) => format!("Chưa đến giờ bỏ phiếu ({hours})."),
                (_, true) => format!("Đã hết giờ bỏ phiếu ({hours})."),
                (WindowState::NotYetOpen, false) => {
                    format!("Voting has not started yet ({hours}).")
                }
                (_, false) => format!("Voting has closed ({hours})."),
            }
        }
        Refusal::NoBallots => if vi {
            "Cử tri này không có quyền bầu ở cấp nào mà khu vực này tổ chức."
        } else {
            "This voter is not entitled to any ballot this polling area issues."
        }
        .to_string(),
    }
}

/// What the desk hears when it retries a check-in that a manager has undone since.
pub fn undone_check_in_text(
    undone: &crate::checkin::model::UndoneCheckIn,
    locale: Locale,
) -> String {
    use crate::domain::format::date_time;
    let checked_in_at = date_time(undone.checked_in_at_ms);
    let undone_at = date_time(undone.undone_at_ms);
    if locale == Locale::Vi {
        format!(
            "Lượt #{} của cử tri {} (ghi nhận lúc {checked_in_at}) đã bị {} hủy lúc {undone_at}. Lý do: {}. \
             Cử tri hiện chưa được ghi nhận đi bầu; nếu cần, hãy tìm lại cử tri và xác nhận lần nữa.",
            undone.number, undone.full_name, undone.undone_by, undone.reason
        )
    } else {
        format!(
            "Check-in #{} of {} (recorded at {checked_in_at}) was undone by {} at {undone_at}. Reason: {}. \
             The voter is not checked in now; if needed, find the voter and confirm again.",
            undone.number, undone.full_name, undone.undone_by, undone.reason
        )
    }
}

/// The Vietnamese/English label of a role.
pub fn role_label(role: Role) -> Msg {
    match role {
        Role::Admin => Msg::RoleAdmin,
        Role::Station => Msg::RoleStation,
        Role::Organizer => Msg::RoleOrganizer,
        Role::Viewer => Msg::RoleViewer,
    }
}

/// What the user reads when a request fails: what is wrong and what to do.
pub fn error_message(error: &AppError, locale: Locale) -> String {
    let vi = locale == Locale::Vi;
    let (vi_text, en_text) = error_texts(error.code);
    let text = if vi { vi_text } else { en_text };
    let mut message = match &error.detail {
        Some(crate::error::ErrorDetail::Clash {
            with,
            meeting,
            span,
        }) => clash_text(error.code, with, meeting, *span, vi),
        Some(crate::error::ErrorDetail::Subject(subject)) => format!("{text} ({subject})"),
        None => text.to_string(),
    };
    if let Some(until) = error.until_ms {
        let at = crate::domain::format::date_time(until);
        message.push_str(if vi {
            " Thử lại sau "
        } else {
            " Try again after "
        });
        message.push_str(&at);
        message.push('.');
    }
    if let Some(reference) = &error.reference {
        message.push_str(&format!(
            " ({}: {reference})",
            Msg::ErrorReference.text(locale)
        ));
    }
    message
}

/// The refusal of a booking, naming the meeting it collides with.
fn clash_text(
    code: ErrorCode,
    with: &str,
    meeting: &str,
    span: crate::domain::meeting::Interval,
    vi: bool,
) -> String {
    let when = crate::domain::meeting::span_text(span, vi);
    match (code == ErrorCode::MeetingVenueBusy, vi) {
        (false, true) => format!("Đại biểu {with} đã có lịch tiếp xúc cử tri '{meeting}' {when}."),
        (false, false) => {
            format!("Deputy {with} is already in the voter meeting '{meeting}' {when}.")
        }
        (true, true) => format!("Địa điểm {with} đã được đặt cho hội nghị '{meeting}' {when}."),
        (true, false) => format!("{with} is already booked for the meeting '{meeting}' {when}."),
    }
}

/// (Vietnamese, English) text of each error code.
fn error_texts(code: ErrorCode) -> (&'static str, &'static str) {
    match code {
        ErrorCode::NotSignedIn => ("Bạn cần đăng nhập để tiếp tục.", "Please log in to continue."),
        ErrorCode::Forbidden => (
            "Tài khoản của bạn không có quyền thực hiện thao tác này.",
            "Your account may not do this.",
        ),
        ErrorCode::NotFound => ("Không tìm thấy dữ liệu yêu cầu.", "The requested item was not found."),
        ErrorCode::InvalidCredentials => (
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            "Wrong username or password.",
        ),
        ErrorCode::AccountLocked => (
            "Đăng nhập sai quá nhiều lần trong 15 phút nên tạm thời không đăng nhập được tên này từ máy này. Quản trị viên có thể mở khóa trong mục Quản trị.",
            "Too many wrong passwords in 15 minutes: this username is temporarily locked from here. An administrator can unlock it under Administration.",
        ),
        ErrorCode::TooManyRequests => (
            "Có quá nhiều yêu cầu đăng nhập liên tiếp. Hãy chờ một chút rồi thử lại.",
            "Too many sign-in requests in a row. Wait a moment and try again.",
        ),
        ErrorCode::ServerBusy => (
            "Máy chủ đang bận kiểm tra mật khẩu. Dữ liệu chưa bị thay đổi; hãy thử lại sau vài giây.",
            "The server is busy checking passwords. Nothing was changed; try again in a few seconds.",
        ),
        ErrorCode::AccountDisabled => (
            "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên.",
            "This account is disabled. Contact an administrator.",
        ),
        ErrorCode::InvalidUsername => (
            "Tên đăng nhập phải dài 3–40 ký tự, chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.",
            "Usernames have 3–40 characters: lowercase letters without accents, digits, '.', '_' or '-'.",
        ),
        ErrorCode::InvalidDisplayName => (
            "Họ tên hiển thị không được để trống và không quá 120 ký tự.",
            "The display name must not be empty or longer than 120 characters.",
        ),
        ErrorCode::InvalidRole => ("Vai trò không hợp lệ.", "Unknown role."),
        ErrorCode::PasswordTooShort => (
            "Mật khẩu phải có ít nhất 10 ký tự.",
            "The password needs at least 10 characters.",
        ),
        ErrorCode::PasswordTooLong => (
            "Mật khẩu không được dài quá 256 ký tự.",
            "The password may not exceed 256 characters.",
        ),
        ErrorCode::PasswordMismatch => (
            "Hai lần nhập mật khẩu không khớp nhau.",
            "The two passwords differ.",
        ),
        ErrorCode::UsernameTaken => (
            "Tên đăng nhập này đã có người dùng. Hãy chọn tên khác.",
            "This username is taken. Choose another.",
        ),
        ErrorCode::SetupUnavailable => (
            "Đã có tài khoản quản trị; trang khởi tạo không còn dùng được. Hãy đăng nhập.",
            "An administrator already exists; setup is closed. Please log in.",
        ),
        ErrorCode::SetupTokenInvalid => (
            "Mã khởi tạo không đúng. Hãy dùng đường dẫn in trong nhật ký khi khởi động máy chủ.",
            "Wrong setup token. Use the link printed in the server log at start-up.",
        ),
        ErrorCode::CannotChangeOwnAccount => (
            "Không thể tự khóa tài khoản của chính mình.",
            "You cannot disable your own account.",
        ),
        ErrorCode::InvalidInput => (
            "Thông tin nhập chưa đầy đủ hoặc không hợp lệ.",
            "Some input is missing or invalid.",
        ),
        ErrorCode::InvalidDate => (
            "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2026.",
            "Invalid date; use day/month/year, e.g. 15/03/2026.",
        ),
        ErrorCode::AreaNumberTaken => (
            "Cuộc bầu cử này đã có khu vực bỏ phiếu mang số này.",
            "This election already has a polling area with that number.",
        ),
        ErrorCode::ImportHasErrors => (
            "Tệp còn lỗi nên chưa nhập được. Hãy sửa các lỗi trong bản xem trước rồi thử lại; dữ liệu chưa bị thay đổi.",
            "The file still has errors; fix them and try again. Nothing was changed.",
        ),
        ErrorCode::ImportExpired => (
            "Tệp tải lên đã hết hạn (quá 2 giờ hoặc máy chủ đã khởi động lại). Hãy tải tệp lên lại.",
            "The uploaded file expired (over 2 hours, or the server restarted). Upload it again.",
        ),
        ErrorCode::VoterUnder18 => (
            "Người này chưa đủ 18 tuổi vào ngày bầu cử nên không được ghi tên vào danh sách.",
            "This person is under 18 on election day and cannot be listed.",
        ),
        ErrorCode::InvalidCccd => ("Số CCCD phải có đúng 12 chữ số.", "The ID number must have exactly 12 digits."),
        ErrorCode::CccdTaken => (
            "Số CCCD này đã có trong danh sách cử tri của cuộc bầu cử.",
            "This ID number is already on the election's voter list.",
        ),
        ErrorCode::ReasonRequired => (
            "Hãy ghi lý do thay đổi (được lưu vào nhật ký thao tác).",
            "Give the reason for the change (it is kept in the audit log).",
        ),
        ErrorCode::CertificateRequired => (
            "Hãy ghi số giấy chứng nhận bỏ phiếu ở nơi khác.",
            "Enter the number of the certificate to vote elsewhere.",
        ),
        // --- check-in ---
        ErrorCode::VotingHoursInvalid => (
            "Giờ bỏ phiếu phải bắt đầu không sớm hơn 05:00, kết thúc không muộn hơn 21:00, và giờ bắt đầu trước giờ kết thúc (Điều 71).",
            "Voting may open no earlier than 05:00 and close no later than 21:00, opening before closing (Article 71).",
        ),
        ErrorCode::CheckInAlreadyUndone => (
            "Lượt ghi nhận này đã được hủy trước đó.",
            "This check-in was already undone.",
        ),
        // --- turnout reports ---
        ErrorCode::ReportTimesInvalid => (
            "Giờ báo cáo phải viết dạng HH:MM (ví dụ 09:00), trong khoảng 05:00–21:00, không trùng nhau, từ 1 đến 12 mốc giờ.",
            "Report times must be written HH:MM (e.g. 09:00), between 05:00 and 21:00, without repeats, 1 to 12 of them.",
        ),
        // --- counting ---
        ErrorCode::CountingFinalised => (
            "Biên bản kiểm phiếu của khu vực và cấp bầu cử này đã chốt; không thể thay đổi kết quả nữa.",
            "The counting minutes of this area and level are finalised; the results can no longer change.",
        ),
        ErrorCode::CountingSameUser => (
            "Một người không được nhập cả hai lần: lần nhập còn lại phải do người khác thực hiện.",
            "One person cannot make both entries: the other entry must be made by someone else.",
        ),
        ErrorCode::CountingEntryTaken => (
            "Lần nhập này đã do người khác thực hiện. Hãy chọn lần nhập còn lại.",
            "This entry was made by someone else. Choose the other entry.",
        ),
        ErrorCode::CountingEntriesDiffer => (
            "Hai lần nhập còn khác nhau; hãy nhập lại cho khớp rồi mới chốt biên bản.",
            "The two entries still differ; re-enter until they agree before finalising.",
        ),
        ErrorCode::CountingEntriesMissing => (
            "Cần đủ hai lần nhập do hai người khác nhau thực hiện trước khi chốt biên bản.",
            "Both entries, by two different people, are needed before finalising.",
        ),
        ErrorCode::CountingHasErrors => (
            "Kết quả còn lỗi nhất quán (mã C..); hãy sửa trước khi chốt biên bản.",
            "The results break consistency rules (codes C..); fix them before finalising.",
        ),
        ErrorCode::CountingInputInvalid => (
            "Không đọc được danh sách thành viên hoặc người ứng cử: mỗi dòng phải là \"Họ và tên; Chức vụ\" hoặc \"Họ và tên; Ngày sinh; Số phiếu\".",
            "Cannot read the members or candidates: each line must be \"Full name; Role\" or \"Full name; Birth date; Votes\".",
        ),
        // --- constituencies ---
        ErrorCode::ConstituencyNumberTaken => (
            "Cuộc bầu cử đã có đơn vị bầu cử mang số này ở cấp bầu cử này.",
            "This election already has a constituency with that number at this level.",
        ),
        ErrorCode::ConstituencyAreaTaken => (
            "Khu vực bỏ phiếu đã thuộc một đơn vị bầu cử khác cùng cấp; mỗi khu vực chỉ thuộc một đơn vị bầu cử của mỗi cấp.",
            "A polling area already belongs to another constituency of this level; each area belongs to one constituency per level.",
        ),
        ErrorCode::CandidateListInvalid => (
            "Không đọc được danh sách người ứng cử: mỗi dòng phải là \"Họ và tên; Ngày sinh; Nam/Nữ\", ngày sinh dạng ngày/tháng/năm, tháng/năm hoặc năm, không trùng người.",
            "Cannot read the candidate list: each line must be \"Full name; Birth date; Nam/Nữ\", the birth date as dd/mm/yyyy, mm/yyyy or yyyy, nobody twice.",
        ),
        ErrorCode::ConstituencyInputInvalid => (
            "Số đơn vị bầu cử và số đại biểu được bầu phải từ 1 trở lên, và phải có tên đơn vị bầu cử.",
            "The constituency number and seats must be at least 1, and the constituency needs a name.",
        ),
        ErrorCode::ConstituencyLocked => (
            "Đơn vị bầu cử đã bắt đầu nhập kết quả kiểm phiếu: không thể thay đổi số đại biểu được bầu và danh sách người ứng cử nữa.",
            "Counting results have been entered in this constituency: its seats and candidate list can no longer change.",
        ),
        // --- backups ---
        ErrorCode::BackupInProgress => (
            "Đang có một lần sao lưu khác. Hãy đợi vài phút rồi thử lại.",
            "Another backup is being made. Wait a few minutes and try again.",
        ),
        ErrorCode::BackupToolMissing => (
            "Máy chủ chưa cài chương trình sao lưu PostgreSQL. Người quản trị máy chủ cần cài gói postgresql-client",
            "The server lacks the PostgreSQL backup program. The server's administrator must install the postgresql-client package",
        ),
        ErrorCode::BackupToolTooOld => (
            "Chương trình sao lưu PostgreSQL trên máy chủ cũ hơn cơ sở dữ liệu. Người quản trị máy chủ cần cài postgresql-client mới hơn",
            "The server's PostgreSQL backup program is older than the database. The server's administrator must install a newer postgresql-client",
        ),
        ErrorCode::BackupFolderUnavailable => (
            "Không ghi được vào thư mục sao lưu: USB đã rút ra, đã đầy hoặc chỉ cho đọc?",
            "Cannot write to the backup folder: USB stick removed, full or read-only?",
        ),
        ErrorCode::BackupCopyDamaged => (
            "Bản sao vừa tạo không qua được kiểm tra nên đã bị xóa; dữ liệu đang dùng không bị ảnh hưởng. Hãy thử lại và báo cho người quản trị máy chủ.",
            "The copy just made failed its checks and was removed; the live data is unaffected. Try again and tell the server's administrator.",
        ),
        // --- complaints ---
        ErrorCode::ComplainantRequired => (
            "Hãy ghi họ tên người khiếu nại.",
            "Enter the complainant's name.",
        ),
        ErrorCode::ComplaintContentRequired => (
            "Hãy ghi nội dung khiếu nại.",
            "Enter what the complaint is about.",
        ),
        ErrorCode::ResolutionRequired => (
            "Hãy ghi kết quả giải quyết khiếu nại.",
            "Enter how the complaint was resolved.",
        ),
        ErrorCode::PostingDateInvalid => (
            "Ngày niêm yết phải là một ngày đã qua (hoặc hôm nay) và trước ngày bầu cử.",
            "The posting day must be today or earlier, and before election day.",
        ),
        ErrorCode::ComplaintDateInFuture => (
            "Ngày nhận hoặc ngày giải quyết không được sau ngày hôm nay.",
            "The received or resolved date cannot be later than today.",
        ),
        ErrorCode::ResolvedBeforeReceived => (
            "Ngày giải quyết không được trước ngày nhận khiếu nại.",
            "The resolution date cannot be before the complaint was received.",
        ),
        ErrorCode::ComplaintAlreadyResolved => (
            "Khiếu nại này đã có kết quả giải quyết; kết quả đã ghi không sửa được.",
            "This complaint already has a resolution; a recorded resolution cannot be changed.",
        ),
        ErrorCode::ComplaintVoterNotInElection => (
            "Cử tri được chọn không có trong danh sách của cuộc bầu cử này.",
            "The chosen voter is not on this election's list.",
        ),
        ErrorCode::MeetingDeputyBusy => (
            "Một đại biểu đã có lịch tiếp xúc cử tri khác trùng thời gian.",
            "A deputy is already in another meeting at that time.",
        ),
        ErrorCode::MeetingVenueBusy => (
            "Địa điểm đã được đặt cho hội nghị khác trùng thời gian.",
            "The venue is already booked at that time.",
        ),
        ErrorCode::MeetingFinalised => (
            "Biên bản hội nghị này đã chốt nên không sửa trực tiếp được; hãy lập bản sửa đổi.",
            "The minutes of this meeting are finalised; change them through a correction.",
        ),
        ErrorCode::MeetingTimeInvalid => (
            "Ngày hoặc giờ không hợp lệ: ghi ngày dạng 05/12/2026, giờ dạng 08:00; giờ kết thúc phải sau giờ bắt đầu.",
            "Invalid date or time: write the date as 05/12/2026 and times as 08:00; the end must be after the start.",
        ),
        ErrorCode::MeetingNeedsDeputy => (
            "Hãy chọn ít nhất một đại biểu dự hội nghị.",
            "Choose at least one deputy attending the meeting.",
        ),
        ErrorCode::MeetingNotHeld => (
            "Hãy ghi số cử tri có mặt (hội nghị đã tổ chức) trước khi chốt biên bản.",
            "Record how many voters attended (the meeting was held) before finalising the minutes.",
        ),
        ErrorCode::MeetingCancelled => (
            "Hội nghị này đã bị hủy; không thể thay đổi kế hoạch hay biên bản.",
            "This meeting was cancelled; its plan and record can no longer change.",
        ),
        ErrorCode::MeetingAlreadyHeld => (
            "Hội nghị đã được ghi nhận là đã tổ chức nên không thể hủy.",
            "The meeting is recorded as held, so it cannot be cancelled.",
        ),
        ErrorCode::PetitionRoundInvalid => (
            "Hãy nhập khóa (ví dụ XVI), kỳ họp (số lớn hơn 0) và chọn trước hoặc sau kỳ họp.",
            "Enter the term (e.g. XVI), the session (a number above 0) and whether it is before or after the session.",
        ),
        ErrorCode::PetitionSessionDatesInvalid => (
            "Ngày bế mạc phải cùng ngày hoặc sau ngày khai mạc.",
            "The closing day must be on or after the opening day.",
        ),
        ErrorCode::PetitionMergeSelf => (
            "Không thể gộp một kiến nghị với chính nó.",
            "A petition cannot be merged with itself.",
        ),
        ErrorCode::PetitionMergeOtherRound => (
            "Chỉ gộp được các kiến nghị của cùng một đợt (cùng khóa, kỳ họp, trước/sau kỳ họp).",
            "Only petitions of the same round (term, session, before/after) can be merged.",
        ),
        ErrorCode::PetitionNotOpen => (
            "Kiến nghị này đã được gộp, đã chuyển sang kỳ sau hoặc đã có trả lời nên không thể thao tác tiếp.",
            "This petition was merged, carried to the next session or already answered, so this cannot be done.",
        ),
        ErrorCode::PetitionBodyRequired => (
            "Hãy ghi tên cơ quan có thẩm quyền tiếp nhận kiến nghị.",
            "Enter the competent body that receives the petition.",
        ),
        ErrorCode::PetitionAnswerIncomplete => (
            "Văn bản trả lời cần có nội dung, số văn bản và người ký.",
            "An official answer needs its content, letter number and signer.",
        ),
        ErrorCode::PetitionRoadmapRequired => (
            "Trả lời \"có lộ trình\" phải ghi rõ lộ trình giải quyết.",
            "An answer \"with a roadmap\" must state the roadmap.",
        ),
        ErrorCode::MeetingNotFinalised => (
            "Biên bản chưa chốt nên không cần sửa đổi: hãy sửa trực tiếp rồi chốt.",
            "The minutes are not finalised, so no correction is needed: edit them, then finalise.",
        ),
        ErrorCode::MeetingAttendeeTwice => (
            "Cử tri này đã ký tên tham dự hội nghị (cùng họ tên và địa chỉ).",
            "This voter has already signed in at the meeting (same name and address).",
        ),
        ErrorCode::MeetingFewerPresentThanSigned => (
            "Số cử tri có mặt ít hơn số cử tri đã ký tên tham dự: hãy sửa số có mặt.",
            "Fewer voters present than have signed in by name: correct the number present.",
        ),
        ErrorCode::Internal => (
            "Lỗi hệ thống. Dữ liệu chưa bị thay đổi. Hãy thử lại hoặc báo quản trị viên kèm mã tham chiếu.",
            "System error. Nothing was changed. Try again or give the reference to an administrator.",
        ),
        ErrorCode::Transport => (
            "Không liên lạc được với máy chủ. Hãy kiểm tra kết nối mạng và thử lại.",
            "Could not reach the server. Check the network and try again.",
        ),
        ErrorCode::RequestUnreadable => (
            "Yêu cầu không đọc được (nội dung trống hoặc sai định dạng). Dữ liệu chưa bị thay đổi; hãy tải lại trang rồi thử lại.",
            "The request could not be read (empty or malformed). Nothing was changed; reload the page and try again.",
        ),
        ErrorCode::RequestTooLarge => (
            "Yêu cầu quá lớn nên máy chủ không nhận. Dữ liệu chưa bị thay đổi.",
            "The request is too large for the server. Nothing was changed.",
        ),
        ErrorCode::RequestFieldsInvalid => (
            "Yêu cầu thiếu thông tin hoặc có trường sai kiểu (ví dụ chữ ở chỗ cần số). Dữ liệu chưa bị thay đổi; hãy tải lại trang rồi thử lại.",
            "The request lacks a field or has one of the wrong type (e.g. letters where a number is expected). Nothing was changed; reload the page and try again.",
        ),
    }
}

/// One import problem in words: what is wrong with the value, and what to do.
pub fn import_problem_text(
    kind: &crate::voters::import::rows::ProblemKind,
    locale: Locale,
) -> String {
    use crate::voters::import::rows::ProblemKind as K;
    let vi = locale == Locale::Vi;
    let pick = |vi_text: String, en_text: String| if vi { vi_text } else { en_text };
    match kind {
        K::EmptyName => pick("Thiếu họ và tên.".into(), "The name is empty.".into()),
        K::BadBirthDate { value } => pick(
            format!("Ngày sinh “{value}” không hợp lệ (dùng ngày/tháng/năm, tháng/năm hoặc năm)."),
            format!("Birth date “{value}” is invalid (use dd/mm/yyyy, mm/yyyy or yyyy)."),
        ),
        K::BornInFuture { value } => pick(
            format!("Ngày sinh “{value}” ở tương lai."),
            format!("Birth date “{value}” is in the future."),
        ),
        K::Under18 { value } => pick(
            format!("Sinh “{value}”: chưa đủ 18 tuổi vào ngày bầu cử."),
            format!("Born “{value}”: under 18 on election day."),
        ),
        K::MissingBirthDate => pick(
            "Thiếu ngày sinh.".into(),
            "The birth date is missing.".into(),
        ),
        K::BadGender { value } => pick(
            format!("Giới tính “{value}” không rõ (ghi Nam hoặc Nữ)."),
            format!("Gender “{value}” is unclear (write Nam or Nữ)."),
        ),
        K::MissingGender => pick("Thiếu giới tính.".into(), "The gender is missing.".into()),
        K::BadCccd { value } => pick(
            format!("Số CCCD “{value}” phải có đúng 12 chữ số."),
            format!("ID number “{value}” must have exactly 12 digits."),
        ),
        K::CccdInExponentForm { value } => pick(
            format!(
                "Số CCCD “{value}” đã bị Excel đổi sang dạng số mũ và mất chữ số: trong Excel, \
                 định dạng cột CCCD là Văn bản (Text), nhập lại số rồi lưu tệp."
            ),
            format!(
                "ID number “{value}” was turned into exponent form by Excel and lost digits: \
                 format the ID column as Text in Excel, re-enter the numbers and save again."
            ),
        ),
        K::CccdDisagrees { gender, born } => pick(
            format!(
                "Số CCCD ghi người {} sinh năm {born}, khác với giới tính hoặc năm sinh của dòng \
                 này: kiểm tra lại.",
                gender.label().to_lowercase()
            ),
            format!(
                "The ID number encodes a {} born in {born}, unlike this row's gender or birth \
                 year: please check.",
                match gender {
                    crate::domain::voter::Gender::Male => "man",
                    crate::domain::voter::Gender::Female => "woman",
                }
            ),
        ),
        K::DuplicateCccdInFile { first_row } => pick(
            format!("Số CCCD trùng với dòng {first_row}."),
            format!("Same ID number as row {first_row}."),
        ),
        K::CccdAlreadyListed => pick(
            "Số CCCD đã có trong danh sách cử tri của cuộc bầu cử này.".into(),
            "This ID number is already on the election's voter list.".into(),
        ),
        K::ProbableDuplicateInFile { first_row } => pick(
            format!("Có thể trùng người với dòng {first_row} (cùng họ tên và ngày sinh)."),
            format!("Probably the same person as row {first_row} (same name and birth date)."),
        ),
        K::ProbableDuplicateListed => pick(
            "Có thể đã có trong danh sách (cùng họ tên và ngày sinh).".into(),
            "Probably already listed (same name and birth date).".into(),
        ),
        K::UnknownArea { value } => pick(
            format!("Không có khu vực bỏ phiếu “{value}” trong cuộc bầu cử này."),
            format!("No polling area “{value}” in this election."),
        ),
        K::MissingArea => pick(
            "Thiếu khu vực bỏ phiếu (chọn khu vực mặc định khi tải tệp lên).".into(),
            "No polling area (choose a default area when uploading).".into(),
        ),
        K::RaggedRow { cells, expected } => pick(
            format!("Dòng có {cells} ô, dòng tiêu đề có {expected} ô; hãy kiểm tra cột bị lệch."),
            format!("Row has {cells} cells, the header {expected}; check for shifted columns."),
        ),
        K::BadDate { value } => pick(
            format!("Ngày “{value}” không hợp lệ."),
            format!("Date “{value}” is invalid."),
        ),
        K::LostLetters { value } => pick(
            format!("Họ và tên “{value}” có dấu “?” thay cho chữ tiếng Việt: tệp đã mất dấu khi lưu (thường do lưu CSV kiểu ANSI trên máy Windows không có tiếng Việt). Hãy lưu lại tệp dạng “CSV UTF-8” hoặc Excel (.xlsx) rồi tải lên."),
            format!("The name “{value}” has “?” in place of Vietnamese letters: the file lost them when it was saved (an ANSI CSV from a Windows without Vietnamese). Save it again as “CSV UTF-8” or Excel (.xlsx) and upload it."),
        ),
        K::SkippedNonVoterLine { text } => pick(
            format!("Bỏ qua dòng không phải cử tri (dòng tổng cộng, tiêu đề nhóm hoặc phần ký tên): “{text}”."),
            format!("Skipped a line that is not a voter (a total, a group heading or the signatures): “{text}”."),
        ),
        K::TemporarySinceUnknown => pick(
            "Tạm trú nhưng không ghi ngày đăng ký tạm trú; tạm tính đủ 12 tháng (bầu cả 3 cấp)."
                .into(),
            "Temporary resident without a start date; counted as 12 months or more (all 3 levels)."
                .into(),
        ),
    }
}

/// Why a whole file was refused.
pub fn file_problem_text(
    problem: &crate::voters::import::table::FileProblem,
    locale: Locale,
) -> String {
    use crate::voters::import::table::FileProblem as P;
    let vi = locale == Locale::Vi;
    let pick = |vi_text: String, en_text: String| if vi { vi_text } else { en_text };
    match problem {
        P::Empty => pick("Tệp rỗng.".into(), "The file is empty.".into()),
        P::TooLarge { bytes } => {
            let limit = crate::voters::import::table::MAX_FILE_BYTES / 1_048_576;
            pick(
                format!(
                    "Tệp quá lớn ({} MB); giới hạn là {limit} MB.",
                    bytes / 1_048_576
                ),
                format!(
                    "The file is too large ({} MB); the limit is {limit} MB.",
                    bytes / 1_048_576
                ),
            )
        }
        P::NulBytes { offset } => pick(
            format!("Tệp chứa ký tự NUL (byte thứ {offset}): đây không phải tệp CSV văn bản."),
            format!("The file contains a NUL byte (at byte {offset}): not a text CSV file."),
        ),
        P::NotText => pick(
            "Tệp không phải văn bản (có thể là tệp nhị phân hoặc bị hỏng).".into(),
            "The file is not text (binary or damaged).".into(),
        ),
        P::CellTooLong { row, column, chars } => pick(
            format!("Ô ở dòng {row}, cột {column} dài bất thường ({chars} ký tự trở lên)."),
            format!(
                "The cell at row {row}, column {column} is abnormally long ({chars}+ characters)."
            ),
        ),
        P::TooManyColumns { row, columns } => pick(
            format!("Dòng {row} có quá nhiều cột ({columns})."),
            format!("Row {row} has too many columns ({columns})."),
        ),
        P::UnterminatedQuote { row } => pick(
            format!("Dấu ngoặc kép mở ở dòng {row} không được đóng: tệp bị cắt cụt hoặc hỏng."),
            format!(
                "A quote opened on row {row} is never closed: the file is truncated or damaged."
            ),
        ),
        P::NoHeader => pick(
            "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 30 dòng đầu.".into(),
            "No header row with a “Họ và tên” column in the first 30 rows.".into(),
        ),
        P::NotSpreadsheet => pick(
            "Tệp không phải bảng tính Excel (.xlsx, .xls) hợp lệ.".into(),
            "The file is not a valid Excel (.xlsx, .xls) workbook.".into(),
        ),
        P::Truncated => pick(
            "Tệp Excel bị cắt cụt hoặc hỏng.".into(),
            "The Excel file is truncated or damaged.".into(),
        ),
        P::ZipBomb => pick(
            "Tệp Excel giải nén ra dung lượng bất thường; đã từ chối để bảo vệ máy chủ.".into(),
            "The Excel file expands to an abnormal size; refused to protect the server.".into(),
        ),
        P::Encrypted => pick(
            "Tệp Excel được khóa bằng mật khẩu, cutri không mở được. Hãy mở tệp trong Excel, bỏ \
             mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu), \
             lưu lại rồi tải lên lại."
                .into(),
            "The Excel file is locked with a password, so cutri cannot open it. Open it in Excel, \
             remove the password (File › Info › Protect Workbook › Encrypt with Password, clear it), \
             save and upload it again."
                .into(),
        ),
        P::Excel95 => pick(
            "Đây là tệp Excel 5.0/95, quá cũ để cutri đọc. Hãy mở tệp trong Excel, chọn “Lưu thành” \
             (Save As) và lưu dạng “Excel Workbook (.xlsx)”, rồi tải lên lại."
                .into(),
            "This is an Excel 5.0/95 workbook, too old for cutri to read. Open it in Excel, use \
             Save As “Excel Workbook (.xlsx)”, and upload that file."
                .into(),
        ),
        P::TooManyRows { rows } => pick(
            format!("Bảng tính có dữ liệu tới dòng {rows}, vượt giới hạn 1.048.576 dòng của Excel."),
            format!("The sheet has data on row {rows}, past Excel's limit of 1,048,576 rows."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_the_default_and_the_cookie_switches_language() {
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("a=b; cutri_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("cutri_lang=fr"), Locale::Vi);
    }

    #[test]
    fn lockout_message_says_until_when() {
        let error = AppError {
            code: ErrorCode::AccountLocked,
            reference: None,
            until_ms: Some(1_773_534_600_000),
            detail: None,
        };
        assert!(error_message(&error, Locale::Vi).ends_with("Thử lại sau 15/03/2026 07:30."));
    }

    #[test]
    fn a_refused_booking_names_the_other_meeting() {
        let day = crate::domain::voter::Date::new(2026, 12, 5).expect("date");
        let span = crate::domain::meeting::Interval {
            start_ms: crate::domain::meeting::vietnam_instant(day, 8 * 60),
            end_ms: crate::domain::meeting::vietnam_instant(day, 10 * 60),
        };
        let mut error = AppError::new(ErrorCode::MeetingDeputyBusy);
        error.detail = Some(crate::error::ErrorDetail::Clash {
            with: "Nguyễn Văn A".into(),
            meeting: "Khóm 3".into(),
            span,
        });
        assert_eq!(
            error_message(&error, Locale::Vi),
            "Đại biểu Nguyễn Văn A đã có lịch tiếp xúc cử tri 'Khóm 3' từ 08:00 đến 10:00 ngày 05/12/2026."
        );
    }

    #[test]
    fn internal_errors_show_only_the_reference() {
        let error = AppError {
            code: ErrorCode::Internal,
            reference: Some("R7K2".into()),
            until_ms: None,
            detail: None,
        };
        assert!(error_message(&error, Locale::Vi).ends_with("(Mã tham chiếu: R7K2)"));
    }
}
