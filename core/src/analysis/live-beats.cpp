// live-beats.cpp — see live-beats.hpp.
#include "live-beats.hpp"

#include <algorithm>
#include <cmath>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

constexpr double kHopS = static_cast<double>(kHopSize) / kAnalysisRate;
constexpr std::int64_t kKeepHops = static_cast<std::int64_t>(12.0 / kHopS);  // history kept, ~12 s
constexpr std::int64_t kTempoEveryHops = 43;                                 // ~0.5 s
constexpr double kTempoMinS = 4.0;
constexpr double kAcfMemoryS = 3.0;  ///< time constant of the running autocorrelation
constexpr double kAudibleWindowS = 4.0;
constexpr int kTeeth = 10;
constexpr double kToothWeight = 0.85;
constexpr double kLoopGain = 0.05;
// A steady pulse (beats shown): the best tempo's comb salience at least kSteadySalience and
// kSteadyProminence over what any tempo scores, for kSteadyOnPicks tempo picks in a row that
// agree on the tempo (1 s); lost after kSteadyOffPicks picks without (3 s). Measured on the
// charted songs, speech (espeak-ng) and pink noise: `mvgen bench --charts`.
constexpr double kSteadySalience = 0.12;
constexpr double kSteadyProminence = 0.04;
constexpr int kSteadyOnPicks = 2;
constexpr int kSteadyOffPicks = 6;

bool near_ratio(double a, double b, double ratio) { return std::fabs(a / b - ratio) < 0.04 * ratio; }

}  // namespace

LiveBeatTracker::LiveBeatTracker(double min_bpm, double max_bpm) : min_bpm_(min_bpm), max_bpm_(max_bpm) {}

void LiveBeatTracker::add_hop(float flux, float kick, float rms) {
  env_.push_back(flux);
  kick_.push_back(kick);
  rms_.push_back(rms);
  static const auto kPeakDecay = static_cast<float>(std::pow(0.5, kHopS / 10.0));  // half-life 10 s
  env_peak_ = std::max(flux, env_peak_ * kPeakDecay);
  if (static_cast<std::int64_t>(env_.size()) > 2 * kKeepHops) {
    const auto drop = static_cast<std::ptrdiff_t>(env_.size()) - kKeepHops;
    for (auto* v : {&env_, &kick_, &rms_}) v->erase(v->begin(), v->begin() + drop);
    base_ += drop;
  }
  // The running autocorrelation of the mean-removed envelope, forgetting with kAcfMemoryS.
  static const double keep = std::exp(-kHopS / kAcfMemoryS);
  if (acf_.empty()) {
    acf_.assign(tempo_acf_lags(kHopS, min_bpm_), 0.0);
    acf_weight_.assign(acf_.size(), 0.0);
  }
  env_mean_ = keep * env_mean_ + (1.0 - keep) * flux;
  centred_.push_back(static_cast<float>(flux - env_mean_));
  if (centred_.size() > 2 * acf_.size()) centred_.erase(centred_.begin(), centred_.end() - static_cast<std::ptrdiff_t>(acf_.size()));
  const float x = centred_.back();
  const std::size_t lags = std::min(acf_.size(), centred_.size());
  for (std::size_t l = 0; l < acf_.size(); ++l) {
    acf_[l] *= keep;
    acf_weight_[l] *= keep;
  }
  for (std::size_t l = 0; l < lags; ++l) {  // each lag over the weight of its own products: unbiased
    acf_[l] += x * centred_[centred_.size() - 1 - l];
    acf_weight_[l] += 1.0;
  }
  if (hops() % kTempoEveryHops == 0) update_tempo();
  if (tempo_ > 0.0) update_phase();
  // A beat's bar cues need the audio up to two hops after it.
  const std::int64_t latest = hops() - 1;
  while (!unscored_.empty() && std::llround(unscored_.front().time_s / kHopS) + 2 <= latest) {
    score_bar(unscored_.front());
    unscored_.erase(unscored_.begin());
  }
}

double LiveBeatTracker::env_at(double hop) const {
  const double i = hop - static_cast<double>(base_);
  if (i < 0.0 || i > static_cast<double>(env_.size() - 1)) return 0.0;
  const auto i0 = static_cast<std::size_t>(i);
  const double frac = i - static_cast<double>(i0);
  const double a = env_[i0], b = i0 + 1 < env_.size() ? env_[i0 + 1] : a;
  return a + (b - a) * frac;
}

double LiveBeatTracker::band_rise(const std::vector<float>& band, std::int64_t hop) const {
  // As downbeat-finder.cpp's: the peak within ±2 hops over the lowest level 4–6 hops before.
  const std::int64_t first = base_, last = hops() - 1;
  if (hop - 6 < first || hop + 2 > last) return 0.0;
  double peak = 0.0, before = 1.0;
  for (std::int64_t h = hop - 2; h <= hop + 2; ++h) peak = std::max(peak, static_cast<double>(band[static_cast<std::size_t>(h - base_)]));
  for (std::int64_t h = hop - 6; h <= hop - 4; ++h) before = std::min(before, static_cast<double>(band[static_cast<std::size_t>(h - base_)]));
  return std::max(0.0, peak - before);
}

