#!/usr/bin/env bash
# Reading speed of S3 server access logs and of s3sim generate (release build).
#
#   benches/formats.sh [LINES]        default 1000000
#
# Prints lines (rows) per second for: `s3sim convert` of an access log (parse + write CSV) and
# `s3sim generate --profile logs` (rows written), with the machine and commands.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
cargo build --release --locked --quiet
bin=target/release/s3sim
mkdir -p benches/data
log="benches/data/access-$n.log"
[ -f "$log" ] || python3 benches/gen_access_log.py "$n" "$log"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="benches/results/$(date -u +%Y-%m-%d)-$(hostname -s)-formats.md"
exec > >(tee "$out")
echo "# s3sim reading and generating speed, $(date -u +%Y-%m-%dT%H:%MZ), s3sim $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
secs() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
t=$(secs "$bin" convert --workload "$log" --out "$tmp/w.csv")
r=$("$bin" convert --workload "$log" --out "$tmp/w.csv" 2>&1 | sed -n 's/.* in \([0-9.]*\) s;.*/\1/p')
echo "access log: $n lines, $(($(stat -c %s "$log") / 1000000)) MB: read and parsed in ${r}s = $(awk -v n="$n" -v t="$r" 'BEGIN{printf "%.2f", n/t/1e6}')M lines/s; \`s3sim convert\` (read + write the CSV) ${t}s = $(awk -v n="$n" -v t="$t" 'BEGIN{printf "%.2f", n/t/1e6}')M lines/s"
t=$(secs "$bin" generate --profile logs --objects "$n" --months 12 --reads-per-object 0.5 --seed 7 --out "$tmp/g.csv")
rows=$(($(wc -l < "$tmp/g.csv") - 1))
echo "generate: \`s3sim generate --profile logs --objects $n --months 12 --reads-per-object 0.5\` $rows rows in ${t}s = $(awk -v n="$rows" -v t="$t" 'BEGIN{printf "%.2f", n/t/1e6}')M rows/s"
