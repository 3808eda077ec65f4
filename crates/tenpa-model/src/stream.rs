//! Reading a population file of any size: the file is cut into chunks of [`CHUNK`] bytes; each
//! thread claims the next chunk, reads it with its own file handle, reads the lines that start in
//! it (a line belongs to the chunk holding its first byte) into columns, and costs the columns in
//! bulk under each costing (row by row with `--per-record`, which writes each row's figures). Each thread keeps its own
//! totals, merged at the end, so memory is a few chunks per thread whatever the file's size.
//! With `--per-record`, each chunk's lines are written in file order, and no thread runs more
//! than [`WINDOW`] chunks ahead of the writer.

use crate::csv::{Costable, Problem, RowProblem, Schema};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;
use tenpa_rules::population::{Columns, Costing, RowCost, Totals};

/// Bytes a thread reads at a time.
pub const CHUNK: usize = 1 << 20;

/// Chunks the per-record writer lets threads run ahead, per thread.
pub const WINDOW: usize = 2;

/// How many reasons for skipped rows are kept.
pub const REASONS: usize = 5;

/// Why the file could not be costed.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The file cannot be read or the output written.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
    /// The file is empty.
    #[error("{0}: the file is empty: expected a header row naming the columns, then one consultant a line")]
    Empty(PathBuf),
    /// The header cannot be used.
    #[error("{path}:1: {message}")]
    Header {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A row cannot be read.
    #[error("{path}:{line}: {message}")]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column, value and expectation.
        message: String,
    },
    /// No row was costed.
    #[error("{path}: no consultants: {why}")]
    NoRows {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
}

/// What to read and where to write.
#[derive(Debug)]
pub struct Job<'a> {
    /// The population file.
    pub path: &'a Path,
    /// Baseline first, then each scenario.
    pub costings: &'a [Costing],
    /// Threads to use (at least 1).
    pub threads: usize,
    /// Where to write one line per row (baseline figures), if anywhere.
    pub per_record: Option<&'a Path>,
    /// Skip rows that cannot be read instead of stopping at the first.
    pub skip_invalid: bool,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
}

/// The totals of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Totals per costing, in the order of [`Job::costings`].
    pub totals: Vec<Totals>,
    /// Rows skipped (with `skip_invalid`).
    pub skipped: u64,
    /// The first few reasons, in file order.
    pub reasons: Vec<String>,
}

/// A problem at a line of a chunk.
#[derive(Debug, Clone)]
struct Located {
    chunk: usize,
    line: u64,
    problem: RowProblem,
}

struct Shared<'a> {
    job: &'a Job<'a>,
    schema: Schema,
    header_end: u64,
    size: u64,
    chunks: usize,
    next: AtomicUsize,
    /// Chunks at or after this index are not needed (an error was found before them).
    stop_at: AtomicUsize,
    done_bytes: AtomicU64,
    lines: Mutex<Vec<u64>>,
    writer: Option<(Mutex<Writer>, Condvar)>,
}

struct Writer {
    out: io::BufWriter<File>,
    next: usize,
    pending: BTreeMap<usize, Vec<u8>>,
    error: Option<io::Error>,
}

#[derive(Default)]
struct Local {
    totals: Vec<Totals>,
    skipped: u64,
    problems: Vec<Located>,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StreamError + '_ {
    move |error| StreamError::Io {
        path: path.to_path_buf(),
        error,
    }
}

fn describe(schema: &Schema, p: &RowProblem) -> String {
    match &p.problem {
        Problem::Invalid(f) => format!(
            "column {} (field {}): found \"{}\", expected {}",
            f.name(),
            p.column + 1,
            p.value,
            f.expected()
        ),
        Problem::Missing { found } => format!(
            "the row has {found} field(s) but the header has {}: column {} (field {}) is missing",
            schema.columns(),
            schema.name(p.column),
            p.column + 1
        ),
        Problem::TooMany { found } => format!(
            "the row has {found} fields but the header has {}: found \"{}\" after the last column",
            schema.columns(),
            p.value
        ),
        Problem::Unterminated => format!(
            "column {} (field {}): a quoted field does not end on its line (found \"{}\"); line breaks inside fields are not supported",
            schema.name(p.column),
            p.column + 1,
            p.value
        ),
    }
}

