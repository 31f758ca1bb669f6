// Status and Result<T>: expected failures as values (after leveldb's Status).
// A Status is ok, or carries a machine code (the protocol's error codes, ws-protocol.md §9) and a human message.
// Thread-safety: plain values; copy freely.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace aw {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string code, std::string message) { return Status(std::move(code), std::move(message)); }
  static Status invalid_request(std::string message) { return error("invalid_request", std::move(message)); }
  static Status internal(std::string message) { return error("internal", std::move(message)); }

  bool is_ok() const { return code_.empty(); }
  explicit operator bool() const { return is_ok(); }
  // The protocol error code ("" when ok).
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(std::string code, std::string message) : code_(std::move(code)), message_(std::move(message)) {}
  std::string code_;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor): reads as `return value;`
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  // Requires: is_ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace aw
