#!/usr/bin/env python3
"""clang-tidy over a compile database, one process per file, with a result cache.

Usage: tidy-cache.py LINT_DIR JOBS
  LINT_DIR holds compile_commands.json and files.txt (scripts/lint.sh writes them);
  the findings of every file go to LINT_DIR/clang-tidy.log.

A file's result is reused when nothing clang-tidy reads has changed, as ccache does for
the compiler: the key is a SHA-256 of clang-tidy's version, the .clang-tidy file, the
file's compile command and its preprocessed text with comments kept (`-E -C`: every
header it includes, and NOLINT comments), the checkout's own path replaced by the mark @CHECKOUT@
in both, so that another clone of the same code (the CI's) reuses the results; a reused result
names the files of the checkout that reads it. The cache is $XDG_CACHE_HOME/obs-music-video/
clang-tidy (default ~/.cache/...); MV_TIDY_CACHE=0 turns it off.
"""
import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path


def preprocess_command(entry):
    """The entry's compile command turned into `-E -C` to stdout (no -o, no -c)."""
    args = entry.get("arguments") or shlex.split(entry["command"])
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c":
            continue
        out.append(a)
    return out + ["-E", "-C", "-o", "-"]


ROOT_MARK = "@CHECKOUT@"


def key_of(entry, fixed, root):
    pre = subprocess.run(preprocess_command(entry), cwd=entry["directory"], capture_output=True)
    if pre.returncode != 0:
        return None  # clang-tidy will say what is wrong: never cached
    here = str(root).encode()
    h = hashlib.sha256(fixed)
    h.update(json.dumps(entry.get("arguments") or entry["command"]).encode().replace(here, ROOT_MARK.encode()))
    h.update(entry["directory"].encode().replace(here, ROOT_MARK.encode()))
    h.update(pre.stdout.replace(here, ROOT_MARK.encode()))
    return h.hexdigest()


def main():
    lint_dir, jobs = Path(sys.argv[1]), int(sys.argv[2])
    db = json.loads((lint_dir / "compile_commands.json").read_text())
    root = Path(__file__).resolve().parent.parent
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True).stdout
    fixed = (version + (root / ".clang-tidy").read_text()).encode()
    use_cache = os.environ.get("MV_TIDY_CACHE", "1") != "0"
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "obs-music-video" / "clang-tidy"
    cache.mkdir(parents=True, exist_ok=True)

    def run(entry):
        key = key_of(entry, fixed, root) if use_cache else None
        hit = cache / f"{key}.log" if key else None
        if hit is not None and hit.exists():
            return entry["file"], hit.read_text().replace(ROOT_MARK, str(root)), True
        r = subprocess.run(["clang-tidy", "-p", str(lint_dir), "--quiet", entry["file"]], capture_output=True, text=True)
        text = r.stdout + r.stderr
        if hit is not None and "Error while processing" not in text and "Found compiler error" not in text:
            tmp = hit.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text.replace(str(root), ROOT_MARK))
            tmp.replace(hit)
        return entry["file"], text, False

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(run, db))
    (lint_dir / "clang-tidy.log").write_text("".join(text for _, text, _ in results))
    hits = sum(1 for _, _, cached in results if cached)
    print(f"clang-tidy: {len(results) - hits} file(s) analysed, {hits} reused: nothing they read had changed (cache {cache})")


if __name__ == "__main__":
    main()
