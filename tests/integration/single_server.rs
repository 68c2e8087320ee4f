//! A SQLite file is served by one `cutri serve` at a time: a second server on the same file
//! refuses to start and says why, and the lock goes with the process, even a killed one.

use crate::checkin::server_binary;

fn serve(data_dir: &std::path::Path, port: u16) -> std::process::Child {
    std::process::Command::new(server_binary())
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .env_remove("CUTRI_DATABASE_URL")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

async fn healthy(port: u16) -> bool {
    for _ in 0..300 {
        if let Ok(reply) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            if reply.status().is_success() {
                return true;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_second_server_on_the_same_sqlite_file_refuses_to_start() {
    let data_dir = std::env::temp_dir().join(format!("cutri-single-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let first_port = free_port();
    let mut first = serve(&data_dir, first_port);
    assert!(healthy(first_port).await, "the first server serves");

    let mut second = serve(&data_dir, free_port());
    let mut ended = None;
    for _ in 0..300 {
        ended = second.try_wait().expect("wait for the second server");
        if ended.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let Some(status) = ended else {
        let _ = second.kill();
        let _ = second.wait();
        let _ = first.kill();
        panic!("a second server started on a SQLite file that is already served");
    };
    assert!(!status.success(), "the second server must not serve");
    let mut said = String::new();
    if let Some(mut stderr) = second.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut said).expect("read stderr");
    }
    assert!(
        said.contains("một máy chủ cutri khác đang chạy") && said.contains("PostgreSQL"),
        "{said}"
    );
    assert!(healthy(first_port).await, "the first server still serves");

    first.kill().expect("kill -9");
    first.wait().expect("the first server ends");
    let third_port = free_port();
    let mut third = serve(&data_dir, third_port);
    assert!(
        healthy(third_port).await,
        "after a kill the file can be served again"
    );
    let _ = third.kill();
    let _ = third.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
}