/// Costs every row of the file under every costing.
pub fn run(job: &Job) -> Result<Outcome, StreamError> {
    let path = job.path;
    let mut file = File::open(path).map_err(io_error(path))?;
    let size = file.metadata().map_err(io_error(path))?.len();
    if size == 0 {
        return Err(StreamError::Empty(path.to_path_buf()));
    }
    // The header: the first line.
    let mut head = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let header_end = loop {
        let n = file.read(&mut buf).map_err(io_error(path))?;
        if let Some(i) = buf[..n].iter().position(|&c| c == b'\n') {
            head.extend_from_slice(&buf[..i]);
            break (head.len() + 1) as u64;
        }
        head.extend_from_slice(&buf[..n]);
        if n == 0 {
            break size;
        }
    };
    let header_end = header_end.min(size);
    let schema = Schema::from_header(&head).map_err(|e| StreamError::Header {
        path: path.to_path_buf(),
        message: e.0,
    })?;
    let body = size - header_end;
    let chunks = body.div_ceil(CHUNK as u64) as usize;
    let writer = match job.per_record {
        Some(p) => {
            let f = File::create(p).map_err(io_error(p))?;
            let mut out = io::BufWriter::with_capacity(1 << 20, f);
            out.write_all(b"id,total_pay_pence,superannuable_pence,on_call_pas\n")
                .map_err(io_error(p))?;
            Some((
                Mutex::new(Writer {
                    out,
                    next: 0,
                    pending: BTreeMap::new(),
                    error: None,
                }),
                Condvar::new(),
            ))
        }
        None => None,
    };
    let shared = Shared {
        job,
        schema,
        header_end,
        size,
        chunks,
        next: AtomicUsize::new(0),
        stop_at: AtomicUsize::new(usize::MAX),
        done_bytes: AtomicU64::new(0),
        lines: Mutex::new(vec![0; chunks]),
        writer,
    };
    let threads = job.threads.clamp(1, chunks.max(1));
    let finished = AtomicBool::new(false);
    let locals: Vec<Result<Local, StreamError>> = std::thread::scope(|s| {
        let progress = (job.progress && io::stderr().is_terminal() && body > 8 * CHUNK as u64)
            .then(|| s.spawn(|| progress_bar(&shared, &finished)));
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(|| worker(&shared))).collect();
        let results = handles
            .into_iter()
            .map(|h| h.join().expect("a costing thread does not panic"))
            .collect();
        finished.store(true, Ordering::Relaxed);
        if let Some(p) = progress {
            let _ = p.join();
        }
        results
    });
    let mut totals = vec![Totals::default(); job.costings.len()];
    let mut skipped = 0;
    let mut problems = Vec::new();
    for l in locals {
        let l = l?;
        for (t, lt) in totals.iter_mut().zip(&l.totals) {
            t.merge(lt);
        }
        skipped += l.skipped;
        problems.extend(l.problems);
    }
    // Line numbers: the header is line 1; each chunk starts after the lines of those before it.
    let lines = shared.lines.lock().expect("line counts").clone();
    let mut first_line = vec![2u64; chunks + 1];
    for (k, n) in lines.iter().enumerate() {
        first_line[k + 1] = first_line[k] + n;
    }
    problems.sort_by_key(|p| (p.chunk, p.line));
    let text = |p: &Located| {
        (
            first_line[p.chunk] + p.line,
            describe(&shared.schema, &p.problem),
        )
    };
    if !job.skip_invalid {
        if let Some(p) = problems.first() {
            let (line, message) = text(p);
            return Err(StreamError::Row {
                path: path.to_path_buf(),
                line,
                message,
            });
        }
    }
    if let Some((w, _)) = shared.writer {
        let mut w = w.into_inner().expect("writer");
        if let Some(e) = w.error.take() {
            return Err(io_error(job.per_record.unwrap_or(path))(e));
        }
        w.out
            .flush()
            .map_err(io_error(job.per_record.unwrap_or(path)))?;
    }
    let reasons = problems
        .iter()
        .take(REASONS)
        .map(|p| {
            let (line, message) = text(p);
            format!("line {line}: {message}")
        })
        .collect();
    if totals.first().is_none_or(|t| t.consultants == 0) {
        return Err(StreamError::NoRows {
            path: path.to_path_buf(),
            why: if skipped > 0 {
                format!("all {skipped} rows were skipped as invalid")
            } else {
                "the file has a header but no rows".into()
            },
        });
    }
    Ok(Outcome {
        totals,
        skipped,
        reasons,
    })
}

