// lyrics.cpp — see lyrics.hpp. LRC as described by the format's de facto
// reference (the "LRC" page of Wikipedia: ID tags, several time tags per line,
// the A2 extension's <mm:ss.xx> word times); SRT as the SubRip cue layout.
#include "mv/timeline/lyrics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "mv/base/error.hpp"

namespace mv {

namespace {

/// The file's lines without their line ends (LF or CRLF), a leading BOM dropped.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return lines;
}

std::string trim(const std::string& s) {
  const auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
  const auto b = std::find_if(s.begin(), s.end(), not_space);
  const auto e = std::find_if(s.rbegin(), s.rend(), not_space).base();
  return b < e ? std::string(b, e) : std::string();
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

/// "mm:ss", "mm:ss.x", "mm:ss.xx", "mm:ss.xxx" (also ':' before the fraction) → ms.
std::optional<std::int64_t> parse_lrc_time(const std::string& s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string minutes = s.substr(0, colon);
  std::string rest = s.substr(colon + 1), fraction;
  if (const std::size_t dot = rest.find_first_of(".:"); dot != std::string::npos) {
    fraction = rest.substr(dot + 1);
    rest.resize(dot);
  }
  if (!all_digits(minutes) || minutes.size() > 4 || !all_digits(rest) || rest.size() > 2) return std::nullopt;
  if (!fraction.empty() && (!all_digits(fraction) || fraction.size() > 3)) return std::nullopt;
  const int seconds = std::stoi(rest);
  if (seconds > 59) return std::nullopt;
  std::int64_t ms = std::stoll(minutes) * 60000 + seconds * 1000LL;
  if (!fraction.empty()) {
    static constexpr int kScale[4] = {0, 100, 10, 1};
    ms += std::stoll(fraction) * kScale[fraction.size()];
  }
  return ms;
}

/// "hh:mm:ss,mmm" (or '.' before the milliseconds) → ms.
std::optional<std::int64_t> parse_srt_time(const std::string& s) {
  const std::size_t c1 = s.find(':'), c2 = s.find(':', c1 == std::string::npos ? 0 : c1 + 1);
  const std::size_t comma = s.find_first_of(",.");
  if (c1 == std::string::npos || c2 == std::string::npos || comma == std::string::npos || comma < c2) return std::nullopt;
  const std::string h = s.substr(0, c1), m = s.substr(c1 + 1, c2 - c1 - 1), sec = s.substr(c2 + 1, comma - c2 - 1),
                    ms = s.substr(comma + 1);
  if (!all_digits(h) || h.size() > 3 || !all_digits(m) || m.size() != 2 || !all_digits(sec) || sec.size() != 2 ||
      !all_digits(ms) || ms.size() > 3) {
    return std::nullopt;
  }
  if (std::stoi(m) > 59 || std::stoi(sec) > 59) return std::nullopt;
  static constexpr int kScale[4] = {0, 100, 10, 1};
  return std::stoll(h) * 3600000 + std::stoll(m) * 60000 + std::stoll(sec) * 1000 + std::stoll(ms) * kScale[ms.size()];
}

[[noreturn]] void bad_line(const std::string& name, std::size_t line, const std::string& what) {
  throw Error(ErrorCode::InputInvalid, name + " line " + std::to_string(line) + ": " + what);
}

/// One timed entry of an LRC file before the lines are put together.
struct LrcEntry {
  std::int64_t start_ms = 0;
  std::string text;
  std::vector<LyricWord> words;  ///< times set; ends filled in later
  std::optional<std::int64_t> last_word_end;  ///< a trailing <time> tag after the last word
  std::size_t order = 0;  ///< position in the file, for a stable sort
};

/// Splits the text after a line's time tags into words at <mm:ss.xx> tags.
void parse_lrc_words(const std::string& body, std::int64_t line_start, std::int64_t offset, const std::string& name,
                     std::size_t line_no, LrcEntry& e) {
  std::size_t pos = 0;
  std::int64_t current = line_start;
  std::string pending;
  bool timed = false;
  const auto flush = [&](std::int64_t start) {
    if (!pending.empty()) e.words.push_back(LyricWord{start, start, pending});
    pending.clear();
  };
  while (pos < body.size()) {
    const std::size_t lt = body.find('<', pos);
    const std::size_t gt = lt == std::string::npos ? std::string::npos : body.find('>', lt);
    const std::optional<std::int64_t> t =
        gt == std::string::npos ? std::nullopt : parse_lrc_time(body.substr(lt + 1, gt - lt - 1));
    if (!t) {  // no further word tag (a '<' that is not one stays text)
      const std::size_t end = lt == std::string::npos ? body.size() : lt + 1;
      pending += body.substr(pos, end - pos);
      pos = end;
      continue;
    }
    pending += body.substr(pos, lt - pos);
    flush(current);
    current = std::max<std::int64_t>(0, *t - offset);
    timed = true;
    pos = gt + 1;
  }
  if (!timed) {
    e.text = trim(pending);
    return;
  }
  if (pending.empty()) {
    e.last_word_end = current;  // "<01:02.50>" after the last word: when it ends
  } else {
    flush(current);
  }
  // Text before the first word tag (rare) is sung from the line's start; the
  // words' texts make the line's text.
  for (const auto& w : e.words) e.text += w.text;
  if (!e.words.empty()) {
    std::string& last = e.words.back().text;
    last.resize(last.find_last_not_of(" \t") + 1);  // npos + 1 = 0: all blank
  }
  e.text = trim(e.text);
  for (std::size_t i = 1; i < e.words.size(); ++i) {
    if (e.words[i].start_ms < e.words[i - 1].start_ms) bad_line(name, line_no, "word times go backwards");
  }
}

/// The file-wide [offset:±ms] (0 without one). It may come after the lines it moves.
std::int64_t lrc_offset(const std::vector<std::string>& lines, const std::string& name) {
  std::int64_t offset = 0;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string line = trim(lines[n]);
    if (line.rfind("[offset:", 0) != 0) continue;
    const std::size_t close = line.find(']');
    const std::string v = trim(line.substr(8, close == std::string::npos ? std::string::npos : close - 8));
    const std::string digits = !v.empty() && (v[0] == '+' || v[0] == '-') ? v.substr(1) : v;
    if (!all_digits(digits) || digits.size() > 9) bad_line(name, n + 1, "the offset \"" + v + "\" is not a whole number of milliseconds");
    offset = std::stoll(digits) * (v[0] == '-' ? -1 : 1);
  }
  return offset;
}

/// One line of an LRC file (number `line_no`): its time tags become entries
/// (appended to `entries`); ID tags fill `lyrics`' title and artist.
void parse_lrc_line(const std::string& line, std::size_t line_no, std::int64_t offset, const std::string& name, Lyrics& lyrics,
                    std::vector<LrcEntry>& entries) {
  if (line[0] != '[') bad_line(name, line_no, "expected a time tag such as [01:23.45] at the start of the line");
  std::vector<std::int64_t> times;
  std::size_t pos = 0;
  while (pos < line.size() && line[pos] == '[') {
    const std::size_t close = line.find(']', pos);
    if (close == std::string::npos) bad_line(name, line_no, "a '[' without its ']'");
    const std::string tag = line.substr(pos + 1, close - pos - 1);
    const std::size_t colon = tag.find(':');
    const std::string key = colon == std::string::npos ? tag : tag.substr(0, colon);
    if (all_digits(key)) {
      const auto t = parse_lrc_time(tag);
      if (!t) bad_line(name, line_no, "the time tag [" + tag + "] is not minutes:seconds.hundredths");
      times.push_back(std::max<std::int64_t>(0, *t - offset));
    } else if (colon != std::string::npos && !key.empty() &&
               std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isalpha(c) != 0 || c == '#'; })) {
      const std::string value = trim(tag.substr(colon + 1));
      if (key == "ti") lyrics.title = value;
      if (key == "ar") lyrics.artist = value;
    } else {
      bad_line(name, line_no, "[" + tag + "] is neither a time tag such as [01:23.45] nor an ID tag such as [ar:Artist]");
    }
    pos = close + 1;
  }
  if (times.empty()) return;  // ID tags only
  // Word times belong to the first time tag; a line repeated by more tags
  // (a chorus) gets them moved along with it.
  LrcEntry first;
  first.start_ms = times.front();
  parse_lrc_words(line.substr(pos), times.front(), offset, name, line_no, first);
  for (const std::int64_t t : times) {
    LrcEntry e = first;
    const std::int64_t shift = t - times.front();
    e.start_ms = t;
    e.order = entries.size();
    for (auto& w : e.words) w.start_ms += shift;
    if (e.last_word_end) *e.last_word_end += shift;
    entries.push_back(std::move(e));
  }
}

