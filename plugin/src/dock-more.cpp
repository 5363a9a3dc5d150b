// dock-more.cpp — the Music Video dock's folded "More" section (see
// music-video-dock.hpp): the options besides the input, the kind and the look,
// the Short's stretch, the audio buffer, and the cloud's credits and chat; and
// the job these options describe (current_spec).
#include <QAbstractButton>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <obs-module.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "music-video-dock.hpp"
#include "plugin-context.hpp"
#include "mv/analysis/analysis.hpp"
#include "ui-stall-meter.hpp"

namespace mvplugin {

namespace {

/// A combo box that never asks for the width of its longest entry.
QComboBox* narrow_combo(QWidget* parent, const char* name) {
  auto* box = new QComboBox(parent);
  box->setObjectName(name);
  box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  box->setMinimumContentsLength(8);
  return box;
}

}  // namespace

void MusicVideoDock::build_more(QVBoxLayout* layout) {
  more_toggle_ = new QToolButton(this);
  more_toggle_->setObjectName("more");
  more_toggle_->setText(tr_text("Dock.More"));
  more_toggle_->setCheckable(true);
  more_toggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  more_toggle_->setArrowType(Qt::RightArrow);
  layout->addWidget(more_toggle_);
  more_ = new QWidget(this);
  auto* column = new QVBoxLayout(more_);
  column->setContentsMargins(0, 0, 0, 0);
  auto* form = new QFormLayout();
  form->setRowWrapPolicy(QFormLayout::WrapLongRows);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  build_more_rows(form);
  column->addLayout(form);
  build_cloud_box(column);
  more_->setVisible(false);
  layout->addWidget(more_);
}

void MusicVideoDock::build_more_rows(QFormLayout* form) {
  prompt_ = new QLineEdit(more_);
  prompt_->setPlaceholderText(tr_text("Dock.PromptPlaceholder"));
  form->addRow(tr_text("Dock.Prompt"), prompt_);
  aspect_ = narrow_combo(more_, "aspect");
  aspect_->addItem(tr_text("Dock.AspectAuto"), QString("auto"));  // the input's own shape
  for (const auto& a : mv::aspects()) aspect_->addItem(a.id, a.id);
  form->addRow(tr_text("Dock.Aspect"), aspect_);
  title_ = new QLineEdit(more_);
  title_->setPlaceholderText(tr_text("Dock.TitlePlaceholder"));
  form->addRow(tr_text("Dock.VideoTitle"), title_);
  artist_ = new QLineEdit(more_);
  artist_->setPlaceholderText(tr_text("Dock.ArtistPlaceholder"));
  form->addRow(tr_text("Dock.Artist"), artist_);
  lyrics_ = new QLineEdit(more_);
  lyrics_->setPlaceholderText(tr_text("Dock.LyricsPlaceholder"));
  form->addRow(tr_text("Dock.Lyrics"), lyrics_);
  extra_files_ = new QLineEdit(more_);
  extra_files_->setObjectName("clips");
  extra_files_->setPlaceholderText(tr_text("Dock.ClipsPlaceholder"));
  form->addRow(tr_text("Dock.Clips"), extra_files_);
  cta_ = new QLineEdit(more_);
  cta_->setObjectName("cta");
  cta_->setPlaceholderText(tr_text("Dock.CtaPlaceholder"));
  form->addRow(tr_text("Dock.Cta"), cta_);
  // A recording's audio tracks by their OBS names ("Mic", "Music"…), shown when it has several.
  audio_track_ = narrow_combo(more_, "audioTrack");
  audio_track_label_ = new QLabel(tr_text("Dock.AudioTrack"), more_);
  form->addRow(audio_track_label_, audio_track_);
  audio_track_->setVisible(false);
  audio_track_label_->setVisible(false);
  backend_ = narrow_combo(more_, "backend");
  for (auto b : {mv::Backend::Local, mv::Backend::Cloud}) {
    backend_->addItem(tr_text(b == mv::Backend::Local ? "Dock.BackendLocal" : "Dock.BackendCloud"),
                      QString::fromStdString(mv::backend_id(b)));
  }
  form->addRow(tr_text("Dock.Backend"), backend_);
  // The Short's stretch of the song, found when the input changes, movable before rendering.
  short_start_ = new QDoubleSpinBox(more_);
  short_start_->setObjectName("shortStart");
  short_start_->setDecimals(1);
  short_start_->setSuffix(" s");
  short_start_->setRange(0.0, 0.0);
  short_start_->setEnabled(false);
  short_start_->setToolTip(tr_text("Dock.ShortStartTip"));
  short_range_ = new QLabel(tr_text("Dock.ShortNone"), more_);
  short_range_->setObjectName("shortRange");
  short_range_->setWordWrap(true);
  auto* short_box = new QVBoxLayout();
  short_box->addWidget(short_start_);
  short_box->addWidget(short_range_);
  form->addRow(tr_text("Dock.Short"), short_box);
  // The rolling buffer: the last N seconds of an audio source.
  buffer_source_ = narrow_combo(more_, "bufferSource");
  buffer_seconds_ = new QSpinBox(more_);
  buffer_seconds_->setRange(30, 600);
  buffer_seconds_->setValue(120);
  buffer_seconds_->setSuffix(" s");
  from_buffer_ = new QPushButton(tr_text("Dock.FromBuffer"), more_);
  auto* buffer_box = new QHBoxLayout();
  buffer_box->addWidget(buffer_source_, 1);
  buffer_box->addWidget(buffer_seconds_);
  form->addRow(tr_text("Dock.Buffer"), buffer_box);
  form->addRow(QString(), from_buffer_);
  auto_generate_ = new QCheckBox(tr_text("Dock.AutoGenerate"), more_);
  form->addRow(auto_generate_);
}

void MusicVideoDock::build_cloud_box(QVBoxLayout* layout) {
  cloud_box_ = new QWidget(more_);
  cloud_box_->setObjectName("cloud");
  auto* column = new QVBoxLayout(cloud_box_);
  column->setContentsMargins(0, 0, 0, 0);
  auto* credits_row = new QHBoxLayout();
  credits_ = new QLabel(tr_text("Dock.CreditsUnknown"), cloud_box_);
  credits_->setObjectName("credits");
  credits_->setWordWrap(true);
  refresh_ = new QPushButton(tr_text("Dock.Refresh"), cloud_box_);
  credits_row->addWidget(credits_, 1);
  credits_row->addWidget(refresh_);
  column->addLayout(credits_row);
  timeline_ = new QLabel(cloud_box_);
  timeline_->setObjectName("timeline");
  timeline_->setWordWrap(true);
  column->addWidget(timeline_);
  chat_log_ = new QPlainTextEdit(cloud_box_);
  chat_log_->setObjectName("chatLog");
  chat_log_->setReadOnly(true);
  chat_log_->setMaximumBlockCount(200);
  chat_log_->setMinimumHeight(80);
  column->addWidget(chat_log_);
  auto* chat_row = new QHBoxLayout();
  chat_input_ = new QLineEdit(cloud_box_);
  chat_input_->setObjectName("chatInput");
  chat_input_->setPlaceholderText(tr_text("Dock.ChatPlaceholder"));
  chat_send_ = new QPushButton(tr_text("Dock.ChatSend"), cloud_box_);
  chat_row->addWidget(chat_input_, 1);
  chat_row->addWidget(chat_send_);
  column->addLayout(chat_row);
  cloud_box_->setVisible(false);
  layout->addWidget(cloud_box_);
}

void MusicVideoDock::connect_more() {
  connect(more_toggle_, &QToolButton::toggled, this, [this](bool open) {
    const UiStallScope scope(ui_stall_meter(), "dock.more");
    more_->setVisible(open);
    more_toggle_->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
  });
  connect(aspect_, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this](int) { refresh_timer_->start(); });
  connect(backend_, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this](int) {
    const UiStallScope scope(ui_stall_meter(), "dock.backend");
    update_cloud_visibility();
  });
  connect(short_start_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double) {
    const UiStallScope scope(ui_stall_meter(), "dock.short_start");
    update_short_label();
  });
  // A prompt that names a kind ("a promo", "配乐") chooses it, as the cloud reads it.
  connect(prompt_, &QLineEdit::editingFinished, this, [this] {
    const UiStallScope scope(ui_stall_meter(), "dock.prompt_kind");
    if (const auto kind = mv::kind_from_prompt(prompt_->text().toStdString())) {
      const char* id = mv::kind_id(*kind);
      for (QAbstractButton* b : kinds_->buttons()) {
        if (b->objectName() == QString("kind.") + id) b->setChecked(true);
      }
      update_primary();
    }
  });
  auto restart_buffer = [this] { capture_.set_source(buffer_source_->currentData().toString().toStdString(), buffer_seconds_->value()); };
  connect(buffer_source_, QOverload<int>::of(&QComboBox::activated), this, [restart_buffer](int) { restart_buffer(); });
  connect(buffer_seconds_, &QSpinBox::editingFinished, this, restart_buffer);
  connect(from_buffer_, &QPushButton::clicked, this, [this] { generate_from_buffer(); });
  connect(refresh_, &QPushButton::clicked, this, [this] {
    const UiStallScope scope(ui_stall_meter(), "dock.refresh_cloud");
    refresh_cloud_info();
  });
  connect(chat_send_, &QPushButton::clicked, this, [this] { send_chat(); });
  connect(chat_input_, &QLineEdit::returnPressed, this, [this] { send_chat(); });
}

