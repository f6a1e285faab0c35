//! Decode ARIB (default) or DVB text given as hex, one string per line.
//!
//! ```text
//! $ echo "46 7C 4B 5C 7A 56" | cargo run --example decode_text
//! 日本🈑
//! $ echo "46 7C 4B 5C 7A 56" | cargo run --example decode_text -- --symbols bracket
//! 日本[字]
//! $ echo "86 50 6F 69 6E 74 6C 65 73 73 87" | cargo run --example decode_text -- --dvb
//! Pointless
//! ```
//!
//! Each input line holds the bytes of one string in hex (spaces and tabs allowed). Each output
//! line is the decoded string, with a newline inside the result written as the two characters
//! `\n`. A line that is not valid hex gives an empty output line and a message on stderr.
//!
//! Options: `--symbols unicode|bracket` (ARIB additional symbols), `--width
//! as-broadcast|half|full` (ARIB alphanumerics), `--dvb` (decode as DVB text, EN 300 468
//! Annex A), `--count` (append a tab and the replacement count).

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use epgdump::text::{AribDecoder, SymbolStyle, TextOptions, Width};

const USAGE: &str = "usage: decode_text [--symbols unicode|bracket] [--width as-broadcast|half|full] [--dvb] [--count] < hex-lines";

struct Args {
    opts: TextOptions,
    dvb: bool,
    count: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        opts: TextOptions::default(),
        dvb: false,
        count: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match key.as_str() {
            "--symbols" => {
                args.opts.symbols = match value("--symbols")?.as_str() {
                    "unicode" => SymbolStyle::Unicode,
                    "bracket" => SymbolStyle::Bracket,
                    v => return Err(format!("unknown --symbols value {v:?}")),
                }
            }
            "--width" => {
                args.opts.width = match value("--width")?.as_str() {
                    "as-broadcast" | "as_broadcast" => Width::AsBroadcast,
                    "half" => Width::Half,
                    "full" => Width::Full,
                    v => return Err(format!("unknown --width value {v:?}")),
                }
            }
            "--dvb" => args.dvb = true,
            "--count" => args.count = true,
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument {a:?}")),
        }
    }
    Ok(args)
}

/// Parses hex digits, ignoring whitespace.
fn parse_hex(line: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = line.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).map_err(|_| "non-ASCII input".to_string())?;
            u8::from_str_radix(s, 16).map_err(|_| format!("invalid hex byte {s:?}"))
        })
        .collect()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("decode_text: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if e.is_empty() { 0 } else { 2 });
        }
    };
    let mut decoder = AribDecoder::new(args.opts);
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut text = String::new();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("decode_text: reading stdin: {e}");
                return ExitCode::FAILURE;
            }
        };
        text.clear();
        let replacements = match parse_hex(&line) {
            Ok(bytes) if args.dvb => {
                let d = epgdump::text::decode_dvb(&bytes);
                text.push_str(&d.text);
                d.replacements
            }
            Ok(bytes) => decoder.decode_append(&bytes, &mut text),
            Err(e) => {
                eprintln!("decode_text: line {}: {e}", n + 1);
                0
            }
        };
        let shown = text.replace('\n', "\\n");
        let res = if args.count {
            writeln!(out, "{shown}\t{replacements}")
        } else {
            writeln!(out, "{shown}")
        };
        if res.is_err() {
            // Broken pipe: stop quietly.
            return ExitCode::SUCCESS;
        }
    }
    if out.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    ExitCode::SUCCESS
}
