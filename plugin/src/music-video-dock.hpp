// music-video-dock.hpp — the "Music Video" dock, for one hand and a few
// seconds: at the top what will be used (the last recording, a replay, a
// scene's media, a file or the audio buffer) with a picture and its length;
// what to make as one row of toggles (Music video · Short · Soundtrack ·
// Promo); the looks as a strip of thumbnails drawn from that input; one large
// button (Enter and the hotkey press it too). Everything else is under "More",
// folded: prompt, aspect, title, artist, lyrics, clips, call to action, audio
// track, backend, the Short's stretch, the audio buffer, and the cloud's
// credits and chat (only with the cloud backend). A running job shows its
// latest frame, progress, the time left and Cancel; finished videos are cards
// with a picture, their length, Add to scene, Show in folder and Retry.
// UI thread only: pictures, analyses and jobs run on JobManager's threads and
// come back queued. Every slot is timed by the UI stall meter.
#pragma once

#include <QWidget>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "input-discovery.hpp"

#include "dock-cards.hpp"
#include "job-manager.hpp"
#include "look-preview.hpp"
#include "rolling-capture.hpp"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QFrame;
class QLabel;
class QLineEdit;
class QListWidget;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace mvplugin {

class MusicVideoDock : public QWidget {
  Q_OBJECT

 public:
  /// `import` brings a finished job's video into the current scene; `capture`
  /// is the rolling audio buffer ("the last N seconds" of an audio source).
  MusicVideoDock(JobManager& jobs, RollingCapture& capture, std::function<void(const JobInfo&)> import,
                 QWidget* parent = nullptr);

  /// A job changed (called on the UI thread).
  void job_changed(const JobInfo& job);
  /// The primary button's job with the last recording as its input (the
  /// hotkey, "generate when a recording stops").
  void generate_from_last_recording();
  /// Re-reads the inputs OBS offers (last recording, replay, scene media, audio
  /// sources for the rolling buffer). Only after OBS_FRONTEND_EVENT_FINISHED_LOADING.
  /// The scene's items and the files are read on the jobs' helper thread;
  /// show_input_choices() then lists them.
  void refresh_input_choices();
  /// UI thread: offers `choices` (discover_inputs()) and reads the chosen input again.
  void show_input_choices(const std::vector<InputChoice>& choices);
  /// Where outputs go (set from the plugin settings / OBS's recording folder).
  std::string output_dir;
  /// The plugin's own folder (its config folder): the looks' demo song is kept here.
  std::filesystem::path cache_dir;
  /// Local render threads and CPU priority (plugin settings).
  int render_threads = 1;
  mv::RenderPriority render_priority = mv::RenderPriority::Idle;
  /// Background music: the user's music folder or track (plugin settings; empty = composed).
  std::string music_dir;
  /// Asks the cloud for credits and the current session's timeline.
  void refresh_cloud_info();
  /// Shows the "generate when a recording stops" option and reports changes.
  void bind_auto_generate(bool enabled, std::function<void(bool)> on_change);
  /// Where the dock's controls are on the screen and how narrow it can get
  /// (the end-to-end test clicks them; obs-websocket GetDockLayout): see dock-cards.hpp.
  [[nodiscard]] DockLayout layout_snapshot() const;

 protected:
  void resizeEvent(QResizeEvent* event) override;
  /// Enter presses the primary button (not while a chat message is typed).
  void keyPressEvent(QKeyEvent* event) override;

 private:
  // Building (music-video-dock.cpp, dock-more.cpp).
  void build_source(QVBoxLayout* layout);
  void build_kinds(QVBoxLayout* layout);
  void build_looks(QVBoxLayout* layout);
  /// The "Save live look as video" button (music-video-dock.cpp).
  void build_save_live(QVBoxLayout* layout);
  void build_more(QVBoxLayout* layout);
  void build_more_rows(QFormLayout* form);
  void build_cloud_box(QVBoxLayout* layout);
  void build_jobs(QVBoxLayout* layout);
  void connect_controls();
  void connect_more();

  // What to make.
  [[nodiscard]] mv::JobSpec current_spec() const;
  [[nodiscard]] mv::JobKind chosen_kind() const;
  [[nodiscard]] bool short_chosen() const;
  /// The primary button: the chosen kind from the chosen input (the last
  /// recording when none is chosen).
  void make();
  void submit(mv::JobSpec spec);
  void generate_from_buffer();
  void refresh_buffer_sources();
  void browse();
  void choose_input(const QString& path);
  /// The rolling audio buffer as the source: the card shows its outline and length (every second).
  void choose_buffer();
  void show_buffer();
  void update_primary();
  [[nodiscard]] std::string chosen_input() const;

