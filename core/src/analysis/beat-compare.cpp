// beat-compare.cpp — the QM DSP library's beat tracker, a Standard MIDI File
// tempo-map reader and the beat-evaluation measures (see beat-compare.hpp).
#include "mv/analysis/beat-compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

// libqm-dsp's headers say `using namespace std;` at file scope; keep them in this file only.
#include <dsp/onsets/DetectionFunction.h>
#include <dsp/tempotracking/TempoTrackV2.h>

#include "mv/base/error.hpp"

namespace mv {

std::vector<double> track_beats_qm(const std::vector<float>& mono, int sample_rate) {
  if (sample_rate < 8000) throw Error(ErrorCode::Usage, "the QM beat tracker needs audio at 8000 Hz or more");
  // The QM Vamp plugin's set-up: a step of 11.61 ms, a window of two steps.
  const auto step = static_cast<unsigned>(std::lround(sample_rate * 0.01161));
  const unsigned window = 2 * step;
  if (mono.size() < static_cast<std::size_t>(sample_rate) * 2) return {};
  DFConfig config{};
  config.stepSize = step;
  config.frameLength = window;
  config.DFType = DF_COMPLEXSD;
  config.dbRise = 3.0;
  config.adaptiveWhitening = false;
  config.whiteningRelaxCoeff = -1.0;
  config.whiteningFloor = -1.0;
  DetectionFunction detection(config);
  std::vector<double> frame(window);
  std::vector<double> df;
  df.reserve(mono.size() / step + 1);
  for (std::size_t start = 0; start + window <= mono.size(); start += step) {
    std::copy(mono.begin() + static_cast<std::ptrdiff_t>(start),
              mono.begin() + static_cast<std::ptrdiff_t>(start + window), frame.begin());
    df.push_back(detection.processTimeDomain(frame.data()));
  }
  // As the plugin does: the first two values come from a window still filling its history.
  constexpr std::size_t kSkip = 2;
  if (df.size() <= kSkip + 16) return {};
  std::vector<double> function(df.begin() + kSkip, df.end());
  TempoTrackV2 tracker(static_cast<float>(sample_rate), step);
  std::vector<double> period(function.size(), 0.0);
  std::vector<double> tempi;
  tracker.calculateBeatPeriod(function, period, tempi);
  std::vector<double> positions;
  tracker.calculateBeats(function, period, positions);
  // Position p is df value p + kSkip, the window starting at (p + kSkip) steps; the attack
  // it reacts to lies at the window's centre.
  std::vector<double> beats;
  beats.reserve(positions.size());
  for (const double p : positions) {
    beats.push_back(((p + kSkip) * step + window / 2.0) / sample_rate);
  }
  return beats;
}

namespace {

/// Bounds-checked big-endian reader over a file's bytes; errors name the offset.
class ByteReader {
 public:
  ByteReader(const std::vector<std::uint8_t>& bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}
  [[nodiscard]] std::size_t pos() const { return pos_; }
  [[nodiscard]] bool at_end() const { return pos_ >= bytes_.size(); }
  void seek(std::size_t to) {
    if (to > bytes_.size()) fail("a chunk runs past the end of the file");
    pos_ = to;
  }
  std::uint8_t u8() {
    if (pos_ >= bytes_.size()) fail("the file ends inside an event");
    return bytes_[pos_++];
  }
  std::uint32_t be(int count) {
    std::uint32_t v = 0;
    for (int i = 0; i < count; ++i) v = (v << 8) | u8();
    return v;
  }
  /// MIDI variable-length quantity: 7 bits per byte, high bit = more, at most 4 bytes.
  std::uint32_t vlq() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint8_t b = u8();
      v = (v << 7) | (b & 0x7Fu);
      if ((b & 0x80u) == 0) return v;
    }
    fail("a variable-length number is longer than 4 bytes");
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::InputInvalid,
                name_ + ": not a valid MIDI file at byte " + std::to_string(pos_) + ": " + what);
  }

 private:
  const std::vector<std::uint8_t>& bytes_;
  std::string name_;
  std::size_t pos_ = 0;
};

struct TempoEvent {
  double us_per_quarter = 500000.0;
  int numerator = 0;    ///< 0 = not a time-signature event
  int denominator = 0;  ///< the beat unit, a power of two (4 = quarter)
};

}  // namespace

