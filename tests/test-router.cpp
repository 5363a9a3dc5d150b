// test-router.cpp — mv::route_user_text, find_gui_hints, rewrite_gui_language:
// the routing table and the GUI language of ../shared/nemo-api.md, in English
// and Chinese.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mv/cloud/router.hpp"

namespace {

using mv::CloudAction;
using mv::route_user_text;

/// "export" for CloudAction::Export etc., so failures print readable names.
std::string routed(const std::string& text, bool has_files = false) {
  return mv::cloud_action_name(route_user_text(text, has_files));
}

std::string hints_of(const std::string& reply) {
  std::string out;
  for (const mv::GuiHint& h : mv::find_gui_hints(reply)) {
    if (!out.empty()) out += " | ";
    out += std::string(mv::cloud_action_name(h.action)) + ":" + h.phrase;
  }
  return out;
}

TEST(Router, ActionNames) {
  EXPECT_STREQ(mv::cloud_action_name(CloudAction::Export), "export");
  EXPECT_STREQ(mv::cloud_action_name(CloudAction::Credits), "credits");
  EXPECT_STREQ(mv::cloud_action_name(CloudAction::State), "state");
  EXPECT_STREQ(mv::cloud_action_name(CloudAction::Upload), "upload");
  EXPECT_STREQ(mv::cloud_action_name(CloudAction::Chat), "chat");
}

TEST(Router, EnglishExportRow) {
  for (const char* text : {"export", "Export", "EXPORT!", "download", "download it", "send me the video",
                           "Send me the video please", "render", "please export the video", "can you download it?",
                           "how do I download the video", "export it with the new title at full quality please"}) {
    EXPECT_EQ(routed(text), "export") << text;
  }
}

TEST(Router, EnglishCreditsRow) {
  for (const char* text : {"credits", "credit", "balance", "how many credits do I have", "What's my balance?",
                           "add credits", "check my credit balance"}) {
    EXPECT_EQ(routed(text), "credits") << text;
  }
}

TEST(Router, EnglishStateRow) {
  for (const char* text : {"status", "state", "show tracks", "tracks", "timeline", "what's the status?",
                           "Show me the timeline", "show tracks and their lengths"}) {
    EXPECT_EQ(routed(text), "state") << text;
  }
}

TEST(Router, EnglishUploadRow) {
  for (const char* text : {"upload", "Upload my song", "please upload song.mp3"}) {
    EXPECT_EQ(routed(text), "upload") << text;
  }
}

TEST(Router, EnglishKeywordsAreWholeWords) {
  for (const char* text : {"downloaded", "exporter", "statuses", "uploader", "rendering", "stated", "creditor"}) {
    EXPECT_EQ(routed(text), "chat") << text;
  }
}

TEST(Router, ChineseExportRow) {
  for (const char* text : {"导出", "导出视频", "请帮我导出视频", "下载", "我要下载", "把视频导出"}) {
    EXPECT_EQ(routed(text), "export") << text;
  }
}

TEST(Router, ChineseCreditsRow) {
  for (const char* text : {"积分", "我还有多少积分", "余额", "查看余额"}) {
    EXPECT_EQ(routed(text), "credits") << text;
  }
}

TEST(Router, ChineseStateRow) {
  for (const char* text : {"状态", "查看状态", "轨道", "显示轨道"}) {
    EXPECT_EQ(routed(text), "state") << text;
  }
}

TEST(Router, ChineseUploadRow) {
  for (const char* text : {"上传", "上传这首歌", "帮我上传文件"}) {
    EXPECT_EQ(routed(text), "upload") << text;
  }
}

TEST(Router, AnythingElseIsChat) {
  for (const char* text : {"", "make a music video for this song", "add BGM", "生成一个30秒的宣传视频", "hello",
                           "make the cuts faster on the chorus"}) {
    EXPECT_EQ(routed(text), "chat") << text;
  }
}

TEST(Router, FilesGivenIsUpload) {
  EXPECT_EQ(routed("", true), "upload");
  EXPECT_EQ(routed("here is my song", true), "upload");
  EXPECT_EQ(routed("use this as background music for the whole video", true), "upload");
  EXPECT_EQ(routed("把这首歌作为背景音乐", true), "upload");
}

TEST(Router, FilesGivenWithAnExplicitRequestFollowsTheRequest) {
  EXPECT_EQ(routed("export", true), "export");
  EXPECT_EQ(routed("导出", true), "export");
  EXPECT_EQ(routed("credits", true), "credits");
}

TEST(Router, LongEditSentencesAreChat) {
  for (const char* text : {"add a title that says download now and make it red",
                           "make the second half of the timeline brighter and add a slow fade at the end",
                           "put the credits roll at the end of the video after the last chorus",
                           "change the font of the status text in the corner to something bold",
                           "在视频开头添加一个写着立即下载的红色标题", "把第二条轨道的音量调低一点然后加一个淡出效果"}) {
    EXPECT_EQ(routed(text), "chat") << text;
  }
}

TEST(Router, ShortEditsThatMentionAKeywordAreChat) {
  for (const char* text : {"add a download button", "make the timeline red", "加个下载按钮"}) {
    EXPECT_EQ(routed(text), "chat") << text;
  }
}

TEST(Router, QuotedKeywordsAreTextNotRequests) {
  EXPECT_EQ(routed("title: \"Download now\""), "chat");
  EXPECT_EQ(routed("标题改成「立即下载」"), "chat");
}

TEST(Router, GuiHintsInEnglishReplies) {
  EXPECT_EQ(hints_of("Your video is ready! Click the Export button to download it."),
            "export:Click the Export button");
  EXPECT_EQ(hints_of("click export when you are happy"), "export:click export");
  EXPECT_EQ(hints_of("Done. Click **Export** to get the MP4."), "export:Click **Export**");
  EXPECT_EQ(hints_of("Hit Export when ready."), "export:Export");
  EXPECT_EQ(hints_of("Open the project and preview in the timeline."), "state:Open");
  EXPECT_EQ(hints_of("You can preview in timeline before exporting."), "state:preview in timeline");
  EXPECT_EQ(hints_of("Drag and drop your clip onto track 2, then click Export."),
            "chat:Drag and drop | export:click Export");
  EXPECT_EQ(hints_of("Drop the file here."), "chat:Drop");
  EXPECT_EQ(hints_of("I synced the cuts to the drop and the beat drops at 0:45."), "");
  EXPECT_EQ(hints_of("I added background music and a title."), "");
  EXPECT_EQ(hints_of("The open-source font is used; I will export later."), "");
}

TEST(Router, GuiHintsInChineseReplies) {
  EXPECT_EQ(hints_of("视频已生成，请点击导出按钮下载。"), "export:点击导出按钮");
  EXPECT_EQ(hints_of("点击「导出」即可"), "export:点击「导出」");
  EXPECT_EQ(hints_of("请打开项目，在时间线预览效果，然后拖拽素材到轨道上。"), "state:打开 | chat:拖拽");
  EXPECT_EQ(hints_of("您可以在时间线预览。"), "state:在时间线预览");
  EXPECT_EQ(hints_of("已添加背景音乐。"), "");
}

TEST(Router, GuiHintsKeepReplyOrderAndEachActionOnce) {
  const std::vector<mv::GuiHint> hints =
      mv::find_gui_hints("Open the editor, drag the clip, open the timeline, then click the Export button. Export!");
  ASSERT_EQ(hints.size(), 3U);
  EXPECT_EQ(hints[0].action, CloudAction::State);
  EXPECT_EQ(hints[0].phrase, "Open");
  EXPECT_EQ(hints[1].action, CloudAction::Chat);
  EXPECT_EQ(hints[1].phrase, "drag");
  EXPECT_EQ(hints[2].action, CloudAction::Export);
  EXPECT_EQ(hints[2].phrase, "click the Export button");
}

TEST(Router, RewriteGuiLanguage) {
  EXPECT_EQ(mv::rewrite_gui_language("Click the Export button to download"), "Export to download");
  EXPECT_EQ(mv::rewrite_gui_language("When ready, CLICK THE EXPORT BUTTON."), "When ready, export.");
  EXPECT_EQ(mv::rewrite_gui_language("When ready, click the export button."), "When ready, export.");
  EXPECT_EQ(mv::rewrite_gui_language("Done. Click **Export** to get the MP4."), "Done. Export to get the MP4.");
  EXPECT_EQ(mv::rewrite_gui_language("视频好了，点击导出即可下载。"), "视频好了，导出即可下载。");
  EXPECT_EQ(mv::rewrite_gui_language("请点击导出按钮。"), "请导出。");
  EXPECT_EQ(mv::rewrite_gui_language("Drag and drop the logo where you want it."), "Tell me the logo where you want it.");
  EXPECT_EQ(mv::rewrite_gui_language("You can drag-and-drop clips to reorder."), "You can tell me clips to reorder.");
}

TEST(Router, RewriteKeepsTheRestUnchanged) {
  for (const char* text : {"I added a lo-fi track at 35% volume.", "Open the timeline to see it.",
                           "已添加背景音乐，打开时间线查看。", "", "Export takes 30-90 s."}) {
    EXPECT_EQ(mv::rewrite_gui_language(text), text) << text;
  }
}

}  // namespace
