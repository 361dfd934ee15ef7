//! `covalign`: run the engine from the terminal and print the curves as JSON lines.
//!
//! ```text
//! covalign [--KEY VALUE ...] [--steps N] [--every K] [--overlap]
//! covalign transfer [--KEY VALUE ...] [--every K]
//! covalign --help
//! ```
//! KEY is any setting of the page's URL (`--dim 16 --spectrum power:2`); in `transfer` mode the
//! race's keys may also be written with dashes (`--upstream-steps 500`).

use covalign::config::KEYS;
use covalign::{Config, Experiment};
use std::io::Write;
use std::process::ExitCode;

struct Options {
    transfer: bool,
    config: Config,
    steps: u64,
    /// `None` = not given: 100 for a run, derived from the downstream steps for the race.
    every: Option<u64>,
    overlap: bool,
}

fn usage() -> String {
    let mut text = String::from(
        "covalign: train a tiny network on random labels and print its alignment as JSON lines\n\n\
         usage: covalign [--KEY VALUE ...] [--steps N] [--every K] [--overlap]\n       \
         covalign transfer [--KEY VALUE ...] [--every K]\n\n\
         run options:\n  --steps N     steps to train (default 2000)\n  \
         --every K     print a line every K steps (default 100; for transfer, downstream_steps/20)\n  \
         --overlap     add the overlap matrix to every line\n\nsettings (same names as the page's URL):\n",
    );
    let defaults = Config::default();
    for k in KEYS {
        text.push_str(&format!("  --{:<20} {} (default {})\n", k.name, k.help, k.get(&defaults)));
    }
    text
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { transfer: false, config: Config::default(), steps: 2000, every: None, overlap: false };
    let mut pairs = Vec::new();
    let mut i = 0;
    if args.first().map(String::as_str) == Some("transfer") {
        options.transfer = true;
        i = 1;
    }
    while i < args.len() {
        let arg = &args[i];
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument '{arg}': settings are written --key value"));
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.replace('-', "_"), Some(v.to_string())),
            None => (flag.replace('-', "_"), None),
        };
        if options.transfer && (name == "steps" || name == "overlap") {
            return Err(format!("--{name} is not a transfer option: the race runs --upstream-steps, then --downstream-steps"));
        }
        if name == "overlap" {
            if inline.is_some() {
                return Err("--overlap takes no value".into());
            }
            options.overlap = true;
            i += 1;
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i).cloned().ok_or_else(|| format!("--{name} needs a value"))?
            }
        };
        i += 1;
        match name.as_str() {
            "steps" => options.steps = count("steps", &value, 0, 10_000_000)?,
            "every" => options.every = Some(count("every", &value, 1, 10_000_000)?),
            _ => pairs.push((name, value)),
        }
    }
    options.config.apply_pairs(&pairs).map_err(|e| e.to_string())?;
    Ok(options)
}

fn count(name: &str, value: &str, min: u64, max: u64) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(format!("--{name}: {value} is out of range (allowed {min} to {max})")),
        Err(_) => Err(format!("--{name}: '{value}' is not a whole number")),
    }
}

fn run(options: Options) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if options.transfer {
        covalign::transfer::run(&options.config, options.every.unwrap_or(0) as usize, |line| {
            writeln!(out, "{line}").and_then(|_| out.flush())
        })?;
        return Ok(());
    }
    let mut experiment = Experiment::new(options.config).map_err(std::io::Error::other)?;
    loop {
        let snapshot = experiment.snapshot();
        let mut line = serde_json::to_value(&snapshot).expect("a snapshot serialises");
        if !options.overlap {
            line.as_object_mut().expect("a snapshot is an object").remove("overlap");
        }
        // Flushed line by line: a long run shows its progress, and a killed one keeps it.
        writeln!(out, "{line}")?;
        out.flush()?;
        let done = experiment.step_count();
        if done >= options.steps || snapshot.diverged {
            break;
        }
        let next = options.every.unwrap_or(100).min(options.steps - done) as u32;
        // On divergence this stops early; the next line printed says so.
        experiment.step(next);
    }
    out.flush()
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(args) => args,
        Err(bad) => {
            eprintln!("covalign: argument {bad:?} is not valid UTF-8 (see covalign --help)");
            return ExitCode::from(2);
        }
    };
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let options = match parse(&args) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("covalign: {message} (see covalign --help)");
            return ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("covalign: {e}");
            ExitCode::FAILURE
        }
    }
}
