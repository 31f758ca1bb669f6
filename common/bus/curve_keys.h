// CURVE keys as the bus settings carry them (bus-protocol.md §11, §12): 40-character Z85 text for 32-byte keys.
// Parsing and validation only, no libzmq: the gateway, aw-processor and awctl read AW_BUS_CURVE_SECRET_KEY,
// AW_BUS_CURVE_SERVER_KEY, AW_BUS_CURVE_CLIENTS and AW_ADMIN_CURVE_CLIENTS through these functions, so a malformed
// key is the same clear start-up error (exit status 2) everywhere. The ZeroMQ side is common/bus/curve_socket.h.
// Messages name the variable; they quote a public key but never a secret one.
// Thread-safety: pure functions (the *_from_env ones read the environment: start-up only).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace aw::bus {

inline constexpr std::size_t kCurveKeyBytes = 32;
inline constexpr std::size_t kCurveKeyChars = 40;  // Z85: 5 characters per 4 bytes

using CurveKeyBytes = std::array<std::uint8_t, kCurveKeyBytes>;

// The 32 bytes of a 40-character Z85 key; nullopt for another length, a character outside the Z85 alphabet, or a
// 5-character group above 2^32 - 1.
std::optional<CurveKeyBytes> z85_decode_key(std::string_view text);
// The 40-character Z85 text of a 32-byte key (as the ZAP handler receives a client's key).
std::string z85_encode_key(const std::uint8_t* key, std::size_t size = kCurveKeyBytes);

// Ok when `value` is a valid key. Otherwise code "invalid_config": "<variable> must be a 40-character Z85 CURVE key
// (awctl keygen makes one)", plus the value itself when `is_secret` is false.
Status check_curve_key(std::string_view variable, std::string_view value, bool is_secret);

// A comma-separated list of public keys (blanks around entries and empty entries ignored), in order, without
// duplicates. Fails (code "invalid_config") on the first bad entry, naming the variable and the entry's position.
Result<std::vector<std::string>> parse_curve_key_list(std::string_view variable, std::string_view value);

// What a bus client (aw-processor, awctl) needs for CURVE: its own secret key and the gateway's public key.
struct CurveClientKeys {
  std::string secret_key;  // AW_BUS_CURVE_SECRET_KEY
  std::string server_key;  // AW_BUS_CURVE_SERVER_KEY
};

// nullopt when neither key is given (CURVE off). Fails (code "invalid_config") when only one of the two is given
// or either is malformed.
Result<std::optional<CurveClientKeys>> curve_client_keys(const std::optional<std::string>& secret_key,
                                                         const std::optional<std::string>& server_key);
// The same from AW_BUS_CURVE_SECRET_KEY and AW_BUS_CURVE_SERVER_KEY (empty = unset).
Result<std::optional<CurveClientKeys>> curve_client_keys_from_env();

}  // namespace aw::bus
