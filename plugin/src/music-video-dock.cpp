// music-video-dock.cpp — see music-video-dock.hpp. The "More" section and the
// cloud are in dock-more.cpp, the job cards in dock-cards.cpp.
#include "music-video-dock.hpp"

#include <QButtonGroup>
#include <QDesktopServices>
#include <QDockWidget>
#include <QFileDialog>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include <obs-frontend-api.h>
#include <obs.h>

#include "input-discovery.hpp"
#include "live-look-source.hpp"
#include "plugin-context.hpp"
#include "mv/media/media.hpp"
#include "mv/render/look.hpp"
#include "mv/render/options.hpp"
#include "scene-import.hpp"
#include "ui-stall-meter.hpp"

namespace mvplugin {

namespace {

constexpr int kSourceW = 112, kSourceH = 63;  // the source card's picture
constexpr int kLookW = 84, kLookH = 48;       // a look's thumbnail
constexpr int kDrawnRole = Qt::UserRole + 1;   // a look item shows its picture (not the blank)
constexpr int kAtRole = Qt::UserRole + 2;      // where in the input its picture was drawn, s
constexpr int kLookRetries = 30;              // times the tiles of an input with no length yet are asked again,
constexpr int kLookRetryMs = 2000;            // this far apart (a minute in all)
constexpr std::size_t kCardsKept = 6;         // finished videos shown

/// The look tile cache's key: the input the tile is drawn from (none: the demo song), the look
/// and the shape ("auto" or an aspect id), as "input|look|shape".
std::string look_tile_key(const mv::JobSpec& base, const std::string& look) {
  const std::string shape = base.framing.aspect ? mv::aspect_id(*base.framing.aspect) : "auto";
  return (base.inputs.empty() ? std::string() : base.inputs.front().string()) + "|" + look + "|" + shape;
}

/// The kinds the row offers, in order: (kind id, its button's text key). A Short is a
/// music video with short_preset().
struct KindButton {
  mv::JobKind kind;
  bool short_form;  ///< a Short: the music video with short_preset()
  const char* text;
};
constexpr KindButton kKinds[] = {{mv::JobKind::MusicVideo, false, "Dock.KindVideo"},
                                 {mv::JobKind::MusicVideo, true, "Dock.KindShort"},
                                 {mv::JobKind::BackgroundMusic, false, "Dock.KindSoundtrack"},
                                 {mv::JobKind::Promo, false, "Dock.KindPromo"}};

/// "short" for the Short, else the kind's id: the button's name and its text keys' suffix.
std::string kind_button_id(const KindButton& k) { return k.short_form ? "short" : mv::kind_id(k.kind); }

}  // namespace

MusicVideoDock::MusicVideoDock(JobManager& jobs, RollingCapture& capture, std::function<void(const JobInfo&)> import,
                               QWidget* parent)
    : QWidget(parent), jobs_(jobs), capture_(capture), import_(std::move(import)) {
  setObjectName("obsMusicVideoDock");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->setSpacing(8);
  build_source(layout);
  build_kinds(layout);
  build_looks(layout);
  primary_ = new QPushButton(this);
  primary_->setObjectName("primary");
  primary_->setMinimumHeight(44);
  QFont bold = primary_->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.15);
  primary_->setFont(bold);
  primary_->setToolTip(tr_text("Dock.PrimaryTip"));
  layout->addWidget(primary_);
  build_save_live(layout);
  build_more(layout);
  status_ = new QLabel(this);
  status_->setObjectName("status");
  status_->setWordWrap(true);
  layout->addWidget(status_);
  build_jobs(layout);
  layout->addStretch(1);
  // The chosen kind and the button to press stand out, in the theme's own highlight colour.
  setStyleSheet("QToolButton[kind=\"true\"] { padding: 4px 3px; margin: 0px; font-size: 9pt; }"
                "QToolButton[kind=\"true\"]:checked { background: palette(highlight); color: palette(highlighted-text); }"
                "QPushButton#primary { background: palette(highlight); color: palette(highlighted-text); border-radius: 4px; }"
                "QPushButton#primary:disabled { background: palette(mid); color: palette(dark); }"
                "QFrame[card=\"true\"] QPushButton { padding: 4px 6px; }");
  refresh_timer_ = new QTimer(this);
  refresh_timer_->setSingleShot(true);
  refresh_timer_->setInterval(300);
  looks_retry_timer_ = new QTimer(this);
  looks_retry_timer_->setSingleShot(true);
  looks_retry_timer_->setInterval(kLookRetryMs);
  connect(looks_retry_timer_, &QTimer::timeout, this, [this] { request_look_thumbnails(); });
  buffer_timer_ = new QTimer(this);
  buffer_timer_->setInterval(1000);
  connect(buffer_timer_, &QTimer::timeout, this, [this] {
    if (buffer_chosen_ && isVisible()) show_buffer();
  });
  connect_controls();
  connect_more();
  // Where the controls are, for the end-to-end test (GetDockLayout): every half second while shown.
  auto* publish = new QTimer(this);
  publish->setInterval(500);
  connect(publish, &QTimer::timeout, this, [this] { publish_dock_layout(layout_snapshot()); });
  publish->start();
  // Inputs are read from OBS once it has finished loading (refresh_input_choices
  // is called then): during module load the outputs and scenes do not exist yet.
  for (const auto& job : jobs_.list()) job_changed(job);
  loading_ = false;
  update_primary();
}

