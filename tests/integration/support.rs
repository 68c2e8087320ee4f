//! Test support: a fresh real database per test (SQLite always, PostgreSQL when
//! CUTRI_TEST_POSTGRES_URL is set) and the real server started in-process on a free port.

use std::path::PathBuf;
use std::sync::Once;

use app::storage::Db;
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use serde_json::Value;
use sqlx::Executor;

pub mod api;
pub mod cluster;

/// A fresh, empty database on one engine.
pub struct TestDb {
    pub engine: &'static str,
    pub url: String,
    pub dir: Option<PathBuf>,
    /// PostgreSQL: the database's name and the URL it was created through.
    pub created_on: Option<(String, String)>,
}

/// Removes the database when its test is done, so test runs do not pile databases up on the
/// PostgreSQL server (each run creates about 75). A failed test keeps its database to look at.
impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        let Some((name, admin_url)) = self.created_on.take() else {
            return;
        };
        if std::thread::panicking() {
            eprintln!("NOTE: the failed test's PostgreSQL database {name} is kept");
            return;
        }
        // Drop runs inside the test's runtime, which cannot block on another one itself.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let admin = sqlx::AnyPool::connect(&admin_url).await?;
                // The server under test may still hold connections; `force` ends them.
                admin
                    .execute(format!("drop database {name} with (force)").as_str())
                    .await?;
                admin.close().await;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("NOTE: could not drop the test database: {dropped:?}");
        }
    }
}

fn unique_name() -> String {
    let secret = app::token::new_secret()
        .to_ascii_lowercase()
        .replace(['-', '_'], "");
    format!("cutri_t_{}", &secret[..16])
}

/// The engines this run covers, each with a fresh database. Says so when PostgreSQL is skipped.
pub async fn fresh_databases() -> Vec<TestDb> {
    static SKIP_NOTICE: Once = Once::new();
    let dir = std::env::temp_dir().join(unique_name());
    let url = Db::sqlite_url_in(&dir).expect("temp data dir");
    let mut dbs = vec![TestDb {
        engine: "sqlite",
        url,
        dir: Some(dir),
        created_on: None,
    }];
    match std::env::var("CUTRI_TEST_POSTGRES_URL").ok().filter(|v| !v.is_empty()) {
        Some(admin_url) => {
            sqlx::any::install_default_drivers();
            let name = unique_name();
            let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to CUTRI_TEST_POSTGRES_URL");
            admin.execute(format!("create database {name}").as_str()).await.expect("create test database");
            admin.close().await;
            let base = admin_url.split('?').next().unwrap_or(&admin_url);
            let url = format!("{}/{name}", &base[..base.rfind('/').expect("database URL with a path")]);
            dbs.push(TestDb { engine: "postgres", url, dir: None, created_on: Some((name, admin_url)) });
        }
        None => SKIP_NOTICE.call_once(|| {
            eprintln!("NOTE: CUTRI_TEST_POSTGRES_URL is not set: integration tests run on SQLite only, PostgreSQL is SKIPPED");
        }),
    }
    dbs
}

/// The real server on a free port, with its database.
pub struct TestApp {
    pub base_url: String,
    pub db: Db,
    pub setup_token: Option<String>,
    pub engine: &'static str,
    pub database_url: String,
    /// The server's sign-in budgets and its count of passwords checked.
    pub login_limits: app::engine::login_limits::LoginLimits,
    /// Where the server's backups go ("Sao lưu ngay").
    pub backup_dir: PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// `None` for a server started `beside` another: the first one owns the database.
    _database: Option<TestDb>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.backup_dir);
    }
}

pub const ADMIN_USER: &str = "quantri";
pub const ADMIN_PASSWORD: &str = "mat-khau-quan-tri-1";

impl TestApp {
    pub async fn start(database: TestDb) -> TestApp {
        TestApp::start_with(database, |_| {}).await
    }

