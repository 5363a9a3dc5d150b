#!/usr/bin/env bash
# The README's gallery, regenerated from the code: every bundled look rendered
# at 1080p from the bundled sample song (6 s from 0:40, with a title and
# artist), one frame of each kept as docs/gallery/LOOK.jpg (1920x1080) and
# tiled into docs/gallery.png (16:9, in the order of `mvgen looks`, then cinema
# over footage) and docs/gallery-portrait.png (1080x1920: halo with no picture,
# its record, then retro, club, wave). The cover picture is made by FFmpeg's gradients
# source and the footage by its mandelbrot source, so that nothing here is
# anyone's artwork. Then a promo (docs/promo-frames.png): four photos of
# OpenCV's sample data (scripts/fetch-sample.sh) and a voice-over spoken by
# espeak-ng, four frames of it. Then the demo's frames (docs/demo-frames.png). Last, the dock and a live look in a real OBS (docs/obs-dock.png,
# docs/obs-live-look.png, docs/obs-live-look-properties.png) from the
# end-to-end test. Needs a built mvgen and the sample (scripts/build.sh).
# Usage: scripts/gallery.sh [OUT_DIR]   (default docs)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-docs}"
MVGEN=./build/cli/mvgen
SONG=build/sample/chaos-god.ogg
[ -x "$MVGEN" ] && [ -f "$SONG" ] || { echo "gallery: build first (scripts/build.sh)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT/gallery"

# A song with an embedded cover picture, for the looks that show artwork.
ffmpeg -v error -f lavfi -i "gradients=s=600x600:c0=0x1b1f6b:c1=0xe0457b:c2=0xffb86b:c3=0x2a9d8f:n=4:seed=3" \
  -frames:v 1 "$WORK/cover.png"
ffmpeg -v error -ss 40 -t 7 -i "$SONG" -i "$WORK/cover.png" -map 0:a -map 1:v -c:a libmp3lame -c:v png \
  -disposition:v attached_pic -id3v2_version 3 "$WORK/covered.mp3"

# A "recording": a moving fractal with the song as its sound, for the look over footage.
ffmpeg -v error -f lavfi -i "mandelbrot=s=1280x720:r=30:start_scale=1.5" -ss 40 -t 7 -i "$SONG" -map 0:v -map 1:a \
  -t 7 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "$WORK/recording.mp4"

frame() {  # frame LOOK INPUT SIZE START OUTPNG: a 1080p frame 2.6 s in
  "$MVGEN" generate "$2" -o "$WORK/$1-$3.mp4" --look "$1" --size "$3" --start "$4" --duration 6 \
    --title "Chaos God" --artist "Muldjord" --quiet --force </dev/null >/dev/null
  ffmpeg -v error -y -ss 2.6 -i "$WORK/$1-$3.mp4" -frames:v 1 "$5" </dev/null
}

quad() {  # quad VIDEO OUTPNG PADDING T1 T2 T3 T4: its frames at T1..T4 s, 640x360 each, tiled 2x2
  local video=$1 out=$2 pad=$3 args=() i=0
  shift 3
  for t in "$@"; do
    ffmpeg -v error -y -ss "$t" -i "$video" -frames:v 1 "$WORK/quad-$i.png" </dev/null
    args+=(-i "$WORK/quad-$i.png")
    i=$((i + 1))
  done
  ffmpeg -v error -y "${args[@]}" -filter_complex \
    "concat=n=4:v=1:a=0,scale=640:360:flags=area,tile=2x2:padding=$pad:color=black" -frames:v 1 "$out" </dev/null
}

tiles=()
while read -r look _; do
  input="$SONG"; start=40
  case "$look" in halo|lofi) input="$WORK/covered.mp3"; start=0 ;; esac
  frame "$look" "$input" 1920x1080 "$start" "$WORK/l-$look.png"
  ffmpeg -v error -y -i "$WORK/l-$look.png" -q:v 3 "$OUT/gallery/$look.jpg" </dev/null
  tiles+=("$WORK/l-$look.png")
