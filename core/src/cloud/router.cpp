// router.cpp — words to actions for the cloud client. route_user_text follows
// the table of ../shared/nemo-api.md "Routing a user's words to actions"
// (export / credits / state / upload go straight to the REST endpoints,
// everything else is a chat turn over SSE); find_gui_hints and
// rewrite_gui_language follow "GUI language in backend text" (the backend
// speaks as if the user had its web editor: click, open, drag, preview in
// timeline, Export). English keywords match whole words, ignoring case;
// Chinese keywords match as substrings (Chinese has no spaces between words).
#include "mv/cloud/router.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string_view>

namespace mv {
namespace {

using std::size_t;
using std::string_view;

/// A word of ASCII letters and digits (an apostrophe between letters stays inside: "let's").
struct Token {
  std::string lower;  ///< the word in lower case
  size_t begin = 0;   ///< byte offset in the text
  size_t end = 0;     ///< one past its last byte
};

bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char to_lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::vector<Token> tokenize(string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_word_byte(text[i])) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    while (i < text.size() &&
           (is_word_byte(text[i]) || (text[i] == '\'' && i + 1 < text.size() && is_word_byte(text[i + 1]) && i > t.begin))) {
      t.lower += to_lower(text[i]);
      ++i;
    }
    t.end = i;
    tokens.push_back(std::move(t));
  }
  return tokens;
}

