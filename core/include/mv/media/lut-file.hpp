// lut-file.hpp — colours mapped through a 3D LUT file by FFmpeg's lut3d filter
// (libavfilter): it reads the file (.cube, .3dl, .dat, .m3d, .csp) and
// interpolates; the compositor samples it once into its own Y'CbCr tables
// (render/effects.hpp, Grade) instead of filtering every frame in R'G'B'.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace mv {

/// Colours as three planes of 8-bit Y'CbCr 4:4:4, BT.709 limited range.
struct YuvSamples {
  int width = 0, height = 0;              ///< samples per row, rows
  std::vector<std::uint8_t> y, cb, cr;  ///< width × height each, row-major
};

/// `in` mapped through the 3D LUT in `lut_file`: each sample converted to
/// R'G'B' (BT.709 matrix, limited range in, 16-bit full range), looked up with
/// tetrahedral interpolation by FFmpeg's lut3d filter, and converted back
/// (libswscale both ways). The LUT's domain is taken as 0..1 R'G'B' (video
/// LUTs for Rec.709 footage; a .cube DOMAIN_MIN/MAX is honoured by FFmpeg).
/// `in.width` must be even. ~10 ms for 280 k samples here.
/// Errors: Error{InputMissing} no such file; Error{InputInvalid} "LUT file F:
/// FFmpeg's lut3d filter cannot read it (REASON)" for a file it rejects (the
/// reason is FFmpeg's error string; lut3d also logs the line it stopped at);
/// Error{Media} when the filter graph cannot be built.
YuvSamples map_through_lut_file(const std::filesystem::path& lut_file, const YuvSamples& in);

}  // namespace mv
