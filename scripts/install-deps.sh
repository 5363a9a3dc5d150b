#!/usr/bin/env bash
# Installs the Debian 12 packages obs-music-video needs. Idempotent: apt-get only
# adds what is missing.
#   scripts/install-deps.sh          everything: mvgen, the OBS plugin, the tests, the hardening
#   scripts/install-deps.sh --demo   only what building and running mvgen needs (command one)
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
# mvgen: the core library and its command line.
CORE_PACKAGES=(
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
  # fetching the sample song (scripts/fetch-sample.sh: apt-get download, dpkg -x)
  dpkg
)
# The rest of the test command: the suites, the plugin, the packaging, the hardening.
TEST_PACKAGES=(
  # tests (cpp-httplib runs the loopback server that stands in for the vendor API)
  libgtest-dev libcpp-httplib-dev
  espeak-ng  # a real voice for the soundtrack and promo tests (ducking, cuts at pauses)
  # the curl CLI: the baseline of the cloud transfer benchmark
  curl
  # the OBS plugin: libobs, Qt 5 (Debian's OBS 29) and Qt 6 (official OBS 28+), and its
  # end-to-end test in a real OBS under Xvfb, driven over obs-websocket
  obs-studio libobs-dev qtbase5-dev qt6-base-dev xvfb xauth python3-websockets
  xdotool  # the end-to-end test clicks the dock as a streamer does
  # the .deb of the plugin (CPack runs dpkg-shlibdeps for its dependencies, and `file` to find
  # the binaries to run it on: a minimal Debian 12 has neither)
  dpkg-dev file
  # hardening (README "Hardening"): the ASan + UBSan build (clang 14 and its sanitizer
  # runtimes, llvm-symbolizer for the reports' stack traces) and the static analysis
  # (scripts/lint.sh: clang-tidy, cppcheck, python3 to filter the compile database)
  clang libclang-rt-14-dev llvm-14 clang-tidy cppcheck python3
)
PACKAGES=("${CORE_PACKAGES[@]}")
[ "${1:-}" = "--demo" ] || PACKAGES+=("${TEST_PACKAGES[@]}")
# Nothing to do when every package is there already (a second run costs no apt-get update).
status=$(dpkg-query -W -f='${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
installed=$(grep -c "install ok installed" <<<"$status" || true)
if [ "$installed" -ne "${#PACKAGES[@]}" ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
fi
