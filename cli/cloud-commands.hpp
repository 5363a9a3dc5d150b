// cloud-commands.hpp — mvgen's cloud commands besides generating:
// `cloud credits|status|chat|export` and `jobs list|resume`. Settings come
// from cloud-config.hpp; the token is never printed.
#pragma once

#include <string>

#include "args.hpp"

namespace mv {
class CancelToken;
}

namespace mvcli {

/// `mvgen cloud <credits|status|chat|export> ...`. Returns the exit code.
int cloud_command(const std::string& verb, const Args& args, const mv::CancelToken& cancel);
/// `mvgen jobs <list|resume> [ID]`: resume runs each unfinished cloud job as a
/// JobSpec with resume_cloud_job; its exit code follows mv::batch_exit_code.
int jobs_command(const std::string& verb, const Args& args, const mv::CancelToken& cancel);

}  // namespace mvcli
