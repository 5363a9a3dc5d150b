// music-video-dock.cpp — see music-video-dock.hpp.
#include "music-video-dock.hpp"

#include <obs-module.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QImage>
#include <QPixmap>
#include <QTimer>
#include <QPlainTextEdit>
#include <QPointer>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "input-discovery.hpp"
#include "look-preview.hpp"
#include "plugin-context.hpp"
#include "mv/analysis/analysis.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/media/media.hpp"
#include "mv/render/look.hpp"
#include "scene-import.hpp"
#include "settings-dialog.hpp"
#include "ui-stall-meter.hpp"

namespace mvplugin {

namespace {

QString tr_text(const char* key) { return QString::fromUtf8(obs_module_text(key)); }

/// The job's error in the user's language: the translated text of its id
/// (every row of the cloud error table and the local errors), plus the link
/// it points to; the English detail when no translation exists.
QString job_error(const JobInfo& job) {
  if (job.error.empty()) return {};
  if (!job.error_id.empty()) {
    const std::string key = "Error." + job.error_id;
    const char* text = obs_module_text(key.c_str());
    if (text != nullptr && key != text) {
      QString out = QString::fromUtf8(text);
      if (!job.error_link.empty()) out += " " + QString::fromUtf8(job.error_link.c_str());
      return out;
    }
  }
  return QString::fromUtf8(job.error.c_str());
}

bool is_edit(const JobInfo& job) { return job.request.kind == mv::JobKind::Edit; }

QString job_line(const JobInfo& job) {
  const std::string input = is_edit(job) ? "\"" + job.request.prompt + "\""
                            : job.request.inputs.empty() ? "?"
                                                         : std::filesystem::path(job.request.inputs.front()).filename().string();
  QString line = QString::fromUtf8(input.c_str()) + " — " + tr_text((std::string("State.") + job_state_name(job.state)).c_str());
  if (job.state == JobState::Running) line += QString(" %1%").arg(static_cast<int>(job.progress * 100));
  if (job.highlight_end_s > job.highlight_start_s) {  // a Short: which stretch of the song it took
    line += " — " + tr_text("Dock.Highlight").arg(job.highlight_start_s, 0, 'f', 1).arg(job.highlight_end_s - job.highlight_start_s, 0, 'f', 1);
  }
  if (!job.error.empty()) line += " — " + job_error(job);
  return line;
}

}  // namespace

MusicVideoDock::MusicVideoDock(JobManager& jobs, RollingCapture& capture, std::function<void(const JobInfo&)> import,
                               QWidget* parent)
    : QWidget(parent), jobs_(jobs), capture_(capture), import_(std::move(import)) {
  setObjectName("obsMusicVideoDock");
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  build_inputs(form);
  build_choices(form);
  layout->addLayout(form);
  kind_note_ = new QLabel(this);
  kind_note_->setWordWrap(true);
  kind_note_->setVisible(false);
  layout->addWidget(kind_note_);
  auto_generate_ = new QCheckBox(tr_text("Dock.AutoGenerate"), this);
  layout->addWidget(auto_generate_);
  generate_ = new QPushButton(tr_text("Dock.Generate"), this);
  generate_->setObjectName("generate");
  short_ = new QPushButton(tr_text("Dock.MakeShort"), this);
  short_->setObjectName("makeShort");
  short_->setToolTip(tr_text("Dock.MakeShortTip"));
  cancel_ = new QPushButton(tr_text("Dock.Cancel"), this);
  cancel_->setEnabled(false);
  auto* buttons = new QHBoxLayout();
  buttons->addWidget(generate_, 1);
  buttons->addWidget(short_, 1);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  build_job_list(layout);
  build_cloud_box(layout);
  connect_buttons();
  // Inputs are read from OBS once it has finished loading (refresh_input_choices
  // is called then): during module load the outputs and scenes do not exist yet.
  for (const auto& job : jobs_.list()) job_changed(job);
  loading_ = false;
  update_kind_note();
}

void MusicVideoDock::build_inputs(QFormLayout* form) {
  input_ = new QComboBox(this);
  input_->setObjectName("input");
  browse_ = new QPushButton(tr_text("Dock.Browse"), this);
  auto* input_row = new QHBoxLayout();
  input_row->addWidget(input_, 1);
  input_row->addWidget(browse_);
  form->addRow(tr_text("Dock.Input"), input_row);
  // The rolling buffer: the last N seconds of an audio source, one click away.
  buffer_source_ = new QComboBox(this);
  buffer_source_->setObjectName("bufferSource");
  buffer_seconds_ = new QSpinBox(this);
  buffer_seconds_->setRange(30, 600);
  buffer_seconds_->setValue(120);
  buffer_seconds_->setSuffix(" s");
  from_buffer_ = new QPushButton(tr_text("Dock.FromBuffer"), this);
  auto* buffer_row = new QHBoxLayout();
  buffer_row->addWidget(buffer_source_, 1);
  buffer_row->addWidget(buffer_seconds_);
  buffer_row->addWidget(from_buffer_);
  form->addRow(tr_text("Dock.Buffer"), buffer_row);
}

/// What to make, the backend and the look, filled from core's lists (mv::job_kinds,
/// mv::style_names, mv::aspects): no list of choices lives in the plugin.
void MusicVideoDock::build_choices(QFormLayout* form) {
  kind_ = new QComboBox(this);
  kind_->setObjectName("kind");
  for (const auto& k : mv::job_kinds()) {
    if (k.offered) kind_->addItem(tr_text((std::string("Kind.") + k.id).c_str()), k.id);
  }
  form->addRow(tr_text("Dock.Make"), kind_);
  extra_files_ = new QLineEdit(this);
  extra_files_->setPlaceholderText(tr_text("Dock.ClipsPlaceholder"));
  form->addRow(tr_text("Dock.Clips"), extra_files_);
  backend_ = new QComboBox(this);
  for (auto b : {mv::Backend::Local, mv::Backend::Cloud}) {
    const std::string id = mv::backend_id(b);
    backend_->addItem(tr_text(b == mv::Backend::Local ? "Dock.BackendLocal" : "Dock.BackendCloud"), QString::fromStdString(id));
  }
  form->addRow(tr_text("Dock.Backend"), backend_);
  style_ = new QComboBox(this);
  fill_look_choices(style_);
  form->addRow(tr_text("Dock.Style"), style_);
  prompt_ = new QLineEdit(this);
  prompt_->setPlaceholderText(tr_text("Dock.PromptPlaceholder"));
  form->addRow(tr_text("Dock.Prompt"), prompt_);
  // A recording's audio tracks by their OBS names ("Mic", "Music"…), shown when it has several.
  audio_track_ = new QComboBox(this);
  audio_track_->setObjectName("audioTrack");
  audio_track_label_ = new QLabel(tr_text("Dock.AudioTrack"), this);
  form->addRow(audio_track_label_, audio_track_);
  audio_track_->setVisible(false);
  audio_track_label_->setVisible(false);
  aspect_ = new QComboBox(this);
  aspect_->addItem(tr_text("Dock.AspectAuto"), QString("auto"));  // the input's own shape
  for (const auto& a : mv::aspects()) aspect_->addItem(a.id, a.id);
  form->addRow(tr_text("Dock.Aspect"), aspect_);
  title_ = new QLineEdit(this);
  title_->setPlaceholderText(tr_text("Dock.TitlePlaceholder"));
  form->addRow(tr_text("Dock.VideoTitle"), title_);
  cta_ = new QLineEdit(this);
  cta_->setObjectName("cta");
  cta_->setPlaceholderText(tr_text("Dock.CtaPlaceholder"));
  form->addRow(tr_text("Dock.Cta"), cta_);
  preview_ = new QLabel(tr_text("Dock.PreviewNone"), this);
  preview_->setObjectName("preview");
  preview_->setAlignment(Qt::AlignCenter);
  preview_->setFixedHeight(144);  // the layout keeps its room: the picture is fitted into it
  preview_->setWordWrap(true);
  form->addRow(tr_text("Dock.Preview"), preview_);
  // The Short's stretch of the song, found when the input changes, movable before rendering.
  short_start_ = new QDoubleSpinBox(this);
  short_start_->setObjectName("shortStart");
  short_start_->setDecimals(1);
  short_start_->setSingleStep(1.0);
  short_start_->setSuffix(" s");
  short_start_->setRange(0.0, 0.0);
  short_start_->setEnabled(false);
  short_start_->setToolTip(tr_text("Dock.ShortStartTip"));
  short_start_->setMinimumWidth(short_start_->fontMetrics().horizontalAdvance(QStringLiteral("0000.0 s")) + 32);
  short_range_ = new QLabel(tr_text("Dock.ShortNone"), this);
  short_range_->setObjectName("shortRange");
  short_range_->setWordWrap(true);
  auto* short_row = new QHBoxLayout();
  short_row->addWidget(short_start_);
  short_row->addWidget(short_range_, 1);
  form->addRow(tr_text("Dock.Short"), short_row);
  connect(short_start_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double) {
    const UiStallScope scope(ui_stall_meter(), "dock.short_start");
    update_short_label();
  });
  // A new preview 400 ms after the input, look, aspect or kind last changed.
  preview_timer_ = new QTimer(this);
  preview_timer_->setSingleShot(true);
  preview_timer_->setInterval(400);
  connect(preview_timer_, &QTimer::timeout, this, [this] {
    request_preview();
    request_short_range();
    request_tracks();
  });
  for (QComboBox* box : {input_, style_, aspect_, kind_}) {
    connect(box, qOverload<int>(&QComboBox::currentIndexChanged), preview_timer_, qOverload<>(&QTimer::start));
  }
}