void MusicVideoDock::build_source(QVBoxLayout* layout) {
  source_card_ = new QFrame(this);
  source_card_->setObjectName("source");
  source_card_->setFrameShape(QFrame::StyledPanel);
  auto* row = new QHBoxLayout(source_card_);
  row->setContentsMargins(6, 6, 6, 6);
  source_picture_ = new QLabel(source_card_);
  source_picture_->setFixedSize(kSourceW, kSourceH);
  source_picture_->setAlignment(Qt::AlignCenter);
  source_picture_->setStyleSheet("background: #111; border-radius: 3px;");
  row->addWidget(source_picture_);
  auto* words = new QVBoxLayout();
  source_name_ = new QLabel(source_card_);
  QFont bold = source_name_->font();
  bold.setBold(true);
  source_name_->setFont(bold);
  source_name_->setMinimumWidth(40);
  source_detail_ = new QLabel(source_card_);
  source_detail_->setWordWrap(true);
  // Two lines always: the controls below never move while a streamer aims at them.
  source_detail_->setFixedHeight(2 * source_detail_->fontMetrics().lineSpacing() + 2);
  source_detail_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  source_change_ = new QToolButton(source_card_);
  source_change_->setObjectName("sourceChange");
  source_change_->setText(tr_text("Dock.Change"));
  source_change_->setPopupMode(QToolButton::InstantPopup);
  source_menu_ = new QMenu(source_change_);
  source_change_->setMenu(source_menu_);
  words->addWidget(source_name_);
  words->addWidget(source_detail_);
  words->addWidget(source_change_, 0, Qt::AlignLeft);
  words->addStretch(1);
  row->addLayout(words, 1);
  layout->addWidget(source_card_);
}

void MusicVideoDock::build_kinds(QVBoxLayout* layout) {
  kinds_ = new QButtonGroup(this);
  kinds_->setExclusive(true);
  auto* row = new QHBoxLayout();
  row->setSpacing(2);
  int index = 0;
  for (const auto& k : kKinds) {
    auto* b = new QToolButton(this);
    b->setObjectName(QString::fromStdString("kind." + kind_button_id(k)));
    b->setText(tr_text(k.text));
    b->setCheckable(true);
    b->setProperty("kind", true);
    b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    b->setMinimumHeight(30);
    b->setChecked(index == 0);
    kinds_->addButton(b, index++);
    row->addWidget(b);
  }
  layout->addLayout(row);
}

void MusicVideoDock::build_looks(QVBoxLayout* layout) {
  looks_ = new QListWidget(this);
  looks_->setObjectName("looks");
  looks_->setViewMode(QListView::IconMode);
  looks_->setFlow(QListView::LeftToRight);
  looks_->setWrapping(true);
  looks_->setResizeMode(QListView::Adjust);
  looks_->setMovement(QListView::Static);
  looks_->setUniformItemSizes(true);
  looks_->setIconSize(QSize(kLookW, kLookH));
  looks_->setGridSize(QSize(kLookW + 8, kLookH + 22));
  looks_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  looks_->setMinimumWidth(3 * (kLookW + 8) + 8);
  looks_->setFixedHeight(2 * (kLookH + 22) + 8);  // two rows; the rest scrolls down
  QPixmap blank(kLookW, kLookH);
  blank.fill(QColor(17, 17, 17));
  auto* automatic = new QListWidgetItem(QIcon(blank), tr_text("Dock.LookAuto"), looks_);
  automatic->setData(Qt::UserRole, QString());
  automatic->setToolTip(tr_text("Dock.StyleAuto"));
  for (const mv::Look& look : mv::look_library().looks()) {  // the drawn looks (montage and footage follow the input)
    auto* item = new QListWidgetItem(QIcon(blank), QString::fromStdString(look.name), looks_);
    item->setData(Qt::UserRole, QString::fromStdString(look.name));
    item->setToolTip(QString::fromStdString(look.description));
  }
  looks_->setCurrentRow(0);
  layout->addWidget(looks_);
}

