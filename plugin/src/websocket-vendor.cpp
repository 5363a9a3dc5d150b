// websocket-vendor.cpp — see websocket-vendor.hpp.
#include "websocket-vendor.hpp"

#include "job-manager.hpp"
#include "ui-stall-meter.hpp"

#include <callback/calldata.h>
#include <callback/proc.h>
#include <obs.h>

#include <exception>

namespace mvplugin {

namespace {

/// The request callback shape obs-websocket stores and calls (by value).
struct RequestCallback {
  void (*callback)(obs_data_t* request, obs_data_t* response, void* priv);
  void* priv;
};

/// What obs-websocket calls: parses requestData, runs the handler (timed), answers.
void on_request(obs_data_t* request, obs_data_t* response, void* priv) {
  auto* registered = static_cast<std::pair<const std::string*, const WebsocketVendor::Handler*>*>(priv);
  const UiStallScope timed(websocket_meter(), registered->first->c_str());
  nlohmann::json in = nlohmann::json::object();
  if (request != nullptr) {
    const char* text = obs_data_get_json(request);
    if (text != nullptr) {
      in = nlohmann::json::parse(text, nullptr, false);
      if (in.is_discarded()) in = nlohmann::json::object();
    }
  }
  nlohmann::json out;
  try {
    out = (*registered->second)(in);
    if (!out.is_object()) out = {{"result", out}};
    out["ok"] = true;
  } catch (const std::exception& e) {
    out = vendor_error_answer(e);
  }
  obs_data_t* data = obs_data_create_from_json(out.dump().c_str());
  if (data != nullptr) {
    obs_data_apply(response, data);
    obs_data_release(data);
  }
}

}  // namespace

bool WebsocketVendor::register_vendor(const std::string& name) {
  proc_handler_t* global = obs_get_proc_handler();
  calldata_t cd;
  calldata_init(&cd);
  if (!proc_handler_call(global, "obs_websocket_api_get_ph", &cd)) {
    calldata_free(&cd);
    return false;
  }
  api_ = calldata_ptr(&cd, "ph");
  calldata_free(&cd);
  if (api_ == nullptr) return false;
  calldata_init(&cd);
  calldata_set_string(&cd, "name", name.c_str());
  proc_handler_call(static_cast<proc_handler_t*>(api_), "vendor_register", &cd);
  vendor_ = calldata_ptr(&cd, "vendor");
  calldata_free(&cd);
  return vendor_ != nullptr;
}

bool WebsocketVendor::add_request(const std::string& type, Handler handler) {
  if (vendor_ == nullptr) return false;
  auto& slot = handlers_[type];
  slot = std::make_unique<Registered>(Registered{type, std::move(handler), {}});
  slot->priv = {&slot->type, &slot->handler};
  RequestCallback cb{on_request, &slot->priv};
  calldata_t cd;
  calldata_init(&cd);
  calldata_set_ptr(&cd, "vendor", vendor_);
  calldata_set_string(&cd, "type", type.c_str());
  calldata_set_ptr(&cd, "callback", &cb);
  proc_handler_call(static_cast<proc_handler_t*>(api_), "vendor_request_register", &cd);
  const bool ok = calldata_bool(&cd, "success");
  calldata_free(&cd);
  return ok;
}

void WebsocketVendor::emit(const std::string& type, const nlohmann::json& data) {
  if (vendor_ == nullptr) return;
  obs_data_t* payload = obs_data_create_from_json(data.dump().c_str());
  calldata_t cd;
  calldata_init(&cd);
  calldata_set_ptr(&cd, "vendor", vendor_);
  calldata_set_string(&cd, "type", type.c_str());
  calldata_set_ptr(&cd, "data", payload);
  proc_handler_call(static_cast<proc_handler_t*>(api_), "vendor_event_emit", &cd);
  calldata_free(&cd);
  obs_data_release(payload);
}

void WebsocketVendor::unregister_all() {
  if (vendor_ == nullptr) return;
  for (const auto& [type, handler] : handlers_) {
    calldata_t cd;
    calldata_init(&cd);
    calldata_set_ptr(&cd, "vendor", vendor_);
    calldata_set_string(&cd, "type", type.c_str());
    proc_handler_call(static_cast<proc_handler_t*>(api_), "vendor_request_unregister", &cd);
    calldata_free(&cd);
  }
  vendor_ = nullptr;
}

}  // namespace mvplugin