done < <("$MVGEN" looks 2>/dev/null | grep -E '^(bars|cinema|club|halo|lofi|pulse|retro|wave) ')
frame cinema "$WORK/recording.mp4" 1920x1080 0 "$WORK/l-footage.png"
ffmpeg -v error -y -i "$WORK/l-footage.png" -q:v 3 "$OUT/gallery/cinema-footage.jpg" </dev/null
tiles+=("$WORK/l-footage.png")

args=(); for t in "${tiles[@]}"; do args+=(-i "$t"); done
n=${#tiles[@]}
ffmpeg -v error -y "${args[@]}" -filter_complex \
  "concat=n=$n:v=1:a=0,scale=640:360:flags=area,tile=3x$(( (n + 2) / 3 )):padding=8:color=black" \
  -frames:v 1 "$OUT/gallery.png"

ptiles=()
for look in halo retro club wave; do
  input="$SONG"; start=40
  frame "$look" "$input" 1080x1920 "$start" "$WORK/p-$look.png"
  ptiles+=(-i "$WORK/p-$look.png")
done
ffmpeg -v error -y "${ptiles[@]}" -filter_complex "concat=n=4:v=1:a=0,scale=360:640:flags=area,tile=4x1:padding=8:color=black" \
  -frames:v 1 "$OUT/gallery-portrait.png"
# A promo: a shop's photos and a voice-over; frames with the title, two shots and the call to action.
PHOTOS=build/sample/photos
espeak-ng -w "$WORK/vo.wav" "Fresh fruit, every morning. Picked at dawn and delivered to your door. \
Apples, oranges, and everything in season. Order today, and get your first box free." </dev/null
"$MVGEN" generate "$WORK/vo.wav" --kind promo --clips "$PHOTOS/fruits.jpg" "$PHOTOS/orange.jpg" "$PHOTOS/apple.jpg" \
  "$PHOTOS/building.jpg" --title "Fresh Fruit Co." --cta "Order today - first box free" --look lofi \
  -o "$WORK/promo.mp4" --json --quiet --force </dev/null > "$WORK/promo.json"
cuts=$(grep -o '"cuts":\[[^]]*\]' "$WORK/promo.json" | tail -1 | tr -d '"cuts:[]' | tr ',' ' ')
read -r c1 c2 c3 <<< "$cuts"
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/promo.mp4")
mid() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + b) / 2 }'; }
ptimes=(1.0 "$(mid "$c1" "$c2")" "$(mid "$c2" "$c3")" "$(awk -v d="$duration" 'BEGIN { print d - 0.8 }')")
quad "$WORK/promo.mp4" "$OUT/promo-frames.png" 8 "${ptimes[@]}"
echo "gallery: $OUT/gallery.png $OUT/gallery-portrait.png $OUT/gallery/*.jpg $OUT/promo-frames.png (promo cuts at $cuts s)"

# The demo's frames (docs/demo-frames.png): command one's render (scripts/demo.sh, with its
# options: scripts/demo-args.sh), at 2 s (the title), 50, 100 and 150 s.
source scripts/demo-args.sh
"$MVGEN" generate "$SONG" -o "$WORK/demo.mp4" "${DEMO_ARGS[@]}" --force </dev/null \
  | grep '^Wrote' | sed "s|$WORK/demo.mp4|out/chaos-god.mp4|"
quad "$WORK/demo.mp4" "$OUT/demo-frames.png" 0 2 50 100 150
echo "gallery: $OUT/demo-frames.png (the line above is what command one prints for it)"

# The dock in a real OBS (docs/obs-dock.png): the end-to-end test's screenshot, when the
# plugin is built (scripts/build.sh) and the gallery goes to docs/.
if [ "$OUT" = docs ] && [ -f build/plugin/obs-music-video.so ]; then
  (cd build && E2E_UPDATE_DOCS=1 ctest -R '^obs-e2e-plugin$' --output-on-failure >/dev/null) \
    && echo "gallery: docs/obs-dock.png (the end-to-end test's screenshot)"
  (cd build && E2E_UPDATE_DOCS=1 ctest -R '^obs-e2e-live-look$' --output-on-failure >/dev/null) \
    && echo "gallery: docs/obs-live-look.png (the live look end-to-end test's screenshot)"
fi
