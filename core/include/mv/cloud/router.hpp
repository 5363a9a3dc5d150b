// router.hpp — words to actions: what a user's text asks of the cloud backend
// (../shared/nemo-api.md "Routing a user's words to actions"), and what the
// backend's GUI language in a reply stands for ("GUI language in backend text").
#pragma once

#include <string>
#include <vector>

namespace mv {

/// What to do with a user's message.
enum class CloudAction {
  Export,   ///< export / 导出 / download / send me the video → render + download
  Credits,  ///< credits / 积分 / balance / 余额 → credits balance
  State,    ///< status / 状态 / show tracks → state + timeline summary
  Upload,   ///< upload / 上传, or a file path given → upload
  Chat,     ///< anything else → chat over SSE
};

/// Lower-case name: "export", "credits", "state", "upload", "chat".
const char* cloud_action_name(CloudAction action);

/// Routes a user's text (English and Chinese keywords, case-insensitive, whole
/// words for English). `has_files` true when the user also gave files (→ Upload
/// unless the text asks for something else explicitly, e.g. "export").
/// Edit requests that merely mention a keyword in passing ("add a title that
/// says download now") still go to Chat: a routing keyword only counts when the
/// message is short (at most 6 words) or starts with it.
CloudAction route_user_text(const std::string& text, bool has_files = false);

/// An action the backend's reply asks the user to take in its web editor.
struct GuiHint {
  CloudAction action;   ///< Export ("click Export", "点击导出"), State ("open", "打开", "preview in timeline"),
                        ///< Chat ("drag", "drop", "拖拽": send the edit as a chat message)
  std::string phrase;   ///< the words of the reply that matched, as written
};

/// Finds GUI-language phrases in a reply: "click (the) Export (button)",
/// "点击导出", "Export" (capitalised: a button name; lower-case "export" is
/// prose), "导出" → Export; "open", "打开", "preview in (the) timeline",
/// "在时间线预览" → State; "drag", "drop" (not the music's "the drop"), "拖拽"
/// → Chat. In reply order, each action at most once.
std::vector<GuiHint> find_gui_hints(const std::string& reply);

/// The reply with GUI instructions rewritten for our client, e.g. "Click the
/// Export button to download" → "Export to download" with the note that the
/// client can do it ("(mvgen can export it for you: `mvgen cloud export`)" is
/// added by the front end, not here). Text without hints is returned unchanged.
std::string rewrite_gui_language(const std::string& reply);

}  // namespace mv
