// FieldReader: typed reads of one JSON object's members for the bus decoder, recording the first failure as
// "<path>.<field> must be ..." so that a rejected body is logged with the field at fault.
// Internal to the codec (common/bus/*.cpp).
// Thread-safety: a reader belongs to its caller; it borrows the object and the error string.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"

namespace aw::bus {

class FieldReader {
 public:
  // `error` collects the first failure of this reader and of readers nested from it. Requires: object.IsObject().
  FieldReader(const json::Value& object, std::string path, std::string& error)
      : object_(object), path_(std::move(path)), error_(error) {}

  // A string; `non_empty` refuses "".
  std::string str(std::string_view key, bool non_empty = true);
  // An integer (a JSON number without fraction that fits in int64) in [min, max].
  std::int64_t integer(std::string_view key, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t max = std::numeric_limits<std::int64_t>::max());
  // Absent or null: nullopt. Another type: an error.
  std::optional<std::string> optional_str(std::string_view key);
  std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min);
  std::optional<double> optional_number(std::string_view key);
  // A member that must be an array or an object; nullptr (with the error recorded) otherwise.
  const json::Value* array(std::string_view key);
  const json::Value* object(std::string_view key);

  // The path of a member, for nested readers: "work.agents[2]".
  std::string path_of(std::string_view key) const { return path_ + "." + std::string(key); }
  void fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }
  bool ok() const { return error_.empty(); }

 private:
  const json::Value* member(std::string_view key) const;
  const json::Value& object_;
  std::string path_;
  std::string& error_;
};

}  // namespace aw::bus
