//! `tenpa audit checkpoint [--db URL] -o FILE` and `tenpa audit verify [--db URL] [--checkpoint FILE]`.
//!
//! A checkpoint is the audit log's head (position, hash, time) keyed with HMAC-SHA256 under the
//! audit key; kept away from the database, it lets `verify` prove that nothing up to it was removed
//! or rewritten. `verify` also works each stored job plan version's pay out again from its document.
//! Exit codes: 0 verified, 1 tampering found, 2 unreadable input or configuration.

use crate::parameters::ParameterDir;
use clap::{Args as ClapArgs, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tenpa_store::{redact, Checkpoint, Store, CHECKPOINT_FORMAT};

/// The shortest audit key accepted, bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// `tenpa audit`.
#[derive(Parser, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// Where the audit key comes from.
#[derive(ClapArgs, Debug)]
pub struct KeyArgs {
    /// A file holding the audit key (the secret checkpoints are keyed with; at least 32 bytes).
    #[arg(long, env = "TENPA_AUDIT_KEY_FILE", value_name = "FILE")]
    pub audit_key_file: Option<PathBuf>,
    /// The audit key itself, from the environment (`TENPA_AUDIT_KEY`); `--audit-key-file` is
    /// preferred.
    #[arg(
        long,
        env = "TENPA_AUDIT_KEY",
        hide_env_values = true,
        hide = true,
        conflicts_with = "audit_key_file"
    )]
    pub audit_key: Option<String>,
}

impl KeyArgs {
    /// The key, or why there is none usable.
    fn load(&self) -> Result<Vec<u8>, String> {
        let key = match (&self.audit_key_file, &self.audit_key) {
            (Some(path), _) => std::fs::read(path)
                .map_err(|e| format!("cannot read the audit key file {}: {e}", path.display()))
                .map(|mut k| {
                    while k.last().is_some_and(|b| b.is_ascii_whitespace()) {
                        k.pop();
                    }
                    k
                })?,
            (None, Some(k)) => k.trim().as_bytes().to_vec(),
            (None, None) => {
                return Err("no audit key: give --audit-key-file FILE or set TENPA_AUDIT_KEY (the secret checkpoints are keyed with)".into())
            }
        };
        if key.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the audit key is {} bytes; it must be at least {MIN_KEY_BYTES} (for example `openssl rand -hex 32`)",
                key.len()
            ));
        }
        Ok(key)
    }
}

/// Audit subcommands.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Write a checkpoint of the audit log's head, keyed with the audit key, to keep elsewhere.
    Checkpoint {
        /// Database, as for `serve`.
        #[arg(long, env = "TENPA_DB", default_value = "sqlite://tenpa.db")]
        db: String,
        /// The checkpoint file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        key: KeyArgs,
    },
    /// Check the audit log's hash chain (and, with a checkpoint, that nothing up to it was removed
    /// or rewritten), and each stored job plan version's pay against its document.
    Verify {
        /// Database, as for `serve`.
        #[arg(long, env = "TENPA_DB", default_value = "sqlite://tenpa.db")]
        db: String,
        /// A checkpoint written by `tenpa audit checkpoint` (needs the audit key).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        #[command(flatten)]
        key: KeyArgs,
        #[command(flatten)]
        parameters: ParameterDir,
    },
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| eprintln!("tenpa: cannot start: {e}"))
        .ok()
}

fn config_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("tenpa: {message}");
    ExitCode::from(2)
}

fn read_checkpoint(path: &Path) -> Result<Checkpoint, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the checkpoint {}: {e}", path.display()))?;
    let cp: Checkpoint = serde_json::from_str(&text)
        .map_err(|e| format!("the checkpoint {} cannot be read: {e}", path.display()))?;
    if cp.format != CHECKPOINT_FORMAT {
        return Err(format!(
            "the checkpoint {} is of format {:?}, expected {CHECKPOINT_FORMAT:?}",
            path.display(),
            cp.format
        ));
    }
    Ok(cp)
}

