#!/usr/bin/env bash
# Grades the exercises of a student's copy, one exercise at a time, each in its own process with a
# time limit, so that a crash or an endless loop costs only that exercise.
#
#   exercises/grade.sh [--time-limit SECONDS] [--tests-from MASTER] [--out DIR]
#
#   --time-limit S    the limit per exercise (default 120 s)
#   --tests-from DIR  first restore Tests/ExerciseTests, Tests/ExerciseGrading, Sources and Package.swift
#                     from the master copy at DIR, and read the points from DIR's exercises/points.tsv,
#                     so that editing a test, a library function the tests compare against, or the
#                     points does not help
#   --out DIR         where to write results.txt and results.json (default grading/)
#
# Points come from exercises/points.tsv (the master's, with --tests-from). Partial credit: the share
# of the exercise's test methods that pass. The JSON report has the shape Gradescope autograders
# read: {"score", "tests": [{"name", "score", "max_score", "status", "output"}]}.
set -uo pipefail

limit=120; master=""; out="grading"
usage() { echo "usage: exercises/grade.sh [--time-limit SECONDS] [--tests-from MASTER] [--out DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --time-limit) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage; limit=$2; shift 2 ;;
    --tests-from) [ $# -ge 2 ] && [ -d "$2/Tests/ExerciseTests" ] || usage; master=$(cd "$2" && pwd); shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage ;;
  esac
done
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mkdir -p "$out"
logs="$out/logs"; mkdir -p "$logs"

# MARK: - Restore the tests, the libraries and the points from the master copy
points="exercises/points.tsv"
if [ -n "$master" ]; then
  for item in Tests/ExerciseTests Tests/ExerciseGrading Sources Package.swift; do rm -rf "$item"; cp -R "$master/$item" "$item"; done
  points="$master/exercises/points.tsv"
  echo "grade: restored Tests/ExerciseTests, Tests/ExerciseGrading, Sources and Package.swift from $master; points from $points"
fi

# MARK: - Build once
echo "grade: building the tests…"
build_ok=1
if ! swift build --build-tests >"$logs/build.log" 2>&1; then
  build_ok=0
  build_error=$(grep -m1 'error:' "$logs/build.log" | sed 's/^[^ ]*error: //')
  echo "grade: the build failed: $build_error" >&2
fi

# On Linux the tests are one executable, run directly; elsewhere (macOS) through `swift test`.
test_binary=""
if [ "$build_ok" -eq 1 ]; then
  bin=$(swift build --show-bin-path 2>/dev/null)
  for candidate in "$bin"/*PackageTests.xctest; do [ -f "$candidate" ] && [ -x "$candidate" ] && test_binary=$candidate; done
fi

json_escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/\t/\\t/g' | tr -d '\000-\010\013-\037' | awk 'BEGIN{ORS="\\n"} {print}' | sed 's/\\n$//'; }

# MARK: - Run each exercise in its own process
rows=(); entries=(); total=0; maximum=0
while IFS=$'\t' read -r id chapter title points; do
  case "$id" in ''|\#*) continue ;; esac
  chapterNumber=${id%.*}; exerciseNumber=${id#*.}
  class=$(printf 'Exercise%02d%02dTests' "$chapterNumber" "$exerciseNumber")
  log="$logs/$class.log"
  if [ "$build_ok" -eq 0 ]; then
    status="build failed"; message="$build_error"; passedTests=0; totalTests=1
  else
    # The test binary itself runs under `timeout`: `swift test` starts it in a process group of its own,
    # which a time-out of `swift test` would leave running.
    if [ -n "$test_binary" ]; then
      timeout -k 5 "$limit" "$test_binary" "ExerciseTests.$class" >"$log" 2>&1
    else
      timeout -k 5 "$limit" swift test --skip-build --disable-swift-testing --filter "$class" >"$log" 2>&1
    fi
    code=$?
    summary=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1)
    failure=$(grep -m1 -E 'error: .*(failed|XCTFail)' "$log" | sed 's/.* : failed - //; s/.*error: //')
    if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
      status="timed out after ${limit} s"; message="the tests of $id did not finish within $limit s (an endless loop?)"; passedTests=0; totalTests=1
    elif [ -z "$summary" ]; then
      crash=$(grep -m1 -E 'Fatal error|Exited with (unexpected )?signal|Segmentation fault|Illegal instruction|Trace/breakpoint' "$log")
      status="crashed: ${crash:-exit status $code}"
      [ -z "$crash" ] && [ "$code" -gt 128 ] && status="crashed: signal $((code - 128))"; message="the test process stopped before finishing; see $log"; passedTests=0; totalTests=1
    else
      totalTests=$(printf '%s' "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
      failedTests=$(grep -cE "Test Case .* failed" "$log")
      passedTests=$((totalTests - failedTests))
      if [ "$totalTests" -eq 0 ]; then status="no tests found"; message="no test class $class"; 
      elif [ "$failedTests" -eq 0 ]; then status="passed"; message=""
      else status="failed ($passedTests/$totalTests checks)"; message=$failure; fi
    fi
  fi
  score=$(awk -v p="$points" -v a="$passedTests" -v b="$totalTests" 'BEGIN { printf "%.2f", (b > 0 ? p * a / b : 0) }')
  total=$(awk -v t="$total" -v s="$score" 'BEGIN { printf "%.2f", t + s }')
  maximum=$(awk -v t="$maximum" -v p="$points" 'BEGIN { printf "%.2f", t + p }')
  rows+=("$(printf '%-12s %-4s %-40s %5s/%-3s %s' "$chapter" "$id" "$title" "$score" "$points" "$status")${message:+ — $message}")
  entries+=("{\"name\": \"$(json_escape "$id $title")\", \"score\": $score, \"max_score\": $points, \"status\": \"$([ "$status" = passed ] && echo passed || echo failed)\", \"output\": \"$(json_escape "$status${message:+: $message}")\"}")
  echo "grade: $id $status"
done < "$points"

# MARK: - Report
{
  printf '%-12s %-4s %-40s %9s %s\n' chapter id exercise points status
  printf '%s\n' "${rows[@]}"
  printf '\ntotal: %s / %s\n' "$total" "$maximum"
} > "$out/results.txt"
{
  printf '{\n  "score": %s,\n  "max_score": %s,\n  "tests": [\n' "$total" "$maximum"
  for k in "${!entries[@]}"; do printf '    %s%s\n' "${entries[$k]}" "$([ "$k" -lt $((${#entries[@]} - 1)) ] && echo ,)"; done
  printf '  ]\n}\n'
} > "$out/results.json"
cat "$out/results.txt"
echo "grade: wrote $out/results.txt and $out/results.json"