mv::JobSpec MusicVideoDock::current_spec() const {
  mv::JobSpec r;
  const std::string input = chosen_input();
  if (!input.empty()) r.inputs.emplace_back(input);
  for (const QString& clip : extra_files_->text().split(';', Qt::SkipEmptyParts)) r.inputs.emplace_back(clip.trimmed().toStdString());
  r.backend = mv::backend_from_id(backend_->currentData().toString().toStdString()).value_or(mv::Backend::Local);
  r.kind = chosen_kind();
  const std::string look = looks_->currentItem() != nullptr ? looks_->currentItem()->data(Qt::UserRole).toString().toStdString() : "";
  if (!look.empty() && r.kind != mv::JobKind::BackgroundMusic) r.look.name = look;
  r.prompt = prompt_->text().toStdString();
  r.framing.aspect = mv::aspect_from_id(aspect_->currentData().toString().toStdString());  // "auto": unset
  if (const int track = audio_track_->currentData().toInt(); track > 0) r.audio_track = track;
  r.captions.title = title_->text().toStdString();
  r.captions.artist = artist_->text().trimmed().toStdString();
  r.captions.lyrics = lyrics_->text().trimmed().toStdString();
  r.captions.cta = cta_->text().trimmed().toStdString();
  r.output_dir = output_dir;
  r.threads = render_threads;
  r.priority = render_priority;
  if (short_chosen()) {
    mv::short_preset(r);  // 9:16 unless an aspect is chosen, the best 30 s, the crop following the subject
    // The stretch shown for this input, if the user moved it: the job starts there (on the nearest bar).
    if (!short_input_.empty() && !r.inputs.empty() && r.inputs.front().string() == short_input_ &&
        std::fabs(short_start_->value() - short_found_.start_s) > 0.05) {
      r.excerpt.highlight_start_s = short_start_->value();
    }
  }
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

void MusicVideoDock::refresh_buffer_sources() {
  const QString buffered = QString::fromUtf8(capture_.source_name().c_str());
  const QSignalBlocker quiet(buffer_source_);
  buffer_source_->clear();
  buffer_source_->addItem(tr_text("Dock.BufferOff"), QString());
  for (const auto& name : RollingCapture::audio_sources()) {
    buffer_source_->addItem(QString::fromUtf8(name.c_str()), QString::fromUtf8(name.c_str()));
  }
  buffer_source_->setCurrentIndex(std::max(0, buffer_source_->findData(buffered)));
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
  if (!chosen_input().empty() && !r.inputs.empty()) r.inputs.erase(r.inputs.begin());  // the buffer replaces the input; the clips stay
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
  update_primary();
}

void MusicVideoDock::bind_auto_generate(bool enabled, std::function<void(bool)> on_change) {
  auto_generate_->setChecked(enabled);
  connect(auto_generate_, &QCheckBox::toggled, this, [on_change = std::move(on_change)](bool on) { on_change(on); });
}

// ---- the Short's stretch and the audio tracks, on the helper thread ------------------------

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
  jobs_.run_pictures([spec, input, seq, latest = short_latest_, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    if (latest->load() != seq) return;
    ShortRange range = find_short_range(spec, mv::kDefaultHighlightS, [&] { return latest->load() != seq; }, &cancel);
    post_to_ui([dock, seq, latest, input, range = std::move(range)] {
      if (dock && latest->load() == seq) dock->show_short_range(input, range);
    }, "dock.short_range");
  });
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
  const bool moved = std::fabs(start - short_found_.start_s) > 0.05;
  if (moved) {
    short_range_->setText(tr_text("Dock.ShortMoved").arg(clock_text(start), clock_text(start + length)).arg(length, 0, 'f', 0));
  } else if (short_found_.repeats > 0) {
    short_range_->setText(tr_text("Dock.ShortRange").arg(clock_text(start), clock_text(start + length)).arg(length, 0, 'f', 0).arg(short_found_.repeats));
  } else {  // nothing repeats clearly (a short take, a jam): the loudest stretch on whole bars
    short_range_->setText(tr_text("Dock.ShortBest").arg(clock_text(start), clock_text(start + length)).arg(length, 0, 'f', 0));
  }
}

