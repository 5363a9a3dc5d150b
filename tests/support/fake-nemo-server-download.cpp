// fake-nemo-server-download.cpp — the fake NemoVideo server's download body, served for
// GET /files/<name> (the "CDN" URL) and the render download fallback: a file or bytes, Range
// requests, throttling, cuts mid-body, Content-Disposition, and the download setters.
#include "fake-nemo-server-impl.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace mvtest {

namespace {

bool read_whole_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return static_cast<bool>(in) || in.eof();
}

}  // namespace

namespace fake_detail {

std::string default_download_bytes() {
  // A 24-byte 'ftyp' box (isom), then a deterministic pattern up to 64 KiB.
  std::string out;
  const unsigned char ftyp[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                                0, 0, 2,  0,  'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
  out.assign(reinterpret_cast<const char*>(ftyp), sizeof ftyp);
  std::uint32_t x = 2463534242u;
  while (out.size() < 64 * 1024) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out += static_cast<char>(x & 0xffu);
  }
  return out;
}

}  // namespace fake_detail

// ------------------------------------------------------------------------------------------
// Impl: GET /files/<name> and the download body

void FakeNemoServer::Impl::on_files(Call& c) { serve_download(c); }

void FakeNemoServer::Impl::serve_download(Call& c) {
  std::optional<std::filesystem::path> path;
  std::shared_ptr<const std::string> bytes;
  std::uint64_t bps = 0;
  std::uint64_t cut = 0;
  bool do_cut = false;
  {
    std::lock_guard<std::mutex> lk(mu);
    path = download_file;
    bytes = download_bytes;
    bps = throttle_bps;
    if (!download_disposition.empty()) c.res.set_header("Content-Disposition", download_disposition);
    if (cut_times > 0) {
      --cut_times;
      do_cut = true;
      cut = cut_bytes;
    }
  }
  std::uint64_t size = 0;
  std::shared_ptr<std::ifstream> file;
  if (path) {
    std::error_code ec;
    size = std::filesystem::file_size(*path, ec);
    file = std::make_shared<std::ifstream>(*path, std::ios::binary);
    if (ec || !*file) {
      send_error(c, 404, 404, "download file missing", general_shape());
      return;
    }
  } else {
    size = bytes->size();
  }

  std::uint64_t start = 0;
  std::uint64_t end = size;  // exclusive
  c.res.set_header("Accept-Ranges", "bytes");
  if (c.range) {
    const long long first = c.range->first;
    const long long last = c.range->second;
    if (first < 0 && last >= 0) {  // suffix: bytes=-N
      const auto n = static_cast<std::uint64_t>(last);
      start = n >= size ? 0 : size - n;
    } else if (first >= 0) {
      start = static_cast<std::uint64_t>(first);
      if (last >= 0) end = std::min(size, static_cast<std::uint64_t>(last) + 1);
    }
    if (start >= size || start >= end) {
      c.res.status = 416;
      c.res.set_header("Content-Range", "bytes */" + std::to_string(size));
      return;
    }
    c.res.status = 206;
    c.res.set_header("Content-Range", "bytes " + std::to_string(start) + "-" +
                                          std::to_string(end - 1) + "/" + std::to_string(size));
  } else {
    c.res.status = 200;
  }
  const std::uint64_t length = end - start;
  if (length == 0) {
    c.res.set_content(std::string(), "video/mp4");
    return;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto buffer = std::make_shared<std::vector<char>>(kDownloadChunk);
  c.res.set_content_provider(
      static_cast<std::size_t>(length), "video/mp4",
      [this, file, bytes, buffer, start, bps, do_cut, cut, t0](
          std::size_t offset, std::size_t remaining, httplib::DataSink& sink) {
        if (is_stopping()) return false;
        const std::uint64_t sent = offset;
        if (do_cut && sent >= cut) return false;  // drop the connection mid-body
        std::uint64_t n = std::min<std::uint64_t>(remaining, kDownloadChunk);
        if (bps > 0) n = std::min<std::uint64_t>(n, std::max<std::uint64_t>(1, bps / 20));
        if (do_cut) n = std::min<std::uint64_t>(n, cut - sent);
        const char* data = nullptr;
        if (file) {
          file->seekg(static_cast<std::streamoff>(start + sent));
          file->read(buffer->data(), static_cast<std::streamsize>(n));
          if (file->gcount() != static_cast<std::streamsize>(n)) return false;
          data = buffer->data();
        } else {
          data = bytes->data() + start + sent;
        }
        if (!sink.write(data, static_cast<std::size_t>(n))) return false;
        if (bps > 0) {
          const auto due = t0 + std::chrono::microseconds(
                                    static_cast<std::int64_t>((sent + n) * 1000000 / bps));
          const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
              due - std::chrono::steady_clock::now());
          if (wait.count() > 0 && !wait_or_stop(wait)) return false;
        }
        return true;
      });
}

// ------------------------------------------------------------------------------------------
// FakeNemoServer: downloads

void FakeNemoServer::set_download_file(const std::filesystem::path& path) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->download_file = path;
}
void FakeNemoServer::set_download_bytes(std::string bytes) {
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->download_file.reset();
  impl_->download_bytes = std::move(shared);
}
std::string FakeNemoServer::download_content() const {
  std::optional<std::filesystem::path> path;
  std::shared_ptr<const std::string> bytes;
  {
    const std::lock_guard<std::mutex> lock(impl_->mu);
    path = impl_->download_file;
    bytes = impl_->download_bytes;
  }
  if (!path) return *bytes;
  std::string out;
  return read_whole_file(*path, out) ? out : std::string();
}
void FakeNemoServer::set_download_throttle(std::uint64_t bytes_per_second) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->throttle_bps = bytes_per_second;
}
void FakeNemoServer::cut_download_after(std::uint64_t bytes, int times) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->cut_bytes = bytes;
  impl_->cut_times = times;
}

void FakeNemoServer::set_download_disposition(std::string value) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->download_disposition = std::move(value);
}

}  // namespace mvtest
