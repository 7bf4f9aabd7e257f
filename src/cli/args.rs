//! Raw command-line arguments (clap). Only this file knows clap; `run.rs` turns these into
//! validated, typed settings.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Attempts per request, the first included (AWS SDK standard mode).
/// See: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// s3sim's assumption (AWS publishes no figure): minutes of throttling before a prefix scales.
pub const DEFAULT_SCALE_AFTER_MINUTES: u32 = 30;

#[derive(Debug, Parser)]
#[command(
    name = "s3sim",
    version,
    about = "What an Amazon S3 lifecycle policy will cost, before you commit to it",
    long_about = "s3sim replays object workloads against S3 lifecycle policies and bills them as S3 does: \
storage per byte-hour and class, minimum sizes and durations, early deletion, requests, transitions, \
retrievals and restores. Prices come from pricing/aws-us-east-1.toml (built in) or --pricing."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate every workload against every policy and write a report folder.
    Run(Box<RunArgs>),
    /// Search lifecycle configurations for the cheapest one per workload under constraints.
    Recommend(RecommendArgs),
    /// Check lifecycle configurations as S3 would and explain each rule.
    Validate(ValidateArgs),
    /// Print the price table in use.
    Pricing(PricingArgs),
    /// Write a synthetic workload CSV from a model of bucket use (see --describe).
    Generate(GenerateArgs),
    /// Write any supported input (access logs, IBM traces, inventories) as a workload CSV.
    Convert(ConvertArgs),
    /// Merge the ledgers of `run --shard` into the report one `run` would have written.
    Merge(MergeArgs),
    /// Print the Kubernetes Indexed Job that runs `run` in N shards (and, with --step merge,
    /// the Job that merges their ledgers).
    K8sJob(K8sJobArgs),
    /// For engines that hand s3sim lines (Spark): key each line (PATH, LINE, TEXT on stdin) by
    /// its shard, as SHARD, PATH, LINE, TEXT on stdout; the last line is the input's facts.
    ShardKey(ShardKeyArgs),
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The model: web-assets, logs, backups, media, ml-dataset, data-lake or versioned.
    #[arg(long, value_name = "NAME")]
    pub profile: String,
    /// Print the model's parameters and what to expect from them, and write nothing.
    #[arg(long)]
    pub describe: bool,
    /// Where to write the workload CSV.
    #[arg(long, value_name = "FILE.csv", required_unless_present = "describe")]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
    /// Objects written over the period.
    #[arg(long, value_name = "N")]
    pub objects: Option<u64>,
    /// Calendar months to generate.
    #[arg(long, value_name = "N")]
    pub months: Option<u32>,
    /// First day (00:00 UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Seed; the same options and seed give the same bytes.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Median object size [bytes].
    #[arg(long, value_name = "BYTES")]
    pub size_median: Option<f64>,
    /// Spread of sizes: standard deviation of the log of the size.
    #[arg(long, value_name = "SIGMA", allow_negative_numbers = true)]
    pub size_sigma: Option<f64>,
    /// Mean GETs per object.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub reads_per_object: Option<f64>,
    /// Reads decay with object age with this half-life [days].
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    pub decay_half_life_days: Option<f64>,
    /// Zipf exponent of popularity (0: every object alike).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub zipf: Option<f64>,
    /// Delete objects this many days after creation.
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    pub delete_after_days: Option<f64>,
    /// Rate of burst reads (ML epochs, backup restore drills, data-lake scans) [GETs/s].
    #[arg(long, value_name = "RPS", allow_negative_numbers = true)]
    pub burst_rps: Option<f64>,
    /// Days between bursts.
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    pub burst_every_days: Option<f64>,
    /// Amplitude of the daily cycle of reads (0 to 1).
    #[arg(long, value_name = "A", allow_negative_numbers = true)]
    pub daily_cycle: Option<f64>,
    /// Share of objects revived months later (0 to 1).
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub revival: Option<f64>,
    /// Storage class the PUTs write.
    #[arg(long, value_name = "CLASS")]
    pub storage_class: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Workload CSV (timestamp,op,key,size[,storage_class][,tags]); repeatable.
    /// Default: every workloads/*.csv.
    #[arg(long = "workload", value_name = "FILE", num_args = 1..)]
    pub workloads: Vec<PathBuf>,
    /// Lifecycle configuration JSON (as `aws s3api put-bucket-lifecycle-configuration` takes), or
    /// `none` for no lifecycle rules; repeatable. Default: none plus every policies/*.json.
    #[arg(long = "policy", value_name = "FILE|none", num_args = 1..)]
    pub policies: Vec<String>,
    /// Report folder. Default: reports/<UTC timestamp>.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub prices: PriceArgs,
    /// Simulate N calendar months from the first event's month.
    #[arg(long, value_name = "N", conflicts_with = "until")]
    pub months: Option<u32>,
    /// Simulate until 00:00 UTC of this date (exclusive).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// Tier of restores that GETs of archived objects start (GLACIER, DEEP_ARCHIVE, and
    /// Intelligent-Tiering's Archive Access and Deep Archive Access tiers).
    #[arg(long, value_enum, default_value_t = TierArg::Standard)]
    pub restore_tier: TierArg,
    /// Intelligent-Tiering archive configuration JSON (as `aws s3api
    /// put-bucket-intelligent-tiering-configuration` takes it); repeatable. Without one,
    /// INTELLIGENT_TIERING objects never leave Archive Instant Access.
    #[arg(long = "it-config", value_name = "FILE", num_args = 1..)]
    pub it_configs: Vec<PathBuf>,
    /// Days a restored copy lives (RestoreRequest Days).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub restore_days: u32,
    /// The bucket's versioning state. Default: off, or enabled for a workload whose input names
    /// version ids.
    #[arg(long, value_enum)]
    pub versioning: Option<VersioningArg>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Bill GET bytes as data transfer out to the internet.
    #[arg(long, value_enum, default_value_t = EgressArg::None)]
    pub egress: EgressArg,
    /// Request-rate partitions: cut key prefixes (the key up to its last `/`) to N segments.
    #[arg(long, value_name = "N")]
    pub prefix_depth: Option<u32>,
    /// Seed of the retry backoff jitter. Results are identical for the same seed.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Attempts per request, the first included, before it counts as failed (AWS SDK standard
    /// mode: 3).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ATTEMPTS)]
    pub max_attempts: u32,
    /// s3sim's assumption (AWS publishes no figure): a prefix throttled in each of this many
    /// consecutive minutes doubles its request-rate limits.
    #[arg(long, value_name = "MINUTES", default_value_t = DEFAULT_SCALE_AFTER_MINUTES)]
    pub scale_after: u32,
    /// Never scale a hot prefix's limits.
    #[arg(long)]
    pub no_scale: bool,
    /// Apply S3's former rule (until 2026-07-16) that transitions to STANDARD_IA / ONEZONE_IA need
    /// Days >= 30.
    #[arg(long)]
    pub ia_30_day_minimum: bool,
    /// Also write the tables as Parquet (summary.parquet, monthly.parquet, prefixes.parquet).
    #[arg(long)]
    pub parquet: bool,
    /// The policy the others are compared with: `none` or a policy's name (its file stem) or
    /// file; a baseline not among --policy is simulated too.
    #[arg(long, value_name = "POLICY", default_value = "none")]
    pub baseline: String,
    /// Mark policies whose p99 GET wait exceeds this (e.g. 1s, 500ms, 5m, 12h) as unacceptable.
    #[arg(long, value_name = "DURATION")]
    pub max_p99_get_wait: Option<String>,
    /// Which charts to draw: all, summary (the cross-workload and decision charts only) or none.
    #[arg(long, value_enum, default_value_t = ChartsArg::All)]
    pub charts: ChartsArg,
    #[command(flatten)]
    pub input: InputArgs,
    /// S3 Inventory (manifest.json or CSV): objects that exist at the start, added to every
    /// workload, with their ages, sizes and storage classes.
    #[arg(long, value_name = "FILE")]
    pub inventory: Option<PathBuf>,
    /// Replay each workload's requests again and again (shifted by its span) until this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub repeat_until: Option<String>,
    /// Simulate one shard: `I/N` (0-based index I of N), or `env` with --shards N to take I from
    /// JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch
    /// array jobs). A shard keeps the request-rate partitions that hash to I and writes a ledger
    /// (--ledger-out); `s3sim merge` writes the report from all the ledgers.
    #[arg(long, value_name = "I/N|env")]
    pub shard: Option<String>,
    /// The number of shards, with --shard env.
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// Write the run's usage ledger (JSON, integers only) to this file, to this folder (as
    /// shard-IIIII-of-NNNNN.ledger.json), or to stdout (`-`).
    #[arg(long, value_name = "PATH")]
    pub ledger_out: Option<PathBuf>,
    /// Bound the memory the run takes (e.g. 2G, 512M): an input larger than about half of it is
    /// read once and spilled by request-rate partition to a temporary folder (TMPDIR), then
    /// simulated a group of partitions at a time, with the same results. Default: three
    /// quarters of the machine's memory.
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,
    /// For engines that hand each worker its lines (the Spark driver in contrib/spark): read
    /// the keyed lines `s3sim shard-key` wrote (SHARD, PATH, LINE, TEXT; `-` for stdin) instead
    /// of --workload. Needs --shard I/N, --name and --input-facts.
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["workloads"])]
    pub records: Option<PathBuf>,
    /// With --records: the workload's name (a run of the files names it by their file stem).
    #[arg(long, value_name = "NAME", requires = "records")]
    pub name: Option<String>,
    /// With --records: the facts of the whole input, shard-key's `facts` lines merged (JSON).
    #[arg(long, value_name = "JSON", requires = "records")]
    pub input_facts: Option<String>,
    /// Print nothing but errors (no table, no progress bar).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShardKeyArgs {
    /// The number of shards.
    #[arg(long, value_name = "N")]
    pub shards: u32,
    /// Request-rate partitions: as `run --prefix-depth` (give both the same).
    #[arg(long, value_name = "N")]
    pub prefix_depth: Option<u32>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    Yaml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JobStep {
    /// The workers: an Indexed Job of --shards pods.
    Run,
    /// The merge of their ledgers into the report.
    Merge,
}

