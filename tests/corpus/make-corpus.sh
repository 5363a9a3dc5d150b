#!/usr/bin/env bash
# Makes the corpus of real-world inputs the corpus tests (tests/test-corpus.cpp)
# run on: files made the way OBS and phones make them, with the ffmpeg CLI and
# espeak-ng (no media is committed). Every file is written under a temporary
# name and renamed, and a file that already exists is kept, so a second run
# costs nothing.
#
#   obs-tracks.mkv        an OBS recording with four named audio tracks, as
#                         obs-ffmpeg-mux writes them ("title" per stream):
#                         "Track 1" the stream mix, "Mic" a voice, "Game" sound
#                         effects, "Music" the sample song
#   hlg.mov, pq.mkv       HEVC Main 10, BT.2020: HLG (a phone's default) and PQ
#                         with mastering metadata (HDR10), made from sdr.mp4
#   sdr.mp4               the SDR clip they are made from (the sample photos)
#   full-range.mp4        the same clip as full-range (yuvj420p) H.264
#   vertical-vfr.mp4      a phone held upright: stored 640x360 with a 90° display
#                         matrix, variable frame rate
#   square.mp4            a 360x360 clip
#   cjk.mp3, cjk.m4a      a song whose title and artist tags are Japanese / Chinese
#   IMG_0042.MOV          a phone clip with sound and no tags (a camera name)
#   cut.mp4               an MP4 recording cut off before its moov atom
#   cut.mkv, cut.ts, cut.flv   recordings cut off at 60 % of their bytes
#   surround.m4a          5.1 AAC
#   silent.wav, near-silent.wav   digital silence; noise at −70 dBFS
#   no-sound.mp4          a video without an audio track
#   speech.wav            the voice alone (for the speech measure)
#
# Usage: tests/corpus/make-corpus.sh OUTDIR SAMPLE_DIR
#   SAMPLE_DIR: build/sample (scripts/fetch-sample.sh): chaos-god.ogg and photos/.
set -euo pipefail
OUT="$1"
SAMPLE="$(cd "$2" && pwd)"
mkdir -p "$OUT"
cd "$OUT"
ff() { ffmpeg -nostdin -hide_banner -v error -y "$@"; }

# mk NAME COMMAND...: runs COMMAND with every argument @OUT (and $TMP, for
# functions) set to a temporary name beside NAME with its extension, then
# renames it to NAME; skipped when NAME exists.
mk() {
  local name="$1"
  shift
  [ -s "$name" ] && return 0
  TMP=".tmp-$$-${name}"
  TMP="${TMP%.*}.${name##*.}"
  local args=()
  for a in "$@"; do
    if [ "$a" = "@OUT" ]; then args+=("$TMP"); else args+=("$a"); fi
  done
  "${args[@]}"
  mv "$TMP" "$name"
}

for f in "$SAMPLE/chaos-god.ogg" "$SAMPLE/photos/fruits.jpg" "$SAMPLE/photos/butterfly.jpg"; do
  [ -s "$f" ] || { echo "make-corpus: $f is missing (run scripts/fetch-sample.sh)" >&2; exit 1; }
done

# The voice: a streamer talking, with pauses, ~12 s of speech in 20 s.
voice() {
  local words=(
    "Hey chat, welcome back to the stream."
    "Okay, this is the boss I told you about."
    "Watch this, watch this. Oh no, oh no!"
    "Thanks for the follow, really appreciate it."
  )
  local parts=()
  local i=0
  for w in "${words[@]}"; do
    espeak-ng -s 165 -w ".voice-$$-$i.wav" "$w"
    parts+=(-i ".voice-$$-$i.wav")
    i=$((i + 1))
  done
  # Each phrase after a pause: 0.8, 5.5, 10.5, 15.5 s.
  ff "${parts[@]}" -filter_complex \
    "[0]adelay=800:all=1[a];[1]adelay=5500:all=1[b];[2]adelay=10500:all=1[c];[3]adelay=15500:all=1[d];\
[a][b][c][d]amix=inputs=4:normalize=0,aresample=48000,pan=stereo|c0=c0|c1=c0,apad=whole_dur=20,atrim=0:20" \
    -c:a pcm_s16le "$TMP"
  rm -f .voice-$$-*.wav
}
mk speech.wav voice

