#!/usr/bin/env bash
# End-to-end benchmark of `s3sim run` (release build).
#
#   benches/run.sh [EVENTS...]        default: 1000000 10000000
#
# For each size: generates benches/data/bench-<N>.csv once (benches/gen_workload.py, seed 42), then
# runs `s3sim run` with 1 and with 4 policies at --threads 1 and 2, measuring wall time and peak RSS
# with /usr/bin/time -v. Writes benches/results/<date>-<host>.md and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
cargo build --release --locked --quiet
bin=target/release/s3sim
mkdir -p benches/data benches/results
out="benches/results/$(date -u +%Y-%m-%d)-$(hostname -s).md"
k=2
while [ -e "$out" ]; do out="benches/results/$(date -u +%Y-%m-%d)-$(hostname -s)-$k.md"; k=$((k + 1)); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "# s3sim run benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "- s3sim $(git rev-parse --short HEAD 2>/dev/null || echo '?'), release build"
  echo "- command: \`$bin run --workload W --policy P... --threads T --out DIR --quiet\`"
  echo "- policies: 1 = none; 4 = none, policies/tiered.json, policies/archive.json, policies/intelligent-tiering.json"
  echo
  echo "| events | CSV MB | policies | threads | wall s | events/s | peak RSS MB | RSS bytes/event |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$out"
for n in "${sizes[@]}"; do
  csv="benches/data/bench-$n.csv"
  [ -f "$csv" ] || python3 benches/gen_workload.py "$n" "$csv" 42
  mb=$(( $(stat -c %s "$csv") / 1000000 ))
  for pset in 1 4; do
    pol=(--policy none)
    [ "$pset" = 4 ] && pol+=(--policy policies/tiered.json --policy policies/archive.json --policy policies/intelligent-tiering.json)
    for t in 1 2; do
      /usr/bin/time -v "$bin" run --workload "$csv" "${pol[@]}" --threads "$t" --out "$tmp/r" --quiet 2> "$tmp/time"
      wall=$(awk -F': ' '/Elapsed/{print $2}' "$tmp/time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
      rss=$(awk -F': ' '/Maximum resident/{print $2}' "$tmp/time")
      rate=$(awk -v n="$n" -v w="$wall" 'BEGIN{printf "%.2fM", n/w/1e6}')
      echo "| $n | $mb | $pset | $t | $wall | $rate | $((rss / 1024)) | $((rss * 1024 / n)) |" >> "$out"
    done
  done
done
cat "$out"
echo "written to $out"