namespace {

/// The tempo and time-signature events of every track, by tick. Throws as read_midi_grid.
std::multimap<std::uint64_t, TempoEvent> read_tempo_events(ByteReader& r, std::size_t size, std::uint32_t tracks) {
  std::multimap<std::uint64_t, TempoEvent> events;
  for (std::uint32_t t = 0; t < tracks && !r.at_end(); ++t) {
    const std::uint32_t id = r.be(4);
    const std::uint32_t len = r.be(4);
    const std::size_t end = r.pos() + len;
    if (end > size) r.fail("a track runs past the end of the file");
    if (id != 0x4D54726Bu) {  // not MTrk: skip unknown chunks, as the spec asks
      r.seek(end);
      continue;
    }
    std::uint64_t tick = 0;
    std::uint8_t status = 0;
    while (r.pos() < end) {
      tick += r.vlq();
      const std::uint8_t b = r.u8();
      if (b == 0xFF) {  // meta event
        const std::uint8_t type = r.u8();
        const std::uint32_t n = r.vlq();
        const std::size_t data = r.pos();
        TempoEvent e;
        if (type == 0x51 && n == 3) {
          e.us_per_quarter = static_cast<double>(r.be(3));
          if (e.us_per_quarter <= 0) r.fail("a tempo of zero");
          events.emplace(tick, e);
        } else if (type == 0x58 && n >= 2) {
          e.us_per_quarter = -1.0;  // unchanged
          e.numerator = r.u8();
          const int power = r.u8();
          if (e.numerator == 0 || power > 6) r.fail("a time signature out of range");
          e.denominator = 1 << power;
          events.emplace(tick, e);
        }
        r.seek(data + n);
        status = 0;
        if (type == 0x2F) break;  // end of track
      } else if (b == 0xF0 || b == 0xF7) {  // SysEx
        r.seek(r.pos() + r.vlq());
        status = 0;
      } else {
        if ((b & 0x80u) != 0) {
          status = b;
          r.u8();  // first data byte
        } else if (status == 0) {
          r.fail("a data byte without a running status");
        }
        const std::uint8_t kind = status & 0xF0u;
        if (kind != 0xC0 && kind != 0xD0) r.u8();  // two data bytes except program change and channel pressure
      }
    }
    r.seek(end);
  }
  return events;
}

/// Walks the ticks beat by beat from 0 to `until_s`, converting with the tempo in force.
ReferenceGrid lay_out_grid(const std::multimap<std::uint64_t, TempoEvent>& events, std::uint32_t division, double until_s) {
  ReferenceGrid grid;
  double us_per_quarter = 500000.0;  // 120 BPM until a tempo event says otherwise (SMF spec)
  int numerator = 4, denominator = 4;
  auto next = events.begin();
  const auto apply_until = [&](std::uint64_t tick) {
    for (; next != events.end() && next->first <= tick; ++next) {
      if (next->second.us_per_quarter > 0) us_per_quarter = next->second.us_per_quarter;
      if (next->second.numerator > 0) {
        numerator = next->second.numerator;
        denominator = next->second.denominator;
      }
    }
  };
  apply_until(0);
  grid.first_bpm = 60e6 / us_per_quarter;
  std::uint64_t tick = 0;
  double seconds = 0.0;
  int beat_in_bar = 0;
  while (seconds <= until_s) {
    apply_until(tick);
    if (beat_in_bar == 0) grid.downbeats.push_back(seconds);
    grid.beats.push_back(seconds);
    const auto beat_ticks = static_cast<std::uint64_t>(4 * division / static_cast<std::uint32_t>(denominator));
    // A tempo change inside the beat: integrate piecewise.
    std::uint64_t t = tick;
    const std::uint64_t beat_end = tick + std::max<std::uint64_t>(1, beat_ticks);
    while (t < beat_end) {
      const std::uint64_t change = (next != events.end() && next->first < beat_end) ? next->first : beat_end;
      seconds += static_cast<double>(change - t) * us_per_quarter / 1e6 / division;
      t = change;
      if (t < beat_end) apply_until(t);
    }
    tick = beat_end;
    beat_in_bar = (beat_in_bar + 1) % std::max(1, numerator);
  }
  return grid;
}

}  // namespace

ReferenceGrid read_midi_grid(const std::filesystem::path& path, double until_s) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::InputMissing, path.string() + ": cannot open the MIDI file");
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ByteReader r(bytes, path.filename().string());
  if (r.be(4) != 0x4D546864u) r.fail("no MThd header");
  const std::uint32_t header_len = r.be(4);
  const std::size_t header_end = r.pos() + header_len;
  r.be(2);  // format 0, 1 or 2: the tempo map is read from every track either way
  const std::uint32_t tracks = r.be(2);
  const std::uint32_t division = r.be(2);
  if ((division & 0x8000u) != 0) r.fail("SMPTE time division is not supported");
  if (division == 0) r.fail("zero ticks per quarter note");
  r.seek(header_end);
  return lay_out_grid(read_tempo_events(r, bytes.size(), tracks), division, until_s);
}

namespace {

/// Matches each detected time to at most one reference within ±tol (greedy,
/// nearest first in time order); returns the F-measure.
double f_measure(const std::vector<double>& detected, const std::vector<double>& reference, double tol) {
  if (detected.empty() || reference.empty()) return 0.0;
  std::vector<bool> used(reference.size(), false);
  std::size_t hits = 0;
  std::size_t j = 0;
  for (const double d : detected) {
    while (j < reference.size() && reference[j] < d - tol) ++j;
    std::size_t best = reference.size();
    double best_err = tol;
    for (std::size_t k = j; k < reference.size() && reference[k] <= d + tol; ++k) {
      if (!used[k] && std::abs(reference[k] - d) <= best_err) {
        best = k;
        best_err = std::abs(reference[k] - d);
      }
    }
    if (best < reference.size()) {
      used[best] = true;
      ++hits;
    }
  }
  const double p = static_cast<double>(hits) / static_cast<double>(detected.size());
  const double rc = static_cast<double>(hits) / static_cast<double>(reference.size());
  return p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0;
}

std::vector<double> within(const std::vector<double>& times, double from, double to) {
  std::vector<double> out;
  for (const double t : times) {
    if (t >= from && t <= to) out.push_back(t);
  }
  return out;
}

}  // namespace

