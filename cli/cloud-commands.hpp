// cloud-commands.hpp — mvgen's cloud commands: `generate --backend cloud`,
// `cloud credits|status|chat|export`, `jobs list|resume`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mv {
class CancelToken;
}

namespace mvcli {

/// The parsed command line as main.cpp holds it.
struct CloudArgs {
  std::vector<std::string> positional;  ///< after the sub-command words
  std::optional<std::string> output, prompt, api_url;
  bool force = false, json = false, batch = false;
};

/// `mvgen generate --backend cloud INPUT... [--batch] --prompt TEXT -o OUT`.
int cloud_generate_command(const CloudArgs& args, const mv::CancelToken& cancel);
/// `mvgen cloud <credits|status|chat|export> ...`.
int cloud_command(const std::string& verb, const CloudArgs& args, const mv::CancelToken& cancel);
/// `mvgen jobs <list|resume> [ID]`.
int jobs_command(const std::string& verb, const CloudArgs& args, const mv::CancelToken& cancel);

}  // namespace mvcli
