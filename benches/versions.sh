#!/usr/bin/env bash
# Versioned buckets (issue 13): the same workload simulated with versioning enabled and off, so the
# cost of keeping versions, delete markers and multipart uploads is measured alone.
#
#   benches/versions.sh [OBJECTS]     objects of the generated workload (default 250000: about 10
#                                     million events); inputs and reports go to $DIR
#   BIN=path REPS=N DIR=dir benches/versions.sh
#                                     binary to time (default target/release/s3sim; not built here:
#                                     run `cargo build --release --locked` first), rounds (default 3),
#                                     folder (default /tmp/s3sim-versions-bench)
#
# Generates (once) DIR/versioned-OBJECTS.csv with
#   BIN generate --profile versioned --objects OBJECTS --months 12 --seed 42
# then, once per round and per state (off, enabled), under /usr/bin/time -v:
#   BIN run --workload W --policy none --policy policies/versioned.json --versioning STATE
#       --out DIR/out-STATE --quiet
# and prints the wall and CPU (user + system) time of each round, their medians, the largest peak
# RSS, and enabled/off.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "benches/versions.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
BIN=${BIN:-target/release/s3sim}
REPS=${REPS:-3}
DIR=${DIR:-/tmp/s3sim-versions-bench}
OBJECTS=${1:-250000}
mkdir -p "$DIR"
W="$DIR/versioned-$OBJECTS.csv"
if [ ! -s "$W" ]; then
  "$BIN" generate --profile versioned --objects "$OBJECTS" --months 12 --seed 42 --out "$W" --force
fi
events=$(($(grep -vc '^#' "$W") - 1))
echo "workload: $W ($events events, $(du -m "$W" | cut -f1) MB)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "binary: $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
declare -A WALL CPU RSS
for r in $(seq 1 "$REPS"); do
  for state in off enabled; do
    rm -rf "$DIR/out-$state"
    /usr/bin/time -v "$BIN" run --workload "$W" --policy none --policy policies/versioned.json \
      --versioning "$state" --out "$DIR/out-$state" --quiet 2> "$DIR/time-$state.txt"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$DIR/time-$state.txt")
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$DIR/time-$state.txt")
    rss=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$DIR/time-$state.txt")
    echo "round $r: $state: wall ${wall} s, cpu ${cpu} s, peak RSS ${rss} MB"
    WALL[$state]+="$wall "
    CPU[$state]+="$cpu "
    RSS[$state]="$(( ${RSS[$state]:-0} > rss ? ${RSS[$state]:-0} : rss ))"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for state in off enabled; do
  echo "$state: median wall $(echo "${WALL[$state]}" | median) s, median cpu $(echo "${CPU[$state]}" | median) s, peak RSS ${RSS[$state]} MB"
done
awk -v a="$(echo "${WALL[enabled]}" | median)" -v b="$(echo "${WALL[off]}" | median)" \
  -v c="$(echo "${CPU[enabled]}" | median)" -v d="$(echo "${CPU[off]}" | median)" \
  'BEGIN {printf "enabled/off: wall %.2fx, cpu %.2fx\n", a/b, c/d}'
