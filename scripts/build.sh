#!/usr/bin/env bash
# Installs dependencies, configures and builds into build/, fetches the sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
bash scripts/fetch-sample.sh build/sample