void LiveBeatTracker::update_tempo() {
  const auto audible_hops = static_cast<std::size_t>(kAudibleWindowS / kHopS);
  const std::size_t from = rms_.size() > audible_hops ? rms_.size() - audible_hops : 0;
  const bool audible = std::any_of(rms_.begin() + static_cast<std::ptrdiff_t>(from), rms_.end(),
                                   [](float r) { return r >= kNoBeatRms; });
  if (!audible) {  // silence: no beat to follow, none invented
    tempo_ = 0.0;
    pending_count_ = 0;
    next_beat_s_ = -1.0;
    steady_ = false;
    steadiness_count_ = 0;
    return;
  }
  if (static_cast<double>(env_.size()) * kHopS < kTempoMinS) return;
  if (acf_.empty() || acf_[0] <= 0.0) return;
  std::vector<double> acf(acf_.size(), 0.0);
  const double zero = acf_[0] / acf_weight_[0];
  for (std::size_t l = 0; l < acf.size(); ++l) acf[l] = acf_weight_[l] > 0.0 ? acf_[l] / acf_weight_[l] / zero : 0.0;
  // The current tempo counts 10 % more: a rival must clearly win.
  const double candidate = pick_tempo(acf, kHopS, min_bpm_, max_bpm_, tempo_);
  const TempoEvidence evidence = tempo_evidence(acf, kHopS, candidate, min_bpm_, max_bpm_);
  // A pick at either end of the tempo grid is no peak: a smooth envelope's ACF (a voice, a
  // swell) falls from lag 0, so the fastest tempo scores best without anything pulsing there.
  const bool inside = candidate > 1.005 * min_bpm_ && candidate < 0.995 * std::max(max_bpm_, kDefaultMaxBpm);
  update_steadiness(inside && evidence.salience >= kSteadySalience &&
                    evidence.salience - evidence.median >= kSteadyProminence,
                    candidate);
  if (candidate <= 0.0) return;
  if (tempo_ <= 0.0) {  // the first tempo: when two picks in a row agree
    if (pending_count_ > 0 && near_ratio(candidate, pending_, 1.0)) {
      take_tempo(candidate);
    } else {
      pending_ = candidate;
      pending_count_ = 1;
    }
    return;
  }
  if (near_ratio(candidate, tempo_, 1.0)) {  // the same tempo, followed smoothly
    tempo_ += 0.25 * (candidate - tempo_);
    pending_count_ = 0;
    return;
  }
  if (pending_count_ > 0 && near_ratio(candidate, pending_, 1.0)) {
    ++pending_count_;
  } else {
    pending_ = candidate;
    pending_count_ = 1;
  }
  // A simple ratio to the current tempo (half, double, a third, …) is usually the same
  // music heard at another metrical level: it must win for 3 s, any other change for 1 s.
  const double r = candidate / tempo_;
  const bool related = near_ratio(r, 2.0, 1.0) || near_ratio(r, 0.5, 1.0) || near_ratio(r, 3.0, 1.0) ||
                       near_ratio(r, 1.0 / 3.0, 1.0) || near_ratio(r, 1.5, 1.0) || near_ratio(r, 2.0 / 3.0, 1.0);
  if (pending_count_ >= (related ? 6 : 2)) take_tempo(candidate);
}

void LiveBeatTracker::update_steadiness(bool pulsing, double bpm) {
  if (pulsing && !steady_) {  // a pulse begins: the same tempo, pick after pick
    steadiness_count_ = steadiness_count_ > 0 && near_ratio(bpm, steadiness_bpm_, 1.0) ? steadiness_count_ + 1 : 1;
    steadiness_bpm_ = bpm;
  } else {
    steadiness_count_ = pulsing == steady_ ? 0 : steadiness_count_ + 1;
  }
  if (steadiness_count_ >= (steady_ ? kSteadyOffPicks : kSteadyOnPicks)) {
    steady_ = pulsing;
    steadiness_count_ = 0;
  }
}

void LiveBeatTracker::take_tempo(double bpm) {
  if (tempo_ > 0.0 && near_ratio(bpm, tempo_, 1.0)) return;
  tempo_ = bpm;
  pending_count_ = 0;
  next_beat_s_ = -1.0;  // a new tempo: find the phase afresh
  bar_score_.fill(0.0);
  bar_count_.fill(0);
  bar_phase_ = -1;
}

