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
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
