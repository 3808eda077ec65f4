//! `tenpa employers add|list` and `tenpa departments add|list`: the trust (and any other employer)
//! and its departments, for a trust setting up without the demo. Every change is audited, the actor
//! being `cli:` and the operator's OS user. Exit codes: 0 done, 1 the database could not be used,
//! 2 bad input.

use crate::users::{actor, block_on, named, open, DbArg};
use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;
use tenpa_server::service::organisation::{self, Department, Employer, NewDepartment, NewEmployer};

/// An employer's kind.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Kind {
    /// An NHS trust.
    Trust,
    /// A health board.
    HealthBoard,
    /// A primary care trust.
    Pct,
}

/// The nation an employer is in.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Nation {
    /// England.
    England,
    /// Wales.
    Wales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
}

/// `tenpa employers`.
#[derive(Parser, Debug)]
pub struct EmployerArgs {
    #[command(subcommand)]
    command: EmployerCommand,
}

#[derive(Subcommand, Debug)]
enum EmployerCommand {
    /// Add an employer: the trust itself, or another NHS employer a consultant works for.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Its name, unique.
        name: String,
        /// Its kind.
        #[arg(long, value_enum, default_value = "trust")]
        kind: Kind,
        /// The nation it is in (clinical excellence awards apply in England and Wales only).
        #[arg(long, value_enum, default_value = "england")]
        nation: Nation,
    },
    /// List the employers: id, name, kind, nation.
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

/// `tenpa departments`.
#[derive(Parser, Debug)]
pub struct DepartmentArgs {
    #[command(subcommand)]
    command: DepartmentCommand,
}

#[derive(Subcommand, Debug)]
enum DepartmentCommand {
    /// Add a department of an employer.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Its name, unique within the employer (as the staff record names it).
        name: String,
        /// The employer, by id (`tenpa employers list`); default: the only one there is.
        #[arg(long, value_name = "ID")]
        employer: Option<i64>,
        /// Its specialty (for instance "General surgery").
        #[arg(long, default_value = "")]
        specialty: String,
    },
    /// List the departments: id, name, specialty.
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

/// Runs `tenpa employers`.
pub fn run_employers(args: EmployerArgs) -> ExitCode {
    block_on(async move {
        match args.command {
            EmployerCommand::Add {
                db,
                name,
                kind,
                nation,
            } => {
                let store = open(&db.db).await?;
                let kind = match kind {
                    Kind::Trust => "trust",
                    Kind::HealthBoard => "health_board",
                    Kind::Pct => "pct",
                };
                let nation = match nation {
                    Nation::England => "england",
                    Nation::Wales => "wales",
                    Nation::Scotland => "scotland",
                    Nation::NorthernIreland => "northern_ireland",
                };
                let new = NewEmployer {
                    name,
                    kind: kind.into(),
                    nation: nation.into(),
                };
                let Employer {
                    id,
                    name,
                    kind,
                    nation,
                } = organisation::add_employer(&store, &actor(), &new)
                    .await
                    .map_err(|e| named(e, &[("name", "NAME")]))?;
                println!("employer {id} added: {name} ({kind}, {nation})");
                Ok(())
            }
            EmployerCommand::List { db } => {
                let store = open(&db.db).await?;
                println!("id\tname\tkind\tnation");
                for e in store.employers().await? {
                    println!("{}\t{}\t{}\t{}", e.id, e.name, e.kind, e.nation);
                }
                Ok(())
            }
        }
    })
}

/// Runs `tenpa departments`.
pub fn run_departments(args: DepartmentArgs) -> ExitCode {
    block_on(async move {
        match args.command {
            DepartmentCommand::Add {
                db,
                name,
                employer,
                specialty,
            } => {
                let store = open(&db.db).await?;
                let new = NewDepartment {
                    name,
                    employer_id: employer,
                    specialty,
                };
                let Department { id, name, .. } =
                    organisation::add_department(&store, &actor(), &new)
                        .await
                        .map_err(|e| {
                            named(
                                e,
                                &[
                                    ("name", "NAME"),
                                    ("employer_id", "--employer"),
                                    ("specialty", "--specialty"),
                                ],
                            )
                        })?;
                println!("department {id} added: {name}");
                Ok(())
            }
            DepartmentCommand::List { db } => {
                let store = open(&db.db).await?;
                println!("id\tname\tspecialty");
                for d in store.departments().await? {
                    println!("{}\t{}\t{}", d.id, d.name, d.specialty);
                }
                Ok(())
            }
        }
    })
}
