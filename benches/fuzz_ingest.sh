#!/usr/bin/env bash
# A longer fuzz campaign of the reading layer (src/ingest/fuzz.rs): the same properties as
# `cargo test` runs with 256 cases, over CASES cases per property (default 20000) from SEED.
#   bash benches/fuzz_ingest.sh [CASES] [SEED]
# Prints the cases run; exits non-zero on the first failure, with proptest's minimal case.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-20000}"
seed="${2:-$RANDOM}"
echo "fuzz_ingest: ${cases} cases per property, seed ${seed}"
start=$(date +%s)
PROPTEST_CASES="$cases" PROPTEST_RNG_SEED="$seed" \
    cargo test --lib ingest::fuzz -- --test-threads 2
echo "fuzz_ingest: 2 properties x ${cases} cases passed (seed ${seed}) in $(( $(date +%s) - start )) s"
