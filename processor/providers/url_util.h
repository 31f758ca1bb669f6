// URL pieces the provider builders need: percent-encoding of values put into paths and queries.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <string_view>

namespace aw::processor::providers {

// Percent-encodes every byte except the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so a model or
// deployment name cannot add path segments or query parameters.
std::string percent_encode(std::string_view text);

}  // namespace aw::processor::providers