void MusicVideoDock::build_jobs(QVBoxLayout* layout) {
  running_ = new RunningCard([this] {
    const UiStallScope scope(ui_stall_meter(), "dock.cancel");
    if (!current_job_.empty()) jobs_.cancel(current_job_);
  }, this);
  layout->addWidget(running_);
  finished_ = new QVBoxLayout();
  finished_->setSpacing(4);
  layout->addLayout(finished_);
}

void MusicVideoDock::connect_controls() {
  connect(kinds_, &QButtonGroup::idClicked, this, [this](int) {
    const UiStallScope scope(ui_stall_meter(), "dock.kind");
    update_primary();
    refresh_timer_->start();
  });
  connect(looks_, &QListWidget::currentRowChanged, this, [this](int) { update_primary(); });
  connect(primary_, &QPushButton::clicked, this, [this] {
    const UiStallScope scope(ui_stall_meter(), "dock.make");
    make();
  });
  connect(source_menu_, &QMenu::aboutToShow, this, [this] {
    const UiStallScope scope(ui_stall_meter(), "dock.source_menu");
    source_menu_->clear();
    source_menu_->addAction(tr_text("Dock.LastRecording"), this, [this] { choose_input(QString()); });
    for (const auto& [label, path] : offered_) {
      source_menu_->addAction(label, this, [this, path = path] { choose_input(path); });
    }
    source_menu_->addSeparator();
    source_menu_->addAction(tr_text("Dock.Browse"), this, [this] { browse(); });
    if (!capture_.source_name().empty()) {
      source_menu_->addAction(tr_text("Dock.FromBufferMenu").arg(QString::fromUtf8(capture_.source_name().c_str())), this,
                              [this] { choose_buffer(); });
    }
  });
  connect(refresh_timer_, &QTimer::timeout, this, [this] {
    request_summary();
    request_look_thumbnails();
    request_short_range();
    request_tracks();
  });
}

void MusicVideoDock::keyPressEvent(QKeyEvent* event) {
  // Enter presses the primary button (not while typing a chat message).
  if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && focusWidget() != static_cast<QWidget*>(chat_input_)) {
    const UiStallScope scope(ui_stall_meter(), "dock.enter");
    make();
    return;
  }
  QWidget::keyPressEvent(event);
}

void MusicVideoDock::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // The source's name, elided to what fits beside its picture.
  const int room = std::max(40, source_card_->width() - kSourceW - 30);
  source_name_->setText(source_name_->fontMetrics().elidedText(input_label_, Qt::ElideMiddle, room));
}

std::string MusicVideoDock::chosen_input() const {
  if (buffer_chosen_) return {};  // the buffer becomes a file only when the job starts
  if (!input_path_.isEmpty()) return input_path_.toStdString();
  return last_recording_path();
}

void MusicVideoDock::choose_input(const QString& path) {
  const UiStallScope scope(ui_stall_meter(), "dock.choose_input");
  input_path_ = path;
  buffer_chosen_ = false;
  input_changed();
}

void MusicVideoDock::choose_buffer() {
  const UiStallScope scope(ui_stall_meter(), "dock.choose_buffer");
  buffer_chosen_ = true;
  input_path_.clear();
  input_changed();
}

