//! Several `cutri serve` processes on one PostgreSQL database, and Debian's HAProxy in front of
//! them running deploy/haproxy.cfg: what the tests of issue 18 (several servers, failover) need.
//!
//! `ServerProcess::start(database_url)` spawns the built `cutri` binary on a free port and waits
//! for its `/healthz`; `.base_url()`, `.kill9()` (SIGKILL, as a crash or a pulled plug) and
//! `.restart()` (the same port, so the load balancer finds it again). `Haproxy::start(&servers)`
//! runs the shipped configuration in plain HTTP with short check intervals. `Ward::prepare`
//! lists a small generated ward with an election held today and an administrator to sign in as.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::auth::service::{create_account, AccountInput};
use app::domain::ids::{AreaId, ElectionId, VoterId};
use app::domain::role::Role;
use app::domain::voter::Levels;
use app::storage::audit::Actor;
use app::storage::voters::{self as store, NewArea};
use app::storage::Db;

use crate::checkin::server_binary;

/// How long a server may take to answer `/healthz` after it was started (a debug build on a
/// busy CI machine prepares in a few seconds).
const START_TIMEOUT: Duration = Duration::from_secs(60);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port()
}

fn scratch_dir(what: &str) -> PathBuf {
    let secret = app::token::new_secret().replace(['-', '_'], "");
    let dir = std::env::temp_dir().join(format!("cutri-{what}-{}", &secret[..12]));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// The last lines of a log file, to say why a process did not come up.
fn tail(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A `cutri serve` process on a database, listening on 127.0.0.1 at a port it keeps across
/// restarts. Killed with SIGKILL when dropped.
pub struct ServerProcess {
    child: Option<Child>,
    database_url: String,
    port: u16,
    /// Its data folder (backups) and its log (stderr, RUST_LOG=warn).
    dir: PathBuf,
}

impl ServerProcess {
    /// Starts a server on `database_url` at a free port and waits until it is healthy.
    pub async fn start(database_url: &str) -> ServerProcess {
        let mut server = ServerProcess {
            child: None,
            database_url: database_url.to_string(),
            port: free_port(),
            dir: scratch_dir("server"),
        };
        server.spawn_and_wait().await;
        server
    }

    /// `http://127.0.0.1:<port>`, the same before and after a restart.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:<port>`, as a load balancer names it.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Kills the process with SIGKILL, as a crash would: no shutdown, open transactions and
    /// connections simply break. Returns once the process is gone.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port (killing it first if it still runs) and waits
    /// until it is healthy.
    pub async fn restart(&mut self) {
        self.kill9();
        self.spawn_and_wait().await;
    }

    async fn spawn_and_wait(&mut self) {
        let log = self.dir.join("server.log");
        let mut stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("server log");
        writeln!(stderr, "--- started").expect("server log");
        let child = Command::new(server_binary())
            .arg("serve")
            .env("CUTRI_ADDR", self.address())
            .env("CUTRI_DATABASE_URL", &self.database_url)
            .env("CUTRI_DATA_DIR", &self.dir)
            // As deploy/README.md sets it: the load balancer on this machine is trusted.
            .env("CUTRI_TRUSTED_PROXIES", "127.0.0.1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("the cutri binary starts");
        self.child = Some(child);
        let probe = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("http client");
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            let healthy = probe
                .get(format!("{}/healthz", self.base_url()))
                .send()
                .await
                .is_ok_and(|reply| reply.status().is_success());
            if healthy {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!("cutri serve ended ({status}):\n{}", tail(&log));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.kill9();
        panic!(
            "cutri serve was not healthy within {START_TIMEOUT:?}:\n{}",
            tail(&log)
        );
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill9();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// HAProxy in front of some servers, running deploy/haproxy.cfg with what a test cannot have
/// changed: plain HTTP on a free local port, the test's servers, checks every 200 ms instead of
/// 2 s, no syslog, no admin socket, in the foreground; and a stats page to read the servers'
/// state from. Stopped when dropped.
pub struct Haproxy {
    child: Child,
    port: u16,
    stats_port: u16,
    dir: PathBuf,
}

/// What the test configuration changes in deploy/haproxy.cfg.
const CHECK_EVERY: &str = "inter 200ms";

impl Haproxy {
    /// Starts HAProxy in front of `servers` (named s1, s2, … in that order) and waits until it
    /// sees all of them up.
    pub async fn start(servers: &[&ServerProcess]) -> Haproxy {
        let shipped = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/haproxy.cfg"),
        )
        .expect("deploy/haproxy.cfg");
        let addresses: Vec<String> = servers.iter().map(|server| server.address()).collect();
        let (port, stats_port) = (free_port(), free_port());
        let dir = scratch_dir("haproxy");
        let config = dir.join("haproxy.cfg");
        std::fs::write(&config, test_config(&shipped, port, stats_port, &addresses))
            .expect("write the HAProxy configuration");
        let log = std::fs::File::create(dir.join("haproxy.log")).expect("haproxy log");
        let child = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "haproxy cannot be started ({error}): scripts/test.sh installs it \
                     (Debian package haproxy)"
                )
            });
        let haproxy = Haproxy {
            child,
            port,
            stats_port,
            dir,
        };
        for server in 1..=servers.len() {
            haproxy.wait_until_up(server).await;
        }
        haproxy
    }

    /// `http://127.0.0.1:<port>`, where clients send their requests.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The state HAProxy's health checks give the `server`-th server (1-based) of the main
    /// backend: "UP", "DOWN", "UP 1/2" (rising), "DOWN 1/2" (falling)…
    pub async fn server_status(&self, server: usize) -> String {
        self.server_stat(server, "status").await
    }

    /// How many requests (sessions) HAProxy has sent the `server`-th server of the main backend.
    pub async fn requests_sent_to(&self, server: usize) -> u64 {
        self.server_stat(server, "stot")
            .await
            .parse()
            .expect("stot is a number")
    }

    /// How many times HAProxy sent a request again to the same server (`wretr`) and to another
    /// one (`wredis`), in the main backend.
    pub async fn requests_sent_again(&self) -> (u64, u64) {
        let count = |value: String| value.parse().unwrap_or(0);
        (
            count(self.stat("BACKEND", "wretr").await),
            count(self.stat("BACKEND", "wredis").await),
        )
    }

    /// Waits until the `server`-th server (1-based) is UP for HAProxy, so requests go to it.
    pub async fn wait_until_up(&self, server: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = self.server_status(server).await;
            if status == "UP" {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "HAProxy still sees server s{server} as {status}:\n{}",
                tail(&self.dir.join("haproxy.log"))
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// One column of the stats CSV for `s<server>` in backend `cutri`.
    async fn server_stat(&self, server: usize, column: &str) -> String {
        self.stat(&format!("s{server}"), column).await
    }

    /// One column of the stats CSV for a line (`s1`, …, `BACKEND`) of backend `cutri`.
    async fn stat(&self, line: &str, column: &str) -> String {
        let url = format!("http://127.0.0.1:{}/stats;csv", self.stats_port);
        let mut csv = None;
        // HAProxy may still be starting.
        for _ in 0..100 {
            match reqwest::get(&url).await {
                Ok(reply) if reply.status().is_success() => {
                    csv = Some(reply.text().await.expect("stats"));
                    break;
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        let csv = csv.unwrap_or_else(|| {
            panic!(
                "HAProxy's stats page does not answer:\n{}",
                tail(&self.dir.join("haproxy.log"))
            )
        });
        stat_of(&csv, "cutri", line, column)
            .unwrap_or_else(|| panic!("no {column} of cutri/{line} in:\n{csv}"))
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A column of HAProxy's stats CSV ("# pxname,svname,…" then one line per proxy and server).
fn stat_of(csv: &str, proxy: &str, server: &str, column: &str) -> Option<String> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next()?.trim_start_matches("# ").split(',').collect();
    let at = header.iter().position(|name| *name == column)?;
    lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .find(|fields| fields.first() == Some(&proxy) && fields.get(1) == Some(&server))
        .and_then(|fields| fields.get(at).map(|value| value.to_string()))
}

/// deploy/haproxy.cfg as a test runs it (see `Haproxy`). Panics when a line it changes is not
/// there any more, so the shipped file and the test cannot drift apart silently.
fn test_config(shipped: &str, port: u16, stats_port: u16, servers: &[String]) -> String {
    let mut out = Vec::new();
    let mut found = (false, false, false);
    // Each backend's first `server` line is the pattern for the test's servers; the others go.
    let mut servers_written = false;
    for line in shipped.lines() {
        let text = line.trim();
        if !line.starts_with(char::is_whitespace) {
            servers_written = false;
        }
        let dropped = ["log /dev/log", "stats socket", "user ", "group ", "daemon"]
            .iter()
            .any(|start| text.starts_with(start))
            || text.starts_with("bind :443 ssl");
        if dropped {
            continue;
        }
        if text == "bind :80" {
            found.0 = true;
            out.push(format!("    bind 127.0.0.1:{port}"));
        } else if text.starts_with("http-request redirect scheme https") {
            // Plain HTTP in the test: the redirect would send everything to a TLS port.
            found.1 = true;
        } else if text.starts_with("default-server inter 2s") {
            found.2 = true;
            out.push(line.replace("inter 2s", CHECK_EVERY));
        } else if let Some(pattern) = text.strip_prefix("server ") {
            if !servers_written {
                servers_written = true;
                out.extend(server_lines(pattern, servers));
            }
        } else {
            out.push(line.to_string());
        }
    }
    assert!(
        found == (true, true, true),
        "deploy/haproxy.cfg changed: the test configuration needs `bind :80`, the https \
         redirect and `default-server inter 2s` ({found:?})"
    );
    out.push(format!(
        "\nlisten stats\n    bind 127.0.0.1:{stats_port}\n    stats enable\n    stats uri /stats\n"
    ));
    out.join("\n")
}

/// `server cutri1 10.0.0.11:3000 check` (or `track cutri/cutri1`) once per test server.
fn server_lines(pattern: &str, servers: &[String]) -> Vec<String> {
    let mut words = pattern.split_whitespace();
    let name = words.next().expect("server name");
    let _address = words.next().expect("server address");
    let options: Vec<&str> = words.collect();
    servers
        .iter()
        .enumerate()
        .map(|(index, address)| {
            let own = format!("s{}", index + 1);
            let options = options.join(" ").replace(name, &own);
            format!("    server {own} {address} {options}")
        })
        .collect()
}

/// A small ward on a database: an election held today with its areas open all day, generated
/// voters, and an administrator (`ADMIN_USER`) to sign in as.
pub struct Ward {
    pub election_id: ElectionId,
    /// Every voter with their polling area, in the order they were listed.
    pub voters: Vec<(VoterId, AreaId)>,
}

impl Ward {
    /// Lists `voters` generated voters over `areas` polling areas on the (migrated or empty)
    /// database at `database_url`.
    pub async fn prepare(database_url: &str, voters: u64, areas: u32) -> Ward {
        let db = Db::connect(database_url).await.expect("database");
        let mut tx = db.begin_write().await.expect("transaction");
        let today = app::voters::service::today();
        let election_id = store::insert_election(&mut tx, "Bầu cử thử", today, Levels::ALL, 0)
            .await
            .expect("election");
        let mut area_ids = Vec::new();
        for number in 1..=i64::from(areas) {
            let name = format!("Khu vực {number}");
            let area = NewArea {
                election_id,
                number,
                name: &name,
                address: "",
                levels: Levels::ALL,
            };
            let id = store::insert_area(&mut tx, &area).await.expect("area");
            area_ids.push(id.expect("a new area number"));
        }
        // The hour rules have their own tests; these must not depend on when they run.
        sqlx::query("update polling_areas set opens_at = '00:00', closes_at = '23:59'")
            .execute(&mut *tx)
            .await
            .expect("open all day");
        let generated: Vec<_> = server::generator::voters(7, voters, areas).collect();
        let folded: Vec<String> = generated
            .iter()
            .map(|voter| app::domain::text::fold(&voter.full_name))
            .collect();
        let codes: Vec<String> = (0..generated.len())
            .map(|index| format!("ward{index:08}"))
            .collect();
        let mut stt = vec![0i64; area_ids.len()];
        let rows: Vec<_> = generated
            .iter()
            .enumerate()
            .map(|(index, voter)| {
                let area = voter.area as usize - 1;
                stt[area] += 1;
                voter.row(
                    election_id,
                    area_ids[area],
                    stt[area],
                    &folded[index],
                    &codes[index],
                )
            })
            .collect();
        store::insert_voters(&mut tx, &rows, 0)
            .await
            .expect("voters");
        tx.commit().await.expect("ward committed");
        create_account(
            &db,
            &Actor::system(),
            &AccountInput {
                username: super::ADMIN_USER.into(),
                display_name: "Quản trị viên".into(),
                role: Role::Admin,
                password: super::ADMIN_PASSWORD.into(),
            },
            false,
        )
        .await
        .expect("administrator");
        let voters = sqlx::query_as("select id, polling_area_id from voters order by id")
            .fetch_all(db.pool())
            .await
            .expect("voters listed");
        db.close().await;
        Ward {
            election_id,
            voters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_configuration_is_the_shipped_one_on_local_servers() {
        let shipped = include_str!("../../../deploy/haproxy.cfg");
        let servers = ["127.0.0.1:4001".to_string(), "127.0.0.1:4002".to_string()];
        let config = test_config(shipped, 5000, 5001, &servers);
        assert!(config.contains("    bind 127.0.0.1:5000\n"), "{config}");
        assert!(!config.contains("ssl crt") && !config.contains("redirect scheme"));
        assert!(
            config.contains("    server s2 127.0.0.1:4002 check\n"),
            "{config}"
        );
        assert!(config.contains("    server s1 127.0.0.1:4001 track cutri/s1\n"));
        assert!(
            !config.contains("cutri1") && !config.contains("10.0.0."),
            "{config}"
        );
        assert!(config.contains("retry-on conn-failure empty-response"));
        assert!(config.contains("default-server inter 200ms fall 2 rise 2"));
    }

    #[test]
    fn a_stat_is_read_by_proxy_server_and_column() {
        let csv = "# pxname,svname,status,stot\ncutri,s1,UP,12\ncutri,s2,DOWN,3\n";
        assert_eq!(
            stat_of(csv, "cutri", "s2", "status").as_deref(),
            Some("DOWN")
        );
        assert_eq!(stat_of(csv, "cutri", "s1", "stot").as_deref(), Some("12"));
        assert_eq!(stat_of(csv, "cutri", "s3", "stot"), None);
    }
}
