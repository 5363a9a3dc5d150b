// unfinished-mp4.cpp — see unfinished-mp4.hpp.
#include "unfinished-mp4.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <string>

#include "mv/base/error.hpp"

namespace mv {

bool is_unfinished_mp4(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  std::uint64_t at = 0;
  bool mdat = false;
  for (int box = 0; box < 100000 && at + 8 <= size; ++box) {
    std::array<unsigned char, 16> h{};
    in.seekg(static_cast<std::streamoff>(at));
    if (!in.read(reinterpret_cast<char*>(h.data()), 8)) break;
    std::uint64_t length = (std::uint64_t{h[0]} << 24) | (std::uint64_t{h[1]} << 16) | (std::uint64_t{h[2]} << 8) | h[3];
    const std::string type(reinterpret_cast<const char*>(h.data()) + 4, 4);
    if (box == 0 && type != "ftyp" && type != "wide" && type != "free" && type != "mdat" && type != "skip") return false;
    if (type == "moov" || type == "moof") return false;
    if (type == "mdat") mdat = true;
    if (length == 1) {  // a 64-bit size follows the type
      if (!in.read(reinterpret_cast<char*>(h.data()) + 8, 8)) break;
      length = 0;
      for (int i = 8; i < 16; ++i) length = (length << 8) | h[static_cast<std::size_t>(i)];
    } else if (length == 0) {  // to the end of the file
      length = size - at;
    }
    if (length < 8) break;  // damaged: stop reading boxes
    at += length;
  }
  return mdat;
}

void throw_if_unfinished_mp4(const std::filesystem::path& path) {
  if (!is_unfinished_mp4(path)) return;
  throw Error(ErrorCode::InputInvalid,
              path.string() + " is an incomplete recording: its index (the MP4 \"moov atom\", written when a recording "
              "stops) is missing, so the recording was cut off (OBS or the computer stopped, or the disk filled). Its "
              "pictures and sound are in the file but cannot be read without the index. To recover it, rebuild the index "
              "with untrunc or recover_mp4 from a short reference recording made with the same OBS settings (encoder, "
              "resolution, audio tracks). To be safe next time, record to MKV in OBS (Settings > Output > Recording "
              "Format) and turn it into an MP4 with File > Remux Recordings: an MKV that is cut off stays readable up to "
              "the cut.");
}

}  // namespace mv
