//! The command-line layer: arguments -> validated configuration -> the library -> files and stdout.

mod args;
mod merge;
mod outfile;
mod progress;
mod recommend;
mod run;

use std::io::Write;

use anyhow::Result;
use clap::Parser;

pub use args::Cli;
pub use progress::Progress;
pub use run::{RunConfig, execute_run, load_run_config};

use crate::policy::{Policy, ValidateOptions};

/// How a command failed: bad input (exit code 2) or an internal failure (exit code 1).
#[derive(Debug)]
pub enum Failure {
    Input(anyhow::Error),
    Internal(anyhow::Error),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Input(_) => 2,
            Failure::Internal(_) => 1,
        }
    }

    pub fn error(&self) -> &anyhow::Error {
        match self {
            Failure::Input(e) | Failure::Internal(e) => e,
        }
    }
}

/// Parses the process arguments and runs the command.
pub fn main_with_args() -> Result<(), Failure> {
    let cli = Cli::parse();
    // Ctrl-C: remove what this run staged, then exit 130 (128 + SIGINT), as shells expect.
    let _ = ctrlc::set_handler(|| {
        crate::cleanup::remove_all();
        eprintln!("\ninterrupted: nothing was written");
        std::process::exit(130);
    });
    match cli.command {
        args::Command::Run(a) => {
            let mut pool = rayon::ThreadPoolBuilder::new();
            if let Some(n) = a.threads {
                run::check_threads(n).map_err(Failure::Input)?;
                pool = pool.num_threads(n);
            }
            let pool = pool.build().map_err(|e| Failure::Internal(e.into()))?;
            let outcome = pool.install(|| {
                let progress = progress::Progress::new(a.quiet);
                let mut cfg = load_run_config(&a, &progress).map_err(|e| {
                    progress.finish();
                    Failure::Input(e)
                })?;
                let outcome = execute_run(&mut cfg, &progress);
                progress.finish();
                outcome.map(|o| (o, cfg.out.as_ref().map(|s| s.out().to_path_buf())))
            });
            let (outcome, out_dir) = outcome?;
            let to_stdout = a.ledger_out.as_deref() == Some(std::path::Path::new("-"));
            if !a.quiet {
                // With the ledger on stdout, what would be printed goes to stderr.
                let mut out: Box<dyn Write> = if to_stdout {
                    Box::new(std::io::stderr().lock())
                } else {
                    Box::new(std::io::stdout().lock())
                };
                print_ok(write!(out, "{}", outcome.terminal))?;
                if let Some(dir) = out_dir {
                    print_ok(writeln!(out, "\nReport written to {}", dir.display()))?;
                }
            }
            Ok(())
        }
        args::Command::Merge(a) => {
            let progress = progress::Progress::new(a.quiet);
            let outcome = merge::merge(&a, &progress);
            progress.finish();
            let (terminal, out_dir) = outcome?;
            if !a.quiet {
                let mut out = std::io::stdout().lock();
                print_ok(write!(out, "{terminal}"))?;
                print_ok(writeln!(out, "\nReport written to {}", out_dir.display()))?;
            }
            Ok(())
        }
        args::Command::Recommend(a) => {
            let mut pool = rayon::ThreadPoolBuilder::new();
            if let Some(n) = a.threads {
                run::check_threads(n).map_err(Failure::Input)?;
                pool = pool.num_threads(n);
            }
            let pool = pool.build().map_err(|e| Failure::Internal(e.into()))?;
            let progress = progress::Progress::new(a.quiet);
            let outcome = pool.install(|| recommend::recommend(&a, &progress));
            progress.finish();
            let (terminal, out_dir) = outcome?;
            if !a.quiet {
                let mut out = std::io::stdout().lock();
                print_ok(write!(out, "{terminal}"))?;
                print_ok(writeln!(out, "\nWritten to {}", out_dir.display()))?;
            }
            Ok(())
        }
        args::Command::Validate(a) => validate(&a),
        args::Command::Generate(a) => generate(&a),
        args::Command::Convert(a) => convert(&a),
        args::Command::Pricing(args::PricingArgs {
            action: Some(args::PricingCommand::Import(i)),
            ..
        }) => import_prices(&i),
        args::Command::Pricing(a) => {
            let table = run::load_prices(&a.prices).map_err(Failure::Input)?;
            print_ok(write!(std::io::stdout().lock(), "{}", table.describe()))
        }
    }
}