void MusicVideoDock::request_preview() {
  const mv::JobSpec spec = current_spec();
  const std::uint64_t seq = ++*preview_latest_;
  if (spec.inputs.empty() || spec.kind == mv::JobKind::Promo || spec.kind == mv::JobKind::BackgroundMusic ||
      spec.kind == mv::JobKind::Edit) {
    preview_->setPixmap(QPixmap());
    preview_->setText(tr_text("Dock.PreviewNone"));
    return;
  }
  preview_->setText(tr_text("Dock.PreviewWorking"));
  // On the helper thread: skipped when a newer request came meanwhile; the
  // picture comes back through post_to_ui and is shown only if still current.
  jobs_.run_async([spec, seq, latest = preview_latest_, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    if (latest->load() != seq) return;
    PreviewPicture picture = render_look_preview(spec, 384, &cancel);
    post_to_ui(
        [dock, seq, latest, picture = std::move(picture)] {
          if (dock && latest->load() == seq) dock->show_preview(picture);
        },
        "dock.preview");
  });
}

void MusicVideoDock::request_short_range() {
  const mv::JobSpec spec = current_spec();
  const std::string input = spec.inputs.empty() ? std::string() : spec.inputs.front().string();
  if (input == short_asked_) return;  // only the input decides it
  short_asked_ = input;
  const std::uint64_t seq = ++*short_latest_;
  short_input_.clear();
  short_start_->setEnabled(false);
  if (input.empty()) {
    short_range_->setText(tr_text("Dock.ShortNone"));
    return;
  }
  short_range_->setText(tr_text("Dock.ShortFinding"));
  // On the helper thread; stops early when a newer input is chosen.
  jobs_.run_async([spec, input, seq, latest = short_latest_, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    if (latest->load() != seq) return;
    ShortRange range = find_short_range(spec, mv::kDefaultHighlightS, [&] { return latest->load() != seq; }, &cancel);
    post_to_ui(
        [dock, seq, latest, input, range = std::move(range)] {
          if (dock && latest->load() == seq) dock->show_short_range(input, range);
        },
        "dock.short_range");
  });
}

