//! `epgdump-rs`: dump the programme guide of an MPEG transport stream.
//!
//! The binary only wires library pieces together: input → reader → collector → writer. See the
//! `epgdump` crate for the pieces.

use clap::{Parser, ValueEnum};
use epgdump::epg::{Collector, CollectorOptions, Epg};
use epgdump::error::Error;
use epgdump::output::{ChannelIdStyle, OutputOptions, WriteSummary};
use epgdump::reader::TsReader;
use epgdump::stats::Stats;
use epgdump::text::{SymbolStyle, TextOptions, Width};
use epgdump::ts::PidSet;
use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "cli/follow.rs"]
mod follow_cli;

/// Exit status: success.
const EXIT_OK: u8 = 0;
/// Exit status: an input is missing, unreadable or not a transport stream.
const EXIT_INPUT: u8 = 1;
/// Exit status: bad command line (clap's own code).
const EXIT_USAGE: u8 = 2;
/// Exit status: the input holds no EPG; a valid empty document was written.
const EXIT_NO_EPG: u8 = 3;
/// Exit status: the output could not be written (not writable, disk full, closed pipe).
const EXIT_OUTPUT: u8 = 4;

const AFTER_HELP: &str = "\
Legacy forms (as the C epgdump): epgdump-rs /BS in.ts out.xml, /CS in.ts out.xml,
GR27 in.ts out.xml (GR27 becomes the channel-id prefix), json in.ts out.json,
xml in.ts out.xml. They write the epgdump dialects (epgdump-xml, json).

Live forms (EIT present/following, TOT clock; details: epgdump-rs follow --help):
  epgdump-rs follow [--time-limit S] INPUT SID EID   a JSON line per change of the event;
      exit 0 ended, 5 vanished, 6 input end or time limit
  epgdump-rs check INPUT SID EID START   Piro77 check: 0 following (prints its start - START
      in seconds) or present, 1 otherwise or nothing within 10 s
  epgdump-rs wait INPUT SID EID MAXWAIT  Piro77 wait: 0 once it starts (or follows and starts
      within 35 s), 1 when it vanishes or after MAXWAIT s

Exit status:
  0  success
  1  an input is missing, unreadable or not an MPEG transport stream
  2  bad command line
  3  no EPG found: a valid but empty document was written (scripts may retry)
  4  the output could not be written (not writable, disk full, closed pipe)";

