//! `epgdump-rs`: dump the programme guide of an MPEG transport stream.
//!
//! The binary only parses arguments, prints and wires library pieces together: the job
//! ([`epgdump::job`]: inputs, stops, limits) → the writers ([`epgdump::output`]) → the output
//! path rules ([`epgdump::output::path`]).

use clap::{Parser, ValueEnum};
use epgdump::epg::{CollectorOptions, Epg};
use epgdump::job::status::status_of;
use epgdump::job::{DumpOptions, ExitStatus, IdleTimeout, Outcome};
use epgdump::output::path::OutputPath;
use epgdump::output::{ChannelIdStyle, OutputOptions, WriteSummary};
use epgdump::stats::Stats;
use epgdump::text::{SymbolStyle, TextOptions, Width};
use epgdump::ts::PidSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[path = "cli/follow.rs"]
mod follow_cli;

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

Output: a regular file (or a new one) is replaced atomically and keeps its mode and owner;
a symlink is followed and stays a link; a device, FIFO or /dev/stdout is written directly.
An input that is the output file is refused.

Exit status (the first that applies, in this order: 4, 1, 2, 3, 5, 6):
  0  success
  1  no input could be read (missing, unreadable, not an MPEG transport stream); nothing written
  2  bad command line, or an input is the output file
  3  no EPG found: a valid but empty document was written (scripts may retry)
  4  the output could not be written (not writable, disk full, closed pipe or stdout)
  5  the guide was written, but some inputs failed (skipped or cut short; named on stderr)
  6  the guide was written, but it is incomplete (a limit stopped reading before every
     schedule was complete) or capped (events or services refused by the memory caps)";

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
    /// Channel ids: `auto` (the format's own: xmltv in XMLTV, epgdump in the epgdump dialects
    /// and JSON Lines), `xmltv` (101.4.bs, 1024.32736.gr, 1537.8442.dvb), `epgdump` (BS_101,
    /// GR11_1024, DVB 1537.8442), `triplet` (onid.tsid.sid) or `prefix:NAME` (NAME_1024).
    #[arg(long, value_name = "STYLE", value_parser = parse_channel_ids, conflicts_with_all = ["channel_prefix", "triplet_ids"])]
    channel_ids: Option<ChannelIdStyle>,
    /// Same as `--channel-ids prefix:PREFIX` (GR27 gives GR27_1024).
    #[arg(long, value_name = "PREFIX")]
    channel_prefix: Option<String>,
    /// Same as `--channel-ids triplet`.
    #[arg(long, conflicts_with = "channel_prefix")]
    triplet_ids: bool,
    /// XMLTV: also list channels that have no programme (tv_validate_file complains about them).
    #[arg(long)]
    all_channels: bool,
    /// XMLTV: split titles into title and sub-title at 「, #N or 第N話 (as the original epgdump).
    #[arg(long)]
    sub_title: bool,
    /// Stop reading as soon as every announced EIT schedule is complete (with several inputs,
    /// each input is read until its own schedules are complete). A regular file is then also
    /// read at its tail, until the tail holds a complete cycle, and the middle is skipped: the
    /// whole file's guide (newest versions) at a fraction of the I/O. Pipes stop at once.
    #[arg(long)]
    until_complete: bool,
    /// Stop reading each input after this many seconds of stream time (TOT clock) or of wall
    /// time, whichever comes first, even while a read blocks.
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<u64>,
    /// Bytes the guide's events may cost at most, in MiB (raw parts and decoded text,
    /// estimated); past it new events are refused, counted (refused_by_budget) and exit 6.
    #[arg(long, value_name = "MIB", default_value_t = (epgdump::epg::DEFAULT_MODEL_BYTES >> 20) as u64)]
    memory_budget: u64,
    /// Stop reading an input when no byte arrived for this many seconds (0: never). Default:
    /// off for regular files, 120 for pipes, FIFOs, devices and stdin.
    #[arg(long, value_name = "SECONDS")]
    idle_timeout: Option<u64>,
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