/// Runs [`work`]; if it fails (the file cannot be read), the other threads stop too rather than
/// wait for a chunk that will not come.
fn worker(sh: &Shared) -> Result<Local, StreamError> {
    let result = work(sh);
    if result.is_err() {
        sh.stop_at.store(0, Ordering::Relaxed);
        if let Some((w, cv)) = &sh.writer {
            let _g = w.lock().expect("writer");
            cv.notify_all();
        }
    }
    result
}

fn work(sh: &Shared) -> Result<Local, StreamError> {
    let job = sh.job;
    let path = job.path;
    let mut file = File::open(path).map_err(io_error(path))?;
    let mut local = Local {
        totals: vec![Totals::default(); job.costings.len()],
        ..Local::default()
    };
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 64 * 1024);
    let mut out: Vec<u8> = Vec::new();
    let mut columns = Columns::default();
    let window = WINDOW * job.threads.max(1);
    loop {
        let k = sh.next.fetch_add(1, Ordering::Relaxed);
        if k >= sh.chunks || k >= sh.stop_at.load(Ordering::Relaxed) {
            break;
        }
        if let Some((w, cv)) = &sh.writer {
            let mut g = w.lock().expect("writer");
            while k >= g.next + window && k < sh.stop_at.load(Ordering::Relaxed) {
                g = cv.wait(g).expect("writer");
            }
        }
        let start = sh.header_end + (k * CHUNK) as u64;
        let end = (start + CHUNK as u64).min(sh.size);
        // Read from the byte before the chunk (to know whether a line starts at its first byte)
        // to a little past its end (to finish its last line).
        let from = start - 1;
        read_range(&mut file, from, (end + 4096).min(sh.size), &mut buf).map_err(io_error(path))?;
        let mut pos = if buf[0] == b'\n' {
            1
        } else {
            match find_newline(&buf) {
                Some(i) => i + 1,
                None => buf.len(),
            }
        };
        let limit = (end - from) as usize;
        let mut line_no = 0u64;
        out.clear();
        while pos < limit {
            if sh.writer.is_none() {
                // Plain lines in one pass, straight into the columns; the next line that is not
                // plain (if any) is read below.
                let (next, lines) = sh.schema.plain_rows(&buf, pos, limit, &mut columns);
                line_no += lines;
                pos = next;
                if pos >= limit {
                    break;
                }
            }
            let nl = loop {
                if let Some(i) = find_newline(&buf[pos..]) {
                    break pos + i;
                }
                let have = from + buf.len() as u64;
                if have >= sh.size {
                    break buf.len();
                }
                let more = (have + CHUNK as u64).min(sh.size);
                extend_range(&mut file, have, more, &mut buf).map_err(io_error(path))?;
            };
            let line = &buf[pos..nl];
            if !(line.is_empty() || line == b"\r") {
                match sh.schema.parse(line) {
                    Ok(parsed) => {
                        let id = &line[parsed.id.0..parsed.id.1];
                        match &parsed.row {
                            Costable::Units(row) if sh.writer.is_none() => columns.push(row),
                            Costable::Units(row) => {
                                let base = job.costings[0].cost(row);
                                local.totals[0].add(&base);
                                for (c, t) in job.costings[1..].iter().zip(&mut local.totals[1..]) {
                                    t.add(&c.cost(row));
                                }
                                if sh.writer.is_some() {
                                    let unit = job.costings[0].on_call_unit();
                                    // Thousandths of a PA, rounded half up.
                                    let on_call =
                                        (2 * base.on_call_units * 1000 + unit) / (2 * unit);
                                    record(&mut out, id, &base, on_call);
                                }
                            }
                            Costable::Exact(row) => {
                                let (base, on_call) = job.costings[0].cost_exact(row);
                                local.totals[0].add_exact(&base, on_call);
                                for (c, t) in job.costings[1..].iter().zip(&mut local.totals[1..]) {
                                    let (cost, on_call) = c.cost_exact(row);
                                    t.add_exact(&cost, on_call);
                                }
                                if sh.writer.is_some() {
                                    let thousandths = (on_call.round_dp_with_strategy(
                                        3,
                                        RoundingStrategy::MidpointAwayFromZero,
                                    ) * Decimal::ONE_THOUSAND)
                                        .to_u64()
                                        .unwrap_or(0);
                                    record(&mut out, id, &base, thousandths);
                                }
                            }
                        }
                    }
                    Err(problem) => {
                        if local.problems.len() < REASONS {
                            local.problems.push(Located {
                                chunk: k,
                                line: line_no,
                                problem,
                            });
                        }
                        local.skipped += 1;
                        if !job.skip_invalid {
                            sh.stop_at.fetch_min(k + 1, Ordering::Relaxed);
                            break;
                        }
                    }
                }
            }
            line_no += 1;
            pos = nl + 1;
        }
        // The chunk's rows in bulk, under every costing.
        if !columns.is_empty() {
            for (c, t) in job.costings.iter().zip(&mut local.totals) {
                c.cost_columns(&columns, t);
            }
            columns.clear();
        }
        sh.lines.lock().expect("line counts")[k] = line_no;
        sh.done_bytes.fetch_add(end - start, Ordering::Relaxed);
        if let Some((w, cv)) = &sh.writer {
            let mut g = w.lock().expect("writer");
            g.pending.insert(k, std::mem::take(&mut out));
            while let Some(bytes) = {
                let n = g.next;
                g.pending.remove(&n)
            } {
                if g.error.is_none() {
                    if let Err(e) = g.out.write_all(&bytes) {
                        g.error = Some(e);
                    }
                }
                g.next += 1;
                out = bytes;
            }
            cv.notify_all();
        }
    }
    if let Some((_, cv)) = &sh.writer {
        cv.notify_all();
    }
    Ok(local)
}

