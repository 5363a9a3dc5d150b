// uuid.hpp — random identifiers for jobs, client ids and render ids.
#pragma once

#include <string>

namespace mv {

/// A random UUID version 4 (RFC 9562 §5.4), lower-case, 36 characters,
/// e.g. "3f0e1c52-9a4b-4d6e-8f10-2b7c9d1e4a55". Uses std::random_device.
std::string make_uuid_v4();

}  // namespace mv