void LiveBeatTracker::update_phase() {
  const double period = 60.0 / tempo_ / kHopS;  // hops
  const auto avail = static_cast<double>(env_.size());
  if (avail < 2.0 * period + 3.0) return;
  const int teeth = std::min(kTeeth, static_cast<int>((avail - 3.0) / period));
  const auto latest = static_cast<double>(hops() - 1);
  auto comb = [&](double phi) {
    double s = 0.0, w = 1.0;
    for (int j = 0; j < teeth; ++j) {
      s += w * env_at(latest - phi - j * period);
      w *= kToothWeight;
    }
    return s;
  };
  // The latest beat, `phi` hops before the latest hop: the best comb position, to a fraction of a hop.
  constexpr double kStep = 0.5;
  double best_phi = 0.0, best = -1.0;
  const auto steps = static_cast<int>(std::ceil(period / kStep));
  for (int i = 0; i < steps; ++i) {
    const double phi = i * kStep;
    const double s = comb(phi);
    if (s > best) {
      best = s;
      best_phi = phi;
    }
  }
  if (best <= 0.0) return;
  const double a = comb(best_phi - kStep), c = comb(best_phi + kStep), denom = a - 2.0 * best + c;
  if (best_phi > 0.0 && std::fabs(denom) > 1e-12) best_phi += kStep * std::clamp(0.5 * (a - c) / denom, -0.5, 0.5);
  const double period_s = 60.0 / tempo_;
  double measured = (latest - best_phi) * kHopS + kOnsetLatencyS;
  if (next_beat_s_ < 0.0) {  // first lock: the first beat after what was already shown
    next_beat_s_ = measured;
    while (next_beat_s_ <= horizon_s_) next_beat_s_ += period_s;
    return;
  }
  // The measured beat nearest the prediction moves it a share of the way.
  measured += std::round((next_beat_s_ - measured) / period_s) * period_s;
  next_beat_s_ += kLoopGain * (measured - next_beat_s_);
  if (last_emitted_s_ >= 0.0) next_beat_s_ = std::max(next_beat_s_, last_emitted_s_ + 0.6 * period_s);
}

void LiveBeatTracker::score_bar(const Beat& beat) {
  auto hop_of = [](double t) { return static_cast<std::int64_t>(std::llround(std::max(0.0, t) / kHopS)); };
  const std::int64_t hop = hop_of(beat.time_s);
  if (hop - 6 < base_) return;
  // The bar: kick rise and accent at this beat, each over its recent mean.
  double accent = 0.0;
  for (std::int64_t h = hop - 2; h <= hop + 2; ++h) accent = std::max(accent, env_at(static_cast<double>(h)));
  accent /= env_peak_;
  const double kick = band_rise(kick_, hop);
  kick_mean_ = 0.9 * kick_mean_ + 0.1 * kick;
  accent_mean_ = 0.9 * accent_mean_ + 0.1 * accent;
  const auto p = static_cast<std::size_t>(beat.index % 4);
  constexpr double kBarDecay = 0.8;  // per bar: ~5 bars
  bar_score_[p] = kBarDecay * bar_score_[p] + kick / std::max(kick_mean_, 0.01) + 0.5 * accent / std::max(accent_mean_, 0.01);
  ++bar_count_[p];
  if (*std::min_element(bar_count_.begin(), bar_count_.end()) < 4) return;
  std::size_t best = 0;
  for (std::size_t i = 1; i < 4; ++i) {
    if (bar_score_[i] > bar_score_[best]) best = i;
  }
  double others = 0.0;
  for (std::size_t i = 0; i < 4; ++i) others += i == best ? 0.0 : bar_score_[i] / 3.0;
  if (bar_score_[best] < 1.05 * others) return;  // none stands out: keep what there is
  if (bar_phase_ < 0 || bar_score_[best] > 1.1 * bar_score_[static_cast<std::size_t>(bar_phase_)]) bar_phase_ = static_cast<int>(best);
}

void LiveBeatTracker::emit_until(double until_s, double late_s, std::vector<Beat>& out) {
  horizon_s_ = std::max(horizon_s_, until_s);
  if (tempo_ <= 0.0 || next_beat_s_ < 0.0) return;
  const double period_s = 60.0 / tempo_;
  while (next_beat_s_ <= until_s) {
    if (!steady_) {  // no steady pulse (speech, noise, a beatless passage): the phase runs on, nothing is shown
      last_emitted_s_ = next_beat_s_;
      next_beat_s_ += period_s;
      continue;
    }
    Beat beat;
    beat.time_s = std::max(next_beat_s_, late_s);
    beat.index = next_index_++;
    beat.downbeat = bar_phase_ >= 0 && beat.index % 4 == bar_phase_;
    out.push_back(beat);
    unscored_.push_back(beat);
    last_emitted_s_ = next_beat_s_;
    next_beat_s_ += period_s;
  }
}

}  // namespace mv
