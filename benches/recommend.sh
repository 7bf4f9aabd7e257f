#!/usr/bin/env bash
# `s3sim recommend` against one `s3sim run` with one policy on the same file (issue 15's target:
# at least 200 candidate configurations priced in at most 10x the run's time, on 2 cores, 10M
# events). Rounds interleave the two commands; medians are kept.
#
#   benches/recommend.sh [EVENTS]      default 10000000
#   REPS=N benches/recommend.sh ...    rounds (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "benches/recommend.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
events="${1:-10000000}"
reps="${REPS:-3}"
cargo build --release --locked --quiet
bin=target/release/s3sim
tmp="${TMPDIR:-/tmp}/s3sim-bench-recommend"
mkdir -p "$tmp"
w="$tmp/web-assets-$events.csv"
if [ ! -f "$w" ]; then
  "$bin" generate --profile web-assets --objects $((events / 10)) --reads-per-object 9.4 --months 6 --seed 42 --out "$w.tmp" --force
  mv "$w.tmp" "$w"
fi
rows=$(($(wc -l < "$w") - 1))
measure() { # label, command...
  local label=$1; shift
  rm -rf "$tmp/out-$label"
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time-$label" "$@" --out "$tmp/out-$label" --quiet
  read -r wall user sys rss < "$tmp/time-$label"
  echo "$label $wall $(echo "$user + $sys" | bc) $((rss / 1024))"
}
results=()
for r in $(seq "$reps"); do
  results+=("$(measure run "$bin" run --workload "$w" --policy none)")
  results+=("$(measure recommend "$bin" recommend --workload "$w" --prefix-depth 2)")
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
runw=$(printf '%s\n' "${results[@]}" | awk '$1=="run"{print $2}' | median)
recw=$(printf '%s\n' "${results[@]}" | awk '$1=="recommend"{print $2}' | median)
runc=$(printf '%s\n' "${results[@]}" | awk '$1=="run"{print $3}' | median)
recc=$(printf '%s\n' "${results[@]}" | awk '$1=="recommend"{print $3}' | median)
runm=$(printf '%s\n' "${results[@]}" | awk '$1=="run"{print $4}' | median)
recm=$(printf '%s\n' "${results[@]}" | awk '$1=="recommend"{print $4}' | median)
cands=$(($(wc -l < "$tmp/out-recommend/candidates.csv") - 1))
groups=$(awk '/^Groups/{on=1; next} on && /^- /{n++} on && /^$/ && n{exit} END{print n+0}' "$tmp/out-recommend/recommend.md")
# Whether the measured build had uncommitted changes (checked before the results file is written).
dirty=$(git diff --quiet || echo ' (with uncommitted changes)')
out="benches/results/$(date -u +%Y-%m-%d)-recommend-$(hostname | cut -c1-12).md"
{
  echo "# s3sim recommend against one run, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "- s3sim $(git rev-parse --short HEAD)$dirty, release build"
  echo "- workload: \`s3sim generate --profile web-assets --objects $((events / 10)) --reads-per-object 9.4 --months 6 --seed 42\`: $rows events"
  echo "- run: \`$bin run --workload W.csv --policy none --out DIR --quiet\`"
  echo "- recommend: \`$bin recommend --workload W.csv --prefix-depth 2 --out DIR --quiet\` ($groups prefix groups; $cands configurations priced)"
  echo "- command: \`REPS=$reps benches/recommend.sh $events\`; medians of $reps interleaved rounds"
  echo
  echo "| command | wall s | CPU s | peak RSS MB |"
  echo "|---|---:|---:|---:|"
  echo "| run, 1 policy | $runw | $runc | $runm |"
  echo "| recommend | $recw | $recc | $recm |"
  echo
  echo "recommend/run (wall): $(echo "scale=2; $recw / $runw" | bc); configurations priced: $cands"
  echo
  echo "Rounds: ${results[*]}"
} > "$out"
cat "$out"
