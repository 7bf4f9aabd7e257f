#!/usr/bin/env python3
"""Run s3sim on Apache Spark: shard a big workload's lines, simulate the shards on the executors,
merge their ledgers into the report one `s3sim run` would have written.

    spark-submit [--files /path/to/s3sim] s3sim_spark.py \\
        --workload PATH_OR_URI --policy p.json [--policy q.json ...] --shards N \\
        --out REPORT_DIR [--s3sim PATH] [--name NAME] [--prefix-depth D] [--format F] \\
        [--run-arg ARG ...]

The driver never decides which shard a line belongs to: s3sim does (`s3sim shard-key`).

1. `sc.binaryFiles` reads the workload (a file, or a folder and its subfolders); each file is
   gunzipped if it starts with the gzip magic, decoded as UTF-8 and cut into lines
   `PATH<TAB>LINE<TAB>TEXT` (a file's lines stay together, in order, in one partition).
2. Each partition pipes its lines through `s3sim shard-key --shards N`, which keys every line by
   its shard and ends with the facts of what it read; the driver merges the facts.
3. The keyed lines are partitioned by shard (Spark partition i = shard i); each partition pipes
   its lines through `s3sim run --records - --shard i/N ... --ledger-out -`, which writes that
   shard's ledger. Each task works in a fresh temporary folder holding the policies under
   `policies/` and the files --run-arg names (--pricing, --inventory, --it-config) under `files/`,
   so that every shard names them by the same relative paths (the ledgers record them).
4. The driver writes the N ledgers to a temporary folder and runs `s3sim merge` on it.

Options:
  --workload   file or folder: a path of the default file system (HDFS on EMR) or a URI
               (s3://bucket/logs/, file:///data/web-assets.csv)
  --policy     policy JSON (a local path on the driver, or a URI), or `none`; repeatable, and a
               value may be a comma-separated list (AWS Glue cannot repeat an argument)
  --shards     N, the number of shards (and of `run` tasks)
  --out        the report folder: a local path on the driver, or a URI (s3://...) the report is
               copied to with Hadoop's file system (it must not exist yet)
  --s3sim      the s3sim binary, at this path on the driver and on every executor; by default
               the one `spark-submit --files /path/to/s3sim` shipped (SparkFiles). The shipped
               file must be named `s3sim`: Spark ships a link under its target's name, and only
               YARN understands `--files /path/to/s3sim-1.2#s3sim`
  --name       the workload's name (default: the input's file stem, as `s3sim run` names it:
               web-assets.csv -> web-assets, x.log.gz -> x, logs/ -> logs)
  --prefix-depth, --format   given to both `shard-key` and `run`
  --run-arg    more `s3sim run` options; each value is split like a shell line, so write
               `--run-arg='--charts none'` or `--run-arg=--charts --run-arg=none` (with `=`,
               else argparse takes `--charts` for an option of this driver). --strict and
               --trace-start go to `shard-key` too; --pricing, --inventory and --it-config name
               one file each, which the driver reads and ships.

S3SIM_SPARK_FAIL_FIRST_ATTEMPT=1 in the driver's environment makes the first attempt of every
`run` task fail, to test Spark's retries (tests/spark/run.sh); in local mode Spark retries only
with a master `local[N,F]` (F: attempts per task).

Differences from `s3sim run --workload FOLDER`:
- Hadoop skips files and folders whose names start with `_` (as well as `.`); s3sim reads them.
- Each file is one record of binaryFiles: it must fit in an executor's memory.
Build s3sim for the executors' platform (e.g. `--target x86_64-unknown-linux-musl`).

Where to run it. The command lines follow the syntax of these pages:

Amazon EMR on EC2, as a step: `aws emr add-steps` (AWS CLI reference, emr add-steps:
https://docs.aws.amazon.com/cli/latest/reference/emr/add-steps.html; EMR Release Guide, "Add a
Spark step": https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-spark-submit-step.html).
Client mode puts a local --out on the primary node; an s3:// --out works in either mode:

    aws emr add-steps --cluster-id j-XXXXXXXXXXXXX --steps Type=Spark,Name=s3sim,\\
    ActionOnFailure=CONTINUE,Args=[--deploy-mode,client,--files,s3://BUCKET/bin/s3sim,\\
    s3://BUCKET/code/s3sim_spark.py,--workload,s3://BUCKET/logs/,--policy,none,\\
    --policy,s3://BUCKET/policies/tiered.json,--shards,64,--out,s3://BUCKET/reports/logs]

Amazon EMR Serverless: `aws emr-serverless start-job-run` with the job driver `sparkSubmit`
(entryPoint, entryPointArguments, sparkSubmitParameters: EMR Serverless API reference,
https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_SparkSubmit.html; user guide,
https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/gs-cli.html; the PySpark example
of github.com/aws-samples/emr-serverless-samples):

    aws emr-serverless start-job-run --application-id APPLICATION_ID \\
      --execution-role-arn arn:aws:iam::ACCOUNT:role/JOB_ROLE --job-driver '{
        "sparkSubmit": {
          "entryPoint": "s3://BUCKET/code/s3sim_spark.py",
          "entryPointArguments": ["--workload", "s3://BUCKET/logs/", "--policy", "none",
            "--policy", "s3://BUCKET/policies/tiered.json", "--shards", "64",
            "--out", "s3://BUCKET/reports/logs"],
          "sparkSubmitParameters": "--files s3://BUCKET/bin/s3sim --conf spark.task.maxFailures=4"
        }}'

AWS Glue: a `glueetl` job (aws glue create-job --command Name=glueetl,ScriptLocation=...;
job arguments: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html,
https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-python-calling.html). Glue copies
`--extra-files` to the script's working folder, from where the driver ships s3sim to the
executors itself. The driver needs neither `--extra-py-files` (it is one file) nor
`--additional-python-modules` (it uses only Python's standard library and PySpark). Job
arguments are a map: hence the comma-separated --policy and the one --run-arg string.

    aws glue create-job --name s3sim --role GlueJobRole --glue-version 4.0 \\
      --command Name=glueetl,ScriptLocation=s3://BUCKET/code/s3sim_spark.py,PythonVersion=3 \\
      --default-arguments '{"--extra-files": "s3://BUCKET/bin/s3sim"}'
    aws glue start-job-run --job-name s3sim --arguments '{"--workload": "s3://BUCKET/logs/",
      "--policy": "none,s3://BUCKET/policies/tiered.json", "--shards": "64",
      "--out": "s3://BUCKET/reports/logs", "--run-arg": "--charts none"}'

Glue adds arguments of its own (--JOB_ID, --JOB_RUN_ID, --TempDir, ...): the driver ignores the
arguments it does not know, with a warning.
"""

