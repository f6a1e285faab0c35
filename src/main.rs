//! `epgdump-rs`: dump the programme guide of an MPEG transport stream.
//!
//! The binary only wires library pieces together; see the `epgdump` crate.

use clap::Parser;
use epgdump::psi::Section;
use epgdump::reader::read_path;
use epgdump::stats::Stats;
use epgdump::ts::{Pid, PidSet};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status: success.
const EXIT_OK: u8 = 0;
/// Exit status: input missing or unreadable, not a transport stream, or output not writable.
const EXIT_ERROR: u8 = 1;
/// Exit status: bad command line (clap's own code).
const _EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "epgdump-rs",
    version,
    about = "Dump the EPG (programme guide) of an ISDB or DVB MPEG transport stream",
    after_help = "Exit status: 0 success; 1 input missing/unreadable, not a transport stream, or output \
                  not writable; 2 bad command line."
)]
struct Cli {
    /// Print counters on stderr at the end: `--stats` as a table, `--stats=json` as JSON.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "table")]
    stats: Option<StatsFormat>,
    /// Input transport stream (`-` for stdin).
    input: PathBuf,
    /// Output file (`-` for stdout). Without it only the counters are produced.
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum StatsFormat {
    Table,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let sink = |_pid: Pid, _s: Section<'_>, _st: &mut Stats| {};
    match read_path(&cli.input, sink, &PidSet::epg()) {
        Ok((_, stats)) => {
            print_stats(cli.stats, &stats);
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            eprintln!("epgdump-rs: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn print_stats(format: Option<StatsFormat>, stats: &Stats) {
    match format {
        Some(StatsFormat::Json) => match serde_json::to_string_pretty(stats) {
            Ok(s) => eprintln!("{s}"),
            Err(e) => eprintln!("epgdump-rs: cannot serialise stats: {e}"),
        },
        Some(StatsFormat::Table) => eprint!("{}", stats.to_table()),
        None => {}
    }
}