void MusicVideoDock::show_buffer() {
  const UiStallScope scope(ui_stall_meter(), "dock.show_buffer");
  const std::string source = capture_.source_name();
  if (source.empty()) {  // switched off under More: back to the last recording
    choose_input(QString());
    return;
  }
  input_label_ = tr_text("Dock.BufferSource").arg(QString::fromUtf8(source.c_str()));
  source_detail_->setText(tr_text("Dock.BufferDetail")
                              .arg(clock_text(capture_.buffered_seconds()))
                              .arg(clock_text(capture_.capacity_seconds())));
  source_picture_->setPixmap(peaks_pixmap(capture_.peaks(kSourceW / 2), kSourceW, kSourceH));
  source_drawn_ = true;
  resizeEvent(nullptr);
}

void MusicVideoDock::input_changed() {
  if (buffer_chosen_) {
    show_buffer();
    buffer_timer_->start();
    refresh_timer_->start();  // the looks (drawn from the demo song or the clips)
    return;
  }
  buffer_timer_->stop();
  looks_retries_ = 0;
  const std::string input = chosen_input();
  const std::filesystem::path p(input);
  input_label_ = input.empty() ? tr_text("Dock.NoInput") : QString::fromUtf8(p.filename().string().c_str());
  QString where = input_path_.isEmpty() ? tr_text("Dock.LastRecording") : QString();
  for (const auto& [label, path] : offered_) {
    if (path.toStdString() == input && input_path_.isEmpty() == false) where = label.section(':', 0, 0);
  }
  source_detail_->setText(input.empty() ? tr_text("Error.NoRecording") : where);
  resizeEvent(nullptr);
  refresh_timer_->start();
}

void MusicVideoDock::refresh_input_choices() {
  const UiStallScope timed(ui_stall_meter(), "dock.refresh_inputs");
  // The scene's items wait for its lock and the files for the disk: both on the helper.
  jobs_.run_async([scene = current_scene_ref(), rec = last_recording_path(), remux = auto_remux_enabled(), replay = last_replay_path(),
                   dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken&) {
    auto choices = discover_inputs(rec, remux, replay, scene_items(scene));
    post_to_ui([dock, choices = std::move(choices)] {
      if (dock) dock->show_input_choices(choices);
    }, "dock.input_choices");
  });
}

void MusicVideoDock::show_input_choices(const std::vector<InputChoice>& choices) {
  const UiStallScope timed(ui_stall_meter(), "dock.show_inputs");
  offered_.clear();
  for (const auto& choice : choices) {
    const QString path = QString::fromUtf8(choice.path.c_str());
    const QString file = QString::fromUtf8(std::filesystem::path(choice.path).filename().string().c_str());
    QString label;
    switch (choice.kind) {
      case InputChoice::Kind::Recording: continue;  // "Last recording" is the first entry anyway
      case InputChoice::Kind::Replay: label = tr_text("Dock.LastReplay") + ": " + file; break;
      default: label = QString::fromUtf8(choice.source.c_str()) + ": " + file;
    }
    offered_.emplace_back(label, path);
  }
  refresh_buffer_sources();
  summary_asked_.clear();  // a recording that stopped (or was still being written) is read again
  input_changed();
}

void MusicVideoDock::browse() {
  QString patterns;
  for (const auto* list : {&mv::audio_extensions(), &mv::video_extensions()}) {
    for (const auto& ext : *list) patterns += (patterns.isEmpty() ? "*." : " *.") + QString::fromStdString(ext);
  }
  const QString file = QFileDialog::getOpenFileName(this, tr_text("Dock.Browse"), QString(),
                                                    "Audio/Video (" + patterns + ");;All (*)");
  if (!file.isEmpty()) choose_input(file);
}

mv::JobKind MusicVideoDock::chosen_kind() const {
  const int at = std::clamp(kinds_->checkedId(), 0, static_cast<int>(std::size(kKinds)) - 1);
  return kKinds[at].kind;
}

bool MusicVideoDock::short_chosen() const {
  const int at = kinds_->checkedId();
  return at >= 0 && at < static_cast<int>(std::size(kKinds)) && kKinds[at].short_form;
}

void MusicVideoDock::update_primary() {
  const int at = std::clamp(kinds_->checkedId(), 0, static_cast<int>(std::size(kKinds)) - 1);
  primary_->setText(tr_text(("Dock.Make." + kind_button_id(kKinds[at])).c_str()));
  const auto job = current_job_.empty() ? std::nullopt : jobs_.get(current_job_);
  primary_->setEnabled(!job || (job->state != JobState::Running && job->state != JobState::Queued));
  // Looks do not apply to a soundtrack; the Short's stretch only to a Short.
  looks_->setEnabled(chosen_kind() != mv::JobKind::BackgroundMusic);
}