void MusicVideoDock::request_tracks() {
  const std::string input = chosen_input();
  if (input == tracks_asked_) return;
  tracks_asked_ = input;
  const std::uint64_t seq = ++*tracks_latest_;
  show_tracks(input, {});
  if (input.empty()) return;
  jobs_.run_pictures([input, seq, latest = tracks_latest_, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    if (latest->load() != seq) return;
    std::vector<TrackChoice> tracks = audio_track_choices(input, &cancel);
    post_to_ui([dock, seq, latest, input, tracks = std::move(tracks)] {
      if (dock && latest->load() == seq) dock->show_tracks(input, tracks);
    }, "dock.tracks");
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

// ---- the cloud ---------------------------------------------------------------------------

void MusicVideoDock::update_cloud_visibility() {
  const bool cloud = backend_->currentData().toString() == mv::backend_id(mv::Backend::Cloud);
  cloud_box_->setVisible(cloud || !cloud_session_.empty());
  status_->setText(cloud ? tr_text("Dock.CloudNote") : QString());
  if (cloud) refresh_cloud_info();
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
  credits_->setText(QString("%1: %2 (%3 %4)").arg(tr_text("Dock.Credits")).arg(info.available).arg(info.frozen).arg(tr_text("Dock.CreditsFrozen")));
  timeline_->setText(info.timeline.empty() ? QString() : tr_text("Dock.Timeline") + ": " + QString::fromUtf8(info.timeline.c_str()));
}

void MusicVideoDock::append_chat(const QString& who, const QString& text) { chat_log_->appendPlainText(who + ": " + text); }

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

void MusicVideoDock::chat_job_changed(const JobInfo& job) {
  // The cloud session to edit: the latest finished cloud job's; chat replies of
  // edits (from the chat box or obs-websocket's EditJob alike).
  const bool edit = job.request.kind == mv::JobKind::Edit;
  if (edit && chat_said_.emplace(job.id, std::string()).second) {
    append_chat(tr_text("Dock.ChatYou"), QString::fromUtf8(job.request.prompt.c_str()));
  }
  if (edit && job.stage == mv::stage_name(mv::Stage::Generate) && !job.message.empty() && chat_said_[job.id] != job.message) {
    chat_said_[job.id] = job.message;
    append_chat(tr_text("Dock.ChatCloud"), QString::fromUtf8(job.message.c_str()));
  }
  if (job.request.backend == mv::Backend::Cloud && job.state == JobState::Done && !job.session_id.empty()) {
    const bool changed = cloud_session_ != job.session_id;
    cloud_session_ = job.session_id;
    cloud_user_ = job.user_id;
    if (edit) {
      append_chat(tr_text("Dock.ChatCloud"), tr_text("Dock.ChatNewVersion") + " " +
                                                 QString::fromUtf8(std::filesystem::path(job.output).filename().string().c_str()));
    }
    if ((changed || edit) && !loading_) {
      cloud_box_->setVisible(true);
      refresh_cloud_info();
    }
  }
  if (edit && job.state == JobState::Failed) append_chat(tr_text("Dock.ChatCloud"), job_error_text(job));
}

}  // namespace mvplugin
