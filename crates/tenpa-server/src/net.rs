//! Serving connections: HTTP/1.1 over TCP with a header-read timeout (which also closes idle
//! keep-alive connections, and bounds a pause while a body is sent), a limit on concurrent connections, accept errors (such as running out
//! of file descriptors) logged and retried, and graceful shutdown on Ctrl-C or SIGTERM.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// How connections are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// The most connections served at once; further ones wait, unaccepted, until one closes.
    pub max_connections: usize,
    /// How long a client has to send a request's headers, from the connection's start or the end
    /// of the previous response. An idle keep-alive connection is closed when it runs out. It is
    /// also the longest a client may pause while sending a request's body.
    pub header_timeout: Duration,
    /// How long requests in flight may take to finish once shutdown begins.
    pub shutdown_timeout: Duration,
}

impl ServeOptions {
    /// The default connection limit.
    pub const MAX_CONNECTIONS: usize = 1024;
    /// The default header-read (and idle) timeout, seconds.
    pub const HEADER_TIMEOUT_SECS: u64 = 10;
    /// The default time allowed for requests in flight at shutdown, seconds.
    pub const SHUTDOWN_TIMEOUT_SECS: u64 = 30;
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_connections: Self::MAX_CONNECTIONS,
            header_timeout: Duration::from_secs(Self::HEADER_TIMEOUT_SECS),
            shutdown_timeout: Duration::from_secs(Self::SHUTDOWN_TIMEOUT_SECS),
        }
    }
}

/// How long to wait before accepting again after an accept error (such as `EMFILE`).
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Resolves on Ctrl-C, or on SIGTERM where there are signals.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting and lets
/// requests in flight finish within [`ServeOptions::shutdown_timeout`]. Each request carries
/// [`ConnectInfo`] with the client's address.
pub async fn serve_listener(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let router = router.layer(RequestBodyTimeoutLayer::new(options.header_timeout));
    let limit = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        // A permit first: beyond the limit, connections wait in the listen queue rather than
        // taking a file descriptor.
        let permit = tokio::select! {
            p = limit.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection; retrying shortly");
                    drop(permit);
                    tokio::select! {
                        () = tokio::time::sleep(ACCEPT_RETRY) => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(remote));
                req
            },
        );
        let conn =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, client = %remote, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("shutting down: no new connections; finishing requests in flight");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(options.shutdown_timeout) => tracing::warn!(
            seconds = options.shutdown_timeout.as_secs(),
            "requests still in flight at the shutdown timeout are abandoned"
        ),
    }
    Ok(())
}