/// Entries in time order → lines: entries at the same time merged (a line and
/// its translation), each line ending where the next entry begins, word ends filled in.
std::vector<LyricLine> lrc_lines(std::vector<LrcEntry> entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const LrcEntry& a, const LrcEntry& b) { return a.start_ms < b.start_ms; });
  std::vector<LrcEntry> merged;
  for (auto& e : entries) {
    if (!merged.empty() && merged.back().start_ms == e.start_ms) {
      LrcEntry& m = merged.back();
      if (!e.text.empty()) m.text += (m.text.empty() ? "" : "\n") + e.text;
      if (m.words.empty()) {
        m.words = std::move(e.words);
        m.last_word_end = e.last_word_end;
      }
      continue;
    }
    merged.push_back(std::move(e));
  }
  std::vector<LyricLine> lines;
  for (std::size_t i = 0; i < merged.size(); ++i) {
    const LrcEntry& e = merged[i];
    if (e.text.empty()) continue;  // an empty timed line only ends the one before
    LyricLine l;
    l.start_ms = e.start_ms;
    l.end_ms = i + 1 < merged.size() ? merged[i + 1].start_ms : std::max(e.start_ms + kLastLyricLineMs, e.last_word_end.value_or(0));
    l.text = e.text;
    l.words = e.words;
    for (std::size_t k = 0; k < l.words.size(); ++k) {
      const std::int64_t next = k + 1 < l.words.size() ? l.words[k + 1].start_ms : e.last_word_end.value_or(l.end_ms);
      l.words[k].start_ms = std::clamp(l.words[k].start_ms, l.start_ms, l.end_ms);
      l.words[k].end_ms = std::clamp(next, l.words[k].start_ms, l.end_ms);
    }
    lines.push_back(std::move(l));
  }
  return lines;
}