#[derive(Parser, Debug)]
#[command(
    name = "epgdump-rs",
    version,
    about = "Dump the EPG (programme guide) of an ISDB or DVB MPEG transport stream",
    after_help = AFTER_HELP
)]
struct Cli {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Xmltv)]
    format: Format,
    #[arg(
        long,
        value_enum,
        default_value_t = Symbols::Unicode,
        help = "Additional symbols (【字】, 🈑 …) as Unicode characters or as bracket text ([字])"
    )]
    symbols: Symbols,
    /// Width of alphanumerics: as broadcast (MSZ half, NSZ full), all half-width or all
    /// full-width.
    #[arg(long, value_enum, default_value_t = WidthArg::AsBroadcast)]
    width: WidthArg,
    /// Only these service_ids (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SID,...")]
    services: Option<Vec<u16>>,
    /// Leave out these service_ids (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SID,...")]
    exclude_services: Vec<u16>,
    /// Read only the present/following EIT, not the schedule.
    #[arg(long)]
    pf_only: bool,
    /// Channel ids: epgdump style (BS_101, CS_237, GR11_1024, DVB 1537.8442), a given prefix
    /// (`--channel-prefix GR27` gives GR27_1024) or onid.tsid.sid.
    #[arg(long, value_name = "PREFIX")]
    channel_prefix: Option<String>,
    /// Channel ids as `<onid>.<tsid>.<sid>`.
    #[arg(long, conflicts_with = "channel_prefix")]
    triplet_ids: bool,
    /// Stop reading as soon as every announced EIT schedule is complete (for live input).
    #[arg(long)]
    until_complete: bool,
    /// With --until-complete: stop anyway after this many seconds of stream time (TOT clock;
    /// wall time when the stream has no clock).
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<u64>,
    /// Print counters on stderr at the end: `--stats` as a table, `--stats=json` as JSON.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "table", require_equals = true)]
    stats: Option<StatsFormat>,
    /// Read sections on every PID, not only the EPG ones (PAT, PMT … are then counted by
    /// `--stats`; for diagnostics).
    #[arg(long)]
    all_pids: bool,
    /// No progress bar and no warnings.
    #[arg(short, long)]
    quiet: bool,
    /// Output file (`-` for stdout); with it, every positional argument is an input.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[arg(
        value_name = "INPUT [OUTPUT]",
        help = "INPUT [OUTPUT], or INPUT... with -o. `-` is stdin/stdout"
    )]
    args: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// XMLTV, valid against the XMLTV DTD.
    Xmltv,
    /// epgdump (Piro77) JSON.
    Json,
    /// JSON Lines: one object per event with the whole model.
    Jsonl,
    /// epgdump (Piro77) XML dialect.
    EpgdumpXml,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Symbols {
    Unicode,
    Bracket,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum WidthArg {
    AsBroadcast,
    Half,
    Full,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum StatsFormat {
    Table,
    Json,
}

/// What to do, after the legacy forms are folded into the modern ones.
#[derive(Debug, PartialEq)]
struct Plan {
    inputs: Vec<PathBuf>,
    output: Option<PathBuf>,
    format: Format,
    prefix: Option<String>,
}

/// Recognises the C epgdump's first argument: `/BS`, `/CS`, `json`, `xml`, `GR27` (or a bare
/// channel number like `27`, used literally as the prefix).
fn legacy_mode(arg: &str) -> Option<(Format, Option<String>)> {
    match arg {
        "/BS" | "/CS" | "/GR" | "xml" => Some((Format::EpgdumpXml, None)),
        "json" => Some((Format::Json, None)),
        _ if arg.starts_with("GR")
            && arg.len() > 2
            && arg[2..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some((Format::EpgdumpXml, Some(arg.to_string())))
        }
        _ if !arg.is_empty() && arg.len() <= 4 && arg.bytes().all(|b| b.is_ascii_digit()) => {
            Some((Format::EpgdumpXml, Some(arg.to_string())))
        }
        _ => None,
    }
}

fn plan(cli: &Cli) -> Result<Plan, String> {
    let args = &cli.args;
    if let Some(out) = &cli.output {
        if args.is_empty() {
            return Err("no input given".into());
        }
        return Ok(Plan {
            inputs: args.iter().map(PathBuf::from).collect(),
            output: Some(out.clone()),
            format: cli.format,
            prefix: cli.channel_prefix.clone(),
        });
    }
    match args.as_slice() {
        [mode, input, output] if !Path::new(mode).exists() => match legacy_mode(mode) {
            Some((format, prefix)) => Ok(Plan {
                inputs: vec![input.into()],
                output: Some(output.into()),
                format,
                prefix: prefix.or_else(|| cli.channel_prefix.clone()),
            }),
            None => Err(format!(
                "'{mode}' is neither an input file nor a legacy mode (/BS, /CS, GR<n>, json, xml); \
                 several inputs need -o OUT"
            )),
        },
        [input, output] => Ok(Plan {
            inputs: vec![input.into()],
            output: Some(output.into()),
            format: cli.format,
            prefix: cli.channel_prefix.clone(),
        }),
        [input] if cli.stats.is_some() => Ok(Plan {
            inputs: vec![input.into()],
            output: None,
            format: cli.format,
            prefix: cli.channel_prefix.clone(),
        }),
        [_] => Err("missing OUTPUT (use - for stdout, or --stats to only count)".into()),
        [] => Err("missing INPUT and OUTPUT".into()),
        _ => Err("several inputs need -o OUT".into()),
    }
}

fn main() -> ExitCode {
    if let Some(status) = follow_cli::run_if_live_form() {
        return status;
    }
    let cli = Cli::parse();
    let plan = match plan(&cli) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("epgdump-rs: {msg}\nTry 'epgdump-rs --help' for more information.");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let collector_opts = CollectorOptions {
        text: TextOptions {
            symbols: match cli.symbols {
                Symbols::Unicode => SymbolStyle::Unicode,
                Symbols::Bracket => SymbolStyle::Bracket,
            },
            width: match cli.width {
                WidthArg::AsBroadcast => Width::AsBroadcast,
                WidthArg::Half => Width::Half,
                WidthArg::Full => Width::Full,
            },
        },
        pf_only: cli.pf_only,
        ..CollectorOptions::default()
    };
    let (epg, stats) = match read_inputs(&plan.inputs, collector_opts, &cli) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("epgdump-rs: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let out_opts = OutputOptions {
        channel_ids: match (&plan.prefix, cli.triplet_ids) {
            (Some(p), _) => ChannelIdStyle::Prefix(p.clone()),
            (None, true) => ChannelIdStyle::Triplet,
            (None, false) => ChannelIdStyle::Epgdump,
        },
        services: cli.services.clone(),
        exclude_services: cli.exclude_services.clone(),
    };
    let mut status = EXIT_OK;
    if let Some(out) = &plan.output {
        match write_output(out, plan.format, &epg, &out_opts) {
            Ok(summary) => {
                if summary.programmes == 0 {
                    let names: Vec<String> = plan
                        .inputs
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect();
                    eprintln!(
                        "epgdump-rs: {}: no EPG found (no event with a defined start); wrote an empty guide to {}",
                        names.join(", "),
                        out.display()
                    );
                    status = EXIT_NO_EPG;
                } else if !cli.quiet
                    && !matches!(cli.stats, Some(StatsFormat::Json))
                    && summary.skipped_undefined_start > 0
                {
                    eprintln!(
                        "epgdump-rs: note: {} event(s) with an undefined start time left out",
                        summary.skipped_undefined_start
                    );
                }
            }
            Err(e) => {
                eprintln!("epgdump-rs: {e}");
                print_stats(cli.stats, &stats);
                return ExitCode::from(EXIT_OUTPUT);
            }
        }
    }
    print_stats(cli.stats, &stats);
    ExitCode::from(status)
}

/// Reads every input (in parallel when there are several) and merges their guides.
fn read_inputs(
    inputs: &[PathBuf],
    opts: CollectorOptions,
    cli: &Cli,
) -> Result<(Epg, Stats), Error> {
    if inputs.len() == 1 {
        if let Some(input) = inputs.first() {
            return read_one(input, opts, cli, true);
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<(Epg, Stats), Error>>> =
        (0..inputs.len()).map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(input) = inputs.get(i) else {
                    break;
                };
                let r = read_one(input, opts, cli, false);
                if let Ok(mut guard) = slots.lock() {
                    if let Some(slot) = guard.get_mut(i) {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    let mut merged = Epg::default();
    let mut stats = Stats::default();
    for r in results.into_iter().flatten() {
        let (epg, st) = r?;
        merged.merge(epg);
        stats.merge(&st);
    }
    Ok((merged, stats))
}

/// Bytes handed to the reader at a time, so `--until-complete` is checked often.
const PUSH_CHUNK: usize = 1 << 20;

fn read_one(
    path: &Path,
    opts: CollectorOptions,
    cli: &Cli,
    progress: bool,
) -> Result<(Epg, Stats), Error> {
    let pids = if cli.all_pids {
        PidSet::all()
    } else {
        PidSet::epg()
    };
    let mut reader = TsReader::with_pids(Collector::new(opts), &pids);
    let bar = progress_bar(path, cli.quiet || !progress);
    let started = std::time::Instant::now();
    epgdump::input::for_each_chunk(path, |chunk| {
        for piece in chunk.chunks(PUSH_CHUNK) {
            reader.push(piece);
            if cli.until_complete && should_stop(reader.sink(), cli.time_limit, started) {
                return ControlFlow::Break(());
            }
        }
        if let Some(b) = &bar {
            b.inc(chunk.len() as u64);
        }
        ControlFlow::Continue(())
    })
    .map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let (collector, mut stats) = reader.finish();
    if stats.packets == 0 {
        return Err(Error::NotTransportStream {
            path: path.to_path_buf(),
            bytes: stats.bytes,
        });
    }
    let epg = collector.finish(&mut stats);
    Ok((epg, stats))
}

/// `--until-complete`: every announced schedule is in, or the time limit has passed.
fn should_stop(c: &Collector, limit: Option<u64>, started: std::time::Instant) -> bool {
    if c.is_complete() {
        return true;
    }
    let Some(limit) = limit else {
        return false;
    };
    let elapsed = c
        .stream_seconds()
        .map_or_else(|| started.elapsed().as_secs(), |s| s.max(0) as u64);
    elapsed >= limit
}

/// A progress bar on a terminal for a regular file; nothing on pipes or with `--quiet`.
fn progress_bar(path: &Path, quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let len = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    if len < 64 << 20 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// Writes the guide: to stdout for `-`; otherwise to a temporary file beside the target that
/// is renamed over it only on success, so a failed run never leaves a truncated file or
/// destroys the previous guide.
fn write_output(
    out: &Path,
    format: Format,
    epg: &Epg,
    opts: &OutputOptions,
) -> Result<WriteSummary, Error> {
    let err = |source: io::Error| Error::Output {
        path: out.to_path_buf(),
        source,
    };
    if out.as_os_str() == "-" {
        let stdout = io::stdout();
        let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        let summary = write_format(format, epg, opts, &mut w).map_err(err)?;
        w.flush().map_err(err)?;
        return Ok(summary);
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = io::BufWriter::with_capacity(1 << 16, file);
        let summary = write_format(format, epg, opts, &mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&tmp, out)?;
        Ok(summary)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

fn write_format(
    format: Format,
    epg: &Epg,
    opts: &OutputOptions,
    w: &mut impl Write,
) -> io::Result<WriteSummary> {
    match format {
        Format::Xmltv => epgdump::output::write_xmltv(epg, opts, w),
        Format::Json => epgdump::output::write_json(epg, opts, w),
        Format::Jsonl => epgdump::output::write_jsonl(epg, opts, w),
        Format::EpgdumpXml => epgdump::output::write_epgdump_xml(epg, opts, w),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(args: &[&str]) -> Result<Plan, String> {
        let mut v = vec!["epgdump-rs"];
        v.extend_from_slice(args);
        plan(&Cli::try_parse_from(v).map_err(|e| e.to_string())?)
    }

    #[test]
    fn legacy_forms() {
        let p = plan_of(&["/BS", "in.ts", "out.xml"]).unwrap();
        assert_eq!(p.format, Format::EpgdumpXml);
        assert_eq!(p.inputs, vec![PathBuf::from("in.ts")]);
        let p = plan_of(&["GR27", "in.ts", "out.xml"]).unwrap();
        assert_eq!(p.prefix.as_deref(), Some("GR27"));
        assert_eq!(
            plan_of(&["json", "in.ts", "o.json"]).unwrap().format,
            Format::Json
        );
        assert_eq!(
            plan_of(&["xml", "in.ts", "o.xml"]).unwrap().format,
            Format::EpgdumpXml
        );
        assert!(plan_of(&["nonsense", "in.ts", "o.xml"]).is_err());
    }

    #[test]
    fn modern_forms() {
        let p = plan_of(&["in.ts", "out.xml"]).unwrap();
        assert_eq!(p.format, Format::Xmltv);
        let p = plan_of(&["-o", "all.xml", "a.ts", "b.ts"]).unwrap();
        assert_eq!(p.inputs.len(), 2);
        assert!(plan_of(&["--stats=json", "a.ts"]).unwrap().output.is_none());
        assert!(plan_of(&["a.ts"]).is_err());
        let p = plan_of(&["--format", "jsonl", "a.ts", "-"]).unwrap();
        assert_eq!(p.format, Format::Jsonl);
    }
}
