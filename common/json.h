// JSON helpers over RapidJSON, configured once for the whole project.
// Include RapidJSON only through this header: the flags below must be identical in every translation unit (ODR),
// and RAPIDJSON_ASSERT must throw so that a wrong-type access on untrusted data is an exception, not UB.
// Thread-safety: free functions; a Document belongs to the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#ifndef RAPIDJSON_HAS_STDSTRING
#define RAPIDJSON_HAS_STDSTRING 1
#endif
#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x)                                    \
  do {                                                         \
    if (!(x)) throw std::logic_error("rapidjson assert: " #x); \
  } while (0)
#endif
#ifndef RAPIDJSON_NOMEMBERITERATORCLASS
#define RAPIDJSON_NOMEMBERITERATORCLASS
#endif

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/status.h"

namespace aw::json {

using Document = rapidjson::Document;
using Value = rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator,
                                 rapidjson::kWriteValidateEncodingFlag>;

// Default nesting limit for untrusted input (objects and arrays).
inline constexpr int kDefaultMaxDepth = 64;

// Parses untrusted text: iterative parser (no stack overflow), UTF-8 validated, nesting limited to max_depth,
// trailing garbage refused. Fails with code "bad_json" and a short reason.
Result<Document> parse_untrusted(std::string_view text, int max_depth = kDefaultMaxDepth);

// Parses text this process wrote itself (stored payloads); same safety, larger depth limit.
Result<Document> parse_trusted(std::string_view text);

// Serialises a value. Returns nullopt when the value holds invalid UTF-8 (e.g. a lone surrogate) or NaN.
std::optional<std::string> to_string(const Value& value);

// Field readers: nullopt when absent or of another type.
const Value* find(const Value& object, std::string_view key);
std::optional<std::string> get_string(const Value& object, std::string_view key);
std::optional<std::int64_t> get_int(const Value& object, std::string_view key);
std::optional<double> get_number(const Value& object, std::string_view key);
std::optional<bool> get_bool(const Value& object, std::string_view key);

// Writes s as a JSON string literal (with quotes) to out; invalid UTF-8 bytes become U+FFFD.
void append_quoted(std::string& out, std::string_view s);

// True when s is valid UTF-8.
bool is_valid_utf8(std::string_view s);

}  // namespace aw::json
