//! Notifications by email. A notification to an account with an address puts an email in the
//! store's outbox in the same transaction as the notification; the sender started by
//! `tenpa serve` when SMTP is configured takes the emails due every few seconds and sends each as
//! plain text with a link to the page it is about. A failure never loses an email: a refusal the
//! server calls temporary, or no answer, puts it off (1, 5, 15 minutes, 1, 4 and 12 hours); a
//! permanent refusal, an address that cannot be used, or still no success after those tries or
//! three days gives it up, the reason kept for the administrator's outbox page. Without SMTP
//! configured, nothing is sent.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use tenpa_store::{OutboxEmail, Store, StoreError};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// TLS from the start (usually port 465).
    Tls,
    /// A plain connection upgraded with STARTTLS, which is required (usually port 587).
    StartTls,
    /// No TLS: only for a relay on the same host or a closed network (usually port 25).
    None,
}

impl Tls {
    /// Reads `tls`, `starttls` or `none`.
    pub fn parse(s: &str) -> Option<Tls> {
        match s {
            "tls" => Some(Tls::Tls),
            "starttls" => Some(Tls::StartTls),
            "none" => Some(Tls::None),
            _ => None,
        }
    }

    /// The usual port.
    pub fn default_port(self) -> u16 {
        match self {
            Tls::Tls => 465,
            Tls::StartTls => 587,
            Tls::None => 25,
        }
    }
}

/// Where and how emails are sent.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The SMTP server's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: Tls,
    /// The user name and password, when the server asks for them.
    pub credentials: Option<(String, String)>,
    /// The sender, e.g. `Tenpa <tenpa@trust.nhs.uk>`.
    pub from: String,
    /// The address the application is reached at, e.g. `https://tenpa.trust.nhs.uk`, for links.
    pub public_url: String,
}

/// Sends emails from the outbox.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

/// The waits before the second, third, … try; after the last, the email is given up.
const RETRY_MINUTES: [i64; 6] = [1, 5, 15, 60, 240, 720];
/// An email not sent within this many days is given up: it would come too late to help.
const EXPIRY_DAYS: i64 = 3;
/// The most emails taken at once.
const BATCH: i64 = 50;
/// How long a taken email is kept from other senders while it is sent.
const LEASE_MINUTES: i64 = 10;
/// How long one SMTP exchange may take.
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl Mailer {
    /// Checks the configuration; the error names the setting at fault.
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let from: Mailbox = config.from.parse().map_err(|e| {
            format!(
                "--mail-from: found {:?}, expected an address such as \"Tenpa <tenpa@trust.nhs.uk>\" ({e})",
                config.from
            )
        })?;
        let public_url = config.public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
            return Err(format!(
                "--public-url: found {:?}, expected the address the application is reached at, such as https://tenpa.trust.nhs.uk",
                config.public_url
            ));
        }
        let builder = match config.tls {
            Tls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            Tls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                .map_err(|e| format!("--smtp-host {}: {e}", config.host))?,
            Tls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|e| format!("--smtp-host {}: {e}", config.host))?,
        };
        let mut builder = builder.port(config.port).timeout(Some(SMTP_TIMEOUT));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            public_url,
        })
    }

    /// The email for `e`: its message, the link to its page, and where all notifications are.
    fn message(&self, e: &OutboxEmail) -> Result<Message, String> {
        let to: Mailbox = e
            .to_address
            .parse()
            .map_err(|err| format!("the address {:?} cannot be used: {err}", e.to_address))?;
        let body = format!(
            "{}\n\nOpen it: {}{}\n\n--\nTenpa sends you this because it asks something of you or tells you of your own job plan. All your notifications: {}/notifications\n",
            e.body, self.public_url, e.link, self.public_url
        );
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&e.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|err| format!("the email cannot be written: {err}"))
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Emails sent.
    pub sent: usize,
    /// Emails put off, to be tried again.
    pub retried: usize,
    /// Emails given up on.
    pub failed: usize,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether to try `e` again after a failure at `now`: when, or `None` to give it up.
