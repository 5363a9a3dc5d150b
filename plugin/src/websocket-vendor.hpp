// websocket-vendor.hpp — the plugin's obs-websocket vendor ("obs-music-video"):
// requests Generate, GetJob, ListJobs, CancelJob and events JobProgress,
// JobCompleted, so Stream Deck and scripts can drive it.
//
// obs-websocket (5.x, bundled with OBS 28+) exposes its vendor API through a
// proc handler it publishes on libobs' global proc handler as
// "obs_websocket_api_get_ph"; vendors are registered with "vendor_register",
// requests with "vendor_request_register" and events sent with
// "vendor_event_emit" (obs-websocket's src/WebSocketApi.cpp). Register in
// obs_module_post_load (obs-websocket must be loaded first) and unregister
// on OBS_FRONTEND_EVENT_EXIT, never in obs_module_unload.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace mvplugin {

class WebsocketVendor {
 public:
  /// A request handler: requestData in, responseData out. Runs on
  /// obs-websocket's thread: must not touch Qt widgets or call obs_frontend_*,
  /// and must answer at once (no disk, network or join: hand such work to a
  /// worker). Throwing std::exception answers vendor_error_answer() ({"ok":
  /// false, "error", "errorId"}). Every call is timed by websocket_meter().
  using Handler = std::function<nlohmann::json(const nlohmann::json& request)>;

  /// Registers the vendor `name`; false when obs-websocket is not loaded.
  bool register_vendor(const std::string& name);
  /// Adds a request type (after register_vendor).
  bool add_request(const std::string& type, Handler handler);
  /// Sends a vendor event to subscribed clients (any thread).
  void emit(const std::string& type, const nlohmann::json& data);
  /// Unregisters every request. Safe to call twice.
  void unregister_all();
  [[nodiscard]] bool registered() const { return vendor_ != nullptr; }

 private:
  void* api_ = nullptr;     // obs-websocket's proc_handler_t*
  void* vendor_ = nullptr;  // its vendor handle
  struct Registered {
    std::string type;
    Handler handler;
    std::pair<const std::string*, const Handler*> priv;  // what obs-websocket hands back to on_request
  };
  std::map<std::string, std::unique_ptr<Registered>> handlers_;
};

}  // namespace mvplugin
