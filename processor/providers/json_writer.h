// JsonWriter: builds the JSON bodies of provider requests. Wraps the project's validating RapidJSON writer and
// remembers whether any write failed (a string that is not valid UTF-8, a non-finite number), so builders write
// straight through and check once at the end.
// Thread-safety: none; one writer per body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace aw::processor::providers {

class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void start_object() { ok_ = writer_.StartObject() && ok_; }
  void end_object() { ok_ = writer_.EndObject() && ok_; }
  void start_array() { ok_ = writer_.StartArray() && ok_; }
  void end_array() { ok_ = writer_.EndArray() && ok_; }
  void key(std::string_view k) { ok_ = writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())) && ok_; }
  void string(std::string_view s) { ok_ = writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())) && ok_; }
  void number(double d) { ok_ = writer_.Double(d) && ok_; }
  void integer(std::int64_t i) { ok_ = writer_.Int64(i) && ok_; }
  void boolean(bool b) { ok_ = writer_.Bool(b) && ok_; }

  // The document, or an error naming `provider` when a write failed.
  Result<std::string> finish(std::string_view provider) const {
    if (!ok_ || !writer_.IsComplete()) {
      return Status::invalid_request("Invalid request for " + std::string(provider) +
                                     ": a text is not valid UTF-8 or a number is not finite");
    }
    return std::string(buffer_.GetString(), buffer_.GetSize());
  }

 private:
  rapidjson::StringBuffer buffer_;
  json::Writer writer_;
  bool ok_ = true;
};

}  // namespace aw::processor::providers
