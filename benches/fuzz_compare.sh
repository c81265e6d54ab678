#!/usr/bin/env bash
# The long run of the `compare` fuzz target (tests/cli/fuzz_compare.rs): rounds of random
# article pairs through the fact diff and its renderers, each round from a fresh seed that is
# printed, so a failure can be replayed with OVERLAP_FUZZ_SEED=<seed>.
#
#   benches/fuzz_compare.sh                     # 100,000 cases in rounds of 5,000
#   OVERLAP_FUZZ_CASES=20000 benches/fuzz_compare.sh
#   OVERLAP_FUZZ_SECONDS=600 benches/fuzz_compare.sh   # as many rounds as fit in 10 minutes
#
# Prints the cases run and the failing rounds; exits 1 if any round failed.
set -uo pipefail
cd "$(dirname "$0")/.."

total="${OVERLAP_FUZZ_CASES:-100000}"
round="${OVERLAP_FUZZ_ROUND:-5000}"
seconds="${OVERLAP_FUZZ_SECONDS:-}"
cargo test --quiet --test cli --no-run || exit 1

started=$(date +%s)
ran=0
failed=0
while :; do
  if [ -n "$seconds" ]; then
    [ $(( $(date +%s) - started )) -ge "$seconds" ] && break
  else
    [ "$ran" -ge "$total" ] && break
  fi
  seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  if OVERLAP_FUZZ_CASES="$round" OVERLAP_FUZZ_SEED="$seed" \
      cargo test --quiet --test cli fuzz_compare_random_article_pairs >/tmp/fuzz_compare.$$.log 2>&1; then
    echo "seed $seed: $round cases, no failure"
  else
    failed=$((failed + 1))
    echo "seed $seed: FAILED (replay: OVERLAP_FUZZ_CASES=$round OVERLAP_FUZZ_SEED=$seed cargo test --test cli fuzz_compare)"
    grep -E "minimal failing input|panicked|Test failed" /tmp/fuzz_compare.$$.log | head -5
  fi
  ran=$((ran + round))
done
rm -f /tmp/fuzz_compare.$$.log
echo "fuzz_compare: $ran cases in $(( $(date +%s) - started )) s, $failed failing rounds"
[ "$failed" -eq 0 ]
