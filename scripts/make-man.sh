#!/usr/bin/env bash
# Regenerates docs/man/labelport.1 from the commands' own help, with swift-argument-parser's
# GenerateManual plugin (one page: every subcommand in it). Run from anywhere; builds the
# package in debug mode first (the plugin's --configuration; release would build it again).
#   scripts/make-man.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift package plugin generate-manual --configuration debug
page=$(find .build/plugins/GenerateManual -name labelport.1 | head -n 1)
if [ -z "$page" ]; then
    echo "make-man.sh: the plugin wrote no labelport.1" >&2
    exit 1
fi
mkdir -p docs/man
cp "$page" docs/man/labelport.1
echo "wrote docs/man/labelport.1 ($(wc -l < docs/man/labelport.1) lines)"
