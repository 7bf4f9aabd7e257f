#!/usr/bin/env python3
"""Runs the issue 6 benchmark (see benches/run.sh, which builds the binaries first).

For each size: benches/data/web-<EVENTS>.csv from `s3sim generate --profile web-assets` (EVENTS/10
objects, 9.4 reads per object, six months, seed 42), made once. Configurations: the floor (polars'
CSV reader, 1 and 2 threads) and `s3sim run` with 1 and 4 policies at --threads 1 and 2. Each round
runs every configuration once, under /usr/bin/time -v; the table keeps the median wall and CPU time
and the largest peak RSS.

With --baseline BIN (benches/run.sh passes BASELINE=BIN), every `s3sim run` configuration is also
run with that binary (label "before") in the same rounds, and once more to compare the report
folders: summary.csv, monthly.csv, prefixes.csv must be byte-identical (summary.csv in the
baseline's columns, when this build only adds columns at the end); the result says whether the
charts and report.md are too.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

# S3SIM_BIN=path measures another build (e.g. an earlier commit's, against a yet earlier BASELINE).
BIN = os.environ.get("S3SIM_BIN", "target/release/s3sim")
FOUR = ["policies/tiered.json", "policies/archive.json", "policies/intelligent-tiering.json"]


def timed(cmd, env=None):
    """(wall s, user+sys s, peak RSS KB) of one run."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    v = {}
    for line in p.stderr.splitlines():
        if ": " in line:
            k, _, val = line.strip().rpartition(": ")
            v[k] = val
    parts = [float(x) for x in v["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")]
    wall = sum(x * 60 ** (len(parts) - 1 - i) for i, x in enumerate(parts))
    cpu = float(v["User time (seconds)"]) + float(v["System time (seconds)"])
    return wall, cpu, int(v["Maximum resident set size (kbytes)"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--floor", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--baseline", help="an earlier s3sim binary, measured in the same rounds")
    ap.add_argument("sizes", nargs="*", type=int, default=[1_000_000, 10_000_000, 50_000_000])
    a = ap.parse_args()
    os.makedirs("benches/data", exist_ok=True)
    os.makedirs("benches/results", exist_ok=True)
    tmp = tempfile.mkdtemp()
    out_dir = os.path.join(tmp, "r")
    rows = []
    try:
        for n in a.sizes:
            csv = f"benches/data/web-{n}.csv"
            if not os.path.exists(csv):
                print(f"generating {csv}", file=sys.stderr)
                subprocess.run([BIN, "generate", "--profile", "web-assets", "--objects", str(n // 10),
                                "--reads-per-object", "9.4", "--months", "6", "--seed", "42",
                                "--out", csv + ".tmp"], check=True, stdout=subprocess.DEVNULL)
                os.replace(csv + ".tmp", csv)
            shutil.rmtree(out_dir, ignore_errors=True)
            subprocess.run([BIN, "run", "--workload", csv, "--policy", "none", "--out", out_dir,
                            "--quiet"], check=True)
            w = json.load(open(os.path.join(out_dir, "run.json")))["inputs"]["workloads"][0]
            shutil.rmtree(out_dir)
            events, objects, mb = w["events"], w["keys"], os.path.getsize(csv) // 1_000_000
            print(f"{csv}: {events} events, {objects} objects, {mb} MB", file=sys.stderr)
            configs = []
            for t in (1, 2):
                env = dict(os.environ, POLARS_MAX_THREADS=str(t))
                configs.append(("floor", "-", t, [a.floor, csv], env))
            bins = [("run", BIN)] + ([("before", a.baseline)] if a.baseline else [])
            for pols in (1, 4):
                p = ["--policy", "none"] + (sum((["--policy", f] for f in FOUR), []) if pols == 4 else [])
                for t in (1, 2):
                    for label, b in bins:
                        configs.append((label, str(pols), t, [b, "run", "--workload", csv] + p +
                                        ["--threads", str(t), "--out", out_dir, "--quiet"], None))
            if a.baseline:
                same = identical_reports(csv, a.baseline, tmp)
                print(f"{csv}: reports of the baseline and this build: {same}",
                      file=sys.stderr)
                rows.append(dict(events=events, identical=same))
            got = {i: [] for i in range(len(configs))}
            for r in range(a.reps):
                for i, (label, pols, t, cmd, env) in enumerate(configs):
                    shutil.rmtree(out_dir, ignore_errors=True)
                    got[i].append(timed(cmd, env))
                    wall, cpu, rss = got[i][-1]
                    print(f"  round {r + 1}: {label} policies={pols} threads={t}: {wall:.2f} s, "
                          f"cpu {cpu:.2f} s, {rss // 1024} MB", file=sys.stderr)
            for i, (label, pols, t, _, _) in enumerate(configs):
                runs = got[i]
                rows.append(dict(events=events, objects=objects, mb=mb, label=label, pols=pols,
                                 threads=t, wall=statistics.median(x[0] for x in runs),
                                 cpu=statistics.median(x[1] for x in runs),
                                 rss=max(x[2] for x in runs), walls=[x[0] for x in runs]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write(rows, a)


def identical_reports(csv, baseline, tmp):
    """How this build's report compares with the baseline's: "identical" (tables, charts and
    report.md byte for byte), "tables identical" (the numbers are; report.md or the charts changed,
    as a report change does), or "DIFFERENT" (a table differs)."""
    outs = []
    for k, b in enumerate((BIN, baseline)):
        out = os.path.join(tmp, f"cmp{k}")
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([b, "run", "--workload", csv, "--policy", "none"] +
                       sum((["--policy", f] for f in FOUR), []) + ["--out", out, "--quiet"], check=True)
        outs.append(out)

    def same_file(n):
        try:
            with open(os.path.join(outs[0], n), "rb") as x, open(os.path.join(outs[1], n), "rb") as y:
                mine, theirs = x.read(), y.read()
        except FileNotFoundError:
            return False
        if n == "summary.csv":
            mine, theirs = common_columns(mine, theirs)
        return mine == theirs

    if not all(same_file(n) for n in ["summary.csv", "monthly.csv", "prefixes.csv"]):
        return "DIFFERENT"
    charts = [sorted(os.listdir(os.path.join(o, "charts"))) for o in outs]
    rest = charts[0] == charts[1] and all(same_file(n) for n in ["report.md"] + ["charts/" + c for c in charts[0]])
    return "identical" if rest else "tables identical"


def common_columns(mine, theirs):
    """summary.csv of this build cut to the baseline's columns, when it only adds columns at the
    end (a new column is reviewed in its own commit; the numbers of the old ones must not move)."""
    ours = mine.decode().splitlines()
    old = theirs.decode().splitlines()
    if not ours or not old or not ours[0].startswith(old[0]):
        return mine, theirs
    n = old[0].count(",") + 1
    cut = "\n".join(",".join(line.split(",")[:n]) for line in ours) + "\n"
    return cut.encode(), theirs


def find(rows, events, label, pols, threads):
    for r in rows:
        if "label" not in r:
            continue
        if (r["events"], r["label"], r["pols"], r["threads"]) == (events, label, pols, threads):
            return r["wall"]
    return None


def write(rows, a):
    host = platform.node().split(".")[0]
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    out = f"benches/results/{day}-{host}.md"
    k = 2
    while os.path.exists(out):
        out = f"benches/results/{day}-{host}-{k}.md"
        k += 1
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    L = []
    L.append(f"# s3sim run benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%MZ}")
    L.append("")
    L.append(f"- machine: {os.cpu_count()} cores, {cpu}, {mem:.0f} GiB")
    if "S3SIM_BIN" in os.environ:
        L.append(f"- s3sim: `{BIN}` (S3SIM_BIN; the checkout is at {commit}), release build")
    else:
        L.append(f"- s3sim {commit}{' (with uncommitted changes)' if dirty else ''}, release build")
    L.append(f"- command: `benches/run.sh {' '.join(map(str, a.sizes))}` with REPS={a.reps}: {a.reps} round(s), each running every configuration once; the table shows median wall and CPU (user + system) times and the largest peak RSS (`/usr/bin/time -v`)")
    L.append("- workload: `s3sim generate --profile web-assets --objects EVENTS/10 --reads-per-object 9.4 --months 6 --seed 42`")
    L.append(f"- floor: `POLARS_MAX_THREADS=T {a.floor} W.csv` (benches/parse_floor.rs: polars' CSV reader into columns, every column, nothing else)")
    L.append(f"- run: `{BIN} run --workload W.csv --policy P... --threads T --out DIR --quiet` (report and charts included); 1 policy = none; 4 = none, " + ", ".join(FOUR))
    L.append("- bound: issue 6's memory bound, 48 bytes per event + 200 bytes per distinct object")
    L.append("")
    if a.baseline:
        L.append(f"- before: `{a.baseline}` (label \"before\"), run in the same rounds")
    L.append("")
    L.append("| events | objects | CSV MB | what | policies | threads | wall s | CPU s | events/s | peak RSS MB | RSS B/event | bound MB | run/floor | wall s of each round |")
    L.append("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in (r for r in rows if "label" in r):
        bound = (48 * r["events"] + 200 * r["objects"]) / 2**20
        ratio = ""
        if r["label"] in ("run", "before"):
            f = find(rows, r["events"], "floor", "-", r["threads"])
            ratio = f"{r['wall'] / f:.2f}" if f else ""
        L.append(f"| {r['events']} | {r['objects']} | {r['mb']} | {r['label']} | {r['pols']} | {r['threads']} | "
                 f"{r['wall']:.2f} | {r['cpu']:.2f} | {r['events'] / r['wall'] / 1e6:.2f}M | {r['rss'] / 1024:.0f} | "
                 f"{r['rss'] * 1024 / r['events']:.0f} | {bound:.0f} | {ratio} | {', '.join(f'{x:.2f}' for x in r['walls'])} |")
    L.append("")
    L.append("Ratios of medians (issue 6's targets: run/floor at most 3 with 1 policy at 10M events; 4 policies at most 1.5x one; 2 threads at least 1.7x faster than 1):")
    L.append("")
    for ev in dict.fromkeys(r["events"] for r in rows if "label" in r):
        parts = []
        r1, f2 = find(rows, ev, "run", "1", 2), find(rows, ev, "floor", "-", 2)
        if r1 and f2:
            parts.append(f"run/floor (1 policy, 2 threads) {r1 / f2:.2f}")
        r4 = find(rows, ev, "run", "4", 2)
        if r1 and r4:
            parts.append(f"4 policies/1 policy (2 threads) {r4 / r1:.2f}")
        for p in ("1", "4"):
            x, y = find(rows, ev, "run", p, 1), find(rows, ev, "run", p, 2)
            if x and y:
                parts.append(f"speedup 2 threads/1 ({p} {'policy' if p == '1' else 'policies'}) {x / y:.2f}x")
        b1 = find(rows, ev, "before", "1", 2)
        if b1 and f2:
            parts.append(f"before: run/floor (1 policy, 2 threads) {b1 / f2:.2f}")
        if b1 and r1:
            parts.append(f"this build/before (1 policy, 2 threads) {r1 / b1:.3f}")
        same = [r["identical"] for r in rows if r.get("events") == ev and "identical" in r]
        if same:
            parts.append({"identical": "reports identical to before's",
                          "tables identical": "tables identical to before's (report.md and charts changed)"}
                         .get(same[0], "TABLES DIFFER from before's"))
        fx, fy = find(rows, ev, "floor", "-", 1), find(rows, ev, "floor", "-", 2)
        if fx and fy:
            parts.append(f"floor speedup {fx / fy:.2f}x")
        L.append(f"- {ev} events: " + "; ".join(parts))
    text = "\n".join(L) + "\n"
    open(out, "w").write(text)
    print(text)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