void MusicVideoDock::request_tracks() {
  const mv::JobSpec spec = current_spec();
  const std::string input = spec.inputs.empty() ? std::string() : spec.inputs.front().string();
  if (input == tracks_asked_) return;
  tracks_asked_ = input;
  const std::uint64_t seq = ++*tracks_latest_;
  show_tracks(input, {});
  if (input.empty()) return;
  jobs_.run_async([input, seq, latest = tracks_latest_, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    if (latest->load() != seq) return;
    std::vector<TrackChoice> tracks = audio_track_choices(input, &cancel);
    post_to_ui(
        [dock, seq, latest, input, tracks = std::move(tracks)] {
          if (dock && latest->load() == seq) dock->show_tracks(input, tracks);
        },
        "dock.tracks");
  });
}

void MusicVideoDock::show_tracks(const std::string& /*input*/, const std::vector<TrackChoice>& tracks) {
  const UiStallScope timed(ui_stall_meter(), "dock.show_tracks");
  const QSignalBlocker quiet(audio_track_);
  audio_track_->clear();
  QString automatic = tr_text("Dock.AudioTrackAuto");
  for (const auto& t : tracks) {
    if (t.music) automatic += QString(" \u2014 %1").arg(QString::fromStdString(t.label));
  }
  audio_track_->addItem(automatic, 0);
  for (const auto& t : tracks) audio_track_->addItem(QString::fromStdString(t.label), t.number);
  audio_track_->setVisible(!tracks.empty());
  audio_track_label_->setVisible(!tracks.empty());
}