/// Code point at `i` of UTF-8 text and its length in bytes (a stray byte counts as itself).
std::pair<char32_t, size_t> decode(string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t len = 1;
  char32_t cp = b;
  if (b >= 0xF0U && i + 3 < s.size()) {
    len = 4;
    cp = b & 0x07U;
  } else if (b >= 0xE0U && i + 2 < s.size()) {
    len = 3;
    cp = b & 0x0FU;
  } else if (b >= 0xC0U && i + 1 < s.size()) {
    len = 2;
    cp = b & 0x1FU;
  } else {
    return {cp, 1};
  }
  for (size_t k = 1; k < len; ++k) cp = (cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
  return {cp, len};
}

bool is_cjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/// Words in the text: ASCII words, plus one word for every two Chinese
/// characters in a row (Chinese words are mostly one or two characters).
size_t word_count(string_view text) {
  size_t words = tokenize(text).size();
  size_t run = 0;
  for (size_t i = 0; i < text.size();) {
    const auto [cp, len] = decode(text, i);
    if (is_cjk(cp)) {
      ++run;
    } else {
      words += (run + 1) / 2;
      run = 0;
    }
    i += len;
  }
  return words + (run + 1) / 2;
}

/// The text with quoted passages blanked ("…", “…”, 「…」, 『…』): words inside
/// quotes are what the user wants written on screen, not requests. Byte
/// offsets stay the same.
std::string blank_quotes(string_view text) {
  static constexpr std::array<std::pair<string_view, string_view>, 4> pairs = {
      {{"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xE3\x80\x8C", "\xE3\x80\x8D"}, {"\xE3\x80\x8E", "\xE3\x80\x8F"}}};
  std::string out(text);
  for (const auto& [open, close] : pairs) {
    size_t from = 0;
    while (true) {
      const size_t a = out.find(open, from);
      if (a == std::string::npos) break;
      const size_t b = out.find(close, a + open.size());
      if (b == std::string::npos) break;
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(a),
                out.begin() + static_cast<std::ptrdiff_t>(b + close.size()), ' ');
      from = b + close.size();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Routing the user's words ("Routing a user's words to actions")

struct EnglishKeyword {
  std::array<string_view, 4> words;  ///< the phrase, unused slots empty
  CloudAction action;
};

constexpr std::array<EnglishKeyword, 14> kEnglishKeywords = {{
    {{"send", "me", "the", "video"}, CloudAction::Export},
    {{"show", "tracks"}, CloudAction::State},
    {{"export"}, CloudAction::Export},
    {{"download"}, CloudAction::Export},
    {{"render"}, CloudAction::Export},
    {{"credits"}, CloudAction::Credits},
    {{"credit"}, CloudAction::Credits},
    {{"balance"}, CloudAction::Credits},
    {{"status"}, CloudAction::State},
    {{"state"}, CloudAction::State},
    {{"tracks"}, CloudAction::State},
    {{"timeline"}, CloudAction::State},
    {{"upload"}, CloudAction::Upload},
    {{"uploads"}, CloudAction::Upload},
}};

struct ChineseKeyword {
  string_view text;
  CloudAction action;
};

constexpr std::array<ChineseKeyword, 10> kChineseKeywords = {{
    {"导出", CloudAction::Export},
    {"下载", CloudAction::Export},
    {"积分", CloudAction::Credits},
    {"余额", CloudAction::Credits},
    {"状态", CloudAction::State},
    {"轨道", CloudAction::State},
    {"时间线", CloudAction::State},
    {"时间轴", CloudAction::State},
    {"上传", CloudAction::Upload},
    {"上載", CloudAction::Upload},
}};

/// Words that make a short message an edit for the backend ("add a download
/// button", "make the timeline red"): the keyword is then only mentioned.
constexpr std::array<string_view, 31> kEnglishEditVerbs = {
    "add",    "make",  "change", "put",    "remove", "delete",   "replace", "set",    "insert",  "generate", "create",
    "move",   "mix",   "turn",   "fade",   "cut",    "trim",     "split",   "crop",   "rotate",  "roll",     "swap",
    "lower",  "raise", "edit",   "apply",  "write",  "increase", "decrease", "sync",   "shorten"};

constexpr std::array<string_view, 27> kChineseEditVerbs = {
    "添加", "加上", "加个", "加一", "增加", "删除", "删掉", "去掉", "修改", "改成", "改为", "换成", "替换", "调整",
    "调高", "调低", "设置", "设为", "生成", "制作", "插入", "剪掉", "剪辑", "配上", "放大", "缩小", "写着"};

/// Words a request may start with before its keyword ("please export",
/// "can you download it", "请帮我导出").
constexpr std::array<string_view, 16> kEnglishLeadIns = {"please", "pls", "can",  "could", "would", "will", "you", "i",
                                                         "want",   "to",  "now", "ok",    "okay",  "just", "then", "and"};
constexpr std::array<string_view, 9> kChineseLeadIns = {"请", "帮我", "帮忙", "麻烦", "给我", "我要", "我想", "现在", "你"};

template <size_t N>
bool contains(const std::array<string_view, N>& list, string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

struct KeywordHit {
  CloudAction action;
  size_t begin;  ///< byte offset of the keyword
};

/// Every routing keyword in the text, English (whole words) and Chinese (substrings).
std::vector<KeywordHit> keyword_hits(string_view text, const std::vector<Token>& tokens) {
  std::vector<KeywordHit> hits;
  for (size_t i = 0; i < tokens.size(); ++i) {
    for (const auto& kw : kEnglishKeywords) {
      size_t n = 0;
      while (n < kw.words.size() && !kw.words[n].empty()) ++n;
      if (i + n > tokens.size()) continue;
      bool match = true;
      for (size_t k = 0; k < n && match; ++k) match = tokens[i + k].lower == kw.words[k];
      if (match) {
        hits.push_back({kw.action, tokens[i].begin});
        break;
      }
    }
  }
  for (const auto& kw : kChineseKeywords) {
    for (size_t pos = text.find(kw.text); pos != string_view::npos; pos = text.find(kw.text, pos + kw.text.size())) {
      hits.push_back({kw.action, pos});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const KeywordHit& a, const KeywordHit& b) { return a.begin < b.begin; });
  return hits;
}

/// Byte offset where the request proper starts, after lead-in words,
/// spaces and punctuation.
size_t request_start(string_view text, const std::vector<Token>& tokens) {
  size_t pos = 0;
  size_t tok = 0;
  while (pos < text.size()) {
    const auto [cp, len] = decode(text, pos);
    if (cp < 0x80 && !is_word_byte(text[pos])) {
      pos += len;  // ASCII space or punctuation
      continue;
    }
    if (cp == 0x3000 || cp == 0xFF0C || cp == 0x3001 || cp == 0xFF01 || cp == 0xFF1F) {
      pos += len;  // ideographic space, full-width comma, enumeration comma, ！, ？
      continue;
    }
    while (tok < tokens.size() && tokens[tok].begin < pos) ++tok;
    if (tok < tokens.size() && tokens[tok].begin == pos && contains(kEnglishLeadIns, tokens[tok].lower)) {
      pos = tokens[tok].end;
      continue;
    }
    const auto lead = std::find_if(kChineseLeadIns.begin(), kChineseLeadIns.end(),
                                   [&](string_view w) { return text.substr(pos, w.size()) == w; });
    if (lead != kChineseLeadIns.end()) {
      pos += lead->size();
      continue;
    }
    break;
  }
  return pos;
}

/// Whether the text asks the backend for an edit: an edit verb that is not
/// directly followed by a routing keyword ("add credits" is still a credits question).
bool asks_for_edit(string_view text, const std::vector<Token>& tokens, const std::vector<KeywordHit>& hits) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!contains(kEnglishEditVerbs, tokens[i].lower)) continue;
    const bool keyword_next = i + 1 < tokens.size() && std::any_of(hits.begin(), hits.end(), [&](const KeywordHit& h) {
                                return h.begin == tokens[i + 1].begin;
                              });
    if (!keyword_next) return true;
  }
  for (string_view verb : kChineseEditVerbs) {
    for (size_t pos = text.find(verb); pos != string_view::npos; pos = text.find(verb, pos + verb.size())) {
      if (verb == "生成" && text.substr(pos + verb.size(), 3) == "的") continue;  // 生成的视频: "the generated video"
      return true;
    }
  }
  return false;
}

/// Short enough that a keyword anywhere in it is the request ("header: at most 6 words").
constexpr size_t kShortMessageWords = 6;

// ---------------------------------------------------------------------------
// The backend's GUI language ("GUI language in backend text")

/// Characters allowed between the words of a GUI phrase: spaces and the
/// markup a reply wraps a button name in (**Export**, "Export", `Export`).
constexpr std::array<string_view, 8> kQuoteMarks = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99",
                                                     "\xE3\x80\x8C", "\xE3\x80\x8D", "\xE3\x80\x90", "\xE3\x80\x91"};

