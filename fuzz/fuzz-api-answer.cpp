// fuzz-api-answer.cpp — what the cloud client does with an API answer, on
// arbitrary bytes, through the public headers.
//
// The envelope reader itself (CloudClient::Impl::envelope_data and the
// endpoint readers: credits, state, render submit/poll, uploads, session) is
// internal to core/src/cloud/client-session.cpp and cannot be called from here (see
// fuzz/README.md, "API answers": what exposing it would take). This harness
// drives every public function that answer bytes reach in that code, with
// the values taken the same way the client takes them (its field reader,
// cloud_detail::str, is shared through core/src/cloud/client-impl.hpp):
//   * the envelope in both shapes, {"code":…,"message":…,"data":…} and
//     {"success":…,"error":…,"data":…}: the vendor code → kind_from_vendor_code,
//     the HTTP status → kind_from_http_status, the server's message (and for
//     HTTP errors the first 200 bytes of the body) → redact_secrets →
//     CloudError / cloud_error_message for every kind;
//   * data.state.draft (state answer) → Timeline::from_json and summary().
// Input: byte 0 picks the HTTP status (200, 201, 400, 401, 402, 404, 409, 429,
// 500, 503), the rest is the body.
// Invariants (cloud-errors.hpp): a message is the kind's message plus at most
// " (<detail>)" — one line, no control characters, at most 200 bytes of
// detail (+ "…") — and never the detail for NoCredits, ExportNotAllowed,
// Cancelled; draft parsing throws only mv::Error.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "../core/src/cloud/client-impl.hpp"
#include "fuzz-support.hpp"
#include "mv/cloud/errors.hpp"
#include "mv/base/error.hpp"
#include "mv/net/http.hpp"
#include "mv/timeline/timeline.hpp"

namespace {

using nlohmann::json;

constexpr std::array<long, 10> kStatuses = {200, 201, 400, 401, 402, 404, 409, 429, 500, 503};
constexpr std::array<mv::CloudErrorKind, 17> kKinds = {
    mv::CloudErrorKind::TokenInvalid,    mv::CloudErrorKind::SessionNotFound, mv::CloudErrorKind::NoCredits,
    mv::CloudErrorKind::UnsupportedFile, mv::CloudErrorKind::FileTooLarge,    mv::CloudErrorKind::MissingClientId,
    mv::CloudErrorKind::ExportNotAllowed, mv::CloudErrorKind::RateLimited,    mv::CloudErrorKind::ServerError,
    mv::CloudErrorKind::Network,         mv::CloudErrorKind::Timeout,         mv::CloudErrorKind::StreamCut,
    mv::CloudErrorKind::RenderFailed,    mv::CloudErrorKind::BadResponse,     mv::CloudErrorKind::BadRedirect,
    mv::CloudErrorKind::DownloadInvalid, mv::CloudErrorKind::Cancelled};

/// The string at j[key] exactly as the client reads it (strings, integers as text).
using mv::cloud_detail::str;

/// Every kind's message with `detail` (redacted as the client does) meets the
/// cloud_error_message contract.
void check_messages(const std::string& raw_detail, long status, int code) {
  mv::CloudErrorContext ctx;
  ctx.registration_url = "https://nemovideo.ai/register";
  ctx.bind_id = raw_detail.substr(0, 64);  // ids come from answers too (user_id)
  ctx.detail = mv::redact_secrets(raw_detail);
  mv::CloudErrorContext bare = ctx;
  bare.detail.clear();
  for (mv::CloudErrorKind kind : kKinds) {
    const mv::CloudError err(kind, ctx, status, code);
    const std::string msg = err.what();
    const std::string base = mv::cloud_error_message(kind, bare);
    mvfuzz::check(msg == mv::cloud_error_message(kind, ctx), "CloudError::what() differs from cloud_error_message");
    mvfuzz::check(msg.starts_with(base), "a message does not start with the kind's own message");
    if (msg.size() == base.size()) continue;
    mvfuzz::check(kind != mv::CloudErrorKind::NoCredits && kind != mv::CloudErrorKind::ExportNotAllowed &&
                      kind != mv::CloudErrorKind::Cancelled,
                  "a detail was shown on a kind that never shows one");
    const std::string_view tail = std::string_view(msg).substr(base.size());
    mvfuzz::check(tail.starts_with(" (") && tail.ends_with(")"), "the detail is not \" (<detail>)\"");
    mvfuzz::check(tail.size() <= 200 + 3 /* "…" */ + 3, "the detail is longer than 200 bytes");
    for (char c : tail) {
      mvfuzz::check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "control character in a message");
    }
  }
}

void check_draft(const json& draft) {
  try {
    (void)mv::Timeline::from_json(draft).summary();
  } catch (const mv::Error& e) {
    mvfuzz::check(e.code() == mv::ErrorCode::InputInvalid, "draft error that is not InputInvalid");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const long status = kStatuses[data[0] % kStatuses.size()];
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);

  // HTTP-status errors: the detail is the start of the body.
  if (auto kind = mv::kind_from_http_status(status)) {
    check_messages(body.substr(0, 200), status, 0);
    (void)mv::cloud_error_id(*kind);
    return 0;
  }

  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    check_messages(status >= 300 ? "HTTP " + std::to_string(status) : "the answer is not JSON", status, 0);
    return 0;
  }
  int code = 0;
  if (j.contains("code") && j["code"].is_number_integer()) code = j["code"].get<int>();
  const bool failed = (j.contains("success") && j["success"].is_boolean() && !j["success"].get<bool>()) || code != 0;
  if (failed || status < 200 || status >= 300) {
    const std::string message = j.contains("message") && j["message"].is_string() ? j["message"].get<std::string>()
                                : j.contains("error") && j["error"].is_string()   ? j["error"].get<std::string>()
                                                                                  : "";
    if (auto kind = mv::kind_from_vendor_code(code)) {
      mvfuzz::check(code != 0, "code 0 maps to an error kind");
      (void)mv::cloud_error_code(*kind);
    }
    check_messages(message, status, code);
    return 0;
  }
  const json payload = j.contains("data") ? j["data"] : j;
  // Render poll: status text, progress, error message shown to the user.
  check_messages(str(payload, "error").empty() ? str(payload, "message") : str(payload, "error"), status, code);
  // State answer: data.state.draft.
  const json state = payload.is_object() && payload.contains("state") ? payload["state"] : payload;
  if (state.is_object() && state.contains("draft") && state["draft"].is_object()) check_draft(state["draft"]);
  return 0;
}
