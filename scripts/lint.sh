#!/usr/bin/env bash
# Static analysis of our sources (core/, cli/, plugin/): clang-tidy with the checked-in
# .clang-tidy and cppcheck with .cppcheck-suppressions. Fails on any finding.
# README: "Hardening" → "Sanitizers and static analysis".
#
# Both tools read the compile database of a dedicated clang build dir (build-tidy, only
# configured, never built: the plugin with Qt 5, no tests). Usage:
#   scripts/lint.sh [BUILD_DIR]        (default build-tidy)
# Environment: LINT_JOBS (default 2), LINT_ONLY=tidy|cppcheck to run one tool.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BUILD="${1:-build-tidy}"
JOBS="${LINT_JOBS:-2}"
ONLY="${LINT_ONLY:-}"

for tool in clang clang++ clang-tidy cppcheck python3; do
  command -v "$tool" >/dev/null || { echo "lint: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done

# Configure (cheap; nothing is compiled) so compile_commands.json follows the sources.
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DMV_BUILD_TESTS=OFF -DMV_BUILD_PLUGIN=ON -DMV_QT_MAJOR=5 \
  >"$BUILD.configure.log" 2>&1 || { cat "$BUILD.configure.log" >&2; exit 1; }

# Our translation units only (no moc output, each file once: the plugin's logic is in
# two targets), as a filtered database both tools read.
LINT_DIR="$BUILD/lint"
mkdir -p "$LINT_DIR"
python3 - "$ROOT" "$BUILD/compile_commands.json" "$LINT_DIR" <<'EOF'
import json, os, sys
root, db, out = sys.argv[1], sys.argv[2], sys.argv[3]
seen, keep = set(), []
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if rel.split(os.sep)[0] in ("core", "cli", "plugin") and f not in seen:
        seen.add(f)
        keep.append(e)
json.dump(keep, open(os.path.join(out, "compile_commands.json"), "w"), indent=1)
open(os.path.join(out, "files.txt"), "w").write("".join(sorted(seen) and "\n".join(sorted(seen)) + "\n"))
EOF
NFILES=$(wc -l < "$LINT_DIR/files.txt")
if ! grep -q '/plugin/' "$LINT_DIR/files.txt"; then
  echo "lint: the plugin is not in the compile database (libobs-dev / qtbase5-dev missing?)" >&2
  exit 1
fi

status=0

if [ -z "$ONLY" ] || [ "$ONLY" = tidy ]; then
  echo "== clang-tidy ($(clang-tidy --version | sed -n 's/.*version //p' | head -1)) over $NFILES files, -j$JOBS"
  start=$SECONDS
  # One clang-tidy per file, JOBS at a time; each prints its findings (WarningsAsErrors: '*').
  # A file whose preprocessed text, command and checks are unchanged reuses its result
  # (scripts/tidy-cache.py, as ccache does for the compiler).
  python3 scripts/tidy-cache.py "$LINT_DIR" "$JOBS"
  # Findings may repeat (a header seen from several files): count each once.
  grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error): ' "$LINT_DIR/clang-tidy.log" | sort -u >"$LINT_DIR/clang-tidy.all" || true
  # Known false positives (.clang-tidy-suppressions, each with its reason) are left out.
  grep -vE '^[[:space:]]*(#|$)' .clang-tidy-suppressions >"$LINT_DIR/clang-tidy.supp"
  grep -vEf "$LINT_DIR/clang-tidy.supp" "$LINT_DIR/clang-tidy.all" >"$LINT_DIR/clang-tidy.findings" || true
  suppressed=$(( $(wc -l < "$LINT_DIR/clang-tidy.all") - $(wc -l < "$LINT_DIR/clang-tidy.findings") ))
  n=$(wc -l < "$LINT_DIR/clang-tidy.findings")
  if [ "$n" -gt 0 ]; then
    cat "$LINT_DIR/clang-tidy.log"
    echo "clang-tidy: $n finding(s), $suppressed known false positive(s) left out:" >&2
    cat "$LINT_DIR/clang-tidy.findings" >&2
    echo "(fix them, or NOLINT a false positive with its reason)" >&2
    status=1
  elif grep -qE 'Error while processing|Found compiler error' "$LINT_DIR/clang-tidy.log"; then
    cat "$LINT_DIR/clang-tidy.log"
    echo "clang-tidy: failed to process a file" >&2
    status=1
  else
    echo "clang-tidy: no findings ($suppressed known false positive(s) left out; $((SECONDS - start)) s)"
  fi
fi

if [ -z "$ONLY" ] || [ "$ONLY" = cppcheck ]; then
  echo "== $(cppcheck --version) over $NFILES files, -j$JOBS"
  start=$SECONDS
  # System headers are not analysed (missingIncludeSystem is suppressed: Qt, libobs and
  # FFmpeg headers are not ours and slow to parse).
  if cppcheck --project="$LINT_DIR/compile_commands.json" -j "$JOBS" --quiet \
      --enable=warning,performance,portability --std=c++20 --library=.cppcheck-obs.cfg \
      --error-exitcode=1 --inline-suppr --suppressions-list=.cppcheck-suppressions \
      --cppcheck-build-dir="$LINT_DIR/cppcheck" \
      --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
      2>"$LINT_DIR/cppcheck.log" 1>/dev/null; then
    echo "cppcheck: no findings ($((SECONDS - start)) s)"
  else
    cat "$LINT_DIR/cppcheck.log"
    echo "cppcheck: $(grep -c ': \(warning\|error\|performance\|portability\|style\): ' "$LINT_DIR/cppcheck.log" || true) finding(s) (above; fix them or suppress a false positive in .cppcheck-suppressions with its reason)" >&2
    status=1
  fi
fi

exit $status
