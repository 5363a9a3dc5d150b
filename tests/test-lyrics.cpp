// test-lyrics.cpp — mv::read_lyrics / parse_lyrics (timeline/lyrics.hpp): LRC
// with ID tags, several time tags, [offset:], enhanced word times and
// translations; SRT cues with tags and CRLF; ASS kept whole; excerpts; errors
// with line numbers; the file next to a song.
#include <gtest/gtest.h>

#include <string>

#include "mv/base/error.hpp"
#include "mv/timeline/lyrics.hpp"
#include "test-support.hpp"

namespace {

using mv::Lyrics;
using mv::parse_lyrics;

/// The message of the mv::Error that `f` throws ("" if none), and its code.
template <typename F>
std::pair<std::string, mv::ErrorCode> error_of(F f) {
  try {
    f();
  } catch (const mv::Error& e) {
    return {e.what(), e.code()};
  }
  return {"", mv::ErrorCode::Internal};
}

TEST(Lyrics, LrcLinesEndWhereTheNextBegins) {
  const Lyrics l = parse_lyrics(
      "[ti:Chaos God]\n[ar:Muldjord]\n[by:someone]\n\n"
      "[00:12.00]First line\n[00:15.50]Second line\n[01:02.5]Third\n[01:10.00]\n[01:20.123]Last\n",
      "song.lrc");
  EXPECT_EQ(l.format, Lyrics::Format::Lrc);
  EXPECT_EQ(l.title, "Chaos God");
  EXPECT_EQ(l.artist, "Muldjord");
  ASSERT_EQ(l.lines.size(), 4u);
  EXPECT_EQ(l.lines[0].start_ms, 12000);
  EXPECT_EQ(l.lines[0].end_ms, 15500);
  EXPECT_EQ(l.lines[0].text, "First line");
  EXPECT_EQ(l.lines[1].end_ms, 62500);  // one digit of fraction: tenths
  EXPECT_EQ(l.lines[2].end_ms, 70000);  // the empty timed line ends it
  EXPECT_EQ(l.lines[3].start_ms, 80123);
  EXPECT_EQ(l.lines[3].end_ms, 80123 + mv::kLastLyricLineMs);
  EXPECT_FALSE(l.has_word_times());
}

TEST(Lyrics, LrcRepeatedLinesAndTranslationsAndOrder) {
  // A chorus given two time tags, lines out of order, and a translation at the same time.
  const Lyrics l = parse_lyrics("[00:30.00][00:10.00]Chorus\n[00:20.00]Verse\n[00:20.00]诗句\n[00:40.00]\n", "a.lrc");
  ASSERT_EQ(l.lines.size(), 3u);
  EXPECT_EQ(l.lines[0].start_ms, 10000);
  EXPECT_EQ(l.lines[0].text, "Chorus");
  EXPECT_EQ(l.lines[1].start_ms, 20000);
  EXPECT_EQ(l.lines[1].text, "Verse\n诗句");
  EXPECT_EQ(l.lines[2].start_ms, 30000);
  EXPECT_EQ(l.lines[2].end_ms, 40000);
}

TEST(Lyrics, LrcOffsetShowsLinesEarlierInMilliseconds) {
  // +500 shows every line 0.5 s sooner (FFmpeg 5.1 would move it 0.5 ms); the
  // tag may come after the lines; a negative one delays them.
  const Lyrics early = parse_lyrics("[00:10.00]<00:10.00>one <00:11.00>two\n[00:20.00]next\n[offset:+500]\n", "e.lrc");
  ASSERT_EQ(early.lines.size(), 2u);
  EXPECT_EQ(early.lines[0].start_ms, 9500);
  EXPECT_EQ(early.lines[0].words.at(1).start_ms, 10500);
  EXPECT_EQ(early.lines[1].start_ms, 19500);
  const Lyrics late = parse_lyrics("[offset:-250]\n[00:10.00]one\n", "l.lrc");
  EXPECT_EQ(late.lines.at(0).start_ms, 10250);
}

TEST(Lyrics, EnhancedLrcGivesWordTimes) {
  const Lyrics l = parse_lyrics("[00:05.00]<00:05.00>Hold <00:05.40>on <00:06.00>tight<00:07.20>\n[00:09.00]<00:09.00>again\n",
                                "k.lrc");
  ASSERT_TRUE(l.has_word_times());
  ASSERT_EQ(l.lines.size(), 2u);
  const auto& w = l.lines[0].words;
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(l.lines[0].text, "Hold on tight");
  EXPECT_EQ(w[0].text, "Hold ");
  EXPECT_EQ(w[0].start_ms, 5000);
  EXPECT_EQ(w[0].end_ms, 5400);
  EXPECT_EQ(w[1].end_ms, 6000);
  EXPECT_EQ(w[2].text, "tight");
  EXPECT_EQ(w[2].end_ms, 7200);  // the trailing tag ends the last word
  EXPECT_EQ(l.lines[0].end_ms, 9000);
  EXPECT_EQ(l.lines[1].words.at(0).end_ms, 9000 + mv::kLastLyricLineMs);
}

TEST(Lyrics, SrtCuesWithTagsCrlfAndBom) {
  const Lyrics l = parse_lyrics(
      "\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:04,500\r\n<i>Hello</i> {\\an8}world\r\nsecond row\r\n\r\n"
      "2\r\n00:01:02.250 --> 00:01:03,000 X1:10 X2:20\r\n<font color=\"#ff0\">Bye</font>\r\n",
      "captions.SRT");
  EXPECT_EQ(l.format, Lyrics::Format::Srt);
  ASSERT_EQ(l.lines.size(), 2u);
  EXPECT_EQ(l.lines[0].start_ms, 1000);
  EXPECT_EQ(l.lines[0].end_ms, 4500);
  EXPECT_EQ(l.lines[0].text, "Hello world\nsecond row");
  EXPECT_EQ(l.lines[1].start_ms, 62250);
  EXPECT_EQ(l.lines[1].end_ms, 63000);
  EXPECT_EQ(l.lines[1].text, "Bye");
}

TEST(Lyrics, AssIsKeptWhole) {
  const std::string script =
      "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname\nStyle: Default,Arial\n\n"
      "[Events]\nFormat: Layer, Start, End, Style, Text\nDialogue: 0,0:00:01.00,0:00:03.00,Default,Hi\n";
  const Lyrics l = parse_lyrics(script, "s.ass");
  EXPECT_EQ(l.format, Lyrics::Format::Ass);
  EXPECT_EQ(l.ass_script, script);
  EXPECT_TRUE(l.lines.empty());
  EXPECT_EQ(l.excerpt(12.5, 30.0).ass_shift_ms, 12500);
}

TEST(Lyrics, ExcerptShiftsAndCutsLines) {
  const Lyrics l = parse_lyrics("[00:05.00]before\n[00:09.00]<00:09.00>across <00:11.00>the <00:12.00>cut\n"
                                "[00:14.00]inside\n[00:40.00]after\n",
                                "x.lrc");
  const Lyrics e = l.excerpt(10.0, 20.0);  // 10 s .. 30 s of the song
  ASSERT_EQ(e.lines.size(), 2u);
  EXPECT_EQ(e.lines[0].text, "across the cut");
  EXPECT_EQ(e.lines[0].start_ms, 0);
  EXPECT_EQ(e.lines[0].end_ms, 4000);
  EXPECT_EQ(e.lines[0].words.at(0).start_ms, 0);  // sung before the cut: already done
  EXPECT_EQ(e.lines[0].words.at(0).end_ms, 1000);
  EXPECT_EQ(e.lines[0].words.at(2).start_ms, 2000);
  EXPECT_EQ(e.lines[1].text, "inside");
  EXPECT_EQ(e.lines[1].start_ms, 4000);
  EXPECT_EQ(e.lines[1].end_ms, 20000);  // "after" starts at 40 s: cut at the excerpt's end
}

TEST(Lyrics, MalformedFilesNameTheLine) {
  struct Case {
    std::string text, name, expect;
  };
  const Case cases[] = {
      {"[00:01.00]ok\n[0a:12.00]bad\n", "a.lrc", "a.lrc line 2: "},
      {"[00:01.00]ok\n\n[00:75.00]bad seconds\n", "b.lrc", "b.lrc line 3: "},
      {"[00:01.00]ok\nno tag here\n", "c.lrc", "c.lrc line 2: "},
      {"[offset:soon]\n[00:01.00]ok\n", "d.lrc", "d.lrc line 1: "},
      {"[00:01.00]ok\n[Chorus]\n", "e.lrc", "e.lrc line 2: "},
      {"1\n00:00:01,000 -> 00:00:02,000\nhi\n", "f.srt", "f.srt line 2: "},
      {"1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:05,000 --> 00:00:04,000\nback\n", "g.srt", "g.srt line 6: "},
      {"1\n00:00:01 --> 00:00:02,000\nhi\n", "h.srt", "h.srt line 2: "},
  };
  for (const auto& c : cases) {
    const auto [message, code] = error_of([&] { (void)parse_lyrics(c.text, c.name); });
    EXPECT_EQ(code, mv::ErrorCode::InputInvalid) << c.name << ": " << message;
    EXPECT_EQ(message.rfind(c.expect, 0), 0u) << c.name << ": " << message;
  }
  const Case untimed[] = {{"[ar:Someone]\n\n", "i.lrc", ""}, {"", "j.srt", ""}, {"[Script Info]\nTitle: x\n", "k.ass", ""}};
  for (const auto& c : untimed) {
    const auto [message, code] = error_of([&] { (void)parse_lyrics(c.text, c.name); });
    EXPECT_EQ(code, mv::ErrorCode::InputInvalid) << c.name;
    EXPECT_NE(message.find("has no timed lyrics"), std::string::npos) << message;
  }
  EXPECT_EQ(error_of([] { (void)parse_lyrics("x", "words.txt"); }).second, mv::ErrorCode::Usage);
}

TEST(Lyrics, ReadsFilesAndRefusesMissingOnes) {
  mvtest::TempDir dir;
  mvtest::write_text(dir / "song.lrc", "[00:01.00]from a file\n");
  const Lyrics l = mv::read_lyrics(dir / "song.lrc");
  ASSERT_EQ(l.lines.size(), 1u);
  EXPECT_EQ(l.lines[0].text, "from a file");
  EXPECT_EQ(error_of([&] { (void)mv::read_lyrics(dir / "absent.lrc"); }).second, mv::ErrorCode::InputMissing);
  EXPECT_EQ(error_of([&] { (void)mv::read_lyrics(dir.path()); }).second, mv::ErrorCode::InputMissing);
}

TEST(Lyrics, TheFileNextToASongIsFoundByItsName) {
  mvtest::TempDir dir;
  EXPECT_FALSE(mv::lyrics_next_to(dir / "song.mp3").has_value());
  mvtest::write_text(dir / "song.SRT", "1\n00:00:01,000 --> 00:00:02,000\nhi\n");
  EXPECT_EQ(mv::lyrics_next_to(dir / "song.mp3"), dir / "song.SRT");
  mvtest::write_text(dir / "song.lrc", "[00:01.00]hi\n");
  EXPECT_EQ(mv::lyrics_next_to(dir / "song.mp3"), dir / "song.lrc") << ".lrc first";
  EXPECT_FALSE(mv::lyrics_next_to(dir / "other.mp3").has_value());
}

}  // namespace
