// fuzz-timeline.cpp — the vendor's draft (timeline) JSON, mv::Timeline::from_json,
// on arbitrary bytes, plus the chat-event JSON reader (interpret_chat_event).
//
// Input: a JSON text (anything else is dropped after the chat-event check).
// Invariants: from_json throws only mv::Error{InputInvalid}; a draft it accepts
// is saved (to_json) and loads back without error, with the same tracks,
// segments, times and export readiness; from the second round on, load/save is
// a fixed point (same JSON); summary() and ready_for_export() never fail.
// The state answer's shape {"state":{"draft":…}} (and {"draft":…}) is unwrapped
// as the cloud client does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz-support.hpp"
#include "mv/base/error.hpp"
#include "mv/cloud/sse.hpp"
#include "mv/timeline/timeline.hpp"

namespace {

using nlohmann::json;

void check_draft(const json& draft) {
  mv::Timeline tl;
  try {
    tl = mv::Timeline::from_json(draft);
  } catch (const mv::Error& e) {
    mvfuzz::check(e.code() == mv::ErrorCode::InputInvalid, "from_json threw an mv::Error that is not InputInvalid");
    return;
  }
  const std::string summary = tl.summary();
  mvfuzz::check(summary.starts_with("Timeline ("), "summary does not start with \"Timeline (\"");
  const bool ready = tl.ready_for_export();

  // Round 1: what we save loads back, with the same structure and times.
  const json saved = tl.to_json();
  const mv::Timeline back = mv::Timeline::from_json(saved);  // must not throw
  mvfuzz::check(back.tracks.size() == tl.tracks.size(), "round trip changed the track count");
  mvfuzz::check(back.duration_ms == tl.duration_ms, "round trip changed the duration");
  mvfuzz::check(back.ready_for_export() == ready, "round trip changed export readiness");
  for (std::size_t i = 0; i < tl.tracks.size(); ++i) {
    const auto& a = tl.tracks[i];
    const auto& b = back.tracks[i];
    mvfuzz::check(a.type == b.type && a.segments.size() == b.segments.size(), "round trip changed a track");
    for (std::size_t k = 0; k < a.segments.size(); ++k) {
      const auto& x = a.segments[k];
      const auto& y = b.segments[k];
      mvfuzz::check(x.start_ms == y.start_ms && x.duration_ms == y.duration_ms && x.volume == y.volume &&
                        x.source == y.source && x.effect == y.effect,
                    "round trip changed a segment");
    }
  }
  // Round 2 on: a fixed point.
  const json saved2 = back.to_json();
  mvfuzz::check(mv::Timeline::from_json(saved2).to_json() == saved2, "load/save is not a fixed point");
  (void)back.summary();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // The same bytes as one chat event's data: interpret_chat_event never throws.
  mv::SseEvent ev;
  ev.data.assign(text);
  (void)mv::interpret_chat_event(ev);

  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  check_draft(j);
  if (j.is_object()) {
    // The state answer: data.state.draft (or a bare {"draft":…}).
    const json& state = j.contains("state") ? j["state"] : j;
    if (state.is_object() && state.contains("draft") && state["draft"].is_object()) check_draft(state["draft"]);
  }
  return 0;
}
