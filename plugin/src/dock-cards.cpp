// dock-cards.cpp — see dock-cards.hpp.
#include "dock-cards.hpp"

#include <obs-module.h>

#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QVariant>

#include <algorithm>
#include <filesystem>
#include <mutex>

namespace mvplugin {

namespace {

constexpr int kPictureW = 112, kPictureH = 63;  // a card's picture, 16:9

QPixmap scaled(const std::vector<std::uint8_t>& rgb, int w, int h, int width, int height) {
  if (rgb.empty() || w <= 0 || h <= 0) return {};
  const QImage image(rgb.data(), w, h, w * 3, QImage::Format_RGB888);
  const QImage fitted = image.scaled(width, height, Qt::KeepAspectRatio, Qt::SmoothTransformation);
  // Always width × height: a 9:16 picture sits centred on the dark ground, so a
  // strip of thumbnails keeps one grid whatever the shape.
  QPixmap out(width, height);
  out.fill(QColor(17, 17, 17));
  QPainter painter(&out);
  painter.drawImage((width - fitted.width()) / 2, (height - fitted.height()) / 2, fitted);
  return out;
}

QLabel* picture_label(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setFixedSize(kPictureW, kPictureH);
  label->setAlignment(Qt::AlignCenter);
  label->setStyleSheet("background: #111; border-radius: 3px;");
  return label;
}

QString file_name(const std::string& path) {
  return QString::fromUtf8(std::filesystem::path(path).filename().string().c_str());
}

}  // namespace

QString tr_text(const char* key) { return QString::fromUtf8(obs_module_text(key)); }

QString clock_text(double seconds) {
  const auto whole = static_cast<long>(seconds < 0 ? 0 : seconds + 0.5);
  return QString("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QChar('0'));
}

QPixmap picture_pixmap(const PreviewPicture& picture, int width, int height) {
  return scaled(picture.rgb, picture.width, picture.height, width, height);
}

QPixmap picture_pixmap(const mv::RgbPicture& picture, int width, int height) {
  return scaled(picture.rgb, picture.width, picture.height, width, height);
}

QPixmap peaks_pixmap(const std::vector<float>& peaks, int width, int height) {
  QPixmap out(width, height);
  out.fill(QColor(17, 17, 17));
  if (peaks.empty()) return out;
  QPainter painter(&out);
  const QColor bar(71, 139, 230);  // the dock's accent blue
  const double step = static_cast<double>(width) / static_cast<double>(peaks.size());
  const double middle = height / 2.0;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    const double half = std::max(0.5, std::clamp(static_cast<double>(peaks[i]), 0.0, 1.0) * (middle - 2.0));
    painter.fillRect(QRectF(static_cast<double>(i) * step, middle - half, std::max(1.0, step - 1.0), 2.0 * half), bar);
  }
  return out;
}

QString job_error_text(const JobInfo& job) {
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

RunningCard::RunningCard(std::function<void()> on_cancel, QWidget* parent) : QFrame(parent) {
  setObjectName("runningCard");
  setProperty("card", QVariant(true));
  setFrameShape(QFrame::StyledPanel);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(6, 6, 6, 6);
  picture_ = picture_label(this);
  row->addWidget(picture_);
  auto* column = new QVBoxLayout();
  title_ = new QLabel(this);
  title_->setWordWrap(true);
  detail_ = new QLabel(this);
  detail_->setWordWrap(true);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->setTextVisible(false);
  progress_->setMaximumHeight(8);
  cancel_ = new QPushButton(tr_text("Dock.Cancel"), this);
  cancel_->setObjectName("cancel");
  column->addWidget(title_);
  column->addWidget(progress_);
  column->addWidget(detail_);
  column->addWidget(cancel_, 0, Qt::AlignRight);
  row->addLayout(column, 1);
  connect(cancel_, &QPushButton::clicked, this, [on_cancel = std::move(on_cancel)] { on_cancel(); });
  setVisible(false);
}

void RunningCard::show_job(const JobInfo& job, const QString& detail) {
  const std::string input = job.request.inputs.empty() ? std::string("\"" + job.request.prompt + "\"") : job.request.inputs.front().string();
  title_->setText(tr_text((std::string("Kind.") + mv::kind_id(job.request.kind)).c_str()) + " \u00b7 " + file_name(input));
  progress_->setValue(static_cast<int>(job.progress * 100.0));
  detail_->setText(detail);
  if (job.frame) picture_->setPixmap(picture_pixmap(*job.frame, kPictureW, kPictureH));
}

FinishedCard::FinishedCard(Actions actions, QWidget* parent) : QFrame(parent) {
  setObjectName("finishedCard");
  setProperty("card", QVariant(true));
  setFrameShape(QFrame::StyledPanel);
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(6, 6, 6, 6);
  auto* row = new QHBoxLayout();
  picture_ = picture_label(this);
  row->addWidget(picture_);
  auto* words = new QVBoxLayout();
  title_ = new QLabel(this);
  title_->setWordWrap(true);
  detail_ = new QLabel(this);
  detail_->setWordWrap(true);
  words->addWidget(title_);
  words->addWidget(detail_);
  words->addStretch(1);
  row->addLayout(words, 1);
  column->addLayout(row);
  auto* buttons = new QHBoxLayout();
  add_ = new QPushButton(tr_text("Dock.AddToScene"), this);
  folder_ = new QPushButton(tr_text("Dock.ShowInFolder"), this);
  retry_ = new QPushButton(tr_text("Dock.Retry"), this);
  for (QPushButton* b : {add_, folder_, retry_}) buttons->addWidget(b);
  column->addLayout(buttons);
  connect(add_, &QPushButton::clicked, this, [f = std::move(actions.add_to_scene)] { f(); });
  connect(folder_, &QPushButton::clicked, this, [f = std::move(actions.show_in_folder)] { f(); });
  connect(retry_, &QPushButton::clicked, this, [f = std::move(actions.retry)] { f(); });
}

void FinishedCard::show_job(const JobInfo& job) {
  const bool done = job.state == JobState::Done;
  has_video_ = done && !job.output.empty();
  title_->setText(done ? file_name(job.output)
                       : (job.request.inputs.empty() ? QString::fromUtf8(job.request.prompt.c_str())
                                                     : file_name(job.request.inputs.front().string())));
  QString detail = tr_text((std::string("State.") + job_state_name(job.state)).c_str());
  if (done) detail = clock_text(job.duration_s);
  if (done && job.highlight_end_s > job.highlight_start_s) {  // a Short: which stretch of the song
    detail += " \u00b7 " + tr_text("Dock.Highlight").arg(job.highlight_start_s, 0, 'f', 1).arg(job.highlight_end_s - job.highlight_start_s, 0, 'f', 1);
  }
  if (!job.error.empty()) detail += " \u2014 " + job_error_text(job);
  detail_->setText(detail);
  setToolTip(QString::fromUtf8(job.error.c_str()));  // the full English detail
  add_->setEnabled(done);
  folder_->setEnabled(done);
  retry_->setEnabled(!done || job.request.kind != mv::JobKind::Edit);
}

void FinishedCard::show_picture(const PreviewPicture& picture) {
  if (picture.rgb.empty()) return;
  picture_->setPixmap(picture_pixmap(picture, kPictureW, kPictureH));
  drawn_ = true;
}

nlohmann::json DockLayout::to_json() const {
  nlohmann::json c = nlohmann::json::object();
  for (const auto& [name, r] : controls) c[name] = {{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
  // A vendor answer goes through obs_data, whose arrays hold only objects.
  nlohmann::json at = nlohmann::json::array();
  for (const double s : looks_at_s) at.push_back({{"s", s}});
  return {{"visible", visible}, {"floating", floating}, {"area", area},       {"width", width},
          {"minimumWidth", minimum_width}, {"scrollsSideways", scrolls_sideways}, {"language", language},
          {"controls", c}, {"minimumWidths", minimum_widths}, {"sourceLabel", source_label}, {"sourceDetail", source_detail},
          {"sourceDrawn", source_drawn}, {"looks", looks}, {"looksDrawn", looks_drawn}, {"looksAt", at},
          {"cards", cards}, {"cardsDrawn", cards_drawn}};
}

namespace {
std::mutex g_layout_mutex;
DockLayout g_layout;
}  // namespace

void publish_dock_layout(const DockLayout& layout) {
  const std::lock_guard lock(g_layout_mutex);
  g_layout = layout;
}

DockLayout published_dock_layout() {
  const std::lock_guard lock(g_layout_mutex);
  return g_layout;
}

}  // namespace mvplugin
