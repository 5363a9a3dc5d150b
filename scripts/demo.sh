#!/usr/bin/env bash
# Command one: install what mvgen needs, build mvgen alone, and render the bundled
# sample song into an MP4 (the test command builds and checks everything else).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (CMakeLists.txt uses it when installed): paths under this checkout hashed relative to it,
# so another clone of the same sources (CI's) reuses the objects.
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
bash scripts/install-deps.sh --demo
# Only mvgen: no plugin, no test suites (scripts/build.sh builds those for the test command).
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMV_BUILD_TESTS=OFF -DMV_BUILD_PLUGIN=OFF
cmake --build build --target mvgen -j"$(nproc)"
bash scripts/fetch-sample.sh --song-only build/sample
mkdir -p out
source scripts/demo-args.sh
./build/cli/mvgen generate build/sample/chaos-god.ogg -o out/chaos-god.mp4 "${DEMO_ARGS[@]}" --force
echo "The music video is at: $(pwd)/out/chaos-god.mp4"
