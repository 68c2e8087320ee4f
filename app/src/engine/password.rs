//! Argon2id password hashing (19 MiB of memory each) on threads of its own, never on async
//! threads, behind a gate that bounds how many run at once.
//!
//! Without the gate a flood of sign-in requests ran one hash per request in parallel: the
//! blocking pool grows to hundreds of threads, each holding its 19 MiB, and the check-in desk
//! starves (BENCHMARKS.md, sign-in flood). With it, at most `slots`
//! hashes run, a few wait briefly in line, and the rest are told to come back later.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::user::NewPassword;
use crate::error::{AppError, ErrorCode};

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How long a request waits in line for a hashing slot before it is told to retry.
const MAX_WAIT: Duration = Duration::from_secs(2);
/// Requests waiting in line at most; more are refused at once (their memory stays bounded too).
const MAX_WAITING: usize = 32;
/// What a refused request is told: retry after this many seconds.
pub const RETRY_AFTER_SECONDS: u64 = 2;

/// The hashing slots of one server. Only password checks at sign-in (and at a password change)
/// wait for a slot: anyone who reaches the login page can start one. New passwords are hashed
/// without one; only an administrator or the signed-in user can ask for that.
#[derive(Clone)]
pub struct HashGate(Arc<GateState>);

struct GateState {
    slots: usize,
    /// The gate's hashing threads take their work from here.
    jobs: mpsc::Sender<HashJob>,
    semaphore: Arc<Semaphore>,
    waiting: AtomicUsize,
    running: AtomicUsize,
    peak_running: AtomicUsize,
    /// Sign-in passwords checked, counted where Argon2 ran (monitoring, and the tests' measure
    /// of how many guesses got through and of what an unknown name costs).
    checked: AtomicU64,
}

impl Default for HashGate {
    /// One hash at a time per core but one: the other core keeps serving the check-in desk.
    fn default() -> HashGate {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        HashGate::with_slots(cores.saturating_sub(1).max(1))
    }
}

/// The right to run one hash; taken before the attempt is counted, so a refusal for load
/// never costs the user one of their attempts.
pub struct HashPermit {
    _slot: OwnedSemaphorePermit,
    gate: HashGate,
}

fn busy() -> AppError {
    AppError::new(ErrorCode::ServerBusy)
}

/// A place in the line for a slot; leaves the line when dropped, also when the waiting request
/// is abandoned by its client.
struct InLine<'a> {
    waiting: &'a AtomicUsize,
    ahead: usize,
}

