// settings-dialog.hpp — the plugin's settings dialog (Tools menu and the
// dock's Settings button): backend URL, token (masked), output folder,
// default style and aspect, auto-import, looping, render threads, generate on
// recording stop. UI thread only.
#pragma once

#include <QDialog>

#include "plugin-settings.hpp"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace mvplugin {

/// Fills a look chooser: "automatic" first, then every look of
/// mv::style_names(), labelled by its locale text ("Style.<name>", bundled
/// looks) or else its name (a user's look), with its description as tooltip.
void fill_look_choices(QComboBox* box);

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  SettingsDialog(const PluginSettings& settings, QWidget* parent = nullptr);
  /// The settings as edited (call after exec() returned Accepted).
  [[nodiscard]] PluginSettings result() const;

 private:
  PluginSettings base_;
  QComboBox* backend_ = nullptr;
  QLineEdit* api_url_ = nullptr;
  QLineEdit* token_ = nullptr;
  QLineEdit* output_dir_ = nullptr;
  QLineEdit* music_dir_ = nullptr;  // background music: the user's music folder
  QComboBox* style_ = nullptr;
  QComboBox* aspect_ = nullptr;
  QCheckBox* auto_import_ = nullptr;
  QCheckBox* looping_ = nullptr;
  QCheckBox* on_stop_ = nullptr;
  QSpinBox* threads_ = nullptr;
  QComboBox* priority_ = nullptr;
  QComboBox* encoder_ = nullptr;
};

}  // namespace mvplugin
