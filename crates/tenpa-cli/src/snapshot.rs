//! `tenpa snapshot [--db URL]`: stores this month's snapshot of the job-plan sign-off measure (the
//! trust's figures by department and specialty, and every consultant's standing, as they are
//! today), chained by its hash to the month before, for a scheduler to run monthly. Run again in
//! the same month, it reports the month's stored snapshot and stores nothing. Exit codes: 0 stored
//! or already stored, 1 the database could not be used, 2 a later month has a snapshot already.

use crate::parameters::ParameterDir;
use crate::users::{actor, block_on, named, open, DbArg, Failure};
use clap::Parser;
use std::process::ExitCode;
use tenpa_server::error::AppError;
use tenpa_server::service::compliance;

/// `tenpa snapshot`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    parameters: ParameterDir,
}

/// Runs `tenpa snapshot`.
pub fn run(args: Args) -> ExitCode {
    let params = match args.parameters.load_or_report() {
        Ok(p) => p,
        Err(code) => return code,
    };
    block_on(async move {
        let store = open(&args.db.db).await?;
        let taken = compliance::take_as(&store, &params, &actor(), compliance::today())
            .await
            .map_err(|e| match e {
                AppError::Conflict { detail, .. } => Failure::Input(detail),
                other => named(other, &[]),
            })?;
        let s = &taken.snapshot.summary;
        let how = if taken.made {
            "stored now"
        } else {
            "stored earlier this month; nothing changed"
        };
        let total = s.total.as_ref().map_or_else(
            || "unreadable".to_string(),
            |t| {
                format!(
                    "{} of {} signed off ({}%)",
                    t.signed_off, t.counted, t.percent
                )
            },
        );
        println!(
            "compliance snapshot {} (id {}) of {}: {total}; {how} by {} at {} (SHA-256 {}){}",
            s.month,
            s.id,
            s.taken_on,
            s.taken_by,
            s.taken_at,
            s.sha256,
            if s.intact {
                ""
            } else {
                "; its link in the chain does NOT hold"
            }
        );
        Ok(())
    })
}
