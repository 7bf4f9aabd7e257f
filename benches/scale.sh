#!/usr/bin/env bash
# Scale-out benchmark (issue 17): one input run three ways, with the same tables required:
#   in memory        s3sim run (budget high enough not to spill)
#   --max-memory M   s3sim run, spilled by partition and simulated a group at a time
#   sharded          N workers (`run --shard i/N --ledger-out`, all at once), then `s3sim merge`
#
#   benches/scale.sh [EVENTS]        default 100000000 (benches/data/web-EVENTS.csv, made once as
#                                    benches/run.sh makes it)
#   MAX_MEMORY=2G SHARDS=$(nproc) REPS=2 S3SIM_BIN=target/release/s3sim benches/scale.sh
# Writes benches/results/<date>-scale-<host>.md: wall and CPU seconds (user + sys), peak RSS, per
# round, and whether each way's summary.csv, monthly.csv and prefixes.csv equal the in-memory run's.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000000}
mem=${MAX_MEMORY:-2G}
shards=${SHARDS:-$(nproc)}
reps=${REPS:-2}
bin=${S3SIM_BIN:-target/release/s3sim}
[[ -n ${S3SIM_BIN:-} ]] || cargo build --release --locked --quiet
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time" >&2; exit 1; }
data=benches/data/web-$events.csv
if [[ ! -f $data ]]; then
    mkdir -p benches/data
    "$bin" generate --profile web-assets --objects $((events / 10)) --reads-per-object 9.4 \
        --months 6 --seed 42 --out "$data"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/s3sim-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
run=(run --workload "$data" --policy none policies/tiered.json --charts none -q)
out=benches/results/$(date -u +%Y-%m-%d)-scale-$(hostname).md
measure() { # label, then the command; appends "label wall cpu rss_kb"
    local label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null
    read -r wall user sys rss <"$work/t"
    echo "$label $wall $(echo "$user + $sys" | bc) $rss" >>"$work/times"
}
same() { # dir: the tables equal the in-memory run's?
    for f in summary.csv monthly.csv prefixes.csv; do
        cmp -s "$work/mem/$f" "$1/$f" || { echo "differs ($f)"; return; }
    done
    echo "identical"
}
: >"$work/times"
# Warm the page cache, so that the first configuration of the first round does not read from disk.
cat "$data" >/dev/null
for r in $(seq "$reps"); do
    rm -rf "$work/mem" "$work/spill" "$work/merged" "$work/ledgers"
    measure in-memory "$bin" "${run[@]}" --max-memory 1T --out "$work/mem"
    measure max-memory "$bin" "${run[@]}" --max-memory "$mem" --out "$work/spill"
    # The workers at once; each measured, then the merge.
    for i in $(seq 0 $((shards - 1))); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/w$i" "$bin" "${run[@]}" --shard "$i/$shards" \
            --ledger-out "$work/ledgers/" &
    done
    start=$(date +%s.%N)
    wait
    workers_wall=$(echo "$(date +%s.%N) - $start" | bc)
    cpu=0; rss=0
    for i in $(seq 0 $((shards - 1))); do
        read -r _ u s m <"$work/w$i"
        cpu=$(echo "$cpu + $u + $s" | bc); ((m > rss)) && rss=$m
    done
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$bin" merge "$work/ledgers/" --out "$work/merged" -q
    read -r mw mu ms mm <"$work/t"
    echo "sharded $(echo "$workers_wall + $mw" | bc) $(echo "$cpu + $mu + $ms" | bc) $rss" >>"$work/times"
    spill_same=$(same "$work/spill"); shard_same=$(same "$work/merged")
    echo "round $r: --max-memory $spill_same, sharded $shard_same" >>"$work/same"
done
{
    echo "# Scale-out benchmark, $(date -u +%Y-%m-%d)"
    echo
    echo "- machine: $(hostname), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
    echo "- s3sim: $($bin --version) ($(git rev-parse --short HEAD))"
    echo "- input: $data, $(wc -l <"$data") lines, $(($(stat -c %s "$data") / 1000000)) MB (\`s3sim generate --profile web-assets --objects $((events / 10)) --reads-per-object 9.4 --months 6 --seed 42\`)"
    echo "- command: \`${run[*]}\` with \`--max-memory 1T\` (in memory), \`--max-memory $mem\`, and $shards workers \`--shard i/$shards --ledger-out\` at once, then \`s3sim merge\`"
    echo "- rerun: \`MAX_MEMORY=$mem SHARDS=$shards REPS=$reps benches/scale.sh $events\`"
    echo
    echo "| way | round | wall s | CPU s | peak RSS MB |"
    echo "|---|---|---|---|---|"
    awk '{n[$1]++; printf "| %s | %d | %.2f | %.2f | %d |\n", $1, n[$1], $2, $3, $4/1024}' "$work/times"
    echo
    echo "Medians against the in-memory run:"
    echo
    python3 - "$work/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for label, wall, cpu, rss in rows:
    by.setdefault(label, []).append((float(wall), float(cpu), int(rss)))
med = {k: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v), max(r for _, _, r in v)) for k, v in by.items()}
base = med["in-memory"]
for k, (w, c, r) in med.items():
    print(f"- {k}: wall {w:.2f} s ({w / base[0]:.2f}x), CPU {c:.2f} s ({c / base[1]:.2f}x), peak RSS {r / 1024:.0f} MB")
PY
    echo
    sed 's/^/- /' "$work/same"
} >"$out"
cat "$out"