bool is_ascii_markup(char c) { return c == '*' || c == '_' || c == '`' || c == '"' || c == '\''; }

/// Length of the quote or markup sign at `pos`, 0 if none.
size_t markup_at(string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  if (is_ascii_markup(s[pos])) return 1;
  for (string_view q : kQuoteMarks) {
    if (s.substr(pos, q.size()) == q) return q.size();
  }
  return 0;
}

/// Whether s[from, to) holds only spaces and markup (and, when `joiners`,
/// the '-', '&' and '/' of "drag-and-drop", "drag & drop"). Sets `had_markup`.
bool gap_ok(string_view s, size_t from, size_t to, bool joiners, bool* had_markup = nullptr) {
  size_t i = from;
  while (i < to) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || (joiners && (c == '-' || c == '&' || c == '/'))) {
      ++i;
      continue;
    }
    const size_t m = markup_at(s, i);
    if (m == 0) return false;
    if (had_markup != nullptr) *had_markup = true;
    i += m;
  }
  return true;
}

/// Skips markup signs from `pos` ("**" after "**Export").
size_t skip_markup(string_view s, size_t pos) {
  while (size_t m = markup_at(s, pos)) pos += m;
  return pos;
}

/// A GUI phrase found in a reply: where it is and what it stands for.
struct GuiMatch {
  CloudAction action;
  size_t begin;
  size_t end;
  enum class Kind { ClickExport, ExportWord, DragAndDrop, Other } kind;
};

constexpr std::array<string_view, 3> kClickWords = {"click", "press", "tap"};

/// "click (on) (the) Export (button)" starting at token i, in English.
std::optional<GuiMatch> click_export_at(string_view s, const std::vector<Token>& t, size_t i) {
  if (!contains(kClickWords, t[i].lower)) return std::nullopt;
  size_t j = i + 1;
  for (string_view optional_word : {string_view("on"), string_view("the")}) {
    if (j < t.size() && t[j].lower == optional_word && gap_ok(s, t[j - 1].end, t[j].begin, false)) ++j;
  }
  bool markup = false;
  if (j >= t.size() || t[j].lower != "export" || !gap_ok(s, t[j - 1].end, t[j].begin, false, &markup)) {
    return std::nullopt;
  }
  size_t end = t[j].end;
  if (j + 1 < t.size() && t[j + 1].lower == "button" && gap_ok(s, t[j].end, t[j + 1].begin, false)) {
    end = t[j + 1].end;
  } else if (markup) {
    end = skip_markup(s, end);  // the closing "**" of "**Export**"
  }
  return GuiMatch{CloudAction::Export, t[i].begin, end, GuiMatch::Kind::ClickExport};
}

