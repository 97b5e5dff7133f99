#!/usr/bin/env bash
# Regenerates docs/man/labelport.1 from the commands' own help, with swift-argument-parser's
# GenerateManual plugin (one page: every subcommand in it).
#   scripts/make-man.sh
#
# `swift package plugin generate-manual` builds the package and then runs its tool on every
# executable that depends on ArgumentParser, labelport-bench too, which is no ArgumentParser
# command: the tool fails on it (exit 64) and the plugin stops. So the plugin is run to
# build the tool, and the tool is then run on labelport alone.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package plugin generate-manual --configuration debug > /dev/null 2>&1 || true
tool=$(find .build -path '*debug/generate-manual-tool' -type f -perm -u+x | head -n 1)
if [ -z "$tool" ]; then
    echo "make-man.sh: the GenerateManual plugin did not build generate-manual-tool" >&2
    exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$tool" "$(swift build --show-bin-path)/labelport" --output-directory "$out"
mkdir -p docs/man
# The help texts' blank lines become paragraph breaks (.Pp) and their indented example
# lines a literal display, so that man neither warns nor runs the examples together.
awk '
    /^  / { if (!literal) { print ".Bd -literal -offset indent"; literal = 1 } sub(/^  /, ""); print; next }
    literal { print ".Ed"; literal = 0 }
    /^$/ { print ".Pp"; next }
    { print }
    END { if (literal) print ".Ed" }
' "$out/labelport.1" > docs/man/labelport.1
# The generator leaves out the defaults that --help shows after an option's text: they
# are added from the help's own description of the commands (one default per option name).
"$(swift build --show-bin-path)/labelport" --experimental-dump-help > "$out/help.json"
python3 - "$out/help.json" docs/man/labelport.1 <<'PY'
import json, re, sys
defaults = {}
def walk(command):
    for argument in command.get("arguments") or []:
        if "defaultValue" not in argument or "(default:" in argument.get("abstract", ""):
            continue
        for name in argument.get("names") or []:
            if name["kind"] == "long":
                if defaults.setdefault(name["name"], argument["defaultValue"]) != argument["defaultValue"]:
                    sys.exit(f"make-man.sh: --{name['name']} has two defaults; give it one or state them in its help")
    for sub in command.get("subcommands") or []:
        walk(sub)
walk(json.load(open(sys.argv[1]))["command"])
lines = open(sys.argv[2]).read().split("\n")
for i, line in enumerate(lines):
    match = re.match(r"\.It Fl -([a-z0-9-]+)", line)
    if match and match.group(1) in defaults and i + 1 < len(lines) and not lines[i + 1].startswith("."):
        lines[i + 1] += f" (default: {defaults[match.group(1)]})"
open(sys.argv[2], "w").write("\n".join(lines))
PY
echo "wrote docs/man/labelport.1 ($(wc -l < docs/man/labelport.1) lines)"
