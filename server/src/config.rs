use std::path::PathBuf;

/// Everything the server needs to know at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (default: `<data dir>/cutri.db`) or `postgres://…`.
    pub database_url: String,
    /// Where the built browser bundle and stylesheet live (`site/pkg/…`).
    pub site_root: PathBuf,
    /// Mark cookies `Secure`; set when users reach cutri over HTTPS (directly or via a proxy).
    pub secure_cookies: bool,
    /// Proxies (load balancers) whose `X-Forwarded-For` names the real client; from any other
    /// peer the header is ignored, so a client cannot choose the address it is limited by.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Request budgets of the sign-in endpoint (the defaults everywhere but in tests).
    pub login_budgets: app::engine::login_limits::LoginBudgets,
    /// Where backups go (default `<data dir>/backups`): the page lists and makes them there.
    pub backup_dir: app::engine::backups::BackupFolder,
    /// Automatic backups, when asked for.
    pub backup_schedule: Option<BackupSchedule>,
}

/// `--backup-every MINUTES --backup-keep K`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSchedule {
    pub every_minutes: u64,
    /// How many backups the folder keeps; older ones are removed after each new one.
    pub keep: usize,
}