void MusicVideoDock::make() {
  if (!primary_->isEnabled()) return;
  if (buffer_chosen_) {
    generate_from_buffer();
    return;
  }
  mv::JobSpec spec = current_spec();
  if (spec.inputs.empty()) {
    status_->setText(tr_text("Error.NoRecording"));
    return;
  }
  if (spec.kind == mv::JobKind::Promo && spec.inputs.size() < 2) {  // photos are under More
    status_->setText(tr_text("Dock.PromoNeedsPhotos"));
    more_toggle_->setChecked(true);
    extra_files_->setFocus();
    return;
  }
  submit(std::move(spec));
}

void MusicVideoDock::submit(mv::JobSpec spec) {
  try {
    current_job_ = jobs_.submit(std::move(spec));
    status_->clear();
  } catch (const std::exception& e) {
    status_->setText(QString::fromUtf8(e.what()));
  }
  update_primary();
}

void MusicVideoDock::generate_from_last_recording() {
  const UiStallScope timed(ui_stall_meter(), "dock.generate_last_recording");
  const std::string rec = last_recording_path();
  if (rec.empty()) {
    status_->setText(tr_text("Error.NoRecording"));
    return;
  }
  mv::JobSpec spec = current_spec();
  if (!spec.inputs.empty()) spec.inputs.front() = rec;
  else spec.inputs = {rec};
  submit(std::move(spec));
}

// ---- pictures and analyses of the chosen input, on the helper thread ------------------------

void MusicVideoDock::request_summary() {
  if (buffer_chosen_) {  // show_buffer() draws the card; no file to summarize
    summary_asked_ = "\n(buffer)";
    ++*summary_latest_;
    return;
  }
  const std::string input = chosen_input();
  if (input == summary_asked_) return;
  summary_asked_ = input;
  const std::uint64_t seq = ++*summary_latest_;
  source_picture_->setPixmap(QPixmap());
  source_drawn_ = false;
  if (input.empty()) return;
  jobs_.run_pictures([input, seq, latest = summary_latest_, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    if (latest->load() != seq) return;
    InputSummary summary = summarize_input(input, 2 * kSourceW, &cancel);
    post_to_ui([dock, seq, latest, input, summary = std::move(summary)] {
      if (dock && latest->load() == seq) dock->show_summary(input, summary);
    }, "dock.summary");
  });
}

void MusicVideoDock::show_summary(const std::string& /*input*/, const InputSummary& summary) {
  const UiStallScope timed(ui_stall_meter(), "dock.show_summary");
  input_duration_s_ = summary.duration_s;
  if (!summary.error.empty()) {
    source_detail_->setText(QString::fromUtf8(summary.error.c_str()));
    summary_asked_.clear();  // asked again on the next change (a recording not yet on disk)
    return;
  }
  source_picture_->setPixmap(picture_pixmap(summary.picture, kSourceW, kSourceH));
  source_drawn_ = !summary.picture.rgb.empty();
  const QString where = source_detail_->text().section(" \u00b7 ", 0, 0);
  source_detail_->setText(where + " \u00b7 " + clock_text(summary.duration_s));
}

