#!/usr/bin/env bash
# Builds and runs the libFuzzer target for one input reader.
#   scripts/fuzz.sh csv|jsonl [SECONDS]
# The corpus grows in .build/fuzz/corpus-FORMAT; a crash is written to
# .build/fuzz/crash-* and should become a fixture + test.
set -euo pipefail
cd "$(dirname "$0")/.."
format="${1:?usage: scripts/fuzz.sh csv|jsonl [SECONDS]}"
seconds="${2:-60}"
case "$format" in
  csv) flag=FUZZ_CSV ;;
  jsonl) flag=FUZZ_JSONL ;;
  *) echo "usage: scripts/fuzz.sh csv|jsonl [SECONDS]" >&2; exit 64 ;;
esac
out=.build/fuzz
mkdir -p "$out/corpus-$format"
core=Sources/LabelPortCore
sources=(
  "$core"/Input/*.swift
  "$core"/JSON/*.swift
  "$core"/Output/CSVWriter.swift
  "$core"/Model/UUIDText.swift
)
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name LabelPortCore -D "$flag" \
  "${sources[@]}" Fuzz/FuzzReaders.swift -o "$out/fuzz-$format"
# Seed the corpus with the test fixtures of that format.
find Tests/LabelPortTests/Fixtures/input -name "*.$format" -exec cp {} "$out/corpus-$format/" \; 2>/dev/null || true
exec "$out/fuzz-$format" "$out/corpus-$format" -max_total_time="$seconds" -timeout=10 -max_len=4096 \
  -artifact_prefix="$out/" -print_final_stats=1
