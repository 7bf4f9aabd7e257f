#!/usr/bin/env bash
# Validates the manifests `s3sim k8s-job` prints against the Kubernetes API schema (strict: no
# unknown field), with the PyPI package kubernetes-validate, for Kubernetes 1.33 (where
# backoffLimitPerIndex became generally available) and 1.37.
#
# Usage, from anywhere: tests/k8s/validate.sh [S3SIM_BINARY]   (default target/debug/s3sim)
# Creates the virtualenv target/k8s-venv if needed. Exits 1 if a manifest is invalid.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/target/debug/s3sim}")
cd "$root"
venv=target/k8s-venv
if ! "$venv/bin/kubernetes-validate" --version >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet kubernetes-validate==1.37.0
fi
work=target/k8s-test
rm -rf "$work" && mkdir -p "$work"
"$bin" k8s-job --shards 400 --parallelism 50 --image registry.example/s3sim:1 --name big \
    --memory 8Gi --cpu 2 --namespace sims \
    -- run --workload /data/logs --policy /data/p.json --prefix-depth 2 >"$work/run.yaml"
"$bin" k8s-job --step merge --image registry.example/s3sim:1 --name big --namespace sims >"$work/merge.yaml"
"$bin" k8s-job --shards 3 --image s3sim:1 --format json -- run --workload /data/w.csv >"$work/run.json"
for v in 1.33.0 1.37.0; do
    "$venv/bin/kubernetes-validate" --strict --quiet -k "$v" "$work/run.yaml" "$work/merge.yaml" "$work/run.json"
done
# A misspelt field must fail, or the check checks nothing.
sed 's/completionMode/completionMod/' "$work/run.yaml" >"$work/bad.yaml"
if "$venv/bin/kubernetes-validate" --strict --quiet -k 1.33.0 "$work/bad.yaml" >/dev/null 2>&1; then
    echo "validate.sh: a manifest with a misspelt field passed: the check is broken" >&2
    exit 1
fi
echo "validate.sh: the k8s-job manifests are valid Kubernetes 1.33 and 1.37 Jobs"
