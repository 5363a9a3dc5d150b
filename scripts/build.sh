#!/usr/bin/env bash
# Installs dependencies, configures and builds everything into build/ (core, mvgen,
# the plugin, the test suites), fetches the sample and what the tests need of it.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (CMakeLists.txt uses it when installed): paths under this checkout hashed relative to it,
# so another clone of the same sources (CI's) reuses the objects.
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMV_BUILD_TESTS=ON -DMV_BUILD_PLUGIN=ON
cmake --build build -j"$(nproc)"
bash scripts/fetch-sample.sh build/sample