/// `--channel-ids STYLE`.
fn parse_channel_ids(s: &str) -> Result<ChannelIdStyle, String> {
    match s {
        "auto" => Ok(ChannelIdStyle::Auto),
        "xmltv" => Ok(ChannelIdStyle::Xmltv),
        "epgdump" => Ok(ChannelIdStyle::Epgdump),
        "triplet" => Ok(ChannelIdStyle::Triplet),
        _ => match s.strip_prefix("prefix:") {
            Some(p) if !p.is_empty() => Ok(ChannelIdStyle::Prefix(p.to_owned())),
            _ => Err("expected auto, xmltv, epgdump, triplet or prefix:NAME".into()),
        },
    }
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
    /// A self-contained HTML programme grid.
    Html,
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
    // Before anything is opened: no file may become fd 0, 1 or 2.
    epgdump::output::path::guard_standard_streams_known(stdout_probe::closed_at_load());
    if let Some(status) = follow_cli::run_if_live_form() {
        return status;
    }
    let cli = Cli::parse();
    let plan = match plan(&cli) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("epgdump-rs: {msg}\nTry 'epgdump-rs --help' for more information.");
            return exit(ExitStatus::Usage);
        }
    };
    if let Err(e) = epgdump::job::process::remove_temp_files_on_signals() {
        eprintln!("epgdump-rs: warning: cannot watch for signals ({e}); an interrupted run may leave a temporary file");
    }
    // The output's rules are decided, and an input that is the output refused, before reading.
    let output = match plan.output.as_deref().map(OutputPath::resolve).transpose() {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    if let Some(out) = &output {
        if let Err(e) = out.refuse_inputs(&plan.inputs) {
            return fail(&e);
        }
    }
    let mut outcome = read(&plan, &cli);
    for line in outcome.failure_lines() {
        eprintln!("epgdump-rs: {line}");
    }
    if !outcome.any_input_read() {
        print_stats(cli.stats, &outcome.stats);
        return exit(ExitStatus::InputFailed);
    }
    let mut programmes = None;
    if let Some(out) = &output {
        match write_guide(out, &plan, &cli, &outcome.epg, &plan.inputs) {
            Ok(summary) => {
                outcome.stats.output = summary.into();
                programmes = Some(summary.programmes);
            }
            Err(e) => {
                eprintln!("epgdump-rs: {e}");
                print_stats(cli.stats, &outcome.stats);
                return exit(ExitStatus::OutputFailed);
            }
        }
    }
    if !cli.quiet {
        for line in outcome
            .partial_read_lines()
            .into_iter()
            .chain(outcome.incomplete())
            .chain(outcome.capped())
        {
            eprintln!("epgdump-rs: {line}");
        }
    }
    print_stats(cli.stats, &outcome.stats);
    exit(outcome.exit_status(programmes))
}

fn exit(status: ExitStatus) -> ExitCode {
    ExitCode::from(status.code())
}

/// Prints a fatal error and returns its status.
fn fail(e: &epgdump::error::Error) -> ExitCode {
    eprintln!("epgdump-rs: {e}");
    exit(status_of(e))
}