fn generate(a: &args::GenerateArgs) -> Result<(), Failure> {
    use crate::generate::{Params, Profile};
    let bad = |e: anyhow::Error| Failure::Input(e);
    let profile = Profile::parse(&a.profile).ok_or_else(|| {
        bad(anyhow::anyhow!(
            "--profile {:?}: expected one of {}",
            a.profile,
            Profile::ALL.map(|p| p.name()).join(", ")
        ))
    })?;
    let mut p = Params::defaults(profile);
    p.seed = a.seed;
    if let Some(v) = a.objects {
        p.objects = v;
    }
    if let Some(v) = a.months {
        p.months = v;
    }
    if let Some(s) = &a.start {
        p.start = crate::model::time::parse_date(s).ok_or_else(|| {
            bad(anyhow::anyhow!(
                "--start {s:?}: expected a date as YYYY-MM-DD from 1970 to 8999"
            ))
        })?;
    }
    let set = |dst: &mut f64, v: Option<f64>| {
        if let Some(v) = v {
            *dst = v;
        }
    };
    set(&mut p.size_median, a.size_median);
    set(&mut p.size_sigma, a.size_sigma);
    set(&mut p.reads_per_object, a.reads_per_object);
    set(&mut p.decay_half_life_days, a.decay_half_life_days);
    set(&mut p.zipf, a.zipf);
    set(&mut p.burst_rps, a.burst_rps);
    set(&mut p.burst_every_days, a.burst_every_days);
    set(&mut p.daily_cycle, a.daily_cycle);
    set(&mut p.revival, a.revival);
    if a.delete_after_days.is_some() {
        p.delete_after_days = a.delete_after_days;
    }
    if let Some(c) = &a.storage_class {
        p.storage_class = crate::model::StorageClass::parse(c).ok_or_else(|| {
            bad(anyhow::anyhow!(
                "--storage-class {c:?}: not a storage class s3sim models"
            ))
        })?;
    }
    p.validate().map_err(bad)?;
    if a.describe {
        return print_ok(write!(std::io::stdout().lock(), "{}", p.describe()));
    }
    let out = a
        .out
        .as_ref()
        .expect("clap requires --out without --describe");
    outfile::check(out, a.force, &[]).map_err(bad)?;
    let s = outfile::write(out, |w| crate::generate::generate(&p, w))?;
    let mut line = format!(
        "wrote {}: {} rows ({} PUT, {} GET, {} DELETE",
        out.display(),
        s.rows,
        s.puts,
        s.gets,
        s.deletes
    );
    if s.uploads > 0 {
        line.push_str(&format!(
            "; {} multipart uploads in {} parts, {} completed, {} abandoned",
            s.uploads, s.parts, s.uploads_completed, s.uploads_abandoned
        ));
    }
    print_ok(writeln!(std::io::stderr().lock(), "{line})"))
}

fn convert(a: &args::ConvertArgs) -> Result<(), Failure> {
    let ropts = run::read_options(&a.input).map_err(Failure::Input)?;
    outfile::check(&a.out, a.force, &[a.workload.as_path()]).map_err(Failure::Input)?;
    let started = std::time::Instant::now();
    let w = crate::workload::read_workload(&a.workload, &ropts)
        .map_err(|e| Failure::Input(e.into()))?;
    let read_s = started.elapsed().as_secs_f64();
    let n = outfile::write(&a.out, |f| Ok(crate::workload::write_native_csv(&w, f)?))?;
    let mut err = std::io::stderr().lock();
    print_ok(writeln!(
        err,
        "read {} ({} bytes) in {read_s:.2} s; wrote {}: {n} rows",
        a.workload.display(),
        w.source.bytes,
        a.out.display()
    ))?;
    for note in &w.notes {
        print_ok(writeln!(err, "note: {note}"))?;
    }
    Ok(())
}

