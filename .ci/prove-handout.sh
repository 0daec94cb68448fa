#!/usr/bin/env bash
# The exercise proof: writes the student handout, builds it, runs its tests, and checks that every
# exercise test fails there (an unanswered exercise can't pass) while every other test passes.
# The master's own run (every test passes, and every wrong answer in the catalogue is rejected) is
# the `swift test` step of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
handout=$(mktemp -d)/handout
bash exercises/handout.sh "$handout"
cd "$handout"
swift build --build-tests >/tmp/handout-build.log 2>&1 || { tail -n 50 /tmp/handout-build.log; echo "proof: the handout does not build"; exit 1; }
swift test --skip-build --disable-swift-testing >/tmp/handout-test.log 2>&1 || true
grep -E "^Test Case '[^']+' (passed|failed)" /tmp/handout-test.log | sed -E "s/^Test Case '-?\[?([^ .']+)[. ]([^]']+)\]?' (passed|failed).*/\1 \2 \3/" > /tmp/handout-results.txt
total=$(wc -l < /tmp/handout-results.txt)
[ "$total" -gt 0 ] || { tail -n 30 /tmp/handout-test.log; echo "proof: no test ran in the handout"; exit 1; }
bad_exercise=$(awk '$1 ~ /^Exercise[0-9]+Tests$/ && $3 == "passed"' /tmp/handout-results.txt)
bad_other=$(awk '$1 !~ /^Exercise[0-9]+Tests$/ && $3 == "failed"' /tmp/handout-results.txt)
exercise_tests=$(awk '$1 ~ /^Exercise[0-9]+Tests$/' /tmp/handout-results.txt | wc -l)
[ -z "$bad_exercise" ] || { echo "proof: these exercise tests PASS on the unanswered handout:"; echo "$bad_exercise"; exit 1; }
[ -z "$bad_other" ] || { echo "proof: these non-exercise tests FAIL in the handout:"; echo "$bad_other"; exit 1; }
[ "$exercise_tests" -gt 0 ] || { echo "proof: the handout ran no exercise test"; exit 1; }
echo "proof: in the handout all $exercise_tests exercise tests fail and the other $((total - exercise_tests)) tests pass."
