// fuzz-router.cpp — the prompt/keyword parser of the cloud client on arbitrary
// bytes: mv::route_user_text (the user's words), mv::find_gui_hints and
// mv::rewrite_gui_language (the backend's reply text).
//
// Input: the text (any bytes: broken UTF-8 included). Invariants, from the
// docstrings in mv/router.hpp: routing never fails; with files given, a text
// that routes to Chat routes to Upload and any other answer is kept; every
// hint's phrase is a piece of the reply and each action appears at most
// once; a reply without hints is returned unchanged by rewrite_gui_language.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz-support.hpp"
#include "mv/cloud/router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  const mv::CloudAction plain = mv::route_user_text(text, false);
  const mv::CloudAction with_files = mv::route_user_text(text, true);
  mvfuzz::check(std::strlen(mv::cloud_action_name(plain)) > 0, "action without a name");
  if (plain == mv::CloudAction::Chat) {
    mvfuzz::check(with_files == mv::CloudAction::Upload, "a chat text with files given does not route to upload");
  } else {
    mvfuzz::check(with_files == plain, "files given changed an explicit request");
  }

  const std::vector<mv::GuiHint> hints = mv::find_gui_hints(text);
  for (std::size_t i = 0; i < hints.size(); ++i) {
    mvfuzz::check(!hints[i].phrase.empty(), "empty hint phrase");
    mvfuzz::check(text.find(hints[i].phrase) != std::string::npos, "hint phrase is not part of the reply");
    for (std::size_t k = 0; k < i; ++k) mvfuzz::check(hints[k].action != hints[i].action, "an action hinted twice");
  }
  const std::string rewritten = mv::rewrite_gui_language(text);
  if (hints.empty()) mvfuzz::check(rewritten == text, "a reply without hints was changed");
  return 0;
}
