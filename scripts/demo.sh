#!/usr/bin/env bash
# Command one: install, build, and render the bundled sample song into an MP4.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
./build/cli/mvgen generate build/sample/chaos-god.ogg -o out/chaos-god.mp4 \
  --title "Muldjord — Chaos God" --prompt "metal intense" --force
echo "The music video is at: $(pwd)/out/chaos-god.mp4"
