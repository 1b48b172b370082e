#!/usr/bin/env bash
# CI hook, run after the tests: the end-to-end benchmark in smoke mode (100 customers, one warm-up and one measured
# round of every variant). Exits non-zero only when the benchmark cannot run or a variant's history stage is more
# than --max-slowdown (default 2.0) times slower than stock's. Extra arguments go to EndToEndBenchmark, e.g.
#   benchmarks/smoke.sh --variants stock,topn --max-slowdown 1.5
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ ! -f "$root/benchmarks/target/benchmarks.jar" || ! -f "$root/benchmarks/target/spark-classpath.txt" ]]; then
  mvn -B -q -f "$root/pom.xml" -pl benchmarks -am package -DskipTests
fi
timeout "${SMOKE_TIMEOUT_S:-600}" "$root/bin/benchmark" e2e --smoke "$@"