/// The first `\n` in `b` (`memchr`: 16 or 32 bytes at a time).
#[inline]
fn find_newline(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', b)
}

fn read_range(file: &mut File, from: u64, to: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    extend_range(file, from, to, buf)
}

/// Appends bytes `from..to` of the file (fewer at its end) to `buf`, reading straight into its
/// spare capacity: nothing is zeroed first.
fn extend_range(file: &mut File, from: u64, to: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    file.seek(SeekFrom::Start(from))?;
    let want = (to - from) as usize;
    buf.reserve(want);
    file.take(want as u64).read_to_end(buf)?;
    Ok(())
}

/// One `--per-record` line: `id,total_pay_pence,superannuable_pence,on_call_pas`, the on-call PAs
/// given in thousandths (rounded half up) and shown without trailing zeros.
fn record(out: &mut Vec<u8>, id: &[u8], c: &RowCost, thousandths: u64) {
    out.extend_from_slice(id);
    out.push(b',');
    push_int(out, c.total());
    out.push(b',');
    push_int(out, c.superannuable());
    out.push(b',');
    push_int(out, thousandths / 1000);
    let frac = thousandths % 1000;
    if frac != 0 {
        out.push(b'.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let keep = if frac.is_multiple_of(100) {
            1
        } else if frac.is_multiple_of(10) {
            2
        } else {
            3
        };
        out.extend(digits[..keep].iter().map(|d| b'0' + *d as u8));
    }
    out.push(b'\n');
}

fn push_int(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

fn progress_bar(sh: &Shared, finished: &AtomicBool) {
    let total = (sh.size - sh.header_end).max(1);
    let mut err = io::stderr();
    while !finished.load(Ordering::Relaxed) {
        let done = sh.done_bytes.load(Ordering::Relaxed).min(total);
        let width = 30;
        let filled = (done * width / total) as usize;
        let _ = write!(
            err,
            "\r[{}{}] {:3}% of {} MB",
            "#".repeat(filled),
            " ".repeat(width as usize - filled),
            done * 100 / total,
            total / 1_000_000
        );
        let _ = err.flush();
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = write!(err, "\r{}\r", " ".repeat(60));
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_newline_anywhere() {
        let mut v = vec![b'x'; 40];
        assert_eq!(find_newline(&v), None);
        for at in 0..40 {
            v[at] = b'\n';
            assert_eq!(find_newline(&v), Some(at));
            v[39] = b'\n';
            assert_eq!(find_newline(&v), Some(at));
            v[39] = b'x';
            v[at] = 0x8A; // a byte that differs from a newline only in its top bit
            assert_eq!(find_newline(&v), None);
            v[at] = b'x';
        }
    }
}
