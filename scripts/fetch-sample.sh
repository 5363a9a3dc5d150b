#!/usr/bin/env bash
# Fetches the sample song from Debian's fretsonfire-songs-muldjord package
# ("Chaos God" by Muldjord, CC BY-SA 3.0) and mixes its two stems (song.ogg +
# guitar.ogg) into one file. Also builds a 20-minute input from the package's
# four songs for the long-input test and benchmark, and keeps the four songs with
# their charts (notes.mid: the tempo map, i.e. known beats) in OUTDIR/charts for
# the beat-tracking benchmark (mvgen bench --charts). Also takes one photo with
# faces (messi5.jpg) from Debian's opencv-doc examples for the face-following
# test of --fit follow (OUTDIR/faces), and five photos of that package's sample
# data (OUTDIR/photos: fruits, orange, apple, butterfly, building; OpenCV's
# licence) for the promo in the README's gallery. And "Feelings" by Sectoid
# (fretsonfire-songs-sectoid, MIT-style licence), a song charted at 95 BPM, for
# the live tracker's tempo change 170 -> 95 BPM (OUTDIR/charts/tempo-change).
# Usage: scripts/fetch-sample.sh [--song-only] OUTDIR   (default build/sample)
#   --song-only: only chaos-god.ogg (command one's demo; the tests need the rest)
set -euo pipefail
SONG_ONLY=0
if [ "${1:-}" = "--song-only" ]; then
  SONG_ONLY=1
  shift
fi
OUT="${1:-build/sample}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
PHOTOS=(fruits.jpg orange.jpg apple.jpg butterfly.jpg building.jpg)
fetch_pictures() {
  [ -s "$OUT/faces/messi5.jpg" ] && [ -s "$OUT/photos/building.jpg" ] && return 0
  local work="$OUT/.faces" data=./usr/share/doc/opencv-doc/examples/data
  rm -rf "$work"
  mkdir -p "$work" "$OUT/faces" "$OUT/photos"
  ( cd "$work" && apt-get download -q opencv-doc >/dev/null )
  local members=("$data/messi5.jpg")
  for p in "${PHOTOS[@]}"; do members+=("$data/$p"); done
  dpkg-deb --fsys-tarfile "$work"/opencv-doc_*.deb | tar -x -C "$work" "${members[@]}"
  mv "$work/$data/messi5.jpg" "$OUT/faces/messi5.jpg"
  for p in "${PHOTOS[@]}"; do mv "$work/$data/$p" "$OUT/photos/$p"; done
  rm -rf "$work"
}
fetch_tempo_change() {
  local dir="$OUT/charts/tempo-change" work="$OUT/.sectoid"
  [ -s "$dir/feelings.mid" ] && return 0
  local song=./usr/share/games/fretsonfire/data/songs/sectoid/Feelings
  rm -rf "$work"
  mkdir -p "$work" "$dir"
  ( cd "$work" && apt-get download -q fretsonfire-songs-sectoid >/dev/null )
  dpkg-deb --fsys-tarfile "$work"/fretsonfire-songs-sectoid_*.deb |
    tar -x -C "$work" "$song/song.ogg" "$song/guitar.ogg" "$song/notes.mid" ./usr/share/doc/fretsonfire-songs-sectoid/copyright
  ffmpeg -nostdin -v error -y -i "$work/$song/song.ogg" -i "$work/$song/guitar.ogg" \
    -filter_complex "amix=inputs=2:duration=longest:normalize=0" -c:a libvorbis -q:a 5 "$dir/feelings.tmp.ogg"
  mv "$dir/feelings.tmp.ogg" "$dir/feelings.ogg"
  cp "$work/usr/share/doc/fretsonfire-songs-sectoid/copyright" "$OUT/COPYRIGHT-sectoid.txt"
  cp "$work/$song/notes.mid" "$dir/feelings.mid.tmp"
  mv "$dir/feelings.mid.tmp" "$dir/feelings.mid"
  rm -rf "$work"
}
[ "$SONG_ONLY" = 1 ] || fetch_pictures
[ "$SONG_ONLY" = 1 ] || fetch_tempo_change
if [ -s "$OUT/chaos-god.ogg" ] && { [ "$SONG_ONLY" = 1 ] || { [ -s "$OUT/long-20min.ogg" ] && [ -s "$OUT/charts/mutilated_mime.mid" ]; }; }; then
  echo "sample: $OUT/chaos-god.ogg (already there)"
  exit 0
fi
WORK="$OUT/.fetch"
rm -rf "$WORK"
mkdir -p "$WORK"
( cd "$WORK" && apt-get download -q fretsonfire-songs-muldjord >/dev/null )
dpkg -x "$WORK"/fretsonfire-songs-muldjord_*.deb "$WORK/x"
SONGS="$WORK/x/usr/share/games/fretsonfire/data/songs/muldjord"
cp "$WORK/x/usr/share/doc/fretsonfire-songs-muldjord/copyright" "$OUT/COPYRIGHT-muldjord.txt"
mix() {  # mix a song's stems into one Vorbis file, written under a temporary name
  ffmpeg -nostdin -v error -y -i "$SONGS/$1/song.ogg" -i "$SONGS/$1/guitar.ogg" \
    -filter_complex "amix=inputs=2:duration=longest:normalize=0" -c:a libvorbis -q:a 5 "$2.tmp.ogg"
  mv "$2.tmp.ogg" "$2"
}
mix chaos_god "$OUT/chaos-god.ogg"
if [ "$SONG_ONLY" = 1 ]; then
  rm -rf "$WORK"
  echo "sample: $OUT/chaos-god.ogg"
  exit 0
fi
for s in armygeddon internal_degeneration mutilated_mime; do mix "$s" "$WORK/$s.ogg"; done
mkdir -p "$OUT/charts"
cp "$OUT/chaos-god.ogg" "$OUT/charts/chaos_god.ogg"
for s in armygeddon internal_degeneration mutilated_mime; do cp "$WORK/$s.ogg" "$OUT/charts/$s.ogg"; done
for s in chaos_god armygeddon internal_degeneration mutilated_mime; do cp "$SONGS/$s/notes.mid" "$OUT/charts/$s.mid.tmp"; mv "$OUT/charts/$s.mid.tmp" "$OUT/charts/$s.mid"; done
# 20 minutes: the four songs (798 s) twice, cut at 1200 s.
LIST="$WORK/list.txt"
: > "$LIST"
for round in 1 2; do
  for s in "$OUT/chaos-god.ogg" "$WORK/armygeddon.ogg" "$WORK/internal_degeneration.ogg" "$WORK/mutilated_mime.ogg"; do
    echo "file '$s'" >> "$LIST"
  done
done
ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$LIST" -t 1200 -c:a libvorbis -q:a 3 "$OUT/long-20min.tmp.ogg"
mv "$OUT/long-20min.tmp.ogg" "$OUT/long-20min.ogg"
rm -rf "$WORK"
echo "sample: $OUT/chaos-god.ogg"