void MusicVideoDock::request_look_thumbnails() {
  const mv::JobSpec base = current_spec();
  // Nothing recorded yet: the looks play a composed demo song, so a first look at the
  // dock already shows what each one draws.
  const bool demo = base.inputs.empty();
  if (demo && cache_dir.empty()) return;
  const std::uint64_t seq = ++*looks_latest_;
  struct Wanted {
    std::string key;
    mv::JobSpec spec;
    std::string drawn_from;  ///< the input's identity when its cached tile was drawn ("": none cached)
  };
  std::vector<Wanted> wanted;
  for (int i = 0; i < looks_->count(); ++i) {
    const std::string look = looks_->item(i)->data(Qt::UserRole).toString().toStdString();
    const std::string key = look_tile_key(base, look);
    std::string drawn_from;
    if (const auto it = look_cache_.find(key); it != look_cache_.end()) {
      // Shown now; the helper thread draws it again only if the file changed since.
      looks_->item(i)->setIcon(QIcon(it->second.pixmap));
      looks_->item(i)->setData(kDrawnRole, true);
      looks_->item(i)->setData(kAtRole, it->second.at_s);
      if (demo) continue;  // the demo song is written once
      drawn_from = it->second.identity;
    } else {
      looks_->item(i)->setData(kDrawnRole, false);  // its picture (kept until the new one comes) is another input's
    }
    mv::JobSpec spec = base;
    spec.kind = mv::JobKind::MusicVideo;
    if (!demo) spec.inputs.resize(1);  // the input's own pictures or sound; clips are for the video
    if (look.empty()) spec.look.name.reset();
    else spec.look.name = look;
    wanted.push_back({key, std::move(spec), std::move(drawn_from)});
  }
  if (wanted.empty()) return;
  // One task draws them all, in order; a newer input or aspect stops it.
  jobs_.run_pictures([wanted = std::move(wanted), seq, latest = looks_latest_, demo, dir = cache_dir,
                      dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    const std::filesystem::path song = demo ? demo_song(dir) : std::filesystem::path();
    if (demo && song.empty()) return;
    // The input as it is now (read before drawing: a change while drawing is seen next time).
    const std::string identity = file_identity(demo ? song : wanted.front().spec.inputs.front());
    std::optional<double> at_s;  // one moment with sound for every tile (the same input)
    for (const auto& [key, asked, drawn_from] : wanted) {
      if (latest->load() != seq || cancel.requested()) return;
      if (!drawn_from.empty() && drawn_from == identity) continue;  // its tile is of this file
      mv::JobSpec spec = asked;
      if (demo) spec.inputs = {song};
      if (!at_s) {
        at_s = look_preview_moment(spec, &cancel);
        if (!at_s) {  // not readable, or no length yet: no tile of it now, asked again shortly
          post_to_ui([dock, seq, latest] {
            if (dock && latest->load() == seq) dock->retry_look_thumbnails();
          }, "dock.looks_retry");
          return;
        }
      }
      PreviewPicture picture = render_look_preview(spec, 2 * kLookW, &cancel, at_s);
      post_to_ui([dock, key = key, picture = std::move(picture), identity] {
        if (dock) dock->show_look_thumbnail(key, picture, identity);
      }, "dock.look_thumbnail");
    }
  });
}

void MusicVideoDock::retry_look_thumbnails() {
  if (looks_retries_ >= kLookRetries) return;  // a file that stays unreadable: its tiles keep the last pictures
  ++looks_retries_;
  looks_retry_timer_->start();
}

void MusicVideoDock::show_look_thumbnail(const std::string& key, const PreviewPicture& picture,
                                         const std::string& identity) {
  const UiStallScope timed(ui_stall_meter(), "dock.look_thumbnail");
  if (picture.rgb.empty()) return;
  const QPixmap pixmap = picture_pixmap(picture, kLookW, kLookH);
  look_cache_[key] = LookTile{pixmap, picture.at_s, identity};
  // Shown only where it is the tile of the input and shape chosen now.
  const mv::JobSpec base = current_spec();
  for (int i = 0; i < looks_->count(); ++i) {
    if (look_tile_key(base, looks_->item(i)->data(Qt::UserRole).toString().toStdString()) == key) {
      looks_->item(i)->setIcon(QIcon(pixmap));
      looks_->item(i)->setData(kDrawnRole, true);
      looks_->item(i)->setData(kAtRole, picture.at_s);
    }
  }
}

void MusicVideoDock::request_card_picture(const std::string& job_id, const std::string& video) {
  jobs_.run_pictures([job_id, video, dock = QPointer<MusicVideoDock>(this)](const mv::CancelToken& cancel) {
    InputSummary summary = summarize_input(video, 2 * 112, &cancel);
    post_to_ui([dock, job_id, picture = std::move(summary.picture)] {
      if (!dock) return;
      if (const auto it = dock->cards_.find(job_id); it != dock->cards_.end()) it->second->show_picture(picture);
    }, "dock.card_picture");
  });
}

// ---- jobs --------------------------------------------------------------------------------