fn retry_at(e: &OutboxEmail, now: DateTime<Utc>, permanent: bool) -> Option<String> {
    if permanent {
        return None;
    }
    let minutes = *RETRY_MINUTES.get(usize::try_from(e.attempts).ok()?)?;
    let next = now + Duration::minutes(minutes);
    let created = DateTime::parse_from_rfc3339(&e.created_at).ok()?;
    (next < created + Duration::days(EXPIRY_DAYS)).then(|| stamp(next))
}

/// Sends the emails due at `now`, once each: marks each sent, put off or given up.
pub async fn send_due(
    store: &Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> Result<SendReport, StoreError> {
    let at = stamp(now);
    let due = store
        .take_due_emails(&at, &stamp(now + Duration::minutes(LEASE_MINUTES)), BATCH)
        .await?;
    let mut report = SendReport::default();
    for e in due {
        let outcome = match mailer.message(&e) {
            Err(why) => Err((why, true)),
            Ok(m) => mailer
                .transport
                .send(m)
                .await
                .map(|_| ())
                .map_err(|err| (err.to_string(), err.is_permanent())),
        };
        match outcome {
            Ok(()) => {
                store.email_sent(e.id, &at).await?;
                report.sent += 1;
            }
            Err((why, permanent)) => {
                let next = retry_at(&e, now, permanent);
                tracing::warn!(email = e.id, error = %why, retry = next.is_some(), "sending an email failed");
                store.email_failed(e.id, &at, &why, next.as_deref()).await?;
                match next {
                    Some(_) => report.retried += 1,
                    None => report.failed += 1,
                }
            }
        }
    }
    Ok(report)
}

/// Sends the outbox's emails every `every`, until the process ends.
pub fn spawn(store: Arc<Store>, mailer: Mailer, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match send_due(&store, &mailer, Utc::now()).await {
                Ok(r) if r != SendReport::default() => {
                    tracing::info!(
                        sent = r.sent,
                        retried = r.retried,
                        failed = r.failed,
                        "outbox"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reading the outbox failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(attempts: i64, created_at: &str) -> OutboxEmail {
        OutboxEmail {
            id: 1,
            to_address: "a@example.org".into(),
            subject: "s".into(),
            body: "b".into(),
            link: "/".into(),
            created_at: created_at.into(),
            attempts,
            next_attempt_at: created_at.into(),
            sent_at: None,
            failed_at: None,
            last_error: None,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn a_failure_is_tried_again_later_each_time_then_given_up() {
        let now = at("2026-03-02T09:00:00Z");
        let e = email(0, "2026-03-02T08:59:00Z");
        assert_eq!(
            retry_at(&e, now, false).as_deref(),
            Some("2026-03-02T09:01:00.000Z")
        );
        assert_eq!(
            retry_at(&email(3, "2026-03-02T08:00:00Z"), now, false).as_deref(),
            Some("2026-03-02T10:00:00.000Z")
        );
        // After six tries, given up; a permanent refusal at once.
        assert_eq!(
            retry_at(&email(6, "2026-03-02T08:00:00Z"), now, false),
            None
        );
        assert_eq!(retry_at(&e, now, true), None);
    }

    #[test]
    fn an_email_that_would_come_after_three_days_is_given_up() {
        let e = email(5, "2026-03-01T00:00:00Z");
        // 12 hours after 3 March 13:00 is past 4 March 00:00.
        assert_eq!(retry_at(&e, at("2026-03-03T13:00:00Z"), false), None);
        assert!(retry_at(&e, at("2026-03-03T11:00:00Z"), false).is_some());
    }

    #[test]
    fn the_configuration_names_the_setting_at_fault() {
        let config = MailConfig {
            host: "localhost".into(),
            port: 25,
            tls: Tls::None,
            credentials: None,
            from: "not an address".into(),
            public_url: "https://tenpa.example.org".into(),
        };
        assert!(Mailer::new(&config)
            .err()
            .unwrap()
            .starts_with("--mail-from"));
        let config = MailConfig {
            from: "Tenpa <tenpa@example.org>".into(),
            public_url: "tenpa.example.org".into(),
            ..config
        };
        assert!(Mailer::new(&config)
            .err()
            .unwrap()
            .starts_with("--public-url"));
    }
}
