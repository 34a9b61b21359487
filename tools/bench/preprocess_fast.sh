#!/usr/bin/env bash
# Exact vs fast preprocessing in Java, and Pillow exact vs draft on the same files, in one run.
# Writes server/target/benchmarks/preprocess-fast.json and preprocess-fast-pillow.json and prints
# the table of docs/benchmarks.md ("Fast preprocessing"), from tools/clip/tests/preprocess.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -q -pl server -am install -DskipTests
mvn -B -o -pl server test -Dtest=FastPreprocessBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbenchmark.excluded=none -Dgroups=benchmark > server/target/preprocess-fast-java.log
/usr/bin/python3 tools/bench/pillow_preprocess.py server/target/benchmarks
