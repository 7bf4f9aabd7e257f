#!/usr/bin/env bash
# Lifecycle evaluation with many rules (issue 11, D14): 1,000 overlapping rules (every rule matches
# every object) against 1,000 disjoint rules (each object matches one), over 100,000 objects.
#
#   benches/rules.sh [DIR]            inputs and reports go to DIR (default /tmp/s3sim-rules-bench)
#   BIN=path REPS=N benches/rules.sh  binary to time (default target/release/s3sim; not built here,
#                                     run `cargo build --release --locked` first), rounds (default 3)
#
# Measured on a 2-core AMD EPYC with 23 GiB (see benches/results/*-rules.md). Generates (Python,
# fixed seed, so the inputs are the same on every run):
#   DIR/objects.csv     native workload: 100,000 PUTs of data/<n % 1000>/<n> spread over 2026-01..03,
#                       sizes 1 KB..64 MB (some under 128 KB), a third tagged team=a|b, then 20,000 GETs
#                       and 5,000 DELETEs until 2026-12 (so the horizon is 12 months)
#   DIR/overlap.json    1,000 rules, all with prefix data/: And{Prefix, ObjectSizeGreaterThan i} (a fifth
#                       with a team tag), transitions at different days to STANDARD_IA,
#                       INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE, some
#                       expirations
#   DIR/disjoint.json   the same 1,000 rules, but rule i has prefix data/<i>/ (one rule per object)
# checks both with `s3sim validate`, then times, once per round and policy:
#   BIN run --workload DIR/objects.csv --policy DIR/P.json --out DIR/out-P --quiet
# under /usr/bin/time -v, and prints the wall time of each round and the peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "benches/rules.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
BIN=${BIN:-target/release/s3sim}
REPS=${REPS:-3}
DIR=${1:-/tmp/s3sim-rules-bench}
mkdir -p "$DIR"

python3 - "$DIR" <<'EOF'
import json, random, sys, datetime as dt
out = sys.argv[1]
rng = random.Random(11)
N, RULES = 100_000, 1000
start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
def ts(sec):
    return (start + dt.timedelta(seconds=sec)).strftime("%Y-%m-%dT%H:%M:%SZ")
rows = []
keys = []
for n in range(N):
    key = f"data/{n % RULES}/{n}"
    keys.append(key)
    sec = rng.randrange(0, 90 * 86400)
    size = rng.choice([rng.randrange(1024, 128 * 1024), rng.randrange(128 * 1024, 64 << 20),
                       rng.randrange(128 * 1024, 64 << 20)])
    tags = rng.choice(["", "", "team=a", "team=b"])
    rows.append((sec, n, f"{ts(sec)},PUT,{key},{size},,{tags}"))
for i in range(20_000):
    sec = rng.randrange(90 * 86400, 364 * 86400)
    rows.append((sec, N + i, f"{ts(sec)},GET,{rng.choice(keys)},,,"))
for i in range(5_000):
    sec = rng.randrange(30 * 86400, 364 * 86400)
    rows.append((sec, 2 * N + i, f"{ts(sec)},DELETE,{rng.choice(keys)},,,"))
rows.sort()
with open(f"{out}/objects.csv", "w") as f:
    f.write("timestamp,op,key,size,storage_class,tags\n")
    for _, _, r in rows:
        f.write(r + "\n")

# Transition chains that S3 accepts: (class, days offset from the previous transition).
chains = [
    [("STANDARD_IA", 30), ("GLACIER_IR", 30), ("DEEP_ARCHIVE", 90)],
    [("INTELLIGENT_TIERING", 0), ("GLACIER", 60)],
    [("ONEZONE_IA", 30), ("GLACIER", 30)],
    [("GLACIER_IR", 0), ("DEEP_ARCHIVE", 120)],
    [("STANDARD_IA", 30), ("INTELLIGENT_TIERING", 30), ("ONEZONE_IA", 30)],
    [("GLACIER", 0)],
    [("INTELLIGENT_TIERING", 0), ("ONEZONE_IA", 10), ("DEEP_ARCHIVE", 30)],
]
def rules(prefix_of):
    rs = []
    for i in range(RULES):
        chain = chains[i % len(chains)]
        day = 1 + (i * 7) % 300
        trans = []
        for cls, gap in chain:
            day += gap
            trans.append({"Days": day, "StorageClass": cls})
        flt = {"Prefix": prefix_of(i), "ObjectSizeGreaterThan": i}
        if i % 5 == 0:
            flt["Tags"] = [{"Key": "team", "Value": "a" if i % 2 else "b"}]
        r = {"ID": f"r{i:04}", "Status": "Enabled", "Filter": {"And": flt}, "Transitions": trans}
        if i % 3 == 0:
            r["Expiration"] = {"Days": day + 30 + (i % 200)}
        rs.append(r)
    return {"Rules": rs}
with open(f"{out}/overlap.json", "w") as f:
    json.dump(rules(lambda i: "data/"), f, indent=1)
with open(f"{out}/disjoint.json", "w") as f:
    json.dump(rules(lambda i: f"data/{i}/"), f, indent=1)
EOF

for p in overlap disjoint; do
    "$BIN" validate "$DIR/$p.json" >/dev/null || { echo "$DIR/$p.json is not valid" >&2; exit 1; }
done
echo "binary: $BIN ($("$BIN" --version 2>/dev/null || true)); $(nproc) cores; $(date -u +%FT%TZ)"
for round in $(seq "$REPS"); do
    for p in overlap disjoint; do
        /usr/bin/time -v "$BIN" run --workload "$DIR/objects.csv" --policy "$DIR/$p.json" \
            --out "$DIR/out-$p" --quiet 2>"$DIR/time-$p.txt"
        wall=$(grep 'Elapsed (wall clock)' "$DIR/time-$p.txt" | awk '{print $NF}')
        rss=$(grep 'Maximum resident set size' "$DIR/time-$p.txt" | awk '{print $NF}')
        cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$DIR/time-$p.txt")
        echo "round $round  $p  wall $wall  cpu ${cpu}s  peak RSS $((rss / 1024)) MB"
    done
done