/// Runs `tenpa audit …`.
pub fn run(args: AuditArgs) -> ExitCode {
    match args.command {
        AuditCommand::Checkpoint { db, output, key } => checkpoint(&db, &output, &key),
        AuditCommand::Verify {
            db,
            checkpoint,
            key,
            parameters,
        } => verify(&db, checkpoint.as_deref(), &key, &parameters),
    }
}

fn checkpoint(db: &str, output: &Path, key: &KeyArgs) -> ExitCode {
    let key = match key.load() {
        Ok(k) => k,
        Err(e) => return config_error(format!("refusing to write a checkpoint: {e}")),
    };
    let Some(rt) = runtime() else {
        return ExitCode::from(2);
    };
    rt.block_on(async move {
        let store = match Store::connect(db).await {
            Ok(s) => s,
            Err(e) => return config_error(format!("cannot open the database {}: {e}", redact(db))),
        };
        let cp = match store.audit_checkpoint(&key).await {
            Ok(cp) => cp,
            Err(e) => return config_error(e),
        };
        let text = serde_json::to_string_pretty(&cp).expect("a checkpoint serialises");
        if let Err(e) = std::fs::write(output, text + "\n") {
            return config_error(format!("cannot write {}: {e}", output.display()));
        }
        println!(
            "checkpoint of audit entry {} (hash {}) written to {}; keep it away from the database",
            cp.seq,
            cp.hash,
            output.display()
        );
        ExitCode::SUCCESS
    })
}

fn verify(
    db: &str,
    checkpoint: Option<&Path>,
    key: &KeyArgs,
    parameters: &ParameterDir,
) -> ExitCode {
    let checkpoint = match checkpoint {
        None => None,
        Some(path) => {
            let cp = match read_checkpoint(path) {
                Ok(cp) => cp,
                Err(e) => return config_error(e),
            };
            match key.load() {
                Ok(k) => Some((cp, k)),
                Err(e) => {
                    return config_error(format!("cannot check the checkpoint: {e}"));
                }
            }
        }
    };
    let params = match parameters.load_or_report() {
        Ok(p) => Arc::new(p),
        Err(code) => return code,
    };
    let Some(rt) = runtime() else {
        return ExitCode::from(2);
    };
    rt.block_on(async move {
        let store = match Store::connect(db).await {
            Ok(s) => s,
            Err(e) => {
                return config_error(format!("cannot open the database {}: {e}", redact(db)))
            }
        };
        let mut tampered = false;
        match store.verify_audit().await {
            Ok(r) if r.ok() => println!("audit log intact: {} entries", r.entries),
            Ok(r) => {
                tampered = true;
                println!(
                    "audit log broken at entry {}: {}",
                    r.first_broken.unwrap_or(0),
                    r.reason.unwrap_or_default()
                );
            }
            Err(e) => return config_error(e),
        }
        if let Some((cp, key)) = checkpoint {
            if !cp.mac_ok(&key) {
                tampered = true;
                println!("checkpoint refused: its HMAC does not match the audit key, so it was not made with this key or was altered");
            } else {
                match store.verify_checkpoint(&cp).await {
                    Ok(None) => println!(
                        "checkpoint of {} holds: entry {} has the hash it recorded",
                        cp.taken_at, cp.seq
                    ),
                    Ok(Some(problem)) => {
                        tampered = true;
                        println!("checkpoint not matched: {problem}");
                    }
                    Err(e) => return config_error(e),
                }
            }
        }
        match tenpa_server::service::audit::check_figures(&store, params).await {
            Ok(f) if f.ok() => println!(
                "stored pay matches the documents: {} job plan versions worked out again",
                f.versions
            ),
            Ok(f) => {
                tampered = true;
                for m in &f.mismatches {
                    println!(
                        "job plan {} version {}: {}",
                        m.job_plan_id, m.version, m.problem
                    );
                }
                println!(
                    "stored pay differs from the documents in {} of {} job plan versions",
                    f.mismatches.len(),
                    f.versions
                );
            }
            Err(e) => return config_error(format!("{e:?}")),
        }
        if tampered {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    })
}
