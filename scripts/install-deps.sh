#!/usr/bin/env bash
# Installs every Debian 12 package obs-music-video needs to build, test and
# run. Idempotent: apt-get only adds what is missing.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
PACKAGES=(
  # toolchain
  g++ make cmake pkg-config ccache
  # media: FFmpeg libraries (decode, encode, resample, scale, LUT files) and the CLI (bench, fixtures)
  ffmpeg libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev
  libavfilter-dev  # lut3d: the 3D LUT files of the colour grades
  # analysis and drawing
  libebur128-dev libfreetype-dev libfontconfig-dev fonts-dejavu-core libass-dev
  fonts-wqy-microhei  # CJK glyphs (Chinese, Japanese kana) for titles and lyrics: fontconfig falls back to it
  libqm-dsp-dev  # the second beat tracker (Queen Mary DSP library) the bench compares ours with
  libopencv-objdetect-dev opencv-data  # faces for --fit follow (OpenCV and its Haar cascades)
  libfluidsynth-dev fluid-soundfont-gm  # the generated soundtracks: FluidSynth and its General MIDI soundfont
  # cloud client: HTTP and JSON
  libcurl4-openssl-dev nlohmann-json3-dev
  # tests (cpp-httplib runs the loopback server that stands in for the vendor API)
  libgtest-dev libcpp-httplib-dev
  espeak-ng  # a real voice for the soundtrack and promo tests (ducking, cuts at pauses)
  # the curl CLI: the baseline of the cloud transfer benchmark
  curl
  # the OBS plugin: libobs, Qt 5 (Debian's OBS 29) and Qt 6 (official OBS 28+), and its
  # end-to-end test in a real OBS under Xvfb, driven over obs-websocket
  obs-studio libobs-dev qtbase5-dev qt6-base-dev xvfb xauth python3-websockets
  # the .deb of the plugin (CPack runs dpkg-shlibdeps for its dependencies)
  dpkg-dev
  # hardening (README "Hardening"): the ASan + UBSan build (clang 14 and its sanitizer
  # runtimes, llvm-symbolizer for the reports' stack traces) and the static analysis
  # (scripts/lint.sh: clang-tidy, cppcheck, python3 to filter the compile database)
  clang libclang-rt-14-dev llvm-14 clang-tidy cppcheck python3
)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