/// `s3sim pricing import`.
fn import_prices(a: &args::ImportArgs) -> Result<(), Failure> {
    let inputs: Vec<&std::path::Path> = a.offers.iter().map(|p| p.as_path()).collect();
    outfile::check(&a.out, a.force, &inputs).map_err(Failure::Input)?;
    let mut files = Vec::new();
    for p in &a.offers {
        // The all-region AmazonS3 offer is about 60 MB; a per-region one about 500 KB.
        let text = crate::model::limits::read_bounded(p, 1 << 30).map_err(|e| {
            Failure::Input(anyhow::anyhow!(
                "cannot read offer file {}: {e}",
                p.display()
            ))
        })?;
        files.push((p.display().to_string(), text));
    }
    let toml = crate::pricing::import::import(&files, &a.region)
        .map_err(|e| Failure::Input(anyhow::anyhow!("{e}")))?;
    outfile::write(&a.out, |f| Ok(f.write_all(toml.as_bytes())?))?;
    print_ok(writeln!(
        std::io::stderr().lock(),
        "wrote {}: prices of {} (check it with `s3sim pricing --pricing {}`)",
        a.out.display(),
        a.region,
        a.out.display()
    ))
}

fn validate(a: &args::ValidateArgs) -> Result<(), Failure> {
    let opts = ValidateOptions {
        ia_min_30_days: a.ia_30_day_minimum,
    };
    let mut out = std::io::stdout().lock();
    let mut errors = Vec::new();
    let mut emitted = 0;
    for path in &a.policies {
        if let Some(text) = it_config_text(path) {
            match crate::policy::ItConfig::parse(&path.display().to_string(), &text) {
                Ok(_) if a.emit.is_some() => errors.push(format!(
                    "{}: an Intelligent-Tiering configuration: --emit terraform prints lifecycle configurations only",
                    path.display()
                )),
                Ok(c) => {
                    print_ok(writeln!(
                        out,
                        "{}: valid Intelligent-Tiering configuration",
                        path.display()
                    ))?;
                    for line in c.explain() {
                        print_ok(writeln!(out, "  {line}"))?;
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
            continue;
        }
        match Policy::from_file(path, &opts) {
            Ok(p) if a.emit == Some(args::EmitArg::Terraform) => {
                // One `bucket` variable for all the resources, so that they fit in one file.
                if emitted == 0 {
                    print_ok(write!(
                        out,
                        "# Made by s3sim validate --emit terraform\nvariable \"bucket\" {{\n  type = string\n}}\n"
                    ))?;
                }
                emitted += 1;
                print_ok(write!(
                    out,
                    "\n# From {}\n{}",
                    path.display(),
                    crate::policy::resource(&p, &p.name)
                ))?;
            }
            Ok(p) => {
                print_ok(writeln!(
                    out,
                    "{}: valid, {} rule(s)",
                    path.display(),
                    p.rules.len()
                ))?;
                for line in p.explain() {
                    print_ok(writeln!(out, "  {line}"))?;
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(anyhow::anyhow!("{}", errors.join("\n"))))
    }
}

/// The text of a file that holds an Intelligent-Tiering configuration (a JSON object with
/// `Tierings` or `IntelligentTieringConfiguration`) rather than a lifecycle configuration.
fn it_config_text(path: &std::path::Path) -> Option<String> {
    let text = crate::model::limits::read_bounded(path, crate::policy::it::MAX_FILE_BYTES).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let o = v.as_object()?;
    (o.contains_key("Tierings") || o.contains_key("IntelligentTieringConfiguration"))
        .then_some(text)
}

/// Writing to a closed pipe (`s3sim pricing | head`) is success.
fn print_ok(r: std::io::Result<()>) -> Result<(), Failure> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Internal(e.into())),
        _ => Ok(()),
    }
}