import argparse
import gzip
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import PurePosixPath
from urllib.parse import urlparse

FAIL_ENV = "S3SIM_SPARK_FAIL_FIRST_ATTEMPT"
# `run` options naming a file the executors must read: shipped like the policies.
FILE_OPTIONS = ("--pricing", "--inventory", "--it-config")
# `run` options that change how lines are read, which `shard-key` must be given too
# (the number of values each takes).
READ_OPTIONS = {"--strict": 0, "--trace-start": 1}


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run s3sim on Spark (see the module's docstring).")
    p.add_argument("--workload", required=True)
    p.add_argument("--policy", action="append", required=True)
    p.add_argument("--shards", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--s3sim")
    p.add_argument("--name")
    p.add_argument("--prefix-depth")
    p.add_argument("--format")
    p.add_argument("--run-arg", action="append", default=[])
    args, unknown = p.parse_known_args(argv)
    if unknown:
        print(f"s3sim_spark: ignoring arguments it does not know: {unknown}", file=sys.stderr)
    if args.shards < 1:
        p.error("--shards must be at least 1")
    args.policy = [x for v in args.policy for x in v.split(",") if x]
    args.run_arg = [x for v in args.run_arg for x in shlex.split(v)]
    return args


def workload_name(uri):
    """The name `s3sim run` gives the input: its file stem, less a `.csv` or `.log` left over
    (web-assets.csv -> web-assets, x.log.gz -> x, logs/ -> logs)."""
    u = urlparse(uri)
    path = u.path if u.scheme else uri
    stem = PurePosixPath(path).stem or u.netloc or uri
    for ext in (".csv", ".log"):
        if stem.endswith(ext):
            return stem[: -len(ext)]
    return stem


def read_bytes(sc, path):
    """A small file's bytes: a local path on the driver, else a URI or a path of the default
    file system, read through Spark."""
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return f.read()
    found = sc.binaryFiles(path).collect()
    if len(found) != 1:
        raise SystemExit(f"s3sim_spark: {path}: expected one file, found {len(found)}")
    return found[0][1]


def driver_s3sim(sc, explicit):
    """The s3sim binary on the driver. Without --s3sim: the copy `--files` shipped (SparkFiles),
    else one in the working folder (YARN cluster mode, Glue's --extra-files), which the driver
    then ships to the executors itself."""
    if explicit:
        return os.path.abspath(explicit)
    from pyspark import SparkFiles

    shipped = SparkFiles.get("s3sim")
    if os.path.isfile(shipped):
        return shipped
    here = os.path.abspath("s3sim")
    if os.path.isfile(here):
        if not sc.master.startswith("yarn"):  # YARN gives the executors --files itself
            sc.addFile(here)
        return here
    raise SystemExit("s3sim_spark: no s3sim binary: ship it with `spark-submit --files "
                     "/path/to/s3sim` (Glue: --extra-files), or give --s3sim PATH")


def executable(path):
    """`path`, made executable if it is not (a copy, if it cannot be changed)."""
    if os.access(path, os.X_OK):
        return path
    try:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return path
    except OSError:
        fd, copy = tempfile.mkstemp(prefix="s3sim-")
        os.close(fd)
        shutil.copyfile(path, copy)
        os.chmod(copy, 0o755)
        return copy


def executor_s3sim(explicit):
    if explicit:
        return executable(os.path.abspath(explicit))
    from pyspark import SparkFiles

    path = SparkFiles.get("s3sim")
    if not os.path.isfile(path):
        raise RuntimeError(f"no s3sim binary at {path}: ship it with spark-submit --files")
    return executable(path)


def file_lines(path_and_bytes):
    """One file of binaryFiles -> its lines as `PATH<TAB>LINE<TAB>TEXT\\n`, in order."""
    path, data = path_and_bytes
    if "\t" in path or "\n" in path:
        raise ValueError(f"{path!r}: a path with a tab or newline cannot be handed to s3sim")
    data = bytes(data)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)  # every member of a multi-member file
        except (OSError, EOFError) as e:
            raise ValueError(f"{path}: bad gzip data: {e}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text: {e}") from None
    pieces = text.split("\n")
    if pieces[-1] == "":
        pieces.pop()  # what follows the last newline is not a line
    for n, line in enumerate(pieces, 1):
        yield f"{path}\t{n}\t{line}\n"


def pipe(cmd, lines, cwd=None):
    """Runs cmd with `lines` (strings) on its stdin, fed by a thread; yields its stdout lines
    (with their newline); raises with its stderr if it fails."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd)
    failed, err = [], []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8"))
        except BrokenPipeError:
            pass  # s3sim stopped reading: its exit code and stderr say why
        except BaseException as e:  # e.g. a file that is not UTF-8
            failed.append(e)
            proc.kill()
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def drain():
        err.append(proc.stderr.read())

    threads = [threading.Thread(target=feed), threading.Thread(target=drain)]
    for t in threads:
        t.start()
    for line in proc.stdout:
        yield line.decode("utf-8")
    for t in threads:
        t.join()
    code = proc.wait()
    if failed:
        raise failed[0]
    if code != 0:
        raise RuntimeError(f"{' '.join(map(shlex.quote, cmd))} failed (exit code {code}): "
                           f"{err[0].decode('utf-8', 'replace').strip()}")


def merge_facts(parts):
    """The facts of every shard-key process -> the whole input's, as compact JSON."""
    facts = [json.loads(p) for p in parts]
    firsts = [f["first"] for f in facts if f["first"] is not None]
    lasts = [f["last"] for f in facts if f["last"] is not None]
    return json.dumps({
        "first": min(firsts) if firsts else None,
        "last": max(lasts) if lasts else None,
        "names_versions": any(f["names_versions"] for f in facts),
        "lines": sum(f["lines"] for f in facts),
    }, separators=(",", ":"))


def ship_run_files(sc, run_args):
    """Replaces the files that --run-arg names (FILE_OPTIONS) by `files/NAME`; returns the new
    arguments, the files' (NAME, bytes) and the options for shard-key (READ_OPTIONS)."""
    out, files, read_opts = [], [], []
    i = 0
    while i < len(run_args):
        a = run_args[i]
        opt, eq, value = a.partition("=")
        if opt in READ_OPTIONS:
            n = 0 if eq else READ_OPTIONS[opt]
            read_opts += run_args[i:i + 1 + n]
        if opt in FILE_OPTIONS:
            if not eq:
                i += 1
                if i == len(run_args):
                    raise SystemExit(f"s3sim_spark: --run-arg {opt} needs a file")
                value = run_args[i]
            name = PurePosixPath(value).name
            if any(name == f[0] for f in files):
                raise SystemExit(f"s3sim_spark: two --run-arg files named {name}")
            files.append((name, read_bytes(sc, value)))
            out += [opt, f"files/{name}"]
        else:
            out.append(a)
        i += 1
    return out, files, read_opts


def write_report(sc, s3sim, ledgers, n, out):
    """Writes the ledgers to a temporary folder and merges them into `out` (a local folder, or a
    URI the report is copied to)."""
    tmp = tempfile.mkdtemp(prefix="s3sim-spark-")
    try:
        led = os.path.join(tmp, "ledgers")
        os.mkdir(led)
        for i, text in ledgers:
            with open(os.path.join(led, f"shard-{i:05d}-of-{n:05d}.ledger.json"), "w") as f:
                f.write(text)
        remote = bool(urlparse(out).scheme)
        local = os.path.join(tmp, "report") if remote else out
        code = subprocess.run([s3sim, "merge", led, "--out", local]).returncode
        if code != 0:
            raise SystemExit(f"s3sim_spark: s3sim merge failed (exit code {code})")
        if remote:
            hadoop = sc._jvm.org.apache.hadoop.fs
            dst = hadoop.Path(out)
            fs = dst.getFileSystem(sc._jsc.hadoopConfiguration())
            if fs.exists(dst):
                raise SystemExit(f"s3sim_spark: {out} exists already")
            fs.copyFromLocalFile(False, False, hadoop.Path("file://" + local), dst)
            print(f"s3sim_spark: report copied to {out}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    args = parse_args(argv)
    from pyspark import SparkContext, TaskContext

    sc = SparkContext.getOrCreate()
    n = args.shards
    name = args.name or workload_name(args.workload)
    fail_first = os.environ.get(FAIL_ENV) == "1"
    s3sim_path = args.s3sim
    local_s3sim = driver_s3sim(sc, s3sim_path)

    # The policies' text, for the executors to write under their base names.
    policies, policy_args = [], []
    for p in args.policy:
        if p == "none":
            policy_args.append(p)
            continue
        base = PurePosixPath(urlparse(p).path or p).name
        if any(base == q[0] for q in policies):
            raise SystemExit(f"s3sim_spark: two policies named {base}")
        policies.append((base, read_bytes(sc, p)))
        policy_args.append(f"policies/{base}")
    run_args, run_files, read_opts = ship_run_files(sc, args.run_arg)
    common = []  # for shard-key and run
    if args.prefix_depth is not None:
        common += ["--prefix-depth", args.prefix_depth]
    if args.format is not None:
        common += ["--format", args.format]

    # 1. Lines, folders read recursively.
    sc._jsc.hadoopConfiguration().set(
        "mapreduce.input.fileinputformat.input.dir.recursive", "true")
    lines = sc.binaryFiles(args.workload).flatMap(file_lines)

    # 2. Keyed by shard-key: (shard, keyed line) and, last, ("facts", json).
    def key_partition(part):
        cmd = [executor_s3sim(s3sim_path), "shard-key", "--shards", str(n), *common, *read_opts]
        facts = None
        for line in pipe(cmd, part):
            head, _, rest = line.partition("\t")
            if facts is not None:
                raise RuntimeError("s3sim shard-key wrote lines after its facts")
            if head == "facts":
                facts = rest.rstrip("\n")
            else:
                yield int(head), line
        if facts is None:
            raise RuntimeError("s3sim shard-key wrote no facts")
        yield "facts", facts

    keyed = lines.mapPartitions(key_partition).persist()
    parts = keyed.filter(lambda kv: kv[0] == "facts").values().collect()
    if not parts:
        raise SystemExit(f"s3sim_spark: no input files at {args.workload}")
    facts = merge_facts(parts)

    # 3. Spark partition i = shard i; each writes its ledger.
    def run_shard(index, part):
        if fail_first and TaskContext.get().attemptNumber() == 0:
            raise RuntimeError(f"{FAIL_ENV}=1: failing the first attempt of shard {index}")
        exe = executor_s3sim(s3sim_path)
        work = tempfile.mkdtemp(prefix="s3sim-shard-")
        try:
            for folder, files in (("policies", policies), ("files", run_files)):
                os.mkdir(os.path.join(work, folder))
                for base, data in files:
                    with open(os.path.join(work, folder, base), "wb") as f:
                        f.write(data)

            def records():
                for shard, line in part:
                    if shard != index:
                        raise RuntimeError(f"a line of shard {shard} in partition {index}")
                    yield line

            cmd = [exe, "run", "-q", "--records", "-", "--shard", f"{index}/{n}",
                   "--name", name, "--input-facts", facts, "--ledger-out", "-",
                   *common, *run_args, "--policy", *policy_args]
            ledger = "".join(pipe(cmd, records(), cwd=work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        yield index, ledger

    records = keyed.filter(lambda kv: kv[0] != "facts")
    ledgers = records.partitionBy(n, lambda k: k).mapPartitionsWithIndex(run_shard).collect()
    keyed.unpersist()
    found = sorted(i for i, _ in ledgers)
    if found != list(range(n)):
        raise SystemExit(f"s3sim_spark: expected the ledgers of shards 0..{n - 1}, got {found}")
    print(f"s3sim_spark: {json.loads(facts)['lines']} lines of {name} in {n} shard(s)",
          file=sys.stderr)

    # 4. The report.
    write_report(sc, local_s3sim, ledgers, n, args.out)
    sc.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
