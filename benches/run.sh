#!/usr/bin/env bash
# The performance benchmark of `s3sim run` (issue 6), beside its floor: the time polars' CSV reader
# takes just to parse the same file into columns.
#
#   benches/run.sh [EVENTS...]        default: 1000000 10000000 50000000
#   REPS=N benches/run.sh ...         rounds of measurements (default 3; medians are kept)
#   BASELINE=BIN benches/run.sh ...   also measure an earlier s3sim binary in the same rounds, and
#                                     check that it writes the same reports
#   S3SIM_BIN=BIN benches/run.sh ...  measure that binary instead of this checkout's release build
#                                     (e.g. one commit against an earlier BASELINE)
#
# Builds the release binary and the floor (benches/parse_floor.rs), then runs benches/run.py, which
# generates the workloads once (`s3sim generate`, seed 42), measures every configuration once per
# round (rounds interleave the configurations, so that a machine whose speed drifts affects them
# alike), and writes benches/results/<date>-<host>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "benches/run.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
cargo build --release --locked --quiet
cargo bench --locked --no-run --bench parse_floor --quiet
floor=$(ls -t target/release/deps/parse_floor-* | grep -v '\.d$' | head -1)
exec python3 benches/run.py --floor "$floor" --reps "${REPS:-3}" ${BASELINE:+--baseline "$BASELINE"} "$@"