void MusicVideoDock::show_short_range(const std::string& input, const ShortRange& range) {
  const UiStallScope timed(ui_stall_meter(), "dock.show_short_range");
  if (!range.error.empty() || range.end_s <= range.start_s) {
    short_range_->setText(QString::fromStdString(range.error));
    return;
  }
  short_input_ = input;
  short_found_ = range;
  {
    const QSignalBlocker quiet(short_start_);
    short_start_->setRange(0.0, std::max(0.0, range.song_s - (range.end_s - range.start_s)));
    short_start_->setValue(range.start_s);
  }
  short_start_->setEnabled(true);
  update_short_label();
}

void MusicVideoDock::update_short_label() {
  if (short_input_.empty()) return;
  const double length = short_found_.end_s - short_found_.start_s, start = short_start_->value();
  const auto clock = [](double s) {
    const int whole = static_cast<int>(s);
    return QString("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QChar('0'));
  };
  const bool moved = std::fabs(start - short_found_.start_s) > 0.05;
  if (moved) {
    short_range_->setText(tr_text("Dock.ShortMoved").arg(clock(start), clock(start + length)).arg(length, 0, 'f', 0));
  } else if (short_found_.repeats > 0) {
    short_range_->setText(tr_text("Dock.ShortRange").arg(clock(start), clock(start + length)).arg(length, 0, 'f', 0).arg(short_found_.repeats));
  } else {  // nothing repeats clearly (a short take, a jam): the loudest stretch on whole bars
    short_range_->setText(tr_text("Dock.ShortBest").arg(clock(start), clock(start + length)).arg(length, 0, 'f', 0));
  }
}

void MusicVideoDock::show_preview(const PreviewPicture& picture) {
  const UiStallScope timed(ui_stall_meter(), "dock.show_preview");
  if (picture.rgb.empty()) {
    preview_->setPixmap(QPixmap());
    preview_->setText(QString::fromStdString(picture.error));
    return;
  }
  const QImage image(picture.rgb.data(), picture.width, picture.height, picture.width * 3, QImage::Format_RGB888);
  preview_->setPixmap(QPixmap::fromImage(
      image.scaled(std::max(64, preview_->width()), preview_->height(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void MusicVideoDock::build_job_list(QVBoxLayout* layout) {
  list_ = new QListWidget(this);
  list_->setObjectName("jobs");
  layout->addWidget(list_, 1);
  auto* job_buttons = new QHBoxLayout();
  open_folder_ = new QPushButton(tr_text("Dock.OpenFolder"), this);
  reimport_ = new QPushButton(tr_text("Dock.Reimport"), this);
  retry_ = new QPushButton(tr_text("Dock.Retry"), this);
  job_buttons->addWidget(open_folder_);
  job_buttons->addWidget(reimport_);
  job_buttons->addWidget(retry_);
  layout->addLayout(job_buttons);
}

/// Cloud: credits, the session's timeline, and a chat box whose messages edit
/// the latest cloud video's timeline in the same session and render it again.
void MusicVideoDock::build_cloud_box(QVBoxLayout* layout) {
  cloud_box_ = new QGroupBox(tr_text("Dock.CloudBox"), this);
  auto* cloud_layout = new QVBoxLayout(cloud_box_);
  auto* credits_row = new QHBoxLayout();
  credits_ = new QLabel(tr_text("Dock.CreditsUnknown"), cloud_box_);
  credits_->setObjectName("credits");
  refresh_ = new QPushButton(tr_text("Dock.Refresh"), cloud_box_);
  credits_row->addWidget(credits_, 1);
  credits_row->addWidget(refresh_);
  cloud_layout->addLayout(credits_row);
  timeline_ = new QLabel(cloud_box_);
  timeline_->setObjectName("timeline");
  timeline_->setWordWrap(true);
  cloud_layout->addWidget(timeline_);
  chat_log_ = new QPlainTextEdit(cloud_box_);
  chat_log_->setObjectName("chatLog");
  chat_log_->setReadOnly(true);
  chat_log_->setMaximumBlockCount(200);
  chat_log_->setMinimumHeight(80);
  cloud_layout->addWidget(chat_log_);
  auto* chat_row = new QHBoxLayout();
  chat_input_ = new QLineEdit(cloud_box_);
  chat_input_->setObjectName("chatInput");
  chat_input_->setPlaceholderText(tr_text("Dock.ChatPlaceholder"));
  chat_send_ = new QPushButton(tr_text("Dock.ChatSend"), cloud_box_);
  chat_row->addWidget(chat_input_, 1);
  chat_row->addWidget(chat_send_);
  cloud_layout->addLayout(chat_row);
  layout->addWidget(cloud_box_);
}

/// Every slot, each timed by the UI stall meter.
void MusicVideoDock::connect_buttons() {
  auto timed = [this](QPushButton* button, const char* label, std::function<void()> slot) {
    connect(button, &QPushButton::clicked, this, [label, slot = std::move(slot)] {
      const UiStallScope scope(ui_stall_meter(), label);
      slot();
    });
  };
  auto restart_buffer = [this] { capture_.set_source(buffer_source_->currentData().toString().toStdString(), buffer_seconds_->value()); };
  connect(buffer_source_, QOverload<int>::of(&QComboBox::activated), this, [restart_buffer](int) { restart_buffer(); });
  connect(buffer_seconds_, &QSpinBox::editingFinished, this, restart_buffer);
  connect(from_buffer_, &QPushButton::clicked, this, [this] { generate_from_buffer(); });
  timed(refresh_, "dock.refresh_cloud", [this] { refresh_cloud_info(); });
  connect(chat_send_, &QPushButton::clicked, this, [this] { send_chat(); });
  connect(chat_input_, &QLineEdit::returnPressed, this, [this] { send_chat(); });
  // A prompt that names a kind ("a promo", "配乐") chooses it, as the cloud reads it.
  connect(prompt_, &QLineEdit::editingFinished, this, [this] {
    const UiStallScope scope(ui_stall_meter(), "dock.prompt_kind");
    if (const auto kind = mv::kind_from_prompt(prompt_->text().toStdString())) {
      const int at = kind_->findData(QString::fromUtf8(mv::kind_id(*kind)));
      if (at >= 0) kind_->setCurrentIndex(at);
    }
  });
  connect(kind_, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this](int) {
    const UiStallScope scope(ui_stall_meter(), "dock.kind");
    update_kind_note();
  });
  connect(browse_, &QPushButton::clicked, this, [this] { browse(); });
  timed(generate_, "dock.generate", [this] { generate(); });
  timed(short_, "dock.make_short", [this] { make_short(); });
  timed(cancel_, "dock.cancel", [this] { if (!current_job_.empty()) jobs_.cancel(current_job_); });
  connect(backend_, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this](int) {
    const UiStallScope scope(ui_stall_meter(), "dock.backend");
    const bool cloud = backend_->currentData().toString() == mv::backend_id(mv::Backend::Cloud);
    status_->setText(cloud ? tr_text("Dock.CloudNote") : QString());
    update_kind_note();
    if (cloud) refresh_cloud_info();
  });
  timed(open_folder_, "dock.open_folder", [this] {
    if (auto job = jobs_.get(selected_job()); job && !job->output.empty()) {
      const auto dir = std::filesystem::path(job->output).parent_path().string();
      QDesktopServices::openUrl(QUrl::fromLocalFile(QString::fromUtf8(dir.c_str())));
    }
  });
  timed(reimport_, "dock.reimport", [this] {
    if (auto job = jobs_.get(selected_job()); job && job->state == JobState::Done) import_(*job);
  });
  timed(retry_, "dock.retry", [this] {
    const std::string id = jobs_.retry(selected_job());
    if (!id.empty()) current_job_ = id;
  });
}

void MusicVideoDock::update_kind_note() {
  const bool local = backend_->currentData().toString() == mv::backend_id(mv::Backend::Local);
  const auto kind = mv::kind_from_id(kind_->currentData().toString().toStdString());
  const bool blocked = local && kind && !mv::local_kind(*kind);
  kind_note_->setText(blocked ? tr_text("Dock.CloudOnly") : QString());
  kind_note_->setVisible(blocked);
  generate_->setEnabled(!blocked && (current_job_.empty() || [&] {
    const auto job = jobs_.get(current_job_);
    return !job || (job->state != JobState::Running && job->state != JobState::Queued);
  }()));
  short_->setEnabled(generate_->isEnabled() && local);
  cloud_box_->setVisible(!local || !cloud_session_.empty());
}

void MusicVideoDock::refresh_cloud_info() {
  credits_->setText(tr_text("Dock.CreditsLoading"));
  QPointer<MusicVideoDock> self(this);
  jobs_.cloud_info(cloud_session_, cloud_user_, [self](const CloudInfo& info) {
    // Helper thread: hand the result to the UI thread; the dock may be gone by then.
    post_to_ui([self, info] {
      if (self) self->show_cloud_info(info);
    }, "dock.cloud_info");
  });
}

void MusicVideoDock::show_cloud_info(const CloudInfo& info) {
  const UiStallScope timed(ui_stall_meter(), "dock.cloud_info");
  if (!info.ok) {
    QString text = info.error.c_str();
    const std::string key = "Error." + info.error_id;
    if (const char* t = obs_module_text(key.c_str()); t != nullptr && key != t) text = QString::fromUtf8(t);
    credits_->setText(tr_text("Dock.CreditsUnknown") + " — " + text);
    return;
  }
  credits_->setText(QString("%1: %2 (%3 %4)")
                        .arg(tr_text("Dock.Credits"))
                        .arg(info.available)
                        .arg(info.frozen)
                        .arg(tr_text("Dock.CreditsFrozen")));
  timeline_->setText(info.timeline.empty() ? QString() : tr_text("Dock.Timeline") + ": " + QString::fromUtf8(info.timeline.c_str()));
}

void MusicVideoDock::append_chat(const QString& who, const QString& text) {
  chat_log_->appendPlainText(who + ": " + text);
}

void MusicVideoDock::send_chat() {
  const UiStallScope timed(ui_stall_meter(), "dock.chat");
  const QString text = chat_input_->text().trimmed();
  if (text.isEmpty()) return;
  if (cloud_session_.empty()) {
    append_chat(tr_text("Dock.ChatCloud"), tr_text("Dock.ChatNoSession"));
    return;
  }
  mv::JobSpec r;
  r.backend = mv::Backend::Cloud;
  r.kind = mv::JobKind::Edit;
  r.session_id = cloud_session_;
  r.user_id = cloud_user_;
  r.prompt = text.toStdString();
  r.output_dir = output_dir;
  try {
    current_job_ = jobs_.submit(std::move(r));  // job_changed shows the message
    chat_input_->clear();
  } catch (const std::exception& e) {
    append_chat(tr_text("Dock.ChatCloud"), QString::fromUtf8(e.what()));
  }
}

void MusicVideoDock::refresh_input_choices() {
  const UiStallScope timed(ui_stall_meter(), "dock.refresh_inputs");
  const QString chosen = input_->currentData().toString();
  input_->clear();
  const auto choices = discover_inputs(last_recording_path(), auto_remux_enabled(), last_replay_path(), current_scene_items());
  for (const auto& choice : choices) {
    const QString path = QString::fromUtf8(choice.path.c_str());
    QString label;
    switch (choice.kind) {
      case InputChoice::Kind::Recording: label = tr_text("Dock.LastRecording") + ": " + path; break;
      case InputChoice::Kind::Replay: label = tr_text("Dock.LastReplay") + ": " + path; break;
      default:
        label = QString::fromUtf8(choice.source.c_str()) + ": " +
                QString::fromUtf8(std::filesystem::path(choice.path).filename().string().c_str());
    }
    input_->addItem(label, path);
  }
  if (!chosen.isEmpty() && input_->findData(chosen) < 0) input_->addItem(chosen, chosen);
  if (!chosen.isEmpty()) input_->setCurrentIndex(input_->findData(chosen));
  const QString buffered = QString::fromUtf8(capture_.source_name().c_str());
  const QSignalBlocker quiet(buffer_source_);
  buffer_source_->clear();
  buffer_source_->addItem(tr_text("Dock.BufferOff"), QString());
  for (const auto& name : RollingCapture::audio_sources()) {
    buffer_source_->addItem(QString::fromUtf8(name.c_str()), QString::fromUtf8(name.c_str()));
  }
  buffer_source_->setCurrentIndex(std::max(0, buffer_source_->findData(buffered)));
}

void MusicVideoDock::bind_auto_generate(bool enabled, std::function<void(bool)> on_change) {
  auto_generate_->setChecked(enabled);
  connect(auto_generate_, &QCheckBox::toggled, this, [on_change = std::move(on_change)](bool on) { on_change(on); });
}

void MusicVideoDock::generate_from_buffer() {
  const UiStallScope timed(ui_stall_meter(), "dock.from_buffer");
  if (capture_.buffered_seconds() < 1.0) {
    status_->setText(tr_text("Error.BufferEmpty"));
    return;
  }
  // The WAV (up to 600 s, 115 MB) is written on the job manager's helper
  // thread, not here; the job is listed at once and queued when it is written.
  mv::JobSpec r = current_spec();
  if (!input_->currentData().toString().isEmpty() && !r.inputs.empty()) r.inputs.erase(r.inputs.begin());  // keep the clips
  const std::string dir = output_dir.empty() ? std::filesystem::temp_directory_path().string() : output_dir;
  RollingCapture* capture = &capture_;
  try {
    current_job_ = jobs_.submit(std::move(r), [capture, dir](mv::JobSpec& prepared, const mv::CancelToken& cancel) {
      const std::string wav = capture->save(dir, &cancel);
      if (wav.empty()) throw std::invalid_argument("nothing is buffered yet");
      prepared.inputs.insert(prepared.inputs.begin(), wav);
    });
  } catch (const std::exception& e) {
    status_->setText(QString::fromUtf8(e.what()));
  }
}

void MusicVideoDock::browse() {
  QString patterns;
  for (const auto* list : {&mv::audio_extensions(), &mv::video_extensions()}) {
    for (const auto& ext : *list) patterns += (patterns.isEmpty() ? "*." : " *.") + QString::fromStdString(ext);
  }
  const QString file = QFileDialog::getOpenFileName(this, tr_text("Dock.Browse"), QString(),
                                                    "Audio/Video (" + patterns + ");;All (*)");
  if (file.isEmpty()) return;
  input_->addItem(file, file);
  input_->setCurrentIndex(input_->count() - 1);
}

mv::JobSpec MusicVideoDock::current_spec() const {
  mv::JobSpec r;
  const QString input = input_->currentData().toString();
  if (!input.isEmpty()) r.inputs.emplace_back(input.toStdString());
  for (const QString& clip : extra_files_->text().split(';', Qt::SkipEmptyParts)) r.inputs.emplace_back(clip.trimmed().toStdString());
  r.backend = mv::backend_from_id(backend_->currentData().toString().toStdString()).value_or(mv::Backend::Local);
  const std::string style = style_->currentData().toString().toStdString();
  if (!style.empty()) r.look.name = style;
  r.prompt = prompt_->text().toStdString();
  r.framing.aspect = mv::aspect_from_id(aspect_->currentData().toString().toStdString());  // "auto": unset
  if (const int track = audio_track_->currentData().toInt(); track > 0) r.audio_track = track;
  r.captions.title = title_->text().toStdString();
  r.captions.cta = cta_->text().trimmed().toStdString();
  r.kind = mv::kind_from_id(kind_->currentData().toString().toStdString()).value_or(mv::JobKind::MusicVideo);
  r.output_dir = output_dir;
  r.threads = render_threads;
  r.priority = render_priority;
  if (r.kind == mv::JobKind::BackgroundMusic && r.backend == mv::Backend::Local) {
    // The extra files of background music name the music (a track or a folder); else the settings' folder.
    if (r.inputs.size() > 1) {
      r.music = r.inputs[1];
      r.inputs.resize(1);
    } else {
      r.music = music_dir;
    }
  }
  return r;
}

void MusicVideoDock::generate() {
  refresh_input_choices();
  mv::JobSpec r = current_spec();
  if (r.inputs.empty()) {
    status_->setText(tr_text("Error.NoInput"));
    return;
  }
  try {
    current_job_ = jobs_.submit(std::move(r));
  } catch (const std::exception& e) {
    status_->setText(QString::fromUtf8(e.what()));
  }
}

void MusicVideoDock::make_short() {
  refresh_input_choices();
  mv::JobSpec r = current_spec();
  if (r.inputs.empty()) {  // no input chosen: the last recording
    const auto rec = last_recording_path();
    if (rec.empty()) {
      status_->setText(tr_text("Error.NoRecording"));
      return;
    }
    r.inputs = {rec};
  }
  mv::short_preset(r);  // 9:16 unless an aspect is chosen, the best 30 s, the crop following the subject
  // The range shown for this input, if the user moved it: the job starts there (on the nearest bar).
  if (!short_input_.empty() && r.inputs.front().string() == short_input_ &&
      std::fabs(short_start_->value() - short_found_.start_s) > 0.05) {
    r.excerpt.highlight_start_s = short_start_->value();
  }
  try {
    current_job_ = jobs_.submit(std::move(r));
  } catch (const std::exception& e) {
    status_->setText(QString::fromUtf8(e.what()));
  }
}

void MusicVideoDock::generate_from_last_recording() {
  const UiStallScope timed(ui_stall_meter(), "dock.generate_last_recording");
  refresh_input_choices();
  const auto rec = last_recording_path();
  if (rec.empty()) {
    status_->setText(tr_text("Error.NoRecording"));
    return;
  }
  mv::JobSpec r = current_spec();
  r.inputs = {rec};
  current_job_ = jobs_.submit(std::move(r));
}

std::string MusicVideoDock::selected_job() const {
  const auto* item = list_->currentItem();
  return item != nullptr ? item->data(Qt::UserRole).toString().toStdString() : current_job_;
}

void MusicVideoDock::job_changed(const JobInfo& job) {
  const UiStallScope timed(ui_stall_meter(), "dock.job_changed");
  // The cloud session to edit: the latest finished cloud job's; chat replies of
  // edits (from the chat box or obs-websocket's EditJob alike).
  if (is_edit(job) && chat_said_.emplace(job.id, std::string()).second) {
    append_chat(tr_text("Dock.ChatYou"), QString::fromUtf8(job.request.prompt.c_str()));
  }
  if (is_edit(job) && job.stage == mv::stage_name(mv::Stage::Generate) && !job.message.empty() && chat_said_[job.id] != job.message) {
    chat_said_[job.id] = job.message;
    append_chat(tr_text("Dock.ChatCloud"), QString::fromUtf8(job.message.c_str()));
  }
  if (job.request.backend == mv::Backend::Cloud && job.state == JobState::Done && !job.session_id.empty()) {
    const bool changed = cloud_session_ != job.session_id;
    cloud_session_ = job.session_id;
    cloud_user_ = job.user_id;
    if (is_edit(job)) {
      append_chat(tr_text("Dock.ChatCloud"), tr_text("Dock.ChatNewVersion") + " " +
                                                 QString::fromUtf8(std::filesystem::path(job.output).filename().string().c_str()));
    }
    if ((changed || is_edit(job)) && !loading_) {
      update_kind_note();
      refresh_cloud_info();
    }
  }
  if (is_edit(job) && job.state == JobState::Failed) append_chat(tr_text("Dock.ChatCloud"), job_error(job));
  const QString id = QString::fromUtf8(job.id.c_str());
  QListWidgetItem* item = nullptr;
  for (int i = 0; i < list_->count(); ++i) {
    if (list_->item(i)->data(Qt::UserRole).toString() == id) item = list_->item(i);
  }
  if (item == nullptr) {
    item = new QListWidgetItem();
    item->setData(Qt::UserRole, id);
    list_->insertItem(0, item);
  }
  item->setText(job_line(job));
  item->setToolTip(QString::fromUtf8(job.error.c_str()));  // the full English detail
  if (job.id != current_job_) return;
  const bool running = job.state == JobState::Running || job.state == JobState::Queued;
  cancel_->setEnabled(running);
  if (!running) {
    update_kind_note();  // Generate back on unless the chosen kind needs the cloud
  } else {
    generate_->setEnabled(false);
    short_->setEnabled(false);
  }
  progress_->setValue(static_cast<int>(job.progress * 100));
  if (!running) {
    status_->setText(job_line(job));
    return;
  }
  // Stage, ETA (elapsed × remaining / done, once 3 % is done) and the backend's latest words.
  const auto now = std::chrono::steady_clock::now();
  const auto started = started_.emplace(job.id, now).first->second;
  QString text = tr_text((std::string("Stage.") + job.stage).c_str());
  if (job.state == JobState::Running && job.progress > 0.03 && job.progress < 1.0) {
    const double elapsed = std::chrono::duration<double>(now - started).count();
    const auto left = static_cast<long>(elapsed * (1.0 - job.progress) / job.progress);
    text += QString("  %1 %2:%3").arg(tr_text("Dock.Eta")).arg(left / 60).arg(left % 60, 2, 10, QChar('0'));
  }
  if (!job.message.empty()) text += "\n" + QString::fromUtf8(job.message.c_str());
  status_->setText(text);
}

}  // namespace mvplugin