/// Reads the inputs with the job API, with a progress bar on a terminal.
fn read(plan: &Plan, cli: &Cli) -> Outcome {
    let collector = CollectorOptions {
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
        max_model_bytes: usize::try_from(cli.memory_budget.saturating_mul(1 << 20))
            .unwrap_or(usize::MAX),
        ..CollectorOptions::default()
    };
    let opts = DumpOptions {
        collector,
        pids: if cli.all_pids {
            PidSet::all()
        } else {
            PidSet::epg()
        },
        until_complete: cli.until_complete,
        time_limit: cli.time_limit.map(Duration::from_secs),
        idle_timeout: match cli.idle_timeout {
            None => IdleTimeout::Auto,
            Some(0) => IdleTimeout::Off,
            Some(s) => IdleTimeout::After(Duration::from_secs(s)),
        },
        ..DumpOptions::default()
    };
    let bar = progress_bar(&plan.inputs, cli.quiet);
    let outcome = epgdump::job::dump(&plan.inputs, &opts, &mut |p| {
        if let Some(b) = &bar {
            b.set_position(p.total_bytes);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    outcome
}

/// A progress bar on a terminal when the regular input files hold at least 64 MiB; nothing on
/// pipes or with `--quiet`.
fn progress_bar(inputs: &[PathBuf], quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let len: u64 = inputs
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| std::fs::metadata(p).ok().filter(|m| m.is_file()))
        .map(|m| m.len())
        .sum();
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

/// Writes the guide to `out` and prints the notes about it (no EPG, owner not kept, events
/// without a start left out).
fn write_guide(
    out: &OutputPath,
    plan: &Plan,
    cli: &Cli,
    epg: &Epg,
    inputs: &[PathBuf],
) -> Result<WriteSummary, epgdump::error::Error> {
    let opts = OutputOptions {
        channel_ids: match (&plan.prefix, cli.triplet_ids, &cli.channel_ids) {
            (Some(p), _, _) => ChannelIdStyle::Prefix(p.clone()),
            (None, true, _) => ChannelIdStyle::Triplet,
            (None, false, style) => style.clone().unwrap_or_default(),
        },
        services: cli.services.clone(),
        exclude_services: cli.exclude_services.clone(),
        all_channels: cli.all_channels,
        sub_title: cli.sub_title,
    };
    let written = out.write(|w| write_format(plan.format, epg, &opts, inputs, w))?;
    let summary = written.value;
    let notes = !cli.quiet && !matches!(cli.stats, Some(StatsFormat::Json));
    if summary.programmes == 0 {
        let names: Vec<String> = plan
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let left_out = match (summary.skipped_undefined_start, summary.skipped_untitled) {
            (0, 0) => String::new(),
            (n, m) => {
                format!(": {n} event(s) with an undefined start, {m} without a title left out")
            }
        };
        eprintln!(
            "epgdump-rs: {}: no EPG found (no event with a defined start and a title{left_out}); wrote an empty guide to {}",
            names.join(", "),
            out.given().display()
        );
    } else if notes {
        print_notes(&summary);
    }
    if notes && !written.owner_kept {
        eprintln!(
            "epgdump-rs: note: {}: the previous owner or group could not be kept (not permitted)",
            out.given().display()
        );
    }
    Ok(summary)
}

fn write_format(
    format: Format,
    epg: &Epg,
    opts: &OutputOptions,
    inputs: &[PathBuf],
    w: &mut dyn Write,
) -> io::Result<WriteSummary> {
    match format {
        Format::Xmltv => epgdump::output::write_xmltv(epg, opts, w),
        Format::Json => epgdump::output::write_json(epg, opts, w),
        Format::Jsonl => epgdump::output::write_jsonl(epg, opts, w),
        Format::EpgdumpXml => epgdump::output::write_epgdump_xml(epg, opts, w),
        Format::Html => {
            let html = epgdump::output::html::HtmlOptions::from_paths(inputs);
            epgdump::output::html::write_html_with(epg, opts, &html, w)
        }
    }
}

/// One line on stderr for each kind of event or channel the writer left out or filled in.
fn print_notes(s: &WriteSummary) {
    let notes = [
        (s.skipped_undefined_start, "event(s) with an undefined start time left out"),
        (s.skipped_untitled, "event(s) without a title left out"),
        (
            s.skipped_empty_channels,
            "channel(s) without programmes left out (--all-channels keeps them)",
        ),
        (
            s.filled_stops,
            "programme(s) with an undefined duration given the next programme's start (or start + 1 hour) as stop",
        ),
    ];
    for (n, what) in notes {
        if n > 0 {
            eprintln!("epgdump-rs: note: {n} {what}");
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

/// Whether standard output was closed when the process was loaded (`>&-`). Rust's runtime
/// reopens a closed descriptor 0–2 on `/dev/null` before `main`, after which a closed stdout
/// looks like `/dev/null`; an ELF constructor runs before the runtime and asks the kernel.
#[allow(unsafe_code)]
mod stdout_probe {
    use std::sync::atomic::{AtomicU8, Ordering};

    /// 0: not probed (not Linux), 1: open, 2: closed.
    static STATE: AtomicU8 = AtomicU8::new(0);

    /// What the constructor saw, when it ran.
    pub fn closed_at_load() -> Option<bool> {
        match STATE.load(Ordering::Relaxed) {
            1 => Some(false),
            2 => Some(true),
            _ => None,
        }
    }

    #[cfg(target_os = "linux")]
    #[used]
    #[link_section = ".init_array"]
    static PROBE: extern "C" fn() = probe;

    #[cfg(target_os = "linux")]
    extern "C" fn probe() {
        // SAFETY: fcntl(F_GETFD) on a descriptor number only queries the kernel's descriptor
        // table; it reads and writes no memory of ours, and is async-signal-safe.
        let open = unsafe { libc::fcntl(1, libc::F_GETFD) } != -1;
        STATE.store(if open { 1 } else { 2 }, Ordering::Relaxed);
    }
}
