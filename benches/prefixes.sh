#!/usr/bin/env bash
# Request-rate partitions: memory per partition (issue 11, D5) and one flooded partition (D9).
#
# What: generates three native workload CSVs and runs `s3sim run` on each under /usr/bin/time -v,
# printing wall time and peak RSS:
#   many   N keys `p0000001/obj`, ..., each in its own prefix (N partitions), a PUT and a GET each
#   one    the same number of keys and rows, keys of the same length `p/0000001obj`, in ONE prefix
#   flood  a PUT of `hot/obj`, then FLOOD GETs of it, all in the same second (one partition whose
#          requests are nearly all throttled and retried)
# Memory per partition = (RSS_many - RSS_one) / (N - 1): both runs hold the same keys, events and
# objects, so the difference is what the extra partitions cost.
#
# Machine of the recorded results (benches/results/*-prefixes.md): 2-core AMD EPYC, 23 GiB RAM.
#
# Command:
#   benches/prefixes.sh                        builds the release binary, N=2000000, FLOOD=10000000
#   N=200000 FLOOD=1000000 benches/prefixes.sh smaller
#   BIN=/tmp/s3sim-before benches/prefixes.sh  measures another binary (no build)
#   DIR=/path benches/prefixes.sh              where the CSVs go (default /tmp/s3sim-bench-prefixes;
#                                              they are generated once and reused)
#   CASES="many one" benches/prefixes.sh       only some cases
# Each run: `$BIN run --workload F --policy none --out DIR --quiet` (report and charts included).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "benches/prefixes.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
N=${N:-2000000}
FLOOD=${FLOOD:-10000000}
DIR=${DIR:-/tmp/s3sim-bench-prefixes}
CASES=${CASES:-many one flood}
if [ -z "${BIN:-}" ]; then
    cargo build --release --locked --quiet
    BIN=target/release/s3sim
fi
mkdir -p "$DIR"

# 2026-01-01T00:00:00Z; key i is PUT at T0+i s and read at T0+i+1 s (23 days for 2M keys: one month).
T0=1767225600
gen_keys() { # FILE FORMAT
    [ -s "$1" ] && return
    awk -v n="$N" -v t0="$T0" -v fmt="$2" 'BEGIN {
        print "timestamp,op,key,size"
        for (i = 1; i <= n; i++) {
            k = sprintf(fmt, i)
            printf "%d,PUT,%s,1000\n%d,GET,%s,\n", t0 + i, k, t0 + i + 1, k
        }
    }' > "$1.tmp"
    mv "$1.tmp" "$1"
}
gen_flood() { # FILE
    [ -s "$1" ] && return
    {
        echo "timestamp,op,key,size"
        echo "$T0,PUT,hot/obj,1000"
        awk -v n="$FLOOD" -v l="$((T0 + 3600)),GET,hot/obj," 'BEGIN { for (i = 0; i < n; i++) print l }'
    } > "$1.tmp"
    mv "$1.tmp" "$1"
}

declare -A RSS
for c in $CASES; do
    case $c in
        many) f=$DIR/many-$N.csv; gen_keys "$f" 'p%07d/obj' ;;
        one) f=$DIR/one-$N.csv; gen_keys "$f" 'p/%07dobj' ;;
        flood) f=$DIR/flood-$FLOOD.csv; gen_flood "$f" ;;
        *) echo "unknown case $c" >&2; exit 2 ;;
    esac
    out=$DIR/out-$c
    log=$DIR/time-$c.txt
    /usr/bin/time -v "$BIN" run --workload "$f" --policy none --out "$out" --quiet 2> "$log"
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    RSS[$c]=$rss
    printf '%-6s %s  wall %s  user %s s  sys %s s  peak RSS %d KB (%.0f MB)  %d bytes\n' \
        "$c" "$(basename "$f")" "$wall" "$user" "$sys" "$rss" "$(echo "$rss / 1024" | bc -l)" "$(du -b "$f" | cut -f1)"
done
if [ -n "${RSS[many]:-}" ] && [ -n "${RSS[one]:-}" ]; then
    echo "bytes per partition: (RSS_many - RSS_one) / (N - 1) = $(( (RSS[many] - RSS[one]) * 1024 / (N - 1) ))"
fi
