//! `tenpa serve`'s OpenID Connect client authentication options: a client secret or a private key,
//! exactly one; a private key file that cannot be read or is not a key is refused, naming the file,
//! before anything is served.

mod common;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `tenpa serve` with `args` on a free port and a scratch database, expecting it to stop by
/// itself quickly; its exit code and standard error.
fn serve_refused(name: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = common::tempdir(name);
    let db = format!("sqlite://{}", dir.join("tenpa.db").display());
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_tenpa"))
        .args(["serve", "--db", &db, "--addr", &addr])
        .args(args)
        .current_dir(common::root())
        .env_remove("TENPA_DB")
        .env_remove("TENPA_ADDR")
        .env_remove("TENPA_PARAMETERS")
        .env_remove("TENPA_OIDC_ISSUER")
        .env_remove("TENPA_OIDC_CLIENT_ID")
        .env_remove("TENPA_OIDC_CLIENT_SECRET")
        .env_remove("TENPA_OIDC_PRIVATE_KEY")
        .env_remove("TENPA_OIDC_KEY_ID")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tenpa serve");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tenpa serve {args:?} did not stop by itself");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!status.success(), "{args:?} was not refused: {stderr}");
    (status.code(), stderr)
}

const ISSUER: [&str; 4] = ["--oidc-issuer", "https://x", "--oidc-client-id", "a"];

#[test]
fn a_secret_and_a_private_key_together_are_refused() {
    let (code, stderr) = serve_refused(
        "both",
        &[
            &ISSUER[..],
            &["--oidc-client-secret", "s", "--oidc-private-key", "k.pem"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--oidc-client-secret"), "{stderr}");
    assert!(stderr.contains("--oidc-private-key"), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn neither_a_secret_nor_a_private_key_is_refused() {
    let (code, stderr) = serve_refused("neither", &ISSUER);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--oidc-client-secret"), "{stderr}");
    assert!(stderr.contains("--oidc-private-key"), "{stderr}");
}

#[test]
fn a_key_id_needs_a_private_key() {
    let (code, stderr) = serve_refused(
        "kid",
        &[
            &ISSUER[..],
            &["--oidc-client-secret", "s", "--oidc-key-id", "k1"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--oidc-key-id"), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    // Nor is it taken alone.
    let (code, stderr) = serve_refused("kid-alone", &["--oidc-key-id", "k1"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--oidc-private-key"), "{stderr}");
}

#[test]
fn a_private_key_file_that_is_missing_or_not_a_key_is_refused_naming_it() {
    let dir = common::tempdir("keyfiles");
    let missing = dir.join("missing.pem");
    let garbage = dir.join("garbage.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    for (name, file, says) in [
        (
            "missing",
            &missing,
            "cannot read the OpenID Connect private key",
        ),
        ("garbage", &garbage, "not a PEM RSA private key"),
    ] {
        let path = file.display().to_string();
        let (code, stderr) = serve_refused(
            name,
            &[&ISSUER[..], &["--oidc-private-key", &path]].concat(),
        );
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains(&path), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("bm90IGEga2V5"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