    /// Starts the server with a configuration changed by `configure`.
    pub async fn start_with(
        database: TestDb,
        configure: impl FnOnce(&mut server::Config),
    ) -> TestApp {
        let mut app = TestApp::serve(&database.url, database.engine, configure).await;
        app._database = Some(database);
        app
    }

    /// Another server on this server's database (PostgreSQL), sharing nothing with it but the
    /// database, as a second machine behind a load balancer would. Drop it before this one.
    pub async fn beside(&self) -> TestApp {
        TestApp::serve(&self.database_url, self.engine, |_| {}).await
    }

    async fn serve(
        database_url: &str,
        engine: &'static str,
        configure: impl FnOnce(&mut server::Config),
    ) -> TestApp {
        let backup_dir = std::env::temp_dir().join(format!("{}-backups", unique_name()));
        let mut config = server::Config {
            database_url: database_url.to_string(),
            site_root: PathBuf::from("site"),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            login_budgets: Default::default(),
            backup_dir: app::engine::backups::BackupFolder {
                path: backup_dir.clone(),
                create: true,
            },
            backup_schedule: None,
        };
        configure(&mut config);
        let prepared = server::prepare(&config).await.expect("server prepares");
        let db = prepared.state.db.clone();
        let login_limits = prepared.state.login_limits.clone();
        let setup_token = prepared.setup_token.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("free port");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server::launch(listener, prepared, async {
            let _ = stopped.await;
        }));
        TestApp {
            base_url,
            db,
            setup_token,
            engine,
            database_url: database_url.to_string(),
            login_limits,
            backup_dir,
            shutdown: Some(stop),
            _database: None,
        }
    }

    /// A browser-like client with its own cookie jar; redirects are returned, not followed. A
    /// request that gets no answer fails its test after three minutes instead of holding up
    /// the whole run.
    pub fn client(&self) -> Client {
        self.client_with(reqwest::Client::builder())
    }

    /// A client whose requests come from `source` (any address of 127.0.0.0/8 works on
    /// loopback), to act as another computer.
    pub fn client_from(&self, source: std::net::IpAddr) -> Client {
        self.client_with(reqwest::Client::builder().local_address(source))
    }

    fn client_with(&self, builder: reqwest::ClientBuilder) -> Client {
        Client {
            base_url: self.base_url.clone(),
            http: builder
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(180))
                .build()
                .expect("http client"),
        }
    }

    /// Creates the first administrator through the setup endpoint and returns their client.
    pub async fn admin(&self) -> Client {
        let client = self.client();
        let token = self
            .setup_token
            .clone()
            .expect("fresh database has a setup token");
        let response = client
            .auth_setup(
                &token,
                ADMIN_USER,
                "Quản trị viên",
                ADMIN_PASSWORD,
                ADMIN_PASSWORD,
            )
            .await;
        assert_eq!(
            response.status, 200,
            "[{}] setup: {:?}",
            self.engine, response.body
        );
        client
    }

    /// Creates a user with the admin client and returns a client signed in as them.
    pub async fn user_with_role(&self, admin: &Client, username: &str, role: &str) -> Client {
        let password = format!("{username}-mat-khau");
        let created = admin
            .admin_users_create(username, username, role, &password)
            .await;
        assert_eq!(
            created.status, 200,
            "[{}] create {username}: {:?}",
            self.engine, created.body
        );
        let client = self.client();
        let login = client.auth_login(username, &password).await;
        assert_eq!(
            login.status, 200,
            "[{}] login {username}: {:?}",
            self.engine, login.body
        );
        client
    }
}

#[derive(Clone)]
pub struct Client {
    pub base_url: String,
    pub http: reqwest::Client,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The error code of a failed server function, e.g. "Forbidden".
    pub fn error_code(&self) -> Option<&str> {
        self.body.get("code").and_then(Value::as_str)
    }
}

fn form_encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("response body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        body,
        headers,
    }
}

impl Client {
    /// The same browser (its cookies) talking to another server of the installation.
    pub fn at(&self, server: &TestApp) -> Client {
        Client {
            base_url: server.base_url.clone(),
            http: self.http.clone(),
        }
    }

