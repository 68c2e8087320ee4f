use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};
use server::cli::{Cli, Command};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // A wrong word ends here with clap's message and exit code 2, before anything starts.
    let cli = Cli::parse();
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(error) => {
            eprintln!("Lỗi / Error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// glibc gives every thread that allocates its own arena (up to 8 per core) and keeps their
/// freed memory: at a million voters that was 65 MB of the server's resident memory held idle
/// in 10 arenas. The server's work runs on two worker threads and the database threads; two
/// arenas serve them (BENCHMARKS.md, check-in). Set before the runtime starts its threads.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(unsafe_code, reason = "mallopt has no safe wrapper")]
fn limit_malloc_arenas() {
    const ARENAS: libc::c_int = 2;
    // SAFETY: mallopt only changes allocator settings; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

async fn run(cli: Cli) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(false)
        .init();
    let outcome = match cli.resolve() {
        Ok(Command::Help) => Cli::command()
            .print_help()
            .map(|()| ExitCode::SUCCESS)
            .map_err(Into::into),
        Ok(Command::Serve { addr, config }) => {
            serve(addr, config).await.map(|()| ExitCode::SUCCESS)
        }
        Ok(Command::AuditVerify { database_url }) => verify_audit(&database_url).await,
        Ok(Command::Backup { database_url, to }) => {
            server::backup::backup_command(&database_url, &to).await
        }
        Ok(Command::Restore {
            from,
            database_url,
            force,
        }) => server::backup::restore_command(&from, &database_url, force).await,
        Ok(Command::GenerateVoters {
            voters,
            areas,
            seed,
        }) => generate_voters(voters, areas, seed),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("Lỗi / Error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(addr: String, config: server::Config) -> anyhow::Result<()> {
    let _only_server = server::claim_sqlite_file(&config.database_url)?;
    let prepared = server::prepare(&config).await?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!("cutri is serving at http://{local}/");
    if let Some(token) = &prepared.setup_token {
        let link = format!("http://{local}/setup?token={token}");
        tracing::warn!("no account exists yet; create the first administrator at {link}");
        println!(
            "\n  Chưa có tài khoản quản trị. Mở đường dẫn sau để tạo tài khoản quản trị đầu tiên\n  \
             (No account yet. Open this link to create the first administrator):\n\n    {link}\n\n  \
             Đường dẫn chỉ dùng được một lần và chỉ trong lần chạy này.\n"
        );
    }
    server::launch(listener, prepared, shutdown_signal()).await
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

async fn verify_audit(database_url: &str) -> anyhow::Result<ExitCode> {
    let report = server::cli::audit_report(database_url).await?;
    println!("{}", report.text);
    Ok(if report.intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn generate_voters(voters: u64, areas: u32, seed: u64) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(out, "{}", server::generator::CSV_HEADER)?;
    for (index, voter) in server::generator::voters(seed, voters, areas).enumerate() {
        writeln!(
            out,
            "{}",
            server::generator::csv_line(index as u64 + 1, &voter)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
