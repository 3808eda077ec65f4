//! An SMTP sink the tests start themselves: it accepts mail on a random local port and keeps what
//! arrived; told to, it refuses the next messages with a temporary failure (451), as a busy mail
//! server does, or rejects the next recipients for good (550), as for an unknown mailbox.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as it arrived.
#[derive(Debug, Clone)]
pub struct Arrived {
    /// `MAIL FROM` and `RCPT TO`, as sent.
    pub from: String,
    pub to: Vec<String>,
    /// The message's headers and body, as sent (dot-stuffing undone).
    pub data: String,
}

/// The running sink.
#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    arrived: Arc<Mutex<Vec<Arrived>>>,
    refuse: Arc<AtomicUsize>,
    reject: Arc<AtomicUsize>,
}

impl Sink {
    /// What arrived so far.
    pub fn arrived(&self) -> Vec<Arrived> {
        self.arrived.lock().unwrap().clone()
    }

    /// Refuses the next `n` messages with 451.
    pub fn refuse_next(&self, n: usize) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    /// Rejects the next `n` recipients for good with 550.
    pub fn reject_next(&self, n: usize) {
        self.reject.store(n, Ordering::SeqCst);
    }
}

/// Starts a sink on 127.0.0.1.
pub async fn start() -> Sink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sink = Sink {
        port: listener.local_addr().unwrap().port(),
        arrived: Arc::default(),
        refuse: Arc::default(),
        reject: Arc::default(),
    };
    let s = sink.clone();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            let s = s.clone();
            tokio::spawn(async move {
                let _ = session(conn, s).await;
            });
        }
    });
    sink
}

/// Uses one of the refusals left in `n`, if any.
fn use_one(n: &AtomicUsize) -> bool {
    n.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1))
        .is_ok()
}

async fn session(conn: tokio::net::TcpStream, sink: Sink) -> std::io::Result<()> {
    let (r, mut w) = conn.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            if use_one(&sink.refuse) {
                b"451 4.3.0 try again later\r\n"
            } else {
                from = cmd[10..].trim().to_string();
                to.clear();
                b"250 OK\r\n"
            }
        } else if upper.starts_with("RCPT TO:") {
            if use_one(&sink.reject) {
                b"550 5.1.1 no such mailbox\r\n"
            } else {
                to.push(cmd[8..].trim().to_string());
                b"250 OK\r\n"
            }
        } else if upper == "DATA" {
            w.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            sink.arrived.lock().unwrap().push(Arrived {
                from: from.clone(),
                to: to.clone(),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 5.5.2 not implemented\r\n"
        };
        w.write_all(reply).await?;
    }
}
