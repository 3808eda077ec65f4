//! `tenpa remind [--db URL] [--on YYYY-MM-DD]`: gives the reminders due today (a job-planning
//! round's deadline 14 and 3 days ahead, a job plan review falling due within 30 days), each
//! once, as notifications and, to accounts with an address, emails in the outbox that
//! `tenpa serve` sends. `tenpa serve` gives them every hour itself; this is for a scheduler when
//! it does not (`--no-reminders`). Run again, it gives none twice. Exit codes: 0 done, 1 the
//! database could not be used.

use crate::parameters::ParameterDir;
use crate::users::{block_on, named, open, DbArg};
use clap::Parser;
use std::process::ExitCode;
use tenpa_server::service::{reminders, rounds};

/// `tenpa remind`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(flatten)]
    db: DbArg,
    /// The day to remind as of (default: today, UK time).
    #[arg(long, value_parser = crate::text::parse_date)]
    on: Option<chrono::NaiveDate>,
    #[command(flatten)]
    parameters: ParameterDir,
}

/// Runs `tenpa remind`.
pub fn run(args: Args) -> ExitCode {
    let params = match args.parameters.load_or_report() {
        Ok(p) => p,
        Err(code) => return code,
    };
    block_on(async move {
        let store = open(&args.db.db).await?;
        let on = args.on.unwrap_or_else(rounds::today);
        let r = reminders::run(&store, &params, on)
            .await
            .map_err(|e| named(e, &[]))?;
        println!(
            "reminders of {on}: {} of a round's deadline, {} of a review falling due",
            r.round_deadlines, r.reviews_due
        );
        Ok(())
    })
}
