//! Election-day load generator behind BENCHMARKS.md: check-ins over real HTTP against a real
//! `cutri` server process, with live dashboards listening, on a generated ward.
//!
//!   cargo build --release -p server --bins
//!   target/release/cutri-load --voters 1000000 --connections 256 --dashboards 500 --seconds 30
//!   target/release/cutri-load --rate 3000 …
//!   target/release/cutri-load --database-url postgres://postgres@127.0.0.1:5432/bench …
//!
//! It fills a fresh database (SQLite in a temporary directory unless `--database-url` names an
//! empty PostgreSQL database), starts the `cutri` binary next to this one on it, signs in, and
//! for `--seconds` keeps `--connections` check-ins in flight, each for a different voter (or,
//! with `--rate N`, offers N check-ins per second spread over the connections), while
//! `--dashboards` clients follow the turnout stream. It prints a Markdown table: check-ins per
//! second, latency percentiles, how late the dashboards heard of changes, and the server's peak
//! resident memory. `--timeline FILE` also writes every answered check-in as "sent after ms;
//! latency ms" (CSV), to see when in the run the slow answers came. `--stations N` checks in
//! as N polling-station accounts (role station, the areas dealt out among them in turn, each
//! check-in sent by the account of its voter's area) instead of one admin, which skips the
//! station's area check. `--login-flood N` keeps N sign-in requests with made-up names in
//! flight during the run, each from its own loopback address (127.0.x.y, so the per-address
//! budgets do not stop them and every one reaches the password check).
//!
//! Several servers (issue 18): `--servers N` starts N `cutri` processes on the same PostgreSQL
//! `--database-url` with Debian's HAProxy in front, running deploy/haproxy.cfg (plain HTTP on a
//! local port); check-ins and dashboards go through HAProxy, which spreads the streams over the
//! servers, and the table gives each server's peak memory. `--kill-every SECS` then kills the
//! servers with SIGKILL in turn, each SECS seconds after the previous one is healthy again, and
//! restarts them. Check-ins always ask again with the same request id when they get no answer,
//! as the desk does; with `--servers` the database is compared at the end with what was
//! acknowledged (lost, doubled, gaps in the numbering).

use app::domain::ids::{AreaId, ElectionId, VoterId};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use app::auth::service::{create_account, AccountInput};
use app::domain::role::Role;
use app::domain::text::fold;
use app::domain::voter::Levels;
use app::storage::audit::Actor;
use app::storage::db::now_ms;
use app::storage::users;
use app::storage::voters::{self as store, NewArea, NewVoter};
use app::storage::Db;
use clap::Parser;
use server::generator;

const PASSWORD: &str = "load-test-password-1";

/// Election-day load against a real `cutri` process; prints a Markdown table.
#[derive(Debug, Parser)]
#[command(name = "cutri-load")]
struct Options {
    /// Voters in the generated ward.
    #[arg(long, default_value_t = 1_000_000)]
    voters: u64,
    /// Polling areas they are spread over.
    #[arg(long, default_value_t = 250)]
    areas: u32,
    /// Check-ins kept in flight.
    #[arg(long, default_value_t = 256)]
    connections: usize,
    /// Clients following the turnout stream.
    #[arg(long, default_value_t = 500)]
    dashboards: usize,
    /// Length of the run.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Check-ins per second offered in total (open loop); without it, as fast as answers
    /// come back.
    #[arg(long)]
    rate: Option<f64>,
    /// An empty PostgreSQL database to fill (default: SQLite in a temporary directory).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// Also write every answered check-in as "sent after ms;latency ms" (CSV) to this file.
    #[arg(long, value_name = "FILE")]
    timeline: Option<std::path::PathBuf>,
    /// Station accounts to check in as; 0: one admin account.
    #[arg(long, default_value_t = 0)]
    stations: usize,
    /// Sign-in requests with made-up names kept in flight during the run.
    #[arg(long, default_value_t = 0)]
    login_flood: usize,
    /// Run N servers on the `--database-url` (PostgreSQL) behind HAProxy (deploy/haproxy.cfg);
    /// without it, one server is loaded directly.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    servers: Option<u16>,
    /// With `--servers` of 2 or more: kill one server with SIGKILL, in turn, SECS seconds
    /// after the previous one is healthy again, and restart it.
    #[arg(long, value_name = "SECS")]
    kill_every: Option<u64>,
}

impl Options {
    fn check(&self) -> anyhow::Result<()> {
        if self.servers.is_some_and(|n| n > 1) && self.database_url.is_none() {
            bail!(
                "--servers above 1 needs a PostgreSQL --database-url: a SQLite file has one server"
            );
        }
        if self.kill_every.is_some() && self.servers.unwrap_or(1) < 2 {
            bail!("--kill-every needs --servers 2 or more: someone must answer meanwhile");
        }
        Ok(())
    }
}