void MusicVideoDock::job_changed(const JobInfo& job) {
  const UiStallScope timed(ui_stall_meter(), "dock.job_changed");
  chat_job_changed(job);
  const bool running = job.state == JobState::Running || job.state == JobState::Queued;
  if (running) {
    if (job.request.kind != mv::JobKind::Edit || job.id == current_job_) current_job_ = job.id;
    // Stage, time left (elapsed × remaining / done, once 3 % is done) and the backend's latest words.
    const auto now = std::chrono::steady_clock::now();
    const auto started = started_.emplace(job.id, now).first->second;
    QString detail = tr_text((std::string("Stage.") + job.stage).c_str());
    if (job.state == JobState::Running && job.progress > 0.03 && job.progress < 1.0) {
      const double elapsed = std::chrono::duration<double>(now - started).count();
      detail += " \u00b7 " + tr_text("Dock.TimeLeft").arg(clock_text(elapsed * (1.0 - job.progress) / job.progress));
    }
    if (!job.message.empty()) detail += "\n" + QString::fromUtf8(job.message.c_str());
    if (job.id == current_job_) {
      running_->show_job(job, detail);
      running_->setVisible(true);
    }
  } else {
    if (job.id == current_job_) running_->setVisible(false);
    auto it = cards_.find(job.id);
    if (it == cards_.end()) {
      FinishedCard::Actions actions;
      const std::string id = job.id;
      actions.add_to_scene = [this, id] {
        const UiStallScope scope(ui_stall_meter(), "dock.add_to_scene");
        if (auto j = jobs_.get(id); j && j->state == JobState::Done) import_(*j);
      };
      actions.show_in_folder = [this, id] {
        const UiStallScope scope(ui_stall_meter(), "dock.show_in_folder");
        if (auto j = jobs_.get(id); j && !j->output.empty()) {
          const auto dir = std::filesystem::path(j->output).parent_path().string();
          QDesktopServices::openUrl(QUrl::fromLocalFile(QString::fromUtf8(dir.c_str())));
        }
      };
      actions.retry = [this, id] {
        const UiStallScope scope(ui_stall_meter(), "dock.retry");
        const std::string again = jobs_.retry(id);
        if (!again.empty()) current_job_ = again;
        update_primary();
      };
      auto* card = new FinishedCard(std::move(actions), this);
      card->setObjectName(QString::fromStdString("card." + job.id));
      finished_->insertWidget(0, card);
      it = cards_.emplace(job.id, card).first;
      if (job.state == JobState::Done && !job.output.empty()) request_card_picture(job.id, job.output);
      while (cards_.size() > kCardsKept) {  // the oldest card goes
        QLayoutItem* last = finished_->itemAt(finished_->count() - 1);
        auto* oldest = last != nullptr ? static_cast<FinishedCard*>(last->widget()) : nullptr;
        if (oldest == nullptr) break;
        for (auto c = cards_.begin(); c != cards_.end(); ++c) {
          if (c->second == oldest) {
            cards_.erase(c);
            break;
          }
        }
        finished_->removeWidget(oldest);
        oldest->deleteLater();
      }
    }
    it->second->show_job(job);
  }
  if (job.id == current_job_) update_primary();
}

