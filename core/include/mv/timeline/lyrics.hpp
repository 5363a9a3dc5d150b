// lyrics.hpp — synced lyrics and captions read from .lrc, .srt and .ass files:
// lines (and, where the file has them, words) with their times, for the
// renderer to typeset with libass and to shift into an excerpt or highlight.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mv {

/// One word of a line with its own time (enhanced LRC `<mm:ss.xx>` tags):
/// sung from start_ms until end_ms (the next word's start, or the line's end).
struct LyricWord {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string text;  ///< the word with the spaces that follow it, UTF-8
};

/// One line on screen from start_ms until end_ms (milliseconds from the song's
/// start). `words` is empty unless the file times single words.
struct LyricLine {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string text;               ///< UTF-8, "\n" between the rows of a multi-row caption
  std::vector<LyricWord> words;   ///< in time order; their texts concatenated give `text`
};

/// A lyrics file read: timed lines in time order, or an ASS script kept whole
/// (its own styles, positions and effects) for libass.
struct Lyrics {
  enum class Format { Lrc, Srt, Ass };
  Format format = Format::Lrc;
  std::vector<LyricLine> lines;   ///< LRC and SRT; empty for ASS
  std::string ass_script;         ///< ASS: the file's text, unchanged
  std::int64_t ass_shift_ms = 0;  ///< ASS: subtract from the script's times (set by excerpt())
  std::string title, artist;      ///< LRC [ti:] and [ar:] when present

  /// True when some line has word times (karaoke highlighting is possible).
  [[nodiscard]] bool has_word_times() const;

  /// The part of the lyrics inside [start_s, start_s + duration_s) of the song,
  /// with times from start_s (an excerpt or a highlight starts there): lines
  /// wholly outside are dropped, lines across an edge are cut to it, words
  /// likewise. ASS scripts keep every event and note the shift in ass_shift_ms.
  [[nodiscard]] Lyrics excerpt(double start_s, double duration_s) const;
};

/// How long the last line of an LRC file stays up when nothing ends it (ms).
inline constexpr std::int64_t kLastLyricLineMs = 5000;

/// Reads a lyrics file, chosen by extension (case-insensitive):
/// - `.lrc`: `[mm:ss.xx]text` lines (minutes may exceed 59; hundredths or
///   milliseconds or none), several time tags on one line, ID tags (`[ti:]`,
///   `[ar:]`, `[offset:±ms]`, others ignored), enhanced word times
///   `<mm:ss.xx>word`. `[offset:+N]` shows every line N ms earlier (the LRC
///   convention; FFmpeg 5.1's demuxer applies it 1000× too small, which is why
///   this file reads LRC itself). A line ends where the next begins (an empty
///   timed line ends it without showing anything); the last after
///   kLastLyricLineMs or its last word.
/// - `.srt`: numbered cues `hh:mm:ss,mmm --> hh:mm:ss,mmm` then text rows; HTML-
///   style tags (`<i>`, `<font …>`) and ASS override blocks (`{\an8}`) are
///   stripped. Read here rather than through FFmpeg's demuxer so a malformed cue
///   is an error with its line number instead of being skipped in silence.
/// - `.ass` / `.ssa`: kept whole for libass; checked for a `[Events]` section.
/// UTF-8 (a byte-order mark is skipped), LF or CRLF line ends.
/// Errors: Error{InputMissing} if the file is absent; Error{InputInvalid}
/// "<path> line N: <what is wrong>" for a malformed time or cue, "<path> has no
/// timed lyrics" when nothing timed is found; Error{Usage} for another extension.
Lyrics read_lyrics(const std::filesystem::path& path);

/// The lyrics file that belongs to `media`: the first of NAME.lrc, NAME.srt,
/// NAME.ass (also upper-case extensions) in its folder, NAME being its name
/// without extension; nullopt when there is none. Reads nothing.
std::optional<std::filesystem::path> lyrics_next_to(const std::filesystem::path& media);

/// The same from text in memory; `name` is used in error messages and its
/// extension chooses the format.
Lyrics parse_lyrics(const std::string& text, const std::string& name);

}  // namespace mv
