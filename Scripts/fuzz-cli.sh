#!/usr/bin/env bash
# Fuzzes the command line for SECONDS (default 600) with seeded command lines: every command,
# plausible and hostile arguments. Fails on any trap, signal, backtrace or undocumented status.
#   Scripts/fuzz-cli.sh [SECONDS] [SEED]
# The seed is printed, so a failure can be replayed with SINMUNGO_CLI_FUZZ_SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
SINMUNGO_CLI_FUZZ_SECONDS=${1:-600} SINMUNGO_CLI_FUZZ_SEED=${2:-$RANDOM} \
    swift test --skip-build --filter CLIFuzzTests 2>&1 | grep -E "cli fuzzing|passed|failed|error|round" | tail -15