BeatScore score_beats(const std::vector<double>& beats, const std::vector<double>& downbeats,
                      const ReferenceGrid& reference, double tolerance_s, double skip_s) {
  BeatScore s;
  if (reference.beats.empty()) return s;
  const double to = reference.beats.back() + tolerance_s;
  const auto det = within(beats, skip_s, to);
  const auto ref = within(reference.beats, skip_s, to);
  s.detected = static_cast<int>(det.size());
  s.reference = static_cast<int>(ref.size());
  s.f_measure = f_measure(det, ref, tolerance_s);
  s.downbeat_f = f_measure(within(downbeats, skip_s, to), within(reference.downbeats, skip_s, to), tolerance_s);
  // On the beat or on the "and": the nearer of the reference beat and the midpoint after or before it.
  int on = 0;
  for (const double d : det) {
    const auto it = std::lower_bound(reference.beats.begin(), reference.beats.end(), d);
    if (it == reference.beats.end() || it == reference.beats.begin()) continue;
    const double after = *it, before = *(it - 1);
    const double to_beat = std::min(after - d, d - before);
    const double to_and = std::abs(d - (before + after) / 2);
    if (to_beat < to_and) ++on;
  }
  s.on_beat = det.empty() ? 0.0 : static_cast<double>(on) / static_cast<double>(det.size());
  std::vector<double> errors;
  for (const double d : det) {
    const auto it = std::lower_bound(reference.beats.begin(), reference.beats.end(), d);
    double nearest = 1e9;
    if (it != reference.beats.end()) nearest = *it - d;
    if (it != reference.beats.begin()) nearest = std::min(nearest, d - *(it - 1));
    if (nearest <= tolerance_s) errors.push_back(nearest);
  }
  if (!errors.empty()) {
    std::nth_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2), errors.end());
    s.median_error_s = errors[errors.size() / 2];
  }
  if (det.size() >= 2) {
    // Least-squares slope of beat time against beat index: the tempo to a fraction of a BPM,
    // where a median gap would be quantised to the tracker's hop.
    const double n = static_cast<double>(det.size());
    double mi = 0, mt = 0;
    for (std::size_t i = 0; i < det.size(); ++i) {
      mi += static_cast<double>(i) / n;
      mt += det[i] / n;
    }
    double sit = 0, sii = 0;
    for (std::size_t i = 0; i < det.size(); ++i) {
      sit += (static_cast<double>(i) - mi) * (det[i] - mt);
      sii += (static_cast<double>(i) - mi) * (static_cast<double>(i) - mi);
    }
    if (sii > 0 && sit > 0) s.bpm = 60.0 / (sit / sii);
  }
  return s;
}

double lock_time(const std::vector<double>& beats, const std::vector<double>& reference, double from_s, double window_s,
                 double tolerance_s) {
  auto near_one = [tolerance_s](const std::vector<double>& in, double t) {
    const auto it = std::lower_bound(in.begin(), in.end(), t - tolerance_s);
    return it != in.end() && *it <= t + tolerance_s;
  };
  for (const double start : beats) {
    if (start < from_s) continue;
    const double end = start + window_s;
    if (reference.empty() || end > reference.back()) break;
    const auto mine = within(beats, start - tolerance_s / 2, end);
    const auto theirs = within(reference, start - tolerance_s / 2, end - tolerance_s);
    if (theirs.empty()) continue;
    const bool all_near = std::all_of(mine.begin(), mine.end(), [&](double b) { return near_one(reference, b); });
    const bool all_found = std::all_of(theirs.begin(), theirs.end(), [&](double t) { return near_one(beats, t); });
    if (all_near && all_found) return start;
  }
  return -1.0;
}

LevelLock lock_time_at_any_level(const std::vector<double>& beats, const std::vector<double>& reference, double from_s,
                                 double window_s, double tolerance_s) {
  std::vector<double> twice, half_even, half_odd;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    twice.push_back(reference[i]);
    if (i + 1 < reference.size()) twice.push_back(0.5 * (reference[i] + reference[i + 1]));
    (i % 2 == 0 ? half_even : half_odd).push_back(reference[i]);
  }
  LevelLock best;
  const std::pair<const std::vector<double>*, double> levels[] = {{&reference, 1.0}, {&twice, 2.0}, {&half_even, 0.5}, {&half_odd, 0.5}};
  for (const auto& [grid, level] : levels) {
    const double t = lock_time(beats, *grid, from_s, window_s, tolerance_s);
    if (t >= 0.0 && (best.time_s < 0.0 || t < best.time_s)) best = {t, level};
  }
  return best;
}

}  // namespace mv