Lyrics parse_lrc(const std::string& text, const std::string& name) {
  Lyrics lyrics;
  lyrics.format = Lyrics::Format::Lrc;
  const std::vector<std::string> lines = split_lines(text);
  const std::int64_t offset = lrc_offset(lines, name);
  std::vector<LrcEntry> entries;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string line = trim(lines[n]);
    if (!line.empty()) parse_lrc_line(line, n + 1, offset, name, lyrics, entries);
  }
  lyrics.lines = lrc_lines(std::move(entries));
  if (lyrics.lines.empty()) throw Error(ErrorCode::InputInvalid, name + " has no timed lyrics");
  return lyrics;
}

/// Removes <...> tags and {...} override blocks from a caption row.
std::string strip_tags(const std::string& s) {
  std::string out;
  char closing = 0;
  for (const char c : s) {
    if (closing != 0) {
      if (c == closing) closing = 0;
      continue;
    }
    if (c == '<') closing = '>';
    else if (c == '{') closing = '}';
    else out += c;
  }
  return trim(out);
}

Lyrics parse_srt(const std::string& text, const std::string& name) {
  Lyrics lyrics;
  lyrics.format = Lyrics::Format::Srt;
  const std::vector<std::string> lines = split_lines(text);
  std::size_t n = 0;
  while (n < lines.size()) {
    std::string line = trim(lines[n]);
    if (line.empty()) {
      ++n;
      continue;
    }
    if (all_digits(line) && line.find("-->") == std::string::npos) {  // the cue's number
      ++n;
      if (n >= lines.size()) bad_line(name, n, "a cue number without its time range");
      line = trim(lines[n]);
    }
    const std::size_t arrow = line.find("-->");
    if (arrow == std::string::npos) bad_line(name, n + 1, "expected a time range such as 00:00:01,000 --> 00:00:04,000");
    const std::string from = trim(line.substr(0, arrow));
    std::string to = trim(line.substr(arrow + 3));
    if (const std::size_t blank = to.find_first_of(" \t"); blank != std::string::npos) to.resize(blank);  // coordinates may follow
    const auto start = parse_srt_time(from), end = parse_srt_time(to);
    if (!start) bad_line(name, n + 1, "the start time \"" + from + "\" is not hours:minutes:seconds,milliseconds");
    if (!end) bad_line(name, n + 1, "the end time \"" + to + "\" is not hours:minutes:seconds,milliseconds");
    if (*end < *start) bad_line(name, n + 1, "the cue ends before it starts");
    LyricLine l;
    l.start_ms = *start;
    l.end_ms = *end;
    for (++n; n < lines.size() && !trim(lines[n]).empty(); ++n) {
      const std::string row = strip_tags(lines[n]);
      if (!row.empty()) l.text += (l.text.empty() ? "" : "\n") + row;
    }
    if (!l.text.empty() && l.end_ms > l.start_ms) lyrics.lines.push_back(std::move(l));
  }
  if (lyrics.lines.empty()) throw Error(ErrorCode::InputInvalid, name + " has no timed lyrics");
  std::stable_sort(lyrics.lines.begin(), lyrics.lines.end(),
                   [](const LyricLine& a, const LyricLine& b) { return a.start_ms < b.start_ms; });
  return lyrics;
}

