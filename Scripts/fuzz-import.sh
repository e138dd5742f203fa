#!/usr/bin/env bash
# Fuzzes import for SECONDS (default 600) with seeded mutations of the 2019 log's lines.
#   Scripts/fuzz-import.sh [SECONDS] [SEED]
# libFuzzer (swift build -sanitize=fuzzer) does not link under SwiftPM here: the executable's
# renamed entry point and the sanitizer-coverage symbols are left undefined. So this runs the
# mutation test in ImportMutationTests for the time given.
set -euo pipefail
cd "$(dirname "$0")/.."
SINMUNGO_FUZZ_SECONDS=${1:-600} SINMUNGO_FUZZ_SEED=${2:-$RANDOM} \
    swift test --filter ImportMutationTests 2>&1 | grep -E "import fuzzing|passed|failed|error" | tail -5
