// websocket-settings.cpp — obs-websocket requests about the plugin itself:
// GetSettings and SetSettings (the settings file's fields; the token is never
// answered) and GetDiagnostics (how long plugin code held OBS's UI thread and
// the websocket thread) and GetDockLayout (where the dock and its controls are:
// the layout the dock last published, read without waiting for the UI thread).
#include "dock-cards.hpp"
#include "plugin-context.hpp"
#include "ui-stall-meter.hpp"

namespace mvplugin {

namespace {

using json = nlohmann::json;

json get_settings(const json&) { return plugin()->settings->get().to_json(false); }

/// Applies the keys given; the file is written by the settings' saver thread.
json set_settings(const json& request) {
  PluginContext* p = plugin();
  p->settings->change([&](PluginSettings& s) { s.apply_json(request); });
  const PluginSettings now = p->settings->get();
  p->jobs->set_cloud(now.api_url, now.token);
  return now.to_json(false);
}

/// {"reset": true} starts the figures over. UI fields: uiCalls, uiTotalMs,
/// uiMaxMs, uiMaxWhere, uiOverBudget, uiOverBudgetUnpreempted, uiCpuMaxMs, loopMaxGapMs, uiSlow;
/// websocket fields: wsCalls, wsMaxMs, wsMaxWhere, wsOverBudget, wsOverBudgetUnpreempted, wsCpuMaxMs.
json get_diagnostics(const json& request) {
  if (request.value("reset", false)) {
    ui_stall_meter().reset();
    websocket_meter().reset();
  }
  json out = ui_stall_meter().snapshot().to_json();
  const auto ws = websocket_meter().snapshot();
  out["wsCalls"] = ws.calls;
  out["wsMaxMs"] = ws.max_ms;
  out["wsMaxWhere"] = ws.max_where;
  out["wsOverBudget"] = ws.over_budget;
  out["wsCpuMaxMs"] = ws.cpu_max_ms;
  out["wsOverBudgetUnpreempted"] = ws.over_budget_unpreempted;
  return out;
}

/// Where the dock is (area, floating, visible), its width and the narrowest its
/// layout can be, whether it scrolls sideways, OBS's language, and each control's
/// place on the screen ("primary", "kind.short", "look.halo", …).
json get_dock_layout(const json&) { return published_dock_layout().to_json(); }

}  // namespace

const std::vector<VendorRequest>& settings_requests() {
  static const std::vector<VendorRequest> kRequests = {
      {"GetSettings", get_settings}, {"SetSettings", set_settings}, {"GetDiagnostics", get_diagnostics},
      {"GetDockLayout", get_dock_layout}};
  return kRequests;
}

}  // namespace mvplugin