  // The pictures and analyses of the chosen input, on the helper thread.
  void input_changed();
  void request_summary();
  void show_summary(const std::string& input, const InputSummary& summary);
  void request_look_thumbnails();
  void show_look_thumbnail(const std::string& key, const PreviewPicture& picture, const std::string& identity);
  void retry_look_thumbnails();  ///< the input had no length yet: request_look_thumbnails() again in 2 s (at most 30 times)
  void request_short_range();
  void show_short_range(const std::string& input, const ShortRange& range);
  void update_short_label();
  void request_tracks();
  void show_tracks(const std::string& input, const std::vector<TrackChoice>& tracks);
  void request_card_picture(const std::string& job_id, const std::string& video);

  // The cloud (dock-more.cpp).
  void send_chat();
  void show_cloud_info(const CloudInfo& info);
  void append_chat(const QString& who, const QString& text);
  void chat_job_changed(const JobInfo& job);
  void update_cloud_visibility();

  JobManager& jobs_;
  RollingCapture& capture_;
  std::function<void(const JobInfo&)> import_;

  // The source card.
  QFrame* source_card_ = nullptr;
  QLabel* source_picture_ = nullptr;
  bool source_drawn_ = false;  ///< source_picture_ shows the input's picture (not the empty card)
  QLabel* source_name_ = nullptr;
  QLabel* source_detail_ = nullptr;
  QToolButton* source_change_ = nullptr;
  QMenu* source_menu_ = nullptr;
  QString input_path_;   ///< the chosen input ("" = the last recording)
  bool buffer_chosen_ = false;  ///< the source is the rolling audio buffer (input_path_ unused)
  QTimer* buffer_timer_ = nullptr;  ///< redraws the buffer's card every second while it is the source
  QString input_label_;  ///< how the source card names it
  std::vector<std::pair<QString, QString>> offered_;  ///< (label, path) OBS offers, refreshed on events
  // What to make, the looks, the button.
  QButtonGroup* kinds_ = nullptr;
  QListWidget* looks_ = nullptr;
  /// A look's tile: its picture, where in the input it was drawn (s), and the input's
  /// file_identity() when it was: a tile of a file since rewritten is drawn again.
  struct LookTile {
    QPixmap pixmap;
    double at_s = 0.0;
    std::string identity;
  };
  std::map<std::string, LookTile> look_cache_;  ///< by input, look and aspect
  int looks_retries_ = 0;                       ///< retry_look_thumbnails() calls since the input changed
  QTimer* looks_retry_timer_ = nullptr;         ///< single shot, 2 s: request_look_thumbnails()
  QPushButton* primary_ = nullptr;
  QPushButton* save_live_ = nullptr;  ///< "Save live look as video", shown while a look source exists
  QPushButton* save_live_tall_ = nullptr;  ///< beside it, "9:16": the same save drawn for a phone (a Short)
  QLabel* status_ = nullptr;
  // More.
  QToolButton* more_toggle_ = nullptr;
  QWidget* more_ = nullptr;
  QLineEdit* prompt_ = nullptr;
  QComboBox* aspect_ = nullptr;
  QLineEdit* title_ = nullptr;
  QLineEdit* artist_ = nullptr;
  QLineEdit* lyrics_ = nullptr;
  QLineEdit* extra_files_ = nullptr;
  QLineEdit* cta_ = nullptr;
  QComboBox* audio_track_ = nullptr;
  QLabel* audio_track_label_ = nullptr;
  QComboBox* backend_ = nullptr;
  QDoubleSpinBox* short_start_ = nullptr;
  QLabel* short_range_ = nullptr;
  QComboBox* buffer_source_ = nullptr;
  QSpinBox* buffer_seconds_ = nullptr;
  QPushButton* from_buffer_ = nullptr;
  QCheckBox* auto_generate_ = nullptr;
  QWidget* cloud_box_ = nullptr;
  QLabel* credits_ = nullptr;
  QLabel* timeline_ = nullptr;
  QPlainTextEdit* chat_log_ = nullptr;
  QLineEdit* chat_input_ = nullptr;
  QPushButton* chat_send_ = nullptr;
  QPushButton* refresh_ = nullptr;
  // Jobs.
  RunningCard* running_ = nullptr;
  QVBoxLayout* finished_ = nullptr;
  std::map<std::string, FinishedCard*> cards_;  ///< by job id
  std::map<std::string, std::chrono::steady_clock::time_point> started_;
  std::string current_job_;
  QTimer* refresh_timer_ = nullptr;  ///< pictures and analyses, 300 ms after the input or look last changed

  // Helper-thread answers are shown only while they are the latest asked for.
  using Latest = std::shared_ptr<std::atomic<std::uint64_t>>;
  Latest summary_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  Latest looks_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  Latest short_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  Latest tracks_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::string summary_asked_, short_asked_, tracks_asked_;
  std::string short_input_;   ///< the input the shown Short range belongs to
  ShortRange short_found_;    ///< what the search found for it
  double input_duration_s_ = 0.0;

  // Cloud.
  std::string cloud_session_, cloud_user_;  ///< the latest finished cloud video's session
  std::map<std::string, std::string> chat_said_;  ///< edit job id → cloud text already shown
  bool loading_ = true;
};

}  // namespace mvplugin