/// "点击导出(按钮)", also with quotes: 点击「导出」按钮.
std::optional<GuiMatch> click_export_zh(string_view s, size_t pos) {
  static constexpr string_view click = "点击";
  static constexpr string_view exp = "导出";
  static constexpr string_view button = "按钮";
  if (s.substr(pos, click.size()) != click) return std::nullopt;
  size_t i = pos + click.size();
  while (i < s.size() && s[i] == ' ') ++i;
  i = skip_markup(s, i);
  if (s.substr(i, exp.size()) != exp) return std::nullopt;
  i = skip_markup(s, i + exp.size());
  if (s.substr(i, button.size()) == button) i += button.size();
  return GuiMatch{CloudAction::Export, pos, i, GuiMatch::Kind::ClickExport};
}

/// Words before "drop" that make it the music's drop, not drag-and-drop.
constexpr std::array<string_view, 17> kDropNounContext = {"the",   "a",    "an",  "that", "this", "each", "every",
                                                          "first", "next", "big", "beat", "bass", "its",  "their",
                                                          "last",  "second", "huge"};

/// Every GUI phrase of a reply, in reply order; phrases never overlap.
std::vector<GuiMatch> gui_matches(string_view s) {
  std::vector<GuiMatch> found;
  const std::vector<Token> t = tokenize(s);
  for (size_t i = 0; i < t.size(); ++i) {
    if (auto click = click_export_at(s, t, i)) {
      found.push_back(*click);
      while (i + 1 < t.size() && t[i + 1].begin < click->end) ++i;
      continue;
    }
    const string_view word = s.substr(t[i].begin, t[i].end - t[i].begin);
    const std::string& w = t[i].lower;
    if (word == "Export" || word == "EXPORT") {  // a button name: capitalised
      found.push_back({CloudAction::Export, t[i].begin, t[i].end, GuiMatch::Kind::ExportWord});
    } else if (w == "open" && (t[i].end >= s.size() || s[t[i].end] != '-')) {  // not "open-source"
      found.push_back({CloudAction::State, t[i].begin, t[i].end, GuiMatch::Kind::Other});
    } else if (w == "preview") {
      size_t j = i + 1;
      if (j < t.size() && t[j].lower == "it") ++j;
      if (j < t.size() && t[j].lower == "in") {
        ++j;
        if (j < t.size() && t[j].lower == "the") ++j;
        if (j < t.size() && t[j].lower == "timeline") {
          found.push_back({CloudAction::State, t[i].begin, t[j].end, GuiMatch::Kind::Other});
          i = j;
        }
      }
    } else if (w == "drag" || w == "drags" || w == "dragged" || w == "dragging") {
      // "drag and drop" / "drag-and-drop" / "drag & drop" as one phrase.
      size_t j = i + 1;
      if (j < t.size() && t[j].lower == "and" && gap_ok(s, t[i].end, t[j].begin, true)) ++j;
      if (j < t.size() && t[j].lower == "drop" && gap_ok(s, t[j - 1].end, t[j].begin, true)) {
        const auto kind = w == "drag" ? GuiMatch::Kind::DragAndDrop : GuiMatch::Kind::Other;
        found.push_back({CloudAction::Chat, t[i].begin, t[j].end, kind});
        i = j;
      } else {
        found.push_back({CloudAction::Chat, t[i].begin, t[i].end, GuiMatch::Kind::Other});
      }
    } else if (w == "drop" || w == "drops" || w == "dropped" || w == "dropping") {
      if (i == 0 || !contains(kDropNounContext, t[i - 1].lower)) {
        found.push_back({CloudAction::Chat, t[i].begin, t[i].end, GuiMatch::Kind::Other});
      }
    }
  }

  // Chinese phrases (substrings).
  struct Zh {
    string_view text;
    CloudAction action;
  };
  static constexpr std::array<Zh, 8> zh = {{{"导出", CloudAction::Export},
                                            {"打开", CloudAction::State},
                                            {"在时间线预览", CloudAction::State},
                                            {"在时间轴预览", CloudAction::State},
                                            {"在时间线中预览", CloudAction::State},
                                            {"拖拽", CloudAction::Chat},
                                            {"拖动", CloudAction::Chat},
                                            {"拖放", CloudAction::Chat}}};
  for (size_t pos = s.find("点击"); pos != string_view::npos; pos = s.find("点击", pos + 1)) {
    if (auto click = click_export_zh(s, pos)) found.push_back(*click);
  }
  for (const Zh& z : zh) {
    for (size_t pos = s.find(z.text); pos != string_view::npos; pos = s.find(z.text, pos + z.text.size())) {
      found.push_back({z.action, pos, pos + z.text.size(), GuiMatch::Kind::Other});
    }
  }

  // Reply order; a phrase inside an earlier, longer one (导出 in 点击导出) is dropped.
  std::sort(found.begin(), found.end(), [](const GuiMatch& a, const GuiMatch& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<GuiMatch> kept;
  for (const GuiMatch& m : found) {
    if (!kept.empty() && m.begin < kept.back().end) continue;
    kept.push_back(m);
  }
  return kept;
}

/// Whether the text at `pos` starts a sentence (so a replacement is capitalised).
bool starts_sentence(string_view s, size_t pos) {
  while (pos > 0 && (s[pos - 1] == ' ' || s[pos - 1] == '\t' || is_ascii_markup(s[pos - 1]))) --pos;
  if (pos == 0) return true;
  const char c = s[pos - 1];
  if (c == '.' || c == '!' || c == '?' || c == '\n') return true;
  for (string_view stop : {string_view("。"), string_view("！"), string_view("？")}) {
    if (pos >= stop.size() && s.substr(pos - stop.size(), stop.size()) == stop) return true;
  }
  return false;
}

}  // namespace

const char* cloud_action_name(CloudAction action) {
  switch (action) {
    case CloudAction::Export: return "export";
    case CloudAction::Credits: return "credits";
    case CloudAction::State: return "state";
    case CloudAction::Upload: return "upload";
    case CloudAction::Chat: return "chat";
  }
  return "chat";
}

CloudAction route_user_text(const std::string& text, bool has_files) {
  const CloudAction fallback = has_files ? CloudAction::Upload : CloudAction::Chat;
  const std::string unquoted = blank_quotes(text);
  const std::vector<Token> tokens = tokenize(unquoted);
  const std::vector<KeywordHit> hits = keyword_hits(unquoted, tokens);
  if (hits.empty()) return fallback;

  // A message that starts with a keyword is that request ("export it with the
  // new title", "下载视频").
  const size_t start = request_start(unquoted, tokens);
  for (const KeywordHit& h : hits) {
    if (h.begin == start) return h.action;
  }
  // Otherwise only a short message that is not an edit ("how many credits do
  // I have", "add a download button" is an edit). Quoted words count toward
  // the length: they are part of what the user wrote.
  if (word_count(text) <= kShortMessageWords && !asks_for_edit(unquoted, tokens, hits)) return hits.front().action;
  return fallback;
}

std::vector<GuiHint> find_gui_hints(const std::string& reply) {
  std::vector<GuiHint> hints;
  for (const GuiMatch& m : gui_matches(reply)) {
    const bool seen = std::any_of(hints.begin(), hints.end(), [&](const GuiHint& h) { return h.action == m.action; });
    if (!seen) hints.push_back({m.action, reply.substr(m.begin, m.end - m.begin)});
  }
  return hints;
}

std::string rewrite_gui_language(const std::string& reply) {
  std::string out;
  size_t copied = 0;
  for (const GuiMatch& m : gui_matches(reply)) {
    std::string replacement;
    const bool capital = starts_sentence(reply, m.begin);
    if (m.kind == GuiMatch::Kind::ClickExport) {
      replacement = static_cast<unsigned char>(reply[m.begin]) < 0x80 ? (capital ? "Export" : "export") : "导出";
    } else if (m.kind == GuiMatch::Kind::DragAndDrop) {
      replacement = capital ? "Tell me" : "tell me";
    } else {
      continue;
    }
    out.append(reply, copied, m.begin - copied);
    out += replacement;
    copied = m.end;
  }
  out.append(reply, copied, std::string::npos);
  return out;
}

}  // namespace mv
