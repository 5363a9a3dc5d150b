# Third-party libraries, all from Debian packages (see scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET
  libavformat>=59 libavcodec>=59 libavutil>=57 libswresample>=4 libswscale>=6
  libavfilter>=8)  # libavfilter: lut3d reads the LUT files (media/lut-file.cpp)
pkg_check_modules(EBUR128 REQUIRED IMPORTED_TARGET libebur128>=1.2)
pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2)
pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)
pkg_check_modules(LIBASS REQUIRED IMPORTED_TARGET libass)  # titles (render/ass-title.cpp)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl>=7.85)
# FluidSynth renders the generated soundtracks with a General MIDI soundfont
# (Debian's fluid-soundfont-gm; audio/synth.cpp).
pkg_check_modules(FLUIDSYNTH REQUIRED IMPORTED_TARGET fluidsynth>=2.1)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
# libqm-dsp (Queen Mary DSP library): the second beat tracker the bench compares
# ours with (analysis/beat-compare.cpp). No pkg-config file in Debian: found by hand.
find_path(QMDSP_INCLUDE_DIR dsp/tempotracking/TempoTrackV2.h PATH_SUFFIXES qm-dsp REQUIRED)
find_library(QMDSP_LIBRARY qm-dsp REQUIRED)
add_library(QmDsp::QmDsp UNKNOWN IMPORTED)
set_target_properties(QmDsp::QmDsp PROPERTIES IMPORTED_LOCATION "${QMDSP_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${QMDSP_INCLUDE_DIR}")
# OpenCV's object detection (Debian libopencv-objdetect-dev) and its Haar face
# cascades (opencv-data): faces for --fit follow (media/face-finder.cpp). Found by
# hand: Debian's CMake config comes only with the whole libopencv-dev.
find_path(OPENCV_INCLUDE_DIR opencv2/objdetect.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(MV_OPENCV_LIBS "")
foreach(module objdetect imgproc core)
  find_library(OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  list(APPEND MV_OPENCV_LIBS "${OPENCV_${module}_LIBRARY}")
endforeach()
add_library(OpenCvObjdetect INTERFACE)
target_include_directories(OpenCvObjdetect SYSTEM INTERFACE "${OPENCV_INCLUDE_DIR}")
target_link_libraries(OpenCvObjdetect INTERFACE ${MV_OPENCV_LIBS})
