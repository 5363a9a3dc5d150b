// dock-cards.hpp — the pieces of the Music Video dock (music-video-dock.hpp):
// the card of the running job (its latest frame, progress, time left, Cancel),
// the cards of finished videos (a picture, the length, Add to scene, Show in
// folder, Retry), pictures as pixmaps, and where the dock's controls are on
// the screen (for the end-to-end test's clicks and obs-websocket's
// GetDockLayout). UI thread only, except the published layout, which any
// thread may read.
#pragma once

#include <QFrame>
#include <QPixmap>
#include <QString>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "job-manager.hpp"
#include "look-preview.hpp"

class QLabel;
class QProgressBar;
class QPushButton;

namespace mvplugin {

/// The dock's text for `key` in OBS's language (obs_module_text).
QString tr_text(const char* key);

/// "3:25" (minutes:seconds) for a length in seconds.
QString clock_text(double seconds);

/// A picture scaled to fit `width` × `height` (aspect kept, smooth), centred
/// on the dock's dark ground: the pixmap is always `width` × `height`.
QPixmap picture_pixmap(const PreviewPicture& picture, int width, int height);
QPixmap picture_pixmap(const mv::RgbPicture& picture, int width, int height);

/// A loudness outline (peaks 0..1, oldest first) as a `width` × `height`
/// picture: bars mirrored about the middle, on the dock's dark ground.
QPixmap peaks_pixmap(const std::vector<float>& peaks, int width, int height);

/// The job's error in the user's language: the translated text of its id plus
/// the link it points to; the English detail when no translation exists.
QString job_error_text(const JobInfo& job);

/// The card of the job being made.
class RunningCard : public QFrame {
 public:
  explicit RunningCard(std::function<void()> on_cancel, QWidget* parent = nullptr);
  /// Shows `job` (its latest frame when there is one) and `detail` (the stage,
  /// the time left, the backend's latest words).
  void show_job(const JobInfo& job, const QString& detail);
  QPushButton* cancel_button() const { return cancel_; }

 private:
  QLabel* picture_;
  QLabel* title_;
  QLabel* detail_;
  QProgressBar* progress_;
  QPushButton* cancel_;
};

/// The card of a finished (or failed, or cancelled) job.
class FinishedCard : public QFrame {
 public:
  struct Actions {
    std::function<void()> add_to_scene, show_in_folder, retry;
  };
  FinishedCard(Actions actions, QWidget* parent = nullptr);
  void show_job(const JobInfo& job);
  void show_picture(const PreviewPicture& picture);
  /// The card shows its video's picture (not yet the blank).
  [[nodiscard]] bool drawn() const { return drawn_; }
  /// The card is of a finished video (a failed or cancelled job's has no picture).
  [[nodiscard]] bool has_video() const { return has_video_; }

 private:
  bool drawn_ = false;
  bool has_video_ = false;
  QLabel* picture_;
  QLabel* title_;
  QLabel* detail_;
  QPushButton* add_;
  QPushButton* folder_;
  QPushButton* retry_;
};

/// A control's place on the screen, pixels.
struct DockRect {
  int x = 0, y = 0, width = 0, height = 0;
};

/// Where the dock is and how narrow it can get.
struct DockLayout {
  bool visible = false;
  bool floating = false;
  std::string area;            ///< "right", "left", "top", "bottom", "floating" or "" (not in a dock yet)
  int width = 0;               ///< the dock's content, pixels
  int minimum_width = 0;       ///< what its layout needs (minimumSizeHint), pixels
  bool scrolls_sideways = false;  ///< a horizontal scroll bar is shown
  std::string language;        ///< OBS's locale, e.g. "en-US", "zh-CN"
  std::map<std::string, DockRect> controls;  ///< "source", "kind.short", "look.halo", "primary", "more", …
  std::map<std::string, int> minimum_widths;  ///< what each part of the dock needs, pixels (which one sets the narrowest)
  std::string source_label;    ///< what the source card names ("2026-12-06 15-20-11.mkv", "Audio buffer: Mic")
  std::string source_detail;   ///< its second line ("Last recording · 3:25", "1:47 of the last 2:00")
  bool source_drawn = false;   ///< the source card shows its picture yet (a frame, the look's, or the buffer's outline)
  int looks = 0;               ///< look thumbnails in the strip
  int looks_drawn = 0;         ///< of them, how many show their picture of the current input yet
  std::vector<double> looks_at_s;  ///< for each of those, where in the input it was drawn, s
  int cards = 0;               ///< finished videos' cards (not failed or cancelled jobs')
  int cards_drawn = 0;         ///< of them, how many show their picture yet
  [[nodiscard]] nlohmann::json to_json() const;
};

/// The latest layout the dock published (thread-safe; default when none).
void publish_dock_layout(const DockLayout& layout);
DockLayout published_dock_layout();

}  // namespace mvplugin
