#!/usr/bin/env bash
# Tests the Spark driver contrib/spark/s3sim_spark.py on a local Spark: for each input, the
# reports of N = 1, 3 and 7 shards must have the summary.csv, monthly.csv and prefixes.csv of a
# single `s3sim run`, also when the first attempt of every shard's `run` task fails (N = 3 and 7:
# Spark must retry them).
#
# Usage, from the repository root: tests/spark/run.sh [S3SIM_BINARY]   (default target/debug/s3sim)
# Creates target/spark-venv (PySpark 3.5.3) if needed and installs Java with apt-get if missing;
# works in target/spark-test. Exits 1 if a report differs, 2 if it cannot run.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/target/debug/s3sim}
[[ -x $bin ]] || { echo "run.sh: no s3sim binary at $bin (build it, or give its path)" >&2; exit 2; }
bin=$(realpath "$bin")
cd "$root"
venv=target/spark-venv
work=target/spark-test
start=$SECONDS

# PySpark in a virtualenv of its own.
if ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
    echo "run.sh: installing pyspark==3.5.3 in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyspark==3.5.3
fi
# Java, which Spark runs on.
if ! command -v java >/dev/null && command -v apt-get >/dev/null; then
    echo "run.sh: installing openjdk-17-jre-headless"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    # Debian's slim images lack the folder the JRE's install script writes a man page to.
    { $sudo mkdir -p /usr/share/man/man1 &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq update >/dev/null &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y openjdk-17-jre-headless >/dev/null
    } || echo "run.sh: apt-get could not install openjdk-17-jre-headless" >&2
fi
if ! command -v java >/dev/null; then
    echo "run.sh: Spark needs Java (17, 11 or 8) and there is no java on PATH: install one" \
        "(e.g. Debian's openjdk-17-jre-headless)" >&2
    exit 2
fi

rm -rf "$work"
mkdir -p "$work/bin" "$work/conf"
# spark-submit --files ships a file under its own name (a link under its target's name), which
# the driver expects to be s3sim: a copy.
cp "$bin" "$work/bin/s3sim"
# Quiet Spark (warnings go to each run's log, where the retried tasks show).
cat >"$work/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
EOF
unset SPARK_HOME # the venv's Spark, not another one
export SPARK_CONF_DIR=$PWD/$work/conf
export PYSPARK_PYTHON=$PWD/$venv/bin/python PYSPARK_DRIVER_PYTHON=$PWD/$venv/bin/python
export SPARK_LOCAL_IP=127.0.0.1

failed=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=1; }

# reference LABEL WORKLOAD POLICY...: the report of a single run.
reference() {
    local label=$1 workload=$2
    shift 2
    "$bin" run -q --workload "$workload" --policy "$@" --charts none --out "$work/$label-ref"
}

# spark LABEL WORKLOAD N MODE POLICY...: the Spark driver with N shards, then the comparison.
# MODE: `path` (--s3sim PATH), `files` (shipped with --files) or `retry` (shipped, and the first
# attempt of every run task fails).
spark() {
    local label=$1 workload=$2 n=$3 mode=$4
    shift 4
    local case="$label N=$n ($mode)" out=$work/$label-n$n log=$work/$label-n$n.log
    local submit=(--master 'local[2,4]' --conf spark.task.maxFailures=4
        --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4)
    local args=(--workload "$workload" --shards "$n" --out "$out" --run-arg='--charts none')
    local p
    for p in "$@"; do args+=(--policy "$p"); done
    if [[ $mode == path ]]; then args+=(--s3sim "$work/bin/s3sim"); else submit+=(--files "$work/bin/s3sim"); fi
    local inject=0
    [[ $mode == retry ]] && inject=1
    if ! S3SIM_SPARK_FAIL_FIRST_ATTEMPT=$inject "$venv/bin/spark-submit" "${submit[@]}" \
        contrib/spark/s3sim_spark.py "${args[@]}" >"$log" 2>&1; then
        fail "$case: the driver failed; the end of $log:"
        tail -n 20 "$log" | sed 's/^/    /'
        return
    fi
    if [[ $mode == retry ]]; then
        local retried
        retried=$(grep -oE 'failing the first attempt of shard [0-9]+' "$log" | sort -u | wc -l)
        [[ $retried -eq $n ]] || { fail "$case: $retried of $n shards failed a first attempt (see $log)"; return; }
    fi
    local t bad=()
    for t in summary.csv monthly.csv prefixes.csv; do
        cmp -s "$work/$label-ref/$t" "$out/$t" || bad+=("$t")
    done
    if [[ ${#bad[@]} -eq 0 ]]; then
        pass "$case: summary.csv, monthly.csv, prefixes.csv identical to a single run"
    else
        fail "$case: ${bad[*]} differ from a single run's ($work/$label-ref vs $out)"
    fi
}

# (a) a workload CSV; (b) a folder of access logs, one of them gzipped.
web=(none policies/tiered.json policies/archive.json policies/intelligent-tiering.json)
logs=(none policies/tiered.json)
reference web-assets workloads/web-assets.csv "${web[@]}"
reference logs tests/fixtures/formats/logs "${logs[@]}"
for n in 1 3 7; do
    mode=retry
    [[ $n -eq 1 ]] && mode=path
    spark web-assets workloads/web-assets.csv "$n" "$mode" "${web[@]}"
    spark logs tests/fixtures/formats/logs "$n" "$mode" "${logs[@]}"
done

echo "run.sh: $((SECONDS - start)) s"
if [[ $failed -ne 0 ]]; then
    echo "run.sh: FAILED"
    exit 1
fi
echo "run.sh: all passed"