impl<'a> InLine<'a> {
    fn join(waiting: &'a AtomicUsize) -> InLine<'a> {
        let ahead = waiting.fetch_add(1, Ordering::SeqCst);
        InLine { waiting, ahead }
    }
}

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One password check, run on a hashing thread.
type HashJob = Box<dyn FnOnce() + Send>;

/// Nice value of the hashing threads: under load the scheduler gives the threads that serve the
/// check-in desk the CPU first, and sign-ins take what is left. Idle, hashing runs at full speed.
const HASHING_NICE: i32 = 19;

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux, PRIO_PROCESS of "no pid" names the calling thread alone. A failure leaves the
    // priority as it was.
    if rustix::process::setpriority_process(None, HASHING_NICE).is_err() {
        tracing::warn!("could not lower the priority of a password hashing thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

/// `slots` threads of low priority that run the jobs sent to them; they end when the gate is
/// dropped (the sender with it).
fn start_hashing_threads(slots: usize) -> mpsc::Sender<HashJob> {
    let (jobs, queue) = mpsc::channel::<HashJob>();
    let queue = Arc::new(std::sync::Mutex::new(queue));
    for n in 0..slots {
        let queue = queue.clone();
        let started = std::thread::Builder::new()
            .name(format!("cutri-hash-{n}"))
            .spawn(move || {
                lower_this_threads_priority();
                loop {
                    let next = queue
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .recv();
                    match next {
                        Ok(job) => job(),
                        Err(_gate_dropped) => break,
                    }
                }
            });
        if let Err(error) = started {
            tracing::error!(%error, "could not start a password hashing thread");
        }
    }
    jobs
}

impl HashGate {
    pub fn with_slots(slots: usize) -> HashGate {
        HashGate(Arc::new(GateState {
            jobs: start_hashing_threads(slots),
            slots,
            semaphore: Arc::new(Semaphore::new(slots)),
            waiting: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
            checked: AtomicU64::new(0),
        }))
    }

    /// Waits up to `MAX_WAIT` for a hashing slot; `ServerBusy` (503) when none frees up or too
    /// many already wait.
    pub async fn permit(&self) -> Result<HashPermit, AppError> {
        let state = &self.0;
        let granted = |slot| HashPermit {
            _slot: slot,
            gate: self.clone(),
        };
        if let Ok(slot) = state.semaphore.clone().try_acquire_owned() {
            return Ok(granted(slot));
        }
        let place = InLine::join(&state.waiting);
        if place.ahead >= MAX_WAITING {
            tracing::warn!("password check refused: too many waiting");
            return Err(busy());
        }
        let acquired =
            tokio::time::timeout(MAX_WAIT, state.semaphore.clone().acquire_owned()).await;
        drop(place);
        match acquired {
            Ok(Ok(slot)) => Ok(granted(slot)),
            Ok(Err(_closed)) => Err(busy()),
            Err(_elapsed) => {
                tracing::warn!("password check refused: no slot within {MAX_WAIT:?}");
                Err(busy())
            }
        }
    }

    /// Hashes that may run at once.
    pub fn slots(&self) -> usize {
        self.0.slots
    }

    /// The most hashes seen running at once (for tests and monitoring).
    pub fn peak_running(&self) -> usize {
        self.0.peak_running.load(Ordering::SeqCst)
    }

    /// Sign-in passwords checked since the server started, a real account's or the dummy.
    pub fn passwords_checked(&self) -> u64 {
        self.0.checked.load(Ordering::SeqCst)
    }
}

pub async fn hash(password: &NewPassword) -> Result<String, AppError> {
    let password = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Checks `candidate` against a stored PHC hash, in the slot of `permit`, on one of the gate's
/// low-priority threads. `None` checks against a dummy hash, so an unknown username costs the
/// same time as a wrong password. The permit moves into the hashing thread: a request abandoned
/// by its client holds its slot until the hash is done.
pub async fn verify(
    permit: HashPermit,
    stored_hash: Option<String>,
    candidate: &str,
) -> Result<bool, AppError> {
    let candidate = candidate.to_string();
    let jobs = permit.gate.0.jobs.clone();
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let state = &permit.gate.0;
        let running = state.running.fetch_add(1, Ordering::SeqCst) + 1;
        state.peak_running.fetch_max(running, Ordering::SeqCst);
        let is_real = stored_hash.is_some();
        let stored = stored_hash.unwrap_or_else(|| dummy_hash().to_string());
        let matches = PasswordHash::new(&stored)
            .map_err(AppError::internal)
            .map(|parsed| {
                let matches = hasher()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok();
                state.checked.fetch_add(1, Ordering::SeqCst);
                matches
            });
        state.running.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
        // The request may have been abandoned meanwhile; then nobody waits for the answer.
        let _ = answer.send(matches.map(|matches| matches && is_real));
    });
    jobs.send(job)
        .map_err(|_| AppError::internal("the password hashing threads have stopped"))?;
    answered.await.map_err(AppError::internal)?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let secret = crate::token::new_secret();
        hasher()
            .hash_password(secret.as_bytes(), &salt)
            .expect("hashing a random secret")
            .to_string()
    })
}

/// Computes the dummy hash ahead of the first login attempt.
pub fn warm_up() {
    dummy_hash();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn a_full_line_is_refused_at_once_and_a_long_wait_gives_up() {
        let gate = HashGate::with_slots(2);
        let waiting = || gate.0.waiting.load(Ordering::SeqCst);
        let mut held = Vec::new();
        for _ in 0..gate.slots() {
            held.push(gate.permit().await.expect("a free slot"));
        }
        let waiters: Vec<_> = (0..MAX_WAITING)
            .map(|_| {
                let gate = gate.clone();
                tokio::spawn(async move { gate.permit().await })
            })
            .collect();
        for _ in 0..1000 {
            if waiting() >= MAX_WAITING {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(waiting(), MAX_WAITING);

        let started = std::time::Instant::now();
        let refused = gate.permit().await.err().expect("the line is full");
        assert_eq!(refused.code, ErrorCode::ServerBusy);
        assert!(started.elapsed() < MAX_WAIT / 2, "refused at once");

        // One slot frees up: one waiter gets it, the others give up after MAX_WAIT.
        held.pop();
        let mut granted = Vec::new();
        let mut busy = 0;
        for waiter in waiters {
            match waiter.await.expect("waiter") {
                // Kept: a permit dropped here would let the next waiter in.
                Ok(permit) => granted.push(permit),
                Err(error) if error.code == ErrorCode::ServerBusy => busy += 1,
                Err(error) => panic!("unexpected {error:?}"),
            }
        }
        assert_eq!((granted.len(), busy), (1, MAX_WAITING - 1));
        assert_eq!(waiting(), 0, "nobody left in line");
    }
}
