// settings-dialog.cpp — see settings-dialog.hpp.
#include "settings-dialog.hpp"

#include "mv/jobs/job-spec.hpp"
#include "mv/render/look.hpp"

#include <obs-module.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mvplugin {

namespace {

QString tr_text(const char* key) { return QString::fromUtf8(obs_module_text(key)); }

}  // namespace

void fill_look_choices(QComboBox* box) {
  box->addItem(tr_text("Dock.StyleAuto"), "");
  const auto& library = mv::look_library();
  for (const auto& name : mv::style_names()) {
    const std::string key = "Style." + name;
    const char* text = nullptr;
    const QString label = obs_module_get_string(key.c_str(), &text) ? QString::fromUtf8(text) : QString::fromStdString(name);
    box->addItem(label, QString::fromStdString(name));
    if (library.contains(name)) {
      box->setItemData(box->count() - 1, QString::fromStdString(library.find(name).description), Qt::ToolTipRole);
    }
  }
}

SettingsDialog::SettingsDialog(const PluginSettings& settings, QWidget* parent) : QDialog(parent), base_(settings) {
  setWindowTitle(tr_text("Settings.Title"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  backend_ = new QComboBox(this);
  for (auto b : {mv::Backend::Local, mv::Backend::Cloud}) {
    backend_->addItem(tr_text(b == mv::Backend::Local ? "Dock.BackendLocal" : "Dock.BackendCloud"), mv::backend_id(b));
  }
  backend_->setCurrentIndex(std::max(0, backend_->findData(QString::fromStdString(settings.backend))));
  form->addRow(tr_text("Dock.Backend"), backend_);
  api_url_ = new QLineEdit(QString::fromStdString(settings.api_url), this);
  api_url_->setPlaceholderText("https://mega-api-prod.nemovideo.ai");
  form->addRow(tr_text("Settings.ApiUrl"), api_url_);
  token_ = new QLineEdit(this);
  token_->setEchoMode(QLineEdit::Password);  // the token is never shown
  token_->setPlaceholderText(settings.token.empty() ? tr_text("Settings.TokenAnonymous") : tr_text("Settings.TokenKept"));
  form->addRow(tr_text("Settings.Token"), token_);
  output_dir_ = new QLineEdit(QString::fromStdString(settings.output_dir), this);
  auto* browse = new QPushButton(tr_text("Dock.Browse"), this);
  auto* out_row = new QHBoxLayout();
  out_row->addWidget(output_dir_, 1);
  out_row->addWidget(browse);
  form->addRow(tr_text("Settings.OutputFolder"), out_row);
  music_dir_ = new QLineEdit(QString::fromStdString(settings.music_dir), this);
  music_dir_->setPlaceholderText(tr_text("Settings.MusicFolderNone"));
  auto* browse_music = new QPushButton(tr_text("Dock.Browse"), this);
  auto* music_row = new QHBoxLayout();
  music_row->addWidget(music_dir_, 1);
  music_row->addWidget(browse_music);
  form->addRow(tr_text("Settings.MusicFolder"), music_row);
  style_ = new QComboBox(this);
  fill_look_choices(style_);
  style_->setCurrentIndex(std::max(0, style_->findData(QString::fromStdString(settings.default_style))));
  form->addRow(tr_text("Dock.Style"), style_);
  aspect_ = new QComboBox(this);
  aspect_->addItem(tr_text("Dock.AspectAuto"), QString("auto"));  // the input's own shape
  for (const auto& a : mv::aspects()) aspect_->addItem(a.id, a.id);
  aspect_->setCurrentIndex(std::max(0, aspect_->findData(QString::fromStdString(settings.default_aspect))));
  form->addRow(tr_text("Dock.Aspect"), aspect_);
  threads_ = new QSpinBox(this);
  threads_->setRange(1, 8);
  threads_->setValue(settings.render_threads);
  form->addRow(tr_text("Settings.Threads"), threads_);
  priority_ = new QComboBox(this);
  for (auto p : {mv::RenderPriority::Idle, mv::RenderPriority::Low, mv::RenderPriority::Normal}) {
    priority_->addItem(tr_text((std::string("Settings.Priority.") + mv::priority_id(p)).c_str()), mv::priority_id(p));
  }
  priority_->setCurrentIndex(std::max(0, priority_->findData(QString::fromStdString(settings.render_priority))));
  form->addRow(tr_text("Settings.Priority"), priority_);
  encoder_ = new QComboBox(this);
  for (const auto& e : mv::video_encoder_names()) encoder_->addItem(tr_text(("Settings.Encoder." + e).c_str()), QString::fromStdString(e));
  encoder_->setCurrentIndex(std::max(0, encoder_->findData(QString::fromStdString(settings.encoder))));
  form->addRow(tr_text("Settings.Encoder"), encoder_);
  layout->addLayout(form);
  auto_import_ = new QCheckBox(tr_text("Settings.AutoImport"), this);
  auto_import_->setChecked(settings.auto_import);
  looping_ = new QCheckBox(tr_text("Settings.Looping"), this);
  looping_->setChecked(settings.looping);
  on_stop_ = new QCheckBox(tr_text("Dock.AutoGenerate"), this);
  on_stop_->setChecked(settings.generate_on_record_stop);
  layout->addWidget(auto_import_);
  layout->addWidget(looping_);
  layout->addWidget(on_stop_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr_text("Settings.OutputFolder"), output_dir_->text());
    if (!dir.isEmpty()) output_dir_->setText(dir);
  });
  connect(browse_music, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr_text("Settings.MusicFolder"), music_dir_->text());
    if (!dir.isEmpty()) music_dir_->setText(dir);
  });
}

PluginSettings SettingsDialog::result() const {
  PluginSettings s = base_;
  s.backend = backend_->currentData().toString().toStdString();
  s.api_url = api_url_->text().trimmed().toStdString();
  if (!token_->text().isEmpty()) s.token = token_->text().trimmed().toStdString();  // empty field keeps the old token
  s.output_dir = output_dir_->text().trimmed().toStdString();
  s.music_dir = music_dir_->text().trimmed().toStdString();
  s.default_style = style_->currentData().toString().toStdString();
  s.default_aspect = aspect_->currentData().toString().toStdString();
  s.encoder = encoder_->currentData().toString().toStdString();
  s.render_threads = threads_->value();
  s.render_priority = priority_->currentData().toString().toStdString();
  s.auto_import = auto_import_->isChecked();
  s.looping = looping_->isChecked();
  s.generate_on_record_stop = on_stop_->isChecked();
  return s;
}

}  // namespace mvplugin
