// music-video-dock.hpp — the "Music Video" dock: choose the input, what to
// make and the look, one Generate button, progress with Cancel, the job list
// with Open folder, Re-import and Retry, and for the cloud backend the credits,
// the session's timeline and a chat box for iterative edits. UI thread only;
// jobs and cloud queries run in JobManager and come back queued. Every slot is
// timed by the UI stall meter (ui-stall-meter.hpp).
#pragma once

#include <QWidget>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <functional>
#include <map>
#include <string>

#include "job-manager.hpp"
#include "look-preview.hpp"
#include "rolling-capture.hpp"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QLabel;
class QTimer;
class QSpinBox;
class QDoubleSpinBox;
class QGroupBox;
class QPlainTextEdit;
class QFormLayout;
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
  /// Starts a job from the last recording (hotkey, "generate when a recording stops").
  void generate_from_last_recording();
  /// Re-reads the inputs OBS offers (last recording, replay, scene media, audio
  /// sources for the rolling buffer). Only after OBS_FRONTEND_EVENT_FINISHED_LOADING.
  void refresh_input_choices();
  /// Where outputs go (set from the plugin settings / OBS's recording folder).
  std::string output_dir;
  /// Local render threads and CPU priority (plugin settings).
  int render_threads = 1;
  mv::RenderPriority render_priority = mv::RenderPriority::Idle;
  /// Background music: the user's music folder or track (plugin settings; empty = composed).
  std::string music_dir;
  /// Asks the cloud for credits and the current session's timeline (shown in the Cloud box).
  void refresh_cloud_info();
  /// Shows the "generate when a recording stops" option and reports changes.
  void bind_auto_generate(bool enabled, std::function<void(bool)> on_change);

 private:
  void build_inputs(QFormLayout* form);
  void build_choices(QFormLayout* form);
  void build_job_list(QVBoxLayout* layout);
  void build_cloud_box(QVBoxLayout* layout);
  void connect_buttons();
  void generate();
  /// "Make a Short": the chosen input (else the last recording) in 9:16, its
  /// song's highlight (30 s: the chorus), the footage following its subject.
  void make_short();
  void browse();
  [[nodiscard]] mv::JobSpec current_spec() const;
  [[nodiscard]] std::string selected_job() const;

  void generate_from_buffer();
  void update_kind_note();
  /// Renders one frame of the chosen input and look on the job manager's
  /// helper thread and shows it when it comes back (newer requests win).
  void request_preview();
  void show_preview(const PreviewPicture& picture);
  /// Finds the chosen input's highlight (what "Make a Short" would take) on the
  /// helper thread when the input changed; the answer fills the Short row.
  void request_short_range();
  /// Lists the chosen input's audio tracks by their OBS names (on the helper thread).
  void request_tracks();
  void show_tracks(const std::string& input, const std::vector<TrackChoice>& tracks);
  void show_short_range(const std::string& input, const ShortRange& range);
  /// The Short row's text for the start in the spin box: to where, how long,
  /// and whether that is the found chorus or a place the user moved it to.
  void update_short_label();
  void send_chat();
  void show_cloud_info(const CloudInfo& info);
  void append_chat(const QString& who, const QString& text);

  JobManager& jobs_;
  RollingCapture& capture_;
  QComboBox* buffer_source_ = nullptr;
  QSpinBox* buffer_seconds_ = nullptr;
  std::function<void(const JobInfo&)> import_;
  QComboBox* input_ = nullptr;
  QLineEdit* extra_files_ = nullptr;
  QComboBox* backend_ = nullptr;
  QComboBox* style_ = nullptr;
  QLineEdit* prompt_ = nullptr;
  QComboBox* aspect_ = nullptr;
  QLineEdit* title_ = nullptr;
  QLineEdit* cta_ = nullptr;  // the call to action on the end card (a promo's; any local video's)
  QPushButton* generate_ = nullptr;
  QPushButton* short_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* preview_ = nullptr;
  QTimer* preview_timer_ = nullptr;
  /// The latest preview request's number, shared with the helper thread's tasks.
  std::shared_ptr<std::atomic<std::uint64_t>> preview_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  /// The Short row: where the Short starts in the song (movable) and what it covers.
  QDoubleSpinBox* short_start_ = nullptr;
  QLabel* short_range_ = nullptr;
  std::string short_input_;   ///< the input the shown range belongs to (empty: none yet)
  ShortRange short_found_;    ///< what the search found for it
  std::string short_asked_;   ///< the input of the latest request
  std::shared_ptr<std::atomic<std::uint64_t>> short_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  QComboBox* audio_track_ = nullptr;  ///< "Auto" and the input's tracks; hidden for one track
  QLabel* audio_track_label_ = nullptr;
  std::string tracks_asked_;          ///< the input of the latest track listing
  std::shared_ptr<std::atomic<std::uint64_t>> tracks_latest_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  QListWidget* list_ = nullptr;
  QCheckBox* auto_generate_ = nullptr;
  QComboBox* kind_ = nullptr;
  QLabel* kind_note_ = nullptr;
  QGroupBox* cloud_box_ = nullptr;
  QLabel* credits_ = nullptr;
  QLabel* timeline_ = nullptr;
  QPlainTextEdit* chat_log_ = nullptr;
  QLineEdit* chat_input_ = nullptr;
  QPushButton* chat_send_ = nullptr;
  QPushButton* browse_ = nullptr;
  QPushButton* from_buffer_ = nullptr;
  QPushButton* refresh_ = nullptr;
  QPushButton* open_folder_ = nullptr;
  QPushButton* reimport_ = nullptr;
  QPushButton* retry_ = nullptr;
  std::string cloud_session_, cloud_user_;  // the session of the latest finished cloud job
  std::map<std::string, std::string> chat_said_;  // edit job id → last reply shown
  bool loading_ = true;  // constructing: no cloud queries before OBS has loaded
  std::string current_job_;
  std::map<std::string, std::chrono::steady_clock::time_point> started_;  // job id → first seen running
};

}  // namespace mvplugin