# Game sound: irregular bursts of filtered noise over a low hum (no pulse, no voice).
game() {
  ff -f lavfi -i "anoisesrc=d=20:c=pink:r=48000:a=0.5:seed=7" \
     -f lavfi -i "sine=f=55:r=48000:d=20" -filter_complex \
    "[0]bandpass=f=900:w=1400,volume='if(lt(mod(t*1.7+sin(t*3.1),2.3),0.25),1.0,0.04)':eval=frame[n];\
[1]volume=0.15[h];[n][h]amix=inputs=2:normalize=0,pan=stereo|c0=c0|c1=c0" -c:a pcm_s16le "$TMP"
}
mk game.wav game

# Music: 20 s of the sample song from 60 s.
mk music.wav ff -ss 60 -t 20 -i "$SAMPLE/chaos-god.ogg" -ar 48000 -ac 2 -c:a pcm_s16le @OUT

# Pictures: the sample photos as a 20 s clip with a slow zoom (moving, colourful).
mk pictures.mp4 ff -loop 1 -t 10 -i "$SAMPLE/photos/fruits.jpg" -loop 1 -t 10 -i "$SAMPLE/photos/butterfly.jpg" \
  -filter_complex "[0]scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,zoompan=z='1+0.002*on':d=1:s=640x360:fps=30[a];\
[1]scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,zoompan=z='1+0.002*on':d=1:s=640x360:fps=30[b];\
[a][b]concat=n=2:v=1:a=0,format=yuv420p" -c:v libx264 -preset veryfast -crf 18 @OUT

# The OBS recording: video + four named audio tracks (the mix first, as OBS's Track 1).
mk obs-tracks.mkv ff -i pictures.mp4 -i speech.wav -i game.wav -i music.wav -filter_complex \
  "[3]volume=0.5[m];[1][2][m]amix=inputs=3:normalize=0[mix]" \
  -map 0:v -map "[mix]" -map 1:a -map 2:a -map 3:a -c:v copy -c:a aac -b:a 160k \
  -metadata:s:a:0 title="Track 1" -metadata:s:a:1 title="Mic" -metadata:s:a:2 title="Game" \
  -metadata:s:a:3 title="Music" @OUT

# SDR and HDR versions of one 4 s clip (BT.709 → BT.2020 HLG / PQ with zscale).
mk sdr.mp4 ff -t 4 -i pictures.mp4 -i music.wav -map 0:v -map 1:a -shortest -c:v libx264 -preset veryfast -crf 16 \
  -pix_fmt yuv420p -colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv -c:a aac @OUT
# HLG: SDR white at the BT.2408 reference level (75 % of the HLG signal, 203 cd/m²).
mk hlg.mov ff -i sdr.mp4 -map 0:v -map 0:a -vf \
  "zscale=tin=bt709:min=bt709:pin=bt709:rin=tv:t=linear:npl=203,format=gbrpf32le,zscale=p=bt2020:t=arib-std-b67:m=bt2020nc:r=tv:npl=203,format=yuv420p10le" \
  -c:v libx265 -preset fast -crf 18 -x265-params "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc" \
  -tag:v hvc1 -color_primaries bt2020 -color_trc arib-std-b67 -colorspace bt2020nc -c:a copy @OUT
# PQ (HDR10): SDR white at 203 cd/m², mastered on a 1000 cd/m² display.
mk pq.mkv ff -i sdr.mp4 -map 0:v -map 0:a -vf \
  "zscale=tin=bt709:min=bt709:pin=bt709:rin=tv:t=linear:npl=203,format=gbrpf32le,zscale=p=bt2020:t=smpte2084:m=bt2020nc:r=tv:npl=203,format=yuv420p10le" \
  -c:v libx265 -preset fast -crf 18 \
  -x265-params "log-level=error:hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50):max-cll=1000,400" \
  -color_primaries bt2020 -color_trc smpte2084 -colorspace bt2020nc -c:a copy @OUT
