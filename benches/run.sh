#!/usr/bin/env bash
# The performance benchmark of `s3sim run` (issue 6), beside its floor: the time polars' CSV reader
# takes just to parse the same file into columns.
#
#   benches/run.sh [EVENTS...]        default: 1000000 10000000 50000000
#   REPS=N benches/run.sh ...         runs per measurement (default 3; the median wall time is kept)
#
# For each size it generates benches/data/web-<EVENTS>.csv once (`s3sim generate --profile web-assets`,
# EVENTS/10 objects, 9.4 reads per object, six months, seed 42), then measures with /usr/bin/time -v:
#   - the floor: benches/parse_floor.rs, polars' CSV reader, with 1 and 2 polars threads;
#   - `s3sim run` with 1 policy (none) and 4 (none + the three in policies/), at --threads 1 and 2.
# It writes benches/results/<date>-<host>.md (machine, commands, table, ratios) and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000 50000000)
reps=${REPS:-3}
command -v /usr/bin/time >/dev/null || { echo "benches/run.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
cargo build --release --locked --quiet
cargo bench --locked --no-run --bench parse_floor --quiet 2>/dev/null || cargo bench --locked --no-run --bench parse_floor
bin=target/release/s3sim
floor=$(ls -t target/release/deps/parse_floor-* | grep -v '\.d$' | head -1)
mkdir -p benches/data benches/results
out="benches/results/$(date -u +%Y-%m-%d)-$(hostname -s).md"
k=2
while [ -e "$out" ]; do out="benches/results/$(date -u +%Y-%m-%d)-$(hostname -s)-$k.md"; k=$((k + 1)); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows="$tmp/rows.tsv"
: > "$rows"

# measure LABEL POLICIES THREADS EVENTS OBJECTS MB CMD...: REPS runs; median wall, largest RSS.
measure() {
  local label=$1 pols=$2 threads=$3 events=$4 objects=$5 mb=$6
  shift 6
  local walls=() rss=0
  for _ in $(seq "$reps"); do
    rm -rf "$tmp/r"
    /usr/bin/time -v "$@" > /dev/null 2> "$tmp/time"
    walls+=("$(awk -F': ' '/Elapsed/{print $2}' "$tmp/time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')")
    local r
    r=$(awk -F': ' '/Maximum resident/{print $2}' "$tmp/time")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  local wall
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$events" "$objects" "$mb" "$label" "$pols" "$threads" "$wall" "$rss" >> "$rows"
  echo "  $label policies=$pols threads=$threads: ${wall} s, $((rss / 1024)) MB" >&2
}

for n in "${sizes[@]}"; do
  csv="benches/data/web-$n.csv"
  if [ ! -f "$csv" ]; then
    echo "generating $csv" >&2
    "$bin" generate --profile web-assets --objects $((n / 10)) --reads-per-object 9.4 --months 6 \
      --seed 42 --out "$csv.tmp" > /dev/null
    mv "$csv.tmp" "$csv"
  fi
  mb=$(( $(stat -c %s "$csv") / 1000000 ))
  # Events and distinct objects, as s3sim counts them (from run.json).
  "$bin" run --workload "$csv" --policy none --out "$tmp/count" --quiet
  read -r events objects < <(python3 -c "import json,sys; w=json.load(open(sys.argv[1]))['inputs']['workloads'][0]; print(w['events'], w['keys'])" "$tmp/count/run.json")
  rm -rf "$tmp/count"
  echo "$csv: $events events, $objects objects, $mb MB" >&2
  for t in 1 2; do
    measure floor - "$t" "$events" "$objects" "$mb" env POLARS_MAX_THREADS="$t" "$floor" "$csv"
  done
  for pset in 1 4; do
    pol=(--policy none)
    [ "$pset" = 4 ] && pol+=(--policy policies/tiered.json --policy policies/archive.json --policy policies/intelligent-tiering.json)
    for t in 1 2; do
      measure run "$pset" "$t" "$events" "$objects" "$mb" "$bin" run --workload "$csv" "${pol[@]}" --threads "$t" --out "$tmp/r" --quiet
    done
  done
done

python3 - "$rows" "$reps" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB" \
  "$bin" "$floor" > "$out" <<'PY'
import sys, datetime
rows_path, reps, commit, machine, bin_, floor = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(rows_path)]
def find(events, label, pols, threads):
    for r in rows:
        if r[0] == events and r[3] == label and r[4] == pols and r[5] == threads:
            return float(r[6])
    return None
print(f"# s3sim run benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%MZ}")
print()
print(f"- machine: {machine}")
print(f"- s3sim {commit}, release build; wall time is the median of {reps} run(s), RSS the largest")
print("- workload: `s3sim generate --profile web-assets --objects EVENTS/10 --reads-per-object 9.4 --months 6 --seed 42`")
print(f"- floor: `POLARS_MAX_THREADS=T {floor} W.csv` (benches/parse_floor.rs: polars' CSV reader, every column, nothing else)")
print(f"- run: `{bin_} run --workload W.csv --policy P... --threads T --out DIR --quiet`; 1 policy = none; 4 = none, policies/tiered.json, policies/archive.json, policies/intelligent-tiering.json")
print("- bound: issue 6's memory bound, 48 bytes per event + 200 bytes per distinct object")
print()
print("| events | objects | CSV MB | what | policies | threads | wall s | events/s | peak RSS MB | RSS B/event | bound MB | run/floor |")
print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for ev, obj, mb, label, pols, th, wall, rss in rows:
    wall_f, rss_mb = float(wall), int(rss) / 1024
    bound = (48 * int(ev) + 200 * int(obj)) / 2**20
    ratio = ""
    if label == "run":
        f = find(ev, "floor", "-", th)
        ratio = f"{wall_f / f:.2f}" if f else ""
    print(f"| {ev} | {obj} | {mb} | {label} | {pols} | {th} | {wall_f:.2f} | {int(ev) / wall_f / 1e6:.2f}M | {rss_mb:.0f} | {int(rss) * 1024 / int(ev):.0f} | {bound:.0f} | {ratio} |")
print()
print("Ratios (targets of issue 6: run/floor <= 3 with 1 policy at 10M events; 4 policies <= 1.5x one; 2 threads >= 1.7x faster than 1):")
print()
for ev in dict.fromkeys(r[0] for r in rows):
    parts = []
    r1, f2 = find(ev, "run", "1", "2"), find(ev, "floor", "-", "2")
    if r1 and f2:
        parts.append(f"run/floor (1 policy, 2 threads) {r1 / f2:.2f}")
    r4 = find(ev, "run", "4", "2")
    if r1 and r4:
        parts.append(f"4 policies/1 policy (2 threads) {r4 / r1:.2f}")
    for p in ("1", "4"):
        a, b = find(ev, "run", p, "1"), find(ev, "run", p, "2")
        if a and b:
            parts.append(f"speedup 2 threads/1 ({p} {'policy' if p == '1' else 'policies'}) {a / b:.2f}x")
    print(f"- {ev} events: " + "; ".join(parts))
PY
cat "$out"
echo "written to $out"
