//! The command-line layer: arguments -> validated configuration -> the library -> files and stdout.

mod args;
mod k8s;
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
        args::Command::ShardKey(a) => shard_key(&a),
        args::Command::K8sJob(a) => {
            let text = k8s::manifest(&a).map_err(Failure::Input)?;
            print_ok(write!(std::io::stdout().lock(), "{text}"))
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

/// `s3sim shard-key`: PATH, LINE, TEXT lines on stdin -> SHARD, PATH, LINE, TEXT on stdout (a
/// workload CSV's header to every shard; lines that are not requests to shard 0), then the
/// input's facts.
fn shard_key(a: &args::ShardKeyArgs) -> Result<(), Failure> {
    use std::io::BufRead;
    let bad = |e: anyhow::Error| Failure::Input(e);
    if !(1..=crate::shard::MAX_SHARDS).contains(&a.shards) {
        return Err(bad(anyhow::anyhow!(
            "--shards {}: must be from 1 to {}",
            a.shards,
            crate::shard::MAX_SHARDS
        )));
    }
    let ropts = run::read_options(&a.input).map_err(bad)?;
    let mut keyer = crate::workload::records::Keyer::new(ropts);
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // One file's lines at a time (they come together, in order).
    let mut path = String::new();
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut flush = |path: &str,
                     lines: &mut Vec<(u64, String)>,
                     out: &mut std::io::BufWriter<std::io::StdoutLock>|
     -> Result<(), Failure> {
        use crate::workload::records::Target;
        let keys = keyer.key_file(path, lines).map_err(|e| bad(e.into()))?;
        for ((line_no, text), key) in lines.iter().zip(keys) {
            let target = match key {
                Ok(Some(key)) => {
                    let p = crate::sim::throughput::partition_of(&key, a.prefix_depth);
                    Target::Shard((crate::shard::partition_hash(p) % u64::from(a.shards)) as u32)
                }
                Ok(None) => Target::Shard(0),
                Err(all) => all,
            };
            let shards = match target {
                Target::All => 0..a.shards,
                Target::Shard(s) => s..s + 1,
            };
            for s in shards {
                print_ok(writeln!(out, "{s}\t{path}\t{line_no}\t{text}"))?;
            }
        }
        lines.clear();
        Ok(())
    };
    for (i, line) in stdin.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|e| {
            bad(anyhow::anyhow!(
                "stdin:{n}: cannot read (not UTF-8 text?): {e}"
            ))
        })?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        let f = crate::workload::records::split_record("stdin", n, line, 3, "PATH, LINE and TEXT")
            .map_err(|e| bad(e.into()))?;
        let line_no: u64 = f[1].parse().map_err(|_| {
            bad(anyhow::anyhow!(
                "stdin:{n}: LINE {:?} is not a line number",
                f[1]
            ))
        })?;
        if f[0] != path {
            flush(&path, &mut lines, &mut out)?;
            path = f[0].to_string();
        }
        if lines.last().is_some_and(|l| l.0 >= line_no) {
            return Err(bad(anyhow::anyhow!(
                "stdin:{n}: {} line {line_no} after line {}: give each file's lines in order, together",
                f[0],
                lines.last().map_or(0, |l| l.0)
            )));
        }
        lines.push((line_no, f[2].to_string()));
    }
    flush(&path, &mut lines, &mut out)?;
    let facts = serde_json::to_string(&keyer.facts).map_err(|e| Failure::Internal(e.into()))?;
    print_ok(writeln!(out, "facts\t{facts}"))?;
    print_ok(out.flush())
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
    let s = outfile::write(out, "--out", |w| crate::generate::generate(&p, w))?;
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
    let n = outfile::write(&a.out, "--out", |f| {
        Ok(crate::workload::write_native_csv(&w, f)?)
    })?;
    let mut err = std::io::stderr().lock();
    print_ok(writeln!(
        err,
        "read {} ({} bytes) in {read_s:.2} s; wrote {}: {n} rows",
        a.workload.display(),
        w.source.bytes,
        a.out.display()
    ))?;
    for note in &w.all_notes() {
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
    outfile::write(&a.out, "--out", |f| Ok(f.write_all(toml.as_bytes())?))?;
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