    /// Calls the server function at /api/<endpoint> the way the browser does (form-encoded POST)
    /// with `fields` as given. For tests of the raw wire and of the endpoint list itself; the
    /// others call a server function through its typed method (`api`).
    pub async fn post(&self, endpoint: &str, fields: &[(&str, &str)]) -> Reply {
        self.post_with(endpoint, fields, None).await
    }

    /// `post` with an `Origin` header, as a page of `origin` would send it.
    pub async fn post_with(
        &self,
        endpoint: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Reply {
        let mut request = self
            .http
            .post(format!("{}/api/{endpoint}", self.base_url))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_encode(fields));
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        reply(request.send().await.expect("request sent")).await
    }

    /// Calls a server function that takes a JSON body, with `json` as given.
    pub async fn post_json(&self, endpoint: &str, json: &str) -> Reply {
        let response = self
            .http
            .post(format!("{}/api/{endpoint}", self.base_url))
            .header(CONTENT_TYPE, "application/json")
            .body(json.to_string())
            .send()
            .await
            .expect("request sent");
        reply(response).await
    }

    /// A page load as a browser makes it.
    pub async fn get(&self, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.base_url))
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.expect("body"))
    }

    /// The signed-in username, or None.
    pub async fn whoami(&self) -> Option<String> {
        let reply = self.auth_whoami().await;
        assert_eq!(reply.status, 200, "whoami: {:?}", reply.body);
        reply
            .body
            .get("username")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// Runs `story` once per engine on a fresh database and server.
pub async fn on_each_engine<F, Fut>(story: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in fresh_databases().await {
        story(TestApp::start(database).await).await;
    }
}

/// Runs `story` once per engine on a fresh server started with a changed configuration.
pub async fn on_each_engine_with<C, F, Fut>(configure: C, story: F)
where
    C: Fn(&mut server::Config),
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in fresh_databases().await {
        story(TestApp::start_with(database, &configure).await).await;
    }
}

/// Sign-in request budgets so large that only the lockout limits sign-ins.
pub fn without_budgets(config: &mut server::Config) {
    let unlimited = app::engine::login_limits::Budget {
        burst: 100_000,
        every: std::time::Duration::from_millis(1),
    };
    config.login_budgets = app::engine::login_limits::LoginBudgets {
        per_address: unlimited,
        per_username: unlimited,
    };
}

/// Whether poppler's `pdftotext` is installed. Without it the PDF text checks are skipped and say
/// so (scripts/test.sh installs it, so the suite never skips them there).
pub fn have_pdftotext(check: &str) -> bool {
    let found = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !found {
        eprintln!("NOTE: pdftotext not installed; {check} SKIPPED");
    }
    found
}

/// The text `pdftotext` extracts from a PDF, with its `options` (`-layout` keeps lines as they
/// are printed; without it, text comes in reading order).
pub fn pdf_text(bytes: &[u8], options: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!("cutri-pdf-{}", app::token::short_reference()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("document.pdf");
    std::fs::write(&file, bytes).expect("write pdf");
    let output = std::process::Command::new("pdftotext")
        .args(options)
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(output.stdout).expect("utf-8")
}

/// Today in Vietnam, for scenarios that check voters in now. The server refuses check-ins once
/// the election's Vietnamese day is over, so a scenario begun in the last minutes of a day
/// (17:00 UTC) would be refused half-way through; it waits for the new day instead.
pub async fn election_day_today() -> app::domain::voter::Date {
    const DAY_MS: i64 = 86_400_000;
    const VIETNAM_OFFSET_MS: i64 = 7 * 3_600_000;
    const MARGIN_MS: i64 = 5 * 60_000;
    let into_day = (app::storage::db::now_ms() + VIETNAM_OFFSET_MS).rem_euclid(DAY_MS);
    let left = DAY_MS - into_day;
    if left < MARGIN_MS {
        tokio::time::sleep(std::time::Duration::from_millis(
            left.unsigned_abs() + 1_000,
        ))
        .await;
    }
    app::voters::service::today()
}