#[derive(Debug, clap::Args)]
pub struct K8sJobArgs {
    /// Shards: the Indexed Job's completions, one pod each.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub shards: u32,
    /// A container image with s3sim on its PATH.
    #[arg(long, value_name = "IMAGE")]
    pub image: String,
    /// The Job's name; its ledgers go to MOUNT/ledgers/NAME/, its report to MOUNT/reports/NAME/.
    #[arg(long, value_name = "NAME", default_value = "s3sim")]
    pub name: String,
    /// Pods running at once (default: all).
    #[arg(long, value_name = "N")]
    pub parallelism: Option<u32>,
    /// Retries of each index before the Job fails (backoffLimitPerIndex).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub backoff_limit_per_index: u32,
    /// A PersistentVolumeClaim (ReadWriteMany) holding the inputs, ledgers and report.
    #[arg(long, value_name = "CLAIM", default_value = "s3sim-data")]
    pub volume_claim: String,
    /// Where the claim is mounted in the pods.
    #[arg(long, value_name = "PATH", default_value = "/data")]
    pub mount_path: String,
    /// Memory each pod requests and is limited to (e.g. 8Gi).
    #[arg(long, value_name = "QUANTITY")]
    pub memory: Option<String>,
    /// CPUs each pod requests and is limited to (e.g. 2).
    #[arg(long, value_name = "QUANTITY")]
    pub cpu: Option<String>,
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// yaml, or json (kubectl takes either).
    #[arg(long, value_enum, default_value_t = ManifestFormat::Yaml)]
    pub format: ManifestFormat,
    /// Which Job: the workers (run) or the merge.
    #[arg(long, value_enum, default_value_t = JobStep::Run)]
    pub step: JobStep,
    /// `run` and its arguments (paths as the pods see them), after `--`.
    #[arg(last = true, value_name = "RUN ARGS")]
    pub command: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Ledger files of `s3sim run --ledger-out`, or folders of them (their *.ledger.json).
    #[arg(value_name = "LEDGER", required = true, num_args = 1..)]
    pub ledgers: Vec<PathBuf>,
    /// Report folder. Default: reports/<UTC timestamp>.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Prices (default: the price table the shards were run with, which the ledgers record).
    #[command(flatten)]
    pub prices: PriceArgs,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct RecommendArgs {
    /// Workload files; repeatable. Default: every workloads/*.csv.
    #[arg(long = "workload", value_name = "FILE", num_args = 1..)]
    pub workloads: Vec<PathBuf>,
    /// The lifecycle configuration in use now, to compare the recommendation with.
    #[arg(long, value_name = "POLICY.json")]
    pub current: Option<PathBuf>,
    /// Only configurations whose p99 GET wait is at most this (e.g. 1s, 5min, 12h).
    #[arg(long, value_name = "DURATION")]
    pub max_p99_get_wait: Option<String>,
    /// Only configurations with at most this many restore requests in any month.
    #[arg(long, value_name = "N")]
    pub max_restores_per_month: Option<u64>,
    /// Storage classes to transition to, comma-separated. Default: every class a lifecycle rule
    /// can target.
    #[arg(long, value_name = "CLASS,...", value_delimiter = ',')]
    pub classes: Vec<String>,
    /// Group keys by their first N `/`-separated segments (one rule per group).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub prefix_depth: usize,
    /// At most this many groups: the smallest are merged (their prefixes share one action).
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub max_groups: usize,
    /// Also search expirations of current objects (after 1, 7, 30, 90, 180 or 365 days), instead
    /// of keeping --current's. A configuration whose expiration deletes an object the workload
    /// reads later (a GET or HEAD) is never recommended.
    #[arg(long)]
    pub allow_expiration: bool,
    /// Simulate N calendar months from the first event's month.
    #[arg(long, value_name = "N", conflicts_with = "until")]
    pub months: Option<u32>,
    /// Simulate until 00:00 UTC of this date (exclusive).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// The bucket's versioning state. Default: off, or enabled for a workload whose input names
    /// version ids.
    #[arg(long, value_enum)]
    pub versioning: Option<VersioningArg>,
    #[command(flatten)]
    pub prices: PriceArgs,
    /// Output folder. Default: reports/recommend-<UTC timestamp>.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How inputs are read (shared by `run` and `convert`).
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Input format, instead of detecting it: native, access-log, ibm-trace, inventory.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Make any bad input line an error (else bad lines are counted, skipped and reported).
    #[arg(long)]
    pub strict: bool,
    /// Where IBM COS traces' time 0 lies (their timestamps are milliseconds from the start).
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "2026-01-01")]
    pub trace_start: String,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The input: a file in any supported format (gzip too), or a directory of access logs.
    #[arg(long, value_name = "PATH")]
    pub workload: PathBuf,
    /// The workload CSV to write.
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Lifecycle configuration JSON files, or Intelligent-Tiering configurations (as
    /// `--it-config` takes them).
    #[arg(value_name = "POLICY.json", required = true)]
    pub policies: Vec<PathBuf>,
    /// Apply S3's former 30-day minimum for STANDARD_IA / ONEZONE_IA transitions.
    #[arg(long)]
    pub ia_30_day_minimum: bool,
    /// Print each valid configuration in another form instead of explaining it: `terraform`
    /// (an `aws_s3_bucket_lifecycle_configuration`).
    #[arg(long, value_enum)]
    pub emit: Option<EmitArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmitArg {
    Terraform,
}

/// Which prices (shared by `run`, `recommend` and `pricing`).
#[derive(Debug, Clone, clap::Args)]
pub struct PriceArgs {
    /// Price table (TOML). Default: the bundled table of --region (us-east-1).
    #[arg(long, value_name = "FILE", conflicts_with = "region")]
    pub pricing: Option<PathBuf>,
    /// Use the bundled price table of this region (`s3sim pricing` lists the bundled regions).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// A negotiated discount: `12%` off every charge, or per component, e.g.
    /// `storage=10%,requests=5%` (storage, requests, transitions, retrieval, monitoring, egress;
    /// a bare percentage covers the components not named).
    #[arg(long, value_name = "PCT")]
    pub discount: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PricingArgs {
    #[command(flatten)]
    pub prices: PriceArgs,
    #[command(subcommand)]
    pub action: Option<PricingCommand>,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Write a price file for one region from AWS Price List offer files you downloaded:
    /// AmazonS3, AmazonS3GlacierDeepArchive and AWSDataTransfer
    /// (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<OFFER>/current/<REGION>/index.json).
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The offer files (JSON), one per offer.
    #[arg(value_name = "OFFER.json", required = true)]
    pub offers: Vec<PathBuf>,
    /// The region, e.g. eu-west-1.
    #[arg(long, value_name = "REGION")]
    pub region: String,
    /// The price file to write (TOML).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    Expedited,
    Standard,
    Bulk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VersioningArg {
    Off,
    Enabled,
    Suspended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartsArg {
    All,
    Summary,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EgressArg {
    Internet,
    None,
}