mk full-range.mp4 ff -i sdr.mp4 -map 0:v -map 0:a -vf "scale=in_range=tv:out_range=pc,format=yuvj420p" \
  -c:v libx264 -preset veryfast -crf 16 -color_range pc -colorspace bt709 -color_primaries bt709 -color_trc bt709 -c:a copy @OUT

# A phone held upright: landscape storage, a display matrix turning it, variable frame rate.
# (FFmpeg 5.1's MP4 muxer writes the "rotate" tag as the display matrix when the stream is copied;
# frames 3, 10, 17, … dropped: variable frame rate.)
mk .vfr.mp4 ff -i pictures.mp4 -i music.wav -t 8 -map 0:v -map 1:a -vf "select='not(eq(mod(n\,7)\,3))'" \
  -vsync vfr -c:v libx264 -preset veryfast -crf 20 -c:a aac @OUT
mk vertical-vfr.mp4 ff -i .vfr.mp4 -c copy -metadata:s:v:0 rotate=90 @OUT

# A square clip (1:1, as Instagram posts).
mk square.mp4 ff -t 6 -i pictures.mp4 -t 6 -i music.wav -map 0:v -map 1:a -vf "crop=360:360" -c:v libx264 -preset veryfast \
  -crf 20 -c:a aac @OUT

# Tags in Japanese and Chinese.
mk cjk.mp3 ff -t 12 -i music.wav -c:a libmp3lame -b:a 128k -id3v2_version 3 -metadata title="夜に駆ける" \
  -metadata artist="ヨルシカ" @OUT
mk cjk.m4a ff -t 12 -i music.wav -c:a aac -b:a 128k -metadata title="音乐视频" -metadata artist="周杰伦" @OUT

# A phone clip named by the camera, no tags.
mk IMG_0042.MOV ff -t 6 -i pictures.mp4 -t 6 -i music.wav -map 0:v -map 1:a -c:v libx264 -preset veryfast -crf 20 \
  -c:a aac -map_metadata -1 @OUT

# Recordings cut off: an MP4 whose moov atom (written last) never came, and MKV / TS / FLV at 60 %.
cut_to() {  # cut_to SOURCE FRACTION: the first FRACTION of SOURCE's bytes into $TMP
  local size
  size=$(stat -c %s "$1")
  head -c "$(awk -v s="$size" -v f="$2" 'BEGIN { printf "%d", s * f }')" "$1" > "$TMP"
}
whole() {  # whole FORMAT: 12 s of the recording (first two tracks' worth: the mix) as FORMAT
  ff -t 12 -i obs-tracks.mkv -map 0:v -map 0:a:0 -c:v libx264 -preset veryfast -crf 22 -g 30 -c:a aac -f "$1" "$TMP"
}
mk .whole.mp4 whole mp4
mk cut.mp4 cut_to .whole.mp4 0.9
mk .whole.mkv whole matroska
mk cut.mkv cut_to .whole.mkv 0.6
mk .whole.ts whole mpegts
mk cut.ts cut_to .whole.ts 0.6
mk .whole.flv whole flv
mk cut.flv cut_to .whole.flv 0.6

mk surround.m4a ff -t 8 -i music.wav -filter_complex "pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0.3*c0|BL=0.5*c0|BR=0.5*c1" \
  -c:a aac -b:a 256k @OUT
mk silent.wav ff -f lavfi -i "anullsrc=r=48000:cl=stereo" -t 8 -c:a pcm_s16le @OUT
mk near-silent.wav ff -f lavfi -i "anoisesrc=d=8:c=white:r=48000:a=0.0003:seed=3" -ac 2 -c:a pcm_s16le @OUT
mk no-sound.mp4 ff -t 6 -i pictures.mp4 -an -c:v copy @OUT
echo "corpus: $(ls | wc -l) files in $OUT"