/// (voter id, polling area id) of every voter, in the order the load will check them in.
type Ballots = Vec<(VoterId, AreaId)>;

/// What the load runs against.
struct Ward {
    election_id: ElectionId,
    ballots: Ballots,
    /// With `--stations`: which station account (index) serves each polling area.
    station_of_area: HashMap<AreaId, usize>,
}

/// An election held today, open all day, with generated voters, and the accounts to sign in.
async fn prepare_ward(db: &Db, options: &Options) -> anyhow::Result<Ward> {
    let started = Instant::now();
    let today = app::voters::service::today();
    let mut tx = db.begin_write().await?;
    let election_id =
        store::insert_election(&mut tx, "Bầu cử thử tải", today, Levels::ALL, 0).await?;
    let mut areas = Vec::new();
    for number in 1..=i64::from(options.areas) {
        let name = format!("Khu vực {number}");
        let area = NewArea {
            election_id,
            number,
            name: &name,
            address: "",
            levels: Levels::ALL,
        };
        areas.push(store::insert_area(&mut tx, &area).await?.context("area")?);
    }
    sqlx::query("update polling_areas set opens_at = '00:00', closes_at = '23:59'")
        .execute(&mut *tx)
        .await?;
    let mut stt = vec![0i64; areas.len()];
    let voters: Vec<_> = generator::voters(7, options.voters, options.areas).collect();
    for (chunk_index, chunk) in voters.chunks(5000).enumerate() {
        let folded: Vec<String> = chunk.iter().map(|v| fold(&v.full_name)).collect();
        let codes: Vec<String> = (0..chunk.len())
            .map(|i| format!("load{:012}", chunk_index * 5000 + i))
            .collect();
        let rows: Vec<NewVoter> = chunk
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let area = v.area as usize - 1;
                stt[area] += 1;
                v.row(election_id, areas[area], stt[area], &folded[i], &codes[i])
            })
            .collect();
        store::insert_voters(&mut tx, &rows, 0).await?;
    }
    tx.commit().await?;
    drop(voters);
    let ballots: Ballots = sqlx::query_as("select id, polling_area_id from voters order by id")
        .fetch_all(db.pool())
        .await?;
    create_account(
        db,
        &Actor::system(),
        &AccountInput {
            username: "load".into(),
            display_name: "Load".into(),
            role: Role::Admin,
            password: PASSWORD.into(),
        },
        false,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut station_of_area = HashMap::new();
    for station in 0..options.stations {
        let user = create_account(
            db,
            &Actor::system(),
            &AccountInput {
                username: station_username(station),
                display_name: format!("Tổ bầu cử {}", station + 1),
                role: Role::Station,
                password: PASSWORD.into(),
            },
            false,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let served: Vec<AreaId> = areas
            .iter()
            .enumerate()
            .filter(|(index, _)| index % options.stations == station)
            .map(|(_, &area)| area)
            .collect();
        let mut tx = db.begin_write().await?;
        users::set_assigned_areas(&mut tx, user.id, &served).await?;
        tx.commit().await?;
        station_of_area.extend(served.into_iter().map(|area| (area, station)));
    }
    eprintln!(
        "prepared {} voters and {} station accounts in {:.1} s",
        ballots.len(),
        options.stations,
        started.elapsed().as_secs_f64()
    );
    Ok(Ward {
        election_id,
        ballots: scatter(ballots),
        station_of_area,
    })
}

fn station_username(station: usize) -> String {
    format!("tram{:04}", station + 1)
}

/// Check-ins arrive in no particular order: spread them over the areas like a real day.
fn scatter(mut ballots: Ballots) -> Ballots {
    let mut rng = generator::Rng::new(99);
    for i in (1..ballots.len()).rev() {
        let j = rng.index_below(i + 1);
        ballots.swap(i, j);
    }
    ballots
}

/// A `cutri serve` process on the port it keeps across restarts. Killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

impl Server {
    /// Starts the `cutri` next to this binary on `database_url` at `port`; waits until healthy.
    async fn start(database_url: &str, port: u16) -> anyhow::Result<Server> {
        let exe = std::env::current_exe()?;
        let bin = exe.with_file_name("cutri");
        if !bin.exists() {
            bail!(
                "{} not found: build it with `cargo build --release -p server --bins`",
                bin.display()
            );
        }
        let child = Command::new(&bin)
            .arg("serve")
            .env("CUTRI_ADDR", format!("127.0.0.1:{port}"))
            .env("CUTRI_DATABASE_URL", database_url)
            // HAProxy (with --servers) forwards from this machine, as deploy/README.md sets it.
            .env("CUTRI_TRUSTED_PROXIES", "127.0.0.1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let server = Server { child, port };
        let probe = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(reply) = probe
                .get(format!("{}/healthz", server.base_url()))
                .send()
                .await
            {
                if reply.status().is_success() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not become healthy within a minute")
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Debian's HAProxy running deploy/haproxy.cfg in front of the servers, as shipped but for
/// what a local run cannot have: plain HTTP on a local port, the local servers, no syslog, no
/// admin socket, in the foreground; plus a stats page to see the servers come up. Stopped
/// when dropped.
struct Haproxy {
    child: Child,
    port: u16,
    stats_port: u16,
    config: std::path::PathBuf,
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.config);
    }
}

const SHIPPED_HAPROXY_CONFIG: &str = include_str!("../../../deploy/haproxy.cfg");

impl Haproxy {
    async fn start(servers: &[Server]) -> anyhow::Result<Haproxy> {
        let (port, stats_port) = (free_port()?, free_port()?);
        let addresses: Vec<String> = servers
            .iter()
            .map(|server| format!("127.0.0.1:{}", server.port))
            .collect();
        let config = std::env::temp_dir().join(format!("cutri-load-{}.cfg", std::process::id()));
        std::fs::write(
            &config,
            local_haproxy_config(SHIPPED_HAPROXY_CONFIG, port, stats_port, &addresses)?,
        )?;
        let child = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start haproxy: apt-get install haproxy")?;
        let haproxy = Haproxy {
            child,
            port,
            stats_port,
            config,
        };
        haproxy.wait_until_all_up(servers.len()).await?;
        Ok(haproxy)
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until HAProxy's checks have found every server up (two checks, 2 s apart).
    async fn wait_until_all_up(&self, servers: usize) -> anyhow::Result<()> {
        let url = format!("http://127.0.0.1:{}/stats;csv", self.stats_port);
        for _ in 0..300 {
            if let Ok(reply) = reqwest::get(&url).await {
                let csv = reply.text().await.unwrap_or_default();
                let up = csv
                    .lines()
                    .filter(|line| line.starts_with("cutri,s") && line.contains(",UP,"))
                    .count();
                if up == servers {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("HAProxy did not see the {servers} servers up within 30 s")
    }
}

/// deploy/haproxy.cfg on this machine (see `Haproxy`); fails when a line it changes is gone.
fn local_haproxy_config(
    shipped: &str,
    port: u16,
    stats_port: u16,
    servers: &[String],
) -> anyhow::Result<String> {
    let mut out = Vec::new();
    let (mut bound, mut redirect_dropped) = (false, false);
    // Each backend's first `server` line is the pattern for the local servers; the others go.
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
            bound = true;
            out.push(format!("    bind 127.0.0.1:{port}"));
        } else if text.starts_with("http-request redirect scheme https") {
            redirect_dropped = true;
        } else if let Some(pattern) = text.strip_prefix("server ") {
            if !servers_written {
                servers_written = true;
                let mut words = pattern.split_whitespace();
                let name = words.next().context("server name")?;
                let options: Vec<&str> = words.skip(1).collect();
                for (index, address) in servers.iter().enumerate() {
                    let own = format!("s{}", index + 1);
                    let options = options.join(" ").replace(name, &own);
                    out.push(format!("    server {own} {address} {options}"));
                }
            }
        } else {
            out.push(line.to_string());
        }
    }
    if !(bound && redirect_dropped) {
        bail!("deploy/haproxy.cfg changed: `bind :80` and the https redirect are expected");
    }
    out.push(format!(
        "\nlisten stats\n    bind 127.0.0.1:{stats_port}\n    stats enable\n    stats uri /stats\n"
    ));
    Ok(out.join("\n"))
}

/// The servers under load and, with `--servers`, HAProxy in front of them.
struct Cluster {
    servers: Vec<Server>,
    haproxy: Option<Haproxy>,
    /// Each server's current process id, for the memory sampler (a restart changes it).
    pids: Arc<Vec<AtomicU32>>,
}

impl Cluster {
    async fn start(database_url: &str, options: &Options) -> anyhow::Result<Cluster> {
        let mut servers = Vec::new();
        // One after the other: the first one migrates a fresh database.
        for _ in 0..options.servers.unwrap_or(1) {
            servers.push(Server::start(database_url, free_port()?).await?);
        }
        let haproxy = match options.servers {
            Some(_) => Some(Haproxy::start(&servers).await?),
            None => None,
        };
        let pids = Arc::new(
            servers
                .iter()
                .map(|server| AtomicU32::new(server.child.id()))
                .collect(),
        );
        Ok(Cluster {
            servers,
            haproxy,
            pids,
        })
    }

    /// Where clients send their requests: HAProxy, or the one server.
    fn entry_url(&self) -> String {
        match &self.haproxy {
            Some(haproxy) => haproxy.base_url(),
            None => self.servers[0].base_url(),
        }
    }
}

/// `--kill-every`: until `deadline`, the next server in turn is killed with SIGKILL `every`
/// after the previous one was healthy again, and started again at once (as systemd's
/// `Restart=always` would): HAProxy has seen it come back before another one goes. Returns the
/// servers and how long each took from the kill until healthy. Without `every`, only holds them.
async fn kill_in_turn(
    mut servers: Vec<Server>,
    pids: Arc<Vec<AtomicU32>>,
    database_url: String,
    every: Option<Duration>,
    deadline: Instant,
) -> anyhow::Result<(Vec<Server>, Vec<Duration>)> {
    let mut restarts = Vec::new();
    let Some(every) = every else {
        return Ok((servers, restarts));
    };
    let mut next_kill = Instant::now() + every;
    while next_kill < deadline {
        tokio::time::sleep_until(next_kill.into()).await;
        let victim = restarts.len() % servers.len();
        let port = servers[victim].port;
        servers[victim].kill9();
        let killed = Instant::now();
        servers[victim] = Server::start(&database_url, port).await?;
        pids[victim].store(servers[victim].child.id(), Ordering::Relaxed);
        restarts.push(killed.elapsed());
        next_kill = Instant::now() + every;
    }
    Ok((servers, restarts))
}

/// A client with its own connection pool, signed in as `username`.
async fn signed_in(
    base_url: &str,
    username: &str,
    connections: usize,
) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(connections)
        .build()?;
    // All accounts sign in from one address, like tablets behind one mobile network: past the
    // address's sign-in budget the server says when to come back, and we do.
    for _ in 0..60 {
        let reply = client
            .post(format!("{base_url}/api/auth/login"))
            .form(&[("username", username), ("password", PASSWORD)])
            .send()
            .await?;
        if reply.status().is_success() {
            return Ok(client);
        }
        let retry_after = reply
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        match (reply.status().as_u16(), retry_after) {
            (429 | 503, Some(seconds)) => tokio::time::sleep(Duration::from_secs(seconds)).await,
            (status, _) => bail!("login failed: {status}"),
        }
    }
    bail!("login of {username} still refused after a minute of retries")
}

fn rss_kib(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|line| line.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The `percent`-th percentile, rounded to the nearest rank.
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * percent + 50) / 100]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Follows the turnout stream and records, for every update, how long after the change the
/// dashboard received it (the board carries the server time of its latest change). A stream
/// that ends (its server killed) is opened again, as a browser's EventSource does.
async fn dashboard(
    client: reqwest::Client,
    url: String,
    delays: Arc<Mutex<Vec<Duration>>>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        match client.get(&url).send().await {
            Ok(response) if response.status().is_success() => {
                follow_stream(response, &delays, &stop).await;
            }
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Reads one turnout stream until it ends or `stop`.
async fn follow_stream(
    mut response: reqwest::Response,
    delays: &Mutex<Vec<Duration>>,
    stop: &AtomicBool,
) {
    let mut pending = String::new();
    while !stop.load(Ordering::Relaxed) {
        let chunk = match tokio::time::timeout(Duration::from_secs(1), response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            Ok(_) => return,
            Err(_) => continue,
        };
        let received = now_ms();
        pending.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = pending.find("\n\n") {
            let event: String = pending.drain(..end + 2).collect();
            let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue;
            };
            // Only the time stamp is needed; parsing whole boards would take the server's CPU.
            if let Some(as_of) = number_after(data, "\"as_of_ms\":") {
                let delay = Duration::from_millis(u64::try_from(received - as_of).unwrap_or(0));
                delays.lock().unwrap_or_else(|p| p.into_inner()).push(delay);
            }
        }
    }
}

/// Sends sign-in requests with made-up names from `source` until `stop`; the answers' statuses.
async fn login_flooder(
    base_url: String,
    source: std::net::IpAddr,
    stop: Arc<AtomicBool>,
) -> HashMap<u16, usize> {
    let mut statuses = HashMap::new();
    let Ok(client) = reqwest::Client::builder().local_address(source).build() else {
        return statuses;
    };
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let username = format!("ke-la-{source}-{n}").replace(['.', ':'], "-");
        let status = client
            .post(format!("{base_url}/api/auth/login"))
            .form(&[
                ("username", username.as_str()),
                ("password", "doan-sai-mat-khau"),
            ])
            .send()
            .await
            .map_or(0, |reply| reply.status().as_u16());
        *statuses.entry(status).or_insert(0) += 1;
    }
    statuses
}

/// The number that follows `key` (`"as_of_ms":` of a turnout board, `"check_in_id":` of a
/// receipt) in compact JSON.
fn number_after(json: &str, key: &str) -> Option<i64> {
    let start = json.find(key)? + key.len();
    let digits: String = json[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

async fn run(options: Options) -> anyhow::Result<()> {
    options.check()?;
    let temp_dir = std::env::temp_dir().join(format!("cutri-load-{}", std::process::id()));
    let database_url = match &options.database_url {
        Some(url) => url.clone(),
        None => {
            let _ = std::fs::remove_dir_all(&temp_dir);
            Db::sqlite_url_in(&temp_dir)?
        }
    };
    let db = Db::connect(&database_url).await?;
    let ward = prepare_ward(&db, &options).await?;
    let engine = match options.servers {
        Some(n) => format!("{:?} ×{n} (HAProxy)", db.engine()),
        None => format!("{:?}", db.engine()),
    };
    db.close().await;

    let cluster = Cluster::start(&database_url, &options).await?;
    let entry_url = cluster.entry_url();
    let rss_before: Vec<u64> = cluster
        .pids
        .iter()
        .map(|pid| rss_kib(pid.load(Ordering::Relaxed), "VmRSS:").unwrap_or(0))
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let delays = Arc::new(Mutex::new(Vec::new()));
    let watchers = follow_dashboards(
        &entry_url,
        ward.election_id,
        options.dashboards,
        &delays,
        &stop,
    )
    .await?;
    let clients = station_clients(&entry_url, &options).await?;
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let workers = start_check_ins(&options, &entry_url, clients, ward, started, deadline);
    let Cluster {
        servers,
        haproxy,
        pids,
    } = cluster;
    let killer = tokio::spawn(kill_in_turn(
        servers,
        pids.clone(),
        database_url.clone(),
        options.kill_every.map(Duration::from_secs),
        deadline,
    ));
    let flood_stop = Arc::new(AtomicBool::new(false));
    let flooders = start_login_flood(&entry_url, options.login_flood, &flood_stop)?;
    let sampler = sample_peak_rss(pids, stop.clone());
    let mut sent = Sent::default();
    for worker in workers {
        sent.add(worker.await?);
    }
    if let Some(path) = &options.timeline {
        sent.timeline.sort();
        write_timeline(path, &sent.timeline)?;
    }
    let mut latencies: Vec<Duration> = sent.timeline.iter().map(|(_, latency)| *latency).collect();
    let elapsed = started.elapsed();
    let (servers, restarts) = killer.await??;
    flood_stop.store(true, Ordering::Relaxed);
    let mut flood_statuses: HashMap<u16, usize> = HashMap::new();
    for flooder in flooders {
        for (status, count) in flooder.await? {
            *flood_statuses.entry(status).or_insert(0) += count;
        }
    }
    // Let the last updates reach the dashboards before stopping them.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    let rss: Vec<(u64, u64)> = rss_before
        .into_iter()
        .zip(sampler.await?)
        .map(|(before, peak)| (before, before.max(peak)))
        .collect();
    for watcher in watchers {
        let _ = watcher.await;
    }
    latencies.sort();
    let mut delays = std::mem::take(&mut *delays.lock().unwrap_or_else(|p| p.into_inner()));
    delays.sort();

    let ledger = compare_with_database(&database_url, &sent).await?;
    drop(haproxy);
    drop(servers);
    if options.database_url.is_none() {
        let _ = std::fs::remove_dir_all(&temp_dir);
    }

    print_table(
        &options,
        &Outcome {
            engine,
            stored: ledger.stored,
            latencies,
            failures: sent.failures,
            elapsed,
            delays,
            rss,
        },
    );
    if options.servers.is_some() {
        print_ledger(&ledger, &sent, &restarts);
    }
    if options.login_flood > 0 {
        print_login_flood(&options, flood_statuses, elapsed);
    }
    Ok(())
}

/// `count` dashboards following the turnout stream, each recording into `delays` how late it
/// heard of every change; given two seconds to connect before the load starts.
async fn follow_dashboards(
    base_url: &str,
    election_id: ElectionId,
    count: usize,
    delays: &Arc<Mutex<Vec<Duration>>>,
    stop: &Arc<AtomicBool>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut watchers = Vec::new();
    if count > 0 {
        let watcher = signed_in(base_url, "load", count).await?;
        let url = format!("{base_url}/results/{election_id}/events");
        for _ in 0..count {
            watchers.push(tokio::spawn(dashboard(
                watcher.clone(),
                url.clone(),
                delays.clone(),
                stop.clone(),
            )));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    Ok(watchers)
}

/// The signed-in clients the check-ins are sent with: the admin alone, or one per station
/// account (index as in `Ward::station_of_area`), the connections shared out among them.
async fn station_clients(
    base_url: &str,
    options: &Options,
) -> anyhow::Result<Vec<reqwest::Client>> {
    if options.stations == 0 {
        return Ok(vec![
            signed_in(base_url, "load", options.connections).await?,
        ]);
    }
    let mut clients = Vec::with_capacity(options.stations);
    let per_station = options.connections.div_ceil(options.stations);
    for station in 0..options.stations {
        let username = station_username(station);
        clients.push(signed_in(base_url, &username, per_station).await?);
    }
    Ok(clients)
}

/// What every connection of the check-in load shares.
struct CheckInLoad {
    url: String,
    clients: Vec<reqwest::Client>,
    station_of_area: HashMap<AreaId, usize>,
    ballots: Ballots,
    /// The index in `ballots` of the next voter to check in.
    next: AtomicUsize,
    started: Instant,
    deadline: Instant,
    /// With `--rate`: how long each connection waits between the requests it plans.
    interval: Option<Duration>,
}

/// Recorded check-ins: when each was sent (after the start) and how long its answer took.
type Timeline = Vec<(Duration, Duration)>;

/// An unanswered check-in is sent again, with the same request id, until this long after it
/// was first planned; then it counts as failed.
const GIVE_UP: Duration = Duration::from_secs(30);
/// One attempt of a check-in waits this long for its answer.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// What check-in connections came to.
#[derive(Default)]
struct Sent {
    timeline: Timeline,
    /// Check-ins not recorded in the end: refused, answered with an error, or unanswered.
    failures: usize,
    /// Attempts without an answer (broken connection, 502–504, timeout), sent again.
    retried: usize,
    /// (voter, check-in id) of every check-in answered as recorded.
    acknowledged: Vec<(VoterId, i64)>,
    /// Answered as refused: each voter is asked for once, so a refusal means the first answer
    /// to a request was lost and its retry was taken as a second check-in.
    refused: usize,
}

impl Sent {
    fn add(&mut self, mut other: Sent) {
        self.timeline.append(&mut other.timeline);
        self.failures += other.failures;
        self.retried += other.retried;
        self.acknowledged.append(&mut other.acknowledged);
        self.refused += other.refused;
    }
}

/// One task per connection, each checking voters in until the deadline or the last voter.
fn start_check_ins(
    options: &Options,
    base_url: &str,
    clients: Vec<reqwest::Client>,
    ward: Ward,
    started: Instant,
    deadline: Instant,
) -> Vec<tokio::task::JoinHandle<Sent>> {
    // With a rate, connection k sends its n-th request at start + (n·connections + k)/rate, and
    // latency counts from that planned moment, so a slow answer also counts against the
    // requests it held up (no coordinated omission).
    let interval = options
        .rate
        .map(|rate| Duration::from_secs_f64(options.connections as f64 / rate));
    let load = Arc::new(CheckInLoad {
        url: format!("{base_url}/api/checkin/record"),
        clients,
        station_of_area: ward.station_of_area,
        ballots: ward.ballots,
        next: AtomicUsize::new(0),
        started,
        deadline,
        interval,
    });
    (0..options.connections)
        .map(|connection| {
            let first = interval.map(|every| {
                started + every.mul_f64(connection as f64 / options.connections as f64)
            });
            tokio::spawn(check_in_connection(load.clone(), first))
        })
        .collect()
}

/// One connection's check-ins, the first planned at `first` (with `--rate`) or sent at once.
async fn check_in_connection(load: Arc<CheckInLoad>, first: Option<Instant>) -> Sent {
    let mut own = Sent::default();
    let mut planned = first;
    while Instant::now() < load.deadline {
        if let Some(at) = planned {
            tokio::time::sleep_until(at.into()).await;
        }
        let index = load.next.fetch_add(1, Ordering::Relaxed);
        let Some(&(voter_id, area_id)) = load.ballots.get(index) else {
            break;
        };
        let body = serde_json::json!({ "request": {
            "request_id": format!("load-{index:012}"),
            "area_id": area_id,
            "voter_id": voter_id,
            "mobile_box": false,
            "hours_override": false,
        }});
        let sent = planned.unwrap_or_else(Instant::now);
        planned = planned.zip(load.interval).map(|(at, every)| at + every);
        let client = &load.clients[load.station_of_area.get(&area_id).copied().unwrap_or(0)];
        // As the desk does: a request without an answer is asked again with the same id.
        let answer = loop {
            match attempt(client, &load.url, &body).await {
                Some(answer) => break Some(answer),
                None if sent.elapsed() < GIVE_UP => {
                    own.retried += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                None => break None,
            }
        };
        let recorded = answer
            .as_deref()
            .filter(|text| text.starts_with("{\"Recorded\""))
            .and_then(|text| number_after(text, "\"check_in_id\":"));
        match recorded {
            Some(check_in_id) => {
                own.timeline.push((sent - load.started, sent.elapsed()));
                own.acknowledged.push((voter_id, check_in_id));
            }
            None => {
                own.failures += 1;
                if answer.is_some_and(|text| text.starts_with("{\"Refused\"")) {
                    own.refused += 1;
                }
            }
        }
    }
    own
}

/// One attempt of a check-in: the answer's text, or None when there was no answer, which is
/// what a killed server looks like directly or through HAProxy.
async fn attempt(client: &reqwest::Client, url: &str, body: &serde_json::Value) -> Option<String> {
    let reply = client
        .post(url)
        .json(body)
        .timeout(ATTEMPT_TIMEOUT)
        .send()
        .await
        .ok()?;
    if matches!(reply.status().as_u16(), 502..=504) {
        return None;
    }
    reply.text().await.ok()
}

/// `count` sign-in flooders, each from its own loopback address, until `stop`.
fn start_login_flood(
    base_url: &str,
    count: usize,
    stop: &Arc<AtomicBool>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<HashMap<u16, usize>>>> {
    (0..count)
        .map(|n| {
            let source = flood_source(n)?;
            Ok(tokio::spawn(login_flooder(
                base_url.to_string(),
                source,
                stop.clone(),
            )))
        })
        .collect()
}

/// The loopback address of the `n`-th flooder: 127.0.10.1 … 127.0.10.250, 127.0.11.1 …
fn flood_source(n: usize) -> anyhow::Result<std::net::IpAddr> {
    let subnet = u8::try_from(10 + n / 250)
        .context("--login-flood: at most 61500 flooders, one loopback address each")?;
    let host = u8::try_from(1 + n % 250)?;
    Ok(std::net::IpAddr::from([127, 0, subnet, host]))
}

/// Each server's peak resident memory (KiB), over its restarts, sampled every 200 ms until
/// `stop`.
fn sample_peak_rss(
    pids: Arc<Vec<AtomicU32>>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<Vec<u64>> {
    tokio::spawn(async move {
        let mut peaks = vec![0; pids.len()];
        while !stop.load(Ordering::Relaxed) {
            for (peak, pid) in peaks.iter_mut().zip(pids.iter()) {
                let rss = rss_kib(pid.load(Ordering::Relaxed), "VmRSS:").unwrap_or(0);
                *peak = (*peak).max(rss);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        peaks
    })
}

/// `--timeline FILE`: every answered check-in as "sent after ms;latency ms".
fn write_timeline(path: &std::path::Path, timeline: &[(Duration, Duration)]) -> anyhow::Result<()> {
    let lines: String = timeline
        .iter()
        .map(|(sent, latency)| {
            format!(
                "{:.1};{:.2}\n",
                sent.as_secs_f64() * 1e3,
                latency.as_secs_f64() * 1e3
            )
        })
        .collect();
    std::fs::write(path, format!("sent_ms;latency_ms\n{lines}"))?;
    Ok(())
}

/// The database after the run against what the check-in connections were told.
struct Ledger {
    /// Check-ins the database holds (not undone).
    stored: i64,
    /// Acknowledged check-ins the database does not hold as told.
    lost: usize,
    /// Voters with more than one counting check-in (the database's unique index forbids it).
    doubled: i64,
    /// Stored check-ins whose answer nobody received (the run ended, or retries gave up).
    unacknowledged: i64,
    /// Numbers missing from the areas' 1..n.
    gaps: i64,
}

async fn compare_with_database(database_url: &str, sent: &Sent) -> anyhow::Result<Ledger> {
    let db = Db::connect(database_url).await?;
    let stored: HashMap<VoterId, i64> =
        sqlx::query_as("select voter_id, id from check_ins where undone = 0")
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .collect();
    let doubled = sqlx::query_scalar(
        "select count(*) - count(distinct voter_id) from check_ins where undone = 0",
    )
    .fetch_one(db.pool())
    .await?;
    let gaps = sqlx::query_scalar(
        "select cast(coalesce(sum(highest - numbered), 0) as bigint) from \
         (select max(number) as highest, count(*) as numbered from check_ins \
          group by polling_area_id) as areas",
    )
    .fetch_one(db.pool())
    .await?;
    db.close().await;
    let lost = sent
        .acknowledged
        .iter()
        .filter(|(voter, id)| stored.get(voter) != Some(id))
        .count();
    let stored_count = i64::try_from(stored.len())?;
    let acknowledged = i64::try_from(sent.acknowledged.len() - lost)?;
    Ok(Ledger {
        stored: stored_count,
        lost,
        doubled,
        unacknowledged: stored_count - acknowledged,
        gaps,
    })
}

/// With `--servers`: the check-ins against the database, and the kills.
fn print_ledger(ledger: &Ledger, sent: &Sent, restarts: &[Duration]) {
    let mut restarts = restarts.to_vec();
    restarts.sort();
    println!(
        "\nservers killed: {} (kill → healthy again p50 {:.1} s, max {:.1} s); check-ins \
         acknowledged {}, stored {}; lost {}, doubled {}, refused {}, stored unacknowledged {}, \
         number gaps {}; attempts sent again {}",
        restarts.len(),
        percentile(&restarts, 50).as_secs_f64(),
        restarts.last().copied().unwrap_or_default().as_secs_f64(),
        sent.acknowledged.len(),
        ledger.stored,
        ledger.lost,
        ledger.doubled,
        sent.refused,
        ledger.unacknowledged,
        ledger.gaps,
        sent.retried,
    );
}

/// What a run measured, sorted latencies and delays included.
struct Outcome {
    engine: String,
    stored: i64,
    latencies: Vec<Duration>,
    failures: usize,
    elapsed: Duration,
    delays: Vec<Duration>,
    /// Each server's resident memory at the start and at its peak (KiB).
    rss: Vec<(u64, u64)>,
}

/// The Markdown table row BENCHMARKS.md quotes.
fn print_table(options: &Options, outcome: &Outcome) {
    let Outcome {
        engine,
        stored,
        latencies,
        failures,
        elapsed,
        delays,
        rss,
    } = outcome;
    let offered = options
        .rate
        .map_or_else(|| "max".to_string(), |rate| format!("{rate:.0}"));
    println!("| engine | voters | connections | dashboards | offered/s | check-ins | per second | p50 ms | p95 ms | p99 ms | max ms | failed | push p50 ms | push p99 ms | push events | server RSS start → peak MB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    println!(
        "| {engine} | {} | {} | {} | {offered} | {} (stored {stored}) | {:.0} | {} | {} | {} | {} | {failures} | {} | {} | {} | {} |",
        options.voters,
        options.connections,
        options.dashboards,
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 95)),
        ms(percentile(latencies, 99)),
        ms(latencies.last().copied().unwrap_or_default()),
        ms(percentile(delays, 50)),
        ms(percentile(delays, 99)),
        delays.len(),
        rss.iter()
            .map(|(start, peak)| format!(
                "{:.0} → {:.0}",
                *start as f64 / 1024.0,
                *peak as f64 / 1024.0
            ))
            .collect::<Vec<_>>()
            .join("; "),
    );
}

/// How the sign-in flood was answered, by HTTP status.
fn print_login_flood(options: &Options, statuses: HashMap<u16, usize>, elapsed: Duration) {
    let mut answers: Vec<_> = statuses.into_iter().collect();
    answers.sort();
    let answers: Vec<String> = answers
        .iter()
        .map(|(status, count)| format!("{status}: {count}"))
        .collect();
    println!(
        "\nlogin flood: {} in flight for {:.0} s; answers by status: {}",
        options.login_flood,
        elapsed.as_secs_f64(),
        answers.join(", ")
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    run(Options::parse()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let sorted: Vec<Duration> = (0..=20).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 50), Duration::from_millis(10));
        assert_eq!(percentile(&sorted, 95), Duration::from_millis(19));
        assert_eq!(percentile(&sorted, 99), Duration::from_millis(20));
        // 10 × 0.95 = 9.5 rounds up, as `f64::round` did.
        assert_eq!(percentile(&sorted[..11], 95), Duration::from_millis(10));
        assert_eq!(percentile(&[], 50), Duration::ZERO);
    }

    #[test]
    fn haproxy_runs_the_shipped_configuration_on_local_servers() {
        let servers = ["127.0.0.1:4001".to_string(), "127.0.0.1:4002".to_string()];
        let config = local_haproxy_config(SHIPPED_HAPROXY_CONFIG, 5000, 5001, &servers).unwrap();
        assert!(config.contains("    bind 127.0.0.1:5000\n"), "{config}");
        assert!(!config.contains("ssl crt") && !config.contains("redirect scheme"));
        assert!(
            config.contains("    server s2 127.0.0.1:4002 check\n"),
            "{config}"
        );
        assert!(config.contains("    server s1 127.0.0.1:4001 track cutri/s1\n"));
        assert!(!config.contains("10.0.0."), "{config}");
        assert!(
            config.contains("default-server inter 2s"),
            "checked as shipped"
        );
        assert!(local_haproxy_config("global\n", 1, 2, &servers).is_err());
    }

    #[test]
    fn a_number_is_read_after_its_key() {
        let receipt = r#"{"Recorded":{"check_in_id":4711,"voter_id":9}}"#;
        assert_eq!(number_after(receipt, "\"check_in_id\":"), Some(4711));
        assert_eq!(number_after(receipt, "\"as_of_ms\":"), None);
    }

    #[test]
    fn each_flooder_has_its_own_loopback_address_until_they_run_out() {
        let address = |n| flood_source(n).unwrap().to_string();
        assert_eq!(address(0), "127.0.10.1");
        assert_eq!(address(249), "127.0.10.250");
        assert_eq!(address(250), "127.0.11.1");
        assert_eq!(address(61_499), "127.0.255.250");
        assert!(flood_source(61_500).is_err());
    }
}