DockLayout MusicVideoDock::layout_snapshot() const {
  DockLayout d;
  d.visible = isVisible();
  d.width = width();
  d.minimum_width = minimumSizeHint().width();
  d.language = obs_get_locale();
  d.source_label = input_label_.toStdString();
  d.source_detail = source_detail_->text().toStdString();
  d.source_drawn = source_drawn_;
  d.looks = looks_->count();
  for (const auto& [id, card] : cards_) {
    d.cards += card->has_video() ? 1 : 0;
    d.cards_drawn += card->has_video() && card->drawn() ? 1 : 0;
  }
  for (int i = 0; i < looks_->count(); ++i) {
    if (!looks_->item(i)->data(kDrawnRole).toBool()) continue;
    ++d.looks_drawn;
    d.looks_at_s.push_back(looks_->item(i)->data(kAtRole).toDouble());
  }
  const auto* scroll = qobject_cast<const QScrollArea*>(parentWidget() != nullptr ? parentWidget()->parentWidget() : nullptr);
  d.scrolls_sideways = scroll != nullptr && scroll->horizontalScrollBar()->isVisible();
  for (const QWidget* w = parentWidget(); w != nullptr; w = w->parentWidget()) {
    if (const auto* dock = qobject_cast<const QDockWidget*>(w)) {
      d.floating = dock->isFloating();
      const auto* main = qobject_cast<const QMainWindow*>(dock->parentWidget());
      if (d.floating) {
        d.area = "floating";
      } else if (main != nullptr) {
        switch (main->dockWidgetArea(const_cast<QDockWidget*>(dock))) {
          case Qt::LeftDockWidgetArea: d.area = "left"; break;
          case Qt::RightDockWidgetArea: d.area = "right"; break;
          case Qt::TopDockWidgetArea: d.area = "top"; break;
          case Qt::BottomDockWidgetArea: d.area = "bottom"; break;
          default: d.area.clear();
        }
      }
      break;
    }
  }
  const auto place = [&](const std::string& name, const QWidget* w) {
    if (w == nullptr || !w->isVisible()) return;
    const QPoint at = w->mapToGlobal(QPoint(0, 0));
    d.controls[name] = {at.x(), at.y(), w->width(), w->height()};
  };
  place("source", source_card_);
  place("source.change", source_change_);
  for (QAbstractButton* b : kinds_->buttons()) place(b->objectName().toStdString(), b);
  for (int i = 0; i < looks_->count(); ++i) {
    const QRect r = looks_->visualItemRect(looks_->item(i));
    const QPoint at = looks_->viewport()->mapToGlobal(r.topLeft());
    const std::string name = looks_->item(i)->data(Qt::UserRole).toString().toStdString();
    d.controls["look." + (name.empty() ? std::string("auto") : name)] = {at.x(), at.y(), r.width(), r.height()};
  }
  place("primary", primary_);
  place("save_live", save_live_);
  place("save_live_tall", save_live_tall_);
  place("more", more_toggle_);
  place("cancel", running_->cancel_button());
  for (QObject* child : children()) {  // which part sets the narrowest width
    if (auto* w = qobject_cast<QWidget*>(child); w != nullptr && !w->objectName().isEmpty()) {
      d.minimum_widths[w->objectName().toStdString()] = w->minimumSizeHint().width();
    }
  }
  int row = 0;
  for (QAbstractButton* b : kinds_->buttons()) row += b->minimumSizeHint().width();
  d.minimum_widths["kinds"] = row;
  return d;
}

void MusicVideoDock::build_save_live(QVBoxLayout* layout) {
  // "Save as video" for a Music Video Look source (the one showing): shown while there is one
  // (checked every 2 s: adding a source sends the frontend no event). Beside it, "9:16": the
  // same minutes with the same look drawn for a phone (a Short, a TikTok), not a crop.
  save_live_ = new QPushButton(tr_text("Dock.SaveLiveLook"), this);
  save_live_->setObjectName("save_live");
  save_live_->setToolTip(tr_text("Dock.SaveLiveLookTip"));
  save_live_tall_ = new QPushButton(QString::fromUtf8(mv::aspect_id(mv::Aspect::Tall)), this);
  save_live_tall_->setObjectName("save_live_tall");
  save_live_tall_->setToolTip(tr_text("Dock.SaveLiveLookTallTip"));
  save_live_tall_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  auto* row = new QHBoxLayout();
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(save_live_, 1);
  row->addWidget(save_live_tall_);
  layout->addLayout(row);
  const auto save = [this](const std::string& aspect) {
    const std::string name = live_look_to_save();
    if (name.empty()) return;
    try {
      save_live_look(name, kSaveAllKeptS, aspect);
      status_->setText(tr_text("Dock.SavingLiveLook") + " " + QString::fromUtf8(name.c_str()) +
                       (aspect.empty() ? QString() : QStringLiteral(" (") + QString::fromStdString(aspect) + ")"));
    } catch (const std::exception& e) {
      status_->setText(QString::fromUtf8(e.what()));
    }
  };
  connect(save_live_, &QPushButton::clicked, this, [save] {
    const UiStallScope timed(ui_stall_meter(), "dock.save_live_look");
    save("");
  });
  connect(save_live_tall_, &QPushButton::clicked, this, [save] {
    const UiStallScope timed(ui_stall_meter(), "dock.save_live_look_tall");
    save(mv::aspect_id(mv::Aspect::Tall));
  });
  const auto show = [this] {
    const bool any = !live_look_to_save().empty();
    save_live_->setVisible(any);
    save_live_tall_->setVisible(any);
  };
  save_live_->setVisible(false);
  save_live_tall_->setVisible(false);
  auto* timer = new QTimer(this);
  connect(timer, &QTimer::timeout, this, [show] {
    const UiStallScope timed(ui_stall_meter(), "dock.find_live_look");
    show();
  });
  timer->start(2000);
}

}  // namespace mvplugin
