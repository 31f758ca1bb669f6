// CURVE key parsing (see curve_keys.h).
#include "common/bus/curve_keys.h"

#include <algorithm>

#include "common/env.h"

namespace aw::bus {
namespace {

// ZeroMQ RFC 32 (Z85).
constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

Status config_error(std::string message) { return Status::error("invalid_config", std::move(message)); }

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<CurveKeyBytes> z85_decode_key(std::string_view text) {
  if (text.size() != kCurveKeyChars) return std::nullopt;
  CurveKeyBytes out{};
  for (std::size_t group = 0; group < kCurveKeyChars / 5; ++group) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 5; ++i) {
      const auto digit = kZ85Alphabet.find(text[group * 5 + i]);
      if (digit == std::string_view::npos) return std::nullopt;
      value = value * 85 + digit;
    }
    if (value > 0xFFFFFFFFull) return std::nullopt;  // 85^5 exceeds 2^32: not every 5 characters are 4 bytes
    for (std::size_t i = 0; i < 4; ++i) out[group * 4 + i] = static_cast<std::uint8_t>(value >> (8 * (3 - i)));
  }
  return out;
}

std::string z85_encode_key(const std::uint8_t* key, std::size_t size) {
  std::string out;
  out.reserve(size / 4 * 5);
  for (std::size_t group = 0; group + 4 <= size; group += 4) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | key[group + i];
    char chars[5];
    for (int i = 4; i >= 0; --i) {
      chars[i] = kZ85Alphabet[value % 85];
      value /= 85;
    }
    out.append(chars, 5);
  }
  return out;
}

Status check_curve_key(std::string_view variable, std::string_view value, bool is_secret) {
  if (z85_decode_key(value)) return Status::ok();
  std::string message = std::string(variable) + " must be a 40-character Z85 CURVE key (awctl keygen makes one)";
  if (is_secret) {
    message += "; the value given has " + std::to_string(value.size()) + " characters";
  } else {
    message += ", got '" + std::string(value) + "'";
  }
  return config_error(std::move(message));
}

Result<std::vector<std::string>> parse_curve_key_list(std::string_view variable, std::string_view value) {
  std::vector<std::string> keys;
  std::size_t position = 0;
  while (true) {
    const auto comma = value.find(',');
    const std::string_view entry = trim(value.substr(0, comma));
    ++position;
    if (!entry.empty()) {
      if (!z85_decode_key(entry)) {
        return config_error(std::string(variable) + ": entry " + std::to_string(position) + " ('" + std::string(entry) +
                            "') is not a 40-character Z85 CURVE public key");
      }
      if (std::find(keys.begin(), keys.end(), entry) == keys.end()) keys.emplace_back(entry);
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return keys;
}

Result<std::optional<CurveClientKeys>> curve_client_keys(const std::optional<std::string>& secret_key,
                                                         const std::optional<std::string>& server_key) {
  if (!secret_key && !server_key) return std::optional<CurveClientKeys>();
  if (!secret_key) {
    return config_error(
        "AW_BUS_CURVE_SERVER_KEY is set but AW_BUS_CURVE_SECRET_KEY is not: CURVE needs this process's own secret key "
        "too");
  }
  if (!server_key) {
    return config_error(
        "AW_BUS_CURVE_SECRET_KEY is set but AW_BUS_CURVE_SERVER_KEY is not: CURVE needs the gateway's public key");
  }
  if (Status s = check_curve_key("AW_BUS_CURVE_SECRET_KEY", *secret_key, true); !s) return s;
  if (Status s = check_curve_key("AW_BUS_CURVE_SERVER_KEY", *server_key, false); !s) return s;
  return std::optional<CurveClientKeys>(CurveClientKeys{*secret_key, *server_key});
}

Result<std::optional<CurveClientKeys>> curve_client_keys_from_env() {
  return curve_client_keys(env_string("AW_BUS_CURVE_SECRET_KEY"), env_string("AW_BUS_CURVE_SERVER_KEY"));
}

}  // namespace aw::bus
