#!/usr/bin/env bash
# The README's gallery, regenerated from the code: every bundled look rendered
# from the bundled sample song (6 s from 0:40, with a title), one frame of each
# tiled into docs/gallery.png (16:9, in the order of `mvgen looks`) and
# docs/gallery-portrait.png (9:16: halo with a cover picture, retro, club, wave).
# The cover picture is made by FFmpeg's gradients source, so that nothing here
# is anyone's artwork. Needs a built mvgen and the sample (scripts/build.sh).
# Usage: scripts/gallery.sh [OUT_DIR]   (default docs)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-docs}"
MVGEN=./build/cli/mvgen
SONG=build/sample/chaos-god.ogg
[ -x "$MVGEN" ] && [ -f "$SONG" ] || { echo "gallery: build first (scripts/build.sh)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# A song with an embedded cover picture, for the looks that show artwork.
ffmpeg -v error -f lavfi -i "gradients=s=600x600:c0=0x1b1f6b:c1=0xe0457b:c2=0xffb86b:c3=0x2a9d8f:n=4:seed=3" \
  -frames:v 1 "$WORK/cover.png"
ffmpeg -v error -ss 40 -t 7 -i "$SONG" -i "$WORK/cover.png" -map 0:a -map 1:v -c:a libmp3lame -c:v png \
  -disposition:v attached_pic -id3v2_version 3 "$WORK/covered.mp3"

frame() {  # frame LOOK INPUT SIZE START OUTPNG
  "$MVGEN" generate "$2" -o "$WORK/$1-$3.mp4" --look "$1" --size "$3" --start "$4" --duration 6 \
    --title "Muldjord — Chaos God" --quiet --force </dev/null >/dev/null
  ffmpeg -v error -y -ss 2.6 -i "$WORK/$1-$3.mp4" -frames:v 1 "$5" </dev/null
}

tiles=()
while read -r look _; do
  input="$SONG"; start=40
  case "$look" in halo|lofi) input="$WORK/covered.mp3"; start=0 ;; esac
  frame "$look" "$input" 640x360 "$start" "$WORK/l-$look.png"
  tiles+=("$WORK/l-$look.png")
done < <("$MVGEN" looks 2>/dev/null | grep -E '^(bars|cinema|club|halo|lofi|pulse|retro|wave) ')

args=(); for t in "${tiles[@]}"; do args+=(-i "$t"); done
n=${#tiles[@]}
ffmpeg -v error -y "${args[@]}" -filter_complex "concat=n=$n:v=1:a=0,tile=2x$(( (n + 1) / 2 )):padding=8:color=black" \
  -frames:v 1 "$OUT/gallery.png"

ptiles=()
for look in halo retro club wave; do
  input="$SONG"; start=40
  [ "$look" = halo ] && { input="$WORK/covered.mp3"; start=0; }
  frame "$look" "$input" 360x640 "$start" "$WORK/p-$look.png"
  ptiles+=(-i "$WORK/p-$look.png")
done
ffmpeg -v error -y "${ptiles[@]}" -filter_complex "concat=n=4:v=1:a=0,tile=4x1:padding=8:color=black" \
  -frames:v 1 "$OUT/gallery-portrait.png"
echo "gallery: $OUT/gallery.png $OUT/gallery-portrait.png"
