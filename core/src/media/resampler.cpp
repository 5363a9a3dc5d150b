// resampler.cpp — see resampler.hpp.
#include "mv/media/resampler.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include "mv/base/error.hpp"

namespace mv {

struct Resampler::Impl {
  SwrContext* swr = nullptr;
  int in_rate = 0, out_rate = 0, out_channels = 0;
  ~Impl() { swr_free(&swr); }
};

Resampler::Resampler(int in_rate, int in_channels, int out_rate, int out_channels)
    : impl_(std::make_unique<Impl>()) {
  AVChannelLayout in_layout, out_layout;
  av_channel_layout_default(&in_layout, in_channels);
  av_channel_layout_default(&out_layout, out_channels);
  impl_->in_rate = in_rate;
  impl_->out_rate = out_rate;
  impl_->out_channels = out_channels;
  if (swr_alloc_set_opts2(&impl_->swr, &out_layout, AV_SAMPLE_FMT_FLT, out_rate, &in_layout,
                          AV_SAMPLE_FMT_FLT, in_rate, 0, nullptr) < 0 ||
      swr_init(impl_->swr) < 0) {
    throw Error(ErrorCode::Internal, "cannot set up the audio resampler");
  }
}

Resampler::~Resampler() = default;

void Resampler::convert(const float* in, std::size_t frames, std::vector<float>& out) {
  const int out_max = swr_get_out_samples(impl_->swr, static_cast<int>(frames));
  if (out_max <= 0) return;
  const std::size_t old = out.size();
  out.resize(old + static_cast<std::size_t>(out_max) * static_cast<std::size_t>(impl_->out_channels));
  auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + old);
  const auto* src = reinterpret_cast<const std::uint8_t*>(in);
  const int got = swr_convert(impl_->swr, &dst, out_max, in != nullptr ? &src : nullptr,
                              static_cast<int>(frames));
  if (got < 0) throw Error(ErrorCode::Internal, "audio resampling failed");
  out.resize(old + static_cast<std::size_t>(got) * static_cast<std::size_t>(impl_->out_channels));
}

void Resampler::flush(std::vector<float>& out) { convert(nullptr, 0, out); }

}  // namespace mv
