#!/bin/sh
# Regenerates the README's example material from the bundled samples: the pictures in this folder
# and the decision table between the README's example markers, together with the golden tables in
# tests/golden/. It is the bless run of the test that checks them
# (tests/cli.rs, run_on_bundled_samples_writes_a_complete_report), so what it writes is exactly
# what that test compares against. Review the diff, then commit it with its reason.
set -eu
cd "$(dirname "$0")/../.."
S3SIM_BLESS=1 cargo test --locked --test integration -- --exact cli::run_on_bundled_samples_writes_a_complete_report