Lyrics parse_ass(const std::string& text, const std::string& name) {
  std::string lower(text.size(), ' ');
  std::transform(text.begin(), text.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("[events]") == std::string::npos || lower.find("dialogue:") == std::string::npos) {
    throw Error(ErrorCode::InputInvalid, name + " has no timed lyrics (no [Events] section with Dialogue lines)");
  }
  Lyrics lyrics;
  lyrics.format = Lyrics::Format::Ass;
  lyrics.ass_script = text;
  return lyrics;
}

std::string lower_extension(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

bool Lyrics::has_word_times() const {
  return std::any_of(lines.begin(), lines.end(), [](const LyricLine& l) { return !l.words.empty(); });
}

Lyrics Lyrics::excerpt(double start_s, double duration_s) const {
  Lyrics out = *this;
  const auto from = static_cast<std::int64_t>(std::llround(start_s * 1000.0));
  const auto to = from + static_cast<std::int64_t>(std::llround(duration_s * 1000.0));
  if (format == Format::Ass) {
    out.ass_shift_ms += from;
    return out;
  }
  out.lines.clear();
  for (const LyricLine& l : lines) {
    if (l.end_ms <= from || l.start_ms >= to) continue;
    LyricLine c = l;
    c.start_ms = std::max(l.start_ms, from) - from;
    c.end_ms = std::min(l.end_ms, to) - from;
    for (auto& w : c.words) {  // words sung before the cut stay (as already sung)
      w.start_ms = std::clamp(w.start_ms - from, c.start_ms, c.end_ms);
      w.end_ms = std::clamp(w.end_ms - from, w.start_ms, c.end_ms);
    }
    out.lines.push_back(std::move(c));
  }
  return out;
}

Lyrics parse_lyrics(const std::string& text, const std::string& name) {
  const std::string ext = lower_extension(name);
  if (ext == ".lrc") return parse_lrc(text, name);
  if (ext == ".srt") return parse_srt(text, name);
  if (ext == ".ass" || ext == ".ssa") return parse_ass(text, name);
  throw Error(ErrorCode::Usage, name + ": lyrics must be an .lrc, .srt or .ass file");
}

std::optional<std::filesystem::path> lyrics_next_to(const std::filesystem::path& media) {
  for (const char* ext : {".lrc", ".srt", ".ass", ".LRC", ".SRT", ".ASS"}) {
    std::filesystem::path candidate = media;
    candidate.replace_extension(ext);
    std::error_code ec;
    if (candidate != media && std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

Lyrics read_lyrics(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(ErrorCode::InputMissing, path.string() + " does not exist or is not a file");
  }
  const std::string ext = lower_extension(path.string());
  if (ext != ".lrc" && ext != ".srt" && ext != ".ass" && ext != ".ssa") {
    throw Error(ErrorCode::Usage, path.string() + ": lyrics must be an .lrc, .srt or .ass file");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) throw Error(ErrorCode::InputInvalid, "cannot read " + path.string());
  return parse_lyrics(ss.str(), path.string());
}

}  // namespace mv
