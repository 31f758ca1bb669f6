// CURVE key parsing (common/bus/curve_keys.h) and its libzmq side (common/bus/curve_socket.h): Z85 round trips,
// malformed keys, key lists, and the client pair rule (secret and server key together).
#include "common/bus/curve_keys.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "common/bus/curve_socket.h"

namespace aw::bus {
namespace {

// RFC 32's test vector: these 8 bytes are "HelloWorld" in Z85.
constexpr std::uint8_t kHelloBytes[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};

std::string repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(curve_keys)

BOOST_AUTO_TEST_CASE(z85_matches_the_rfc_test_vector) {
  BOOST_TEST(z85_encode_key(kHelloBytes, sizeof kHelloBytes) == "HelloWorld");
  const std::string key = repeat("HelloWorld", 4);
  auto decoded = z85_decode_key(key);
  BOOST_REQUIRE(decoded.has_value());
  for (std::size_t i = 0; i < kCurveKeyBytes; ++i) BOOST_TEST((*decoded)[i] == kHelloBytes[i % 8]);
  BOOST_TEST(z85_encode_key(decoded->data()) == key);
}

BOOST_AUTO_TEST_CASE(malformed_keys_are_rejected) {
  BOOST_TEST(!z85_decode_key("").has_value());
  BOOST_TEST(!z85_decode_key(repeat("HelloWorld", 4).substr(1)).has_value());       // 39 characters
  BOOST_TEST(!z85_decode_key(repeat("HelloWorld", 4) + "x").has_value());           // 41 characters
  BOOST_TEST(!z85_decode_key(repeat("Hello World", 4).substr(0, 40)).has_value());  // a blank is not Z85
  BOOST_TEST(!z85_decode_key(repeat("HelloWorl,", 4)).has_value());                 // nor is a comma
  BOOST_TEST(!z85_decode_key(repeat("#####", 8)).has_value());                      // 85^5 - 1 does not fit 32 bits
}

BOOST_AUTO_TEST_CASE(check_names_the_variable_and_hides_a_secret) {
  const std::string secret_value = "not-a-key-but-a-secret";
  Status secret = check_curve_key("AW_BUS_CURVE_SECRET_KEY", secret_value, true);
  BOOST_TEST(!secret.is_ok());
  BOOST_TEST(secret.code() == "invalid_config");
  BOOST_TEST(secret.message().find("AW_BUS_CURVE_SECRET_KEY") != std::string::npos);
  BOOST_TEST(secret.message().find(secret_value) == std::string::npos);
  Status server = check_curve_key("AW_BUS_CURVE_SERVER_KEY", "short", false);
  BOOST_TEST(!server.is_ok());
  BOOST_TEST(server.message().find("'short'") != std::string::npos);
  BOOST_TEST(check_curve_key("AW_BUS_CURVE_SERVER_KEY", repeat("HelloWorld", 4), false).is_ok());
}

BOOST_AUTO_TEST_CASE(key_lists_split_on_commas_and_skip_blanks_and_duplicates) {
  const std::string a = repeat("HelloWorld", 4);
  const std::string b = repeat("0123456789", 4);
  auto keys = parse_curve_key_list("AW_BUS_CURVE_CLIENTS", " " + a + " ,," + b + "," + a + ", ");
  BOOST_REQUIRE(keys.is_ok());
  BOOST_TEST(keys->size() == 2u);
  BOOST_TEST((*keys)[0] == a);
  BOOST_TEST((*keys)[1] == b);
  auto empty = parse_curve_key_list("AW_BUS_CURVE_CLIENTS", "");
  BOOST_REQUIRE(empty.is_ok());
  BOOST_TEST(empty->empty());
  auto bad = parse_curve_key_list("AW_ADMIN_CURVE_CLIENTS", a + ",oops");
  BOOST_REQUIRE(!bad.is_ok());
  BOOST_TEST(bad.status().message().find("AW_ADMIN_CURVE_CLIENTS") != std::string::npos);
  BOOST_TEST(bad.status().message().find("entry 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(client_keys_come_in_pairs) {
  auto pair = generate_curve_keypair();
  BOOST_REQUIRE(pair.is_ok());
  auto none = curve_client_keys(std::nullopt, std::nullopt);
  BOOST_REQUIRE(none.is_ok());
  BOOST_TEST(!none->has_value());
  auto both = curve_client_keys(pair->secret_key, pair->public_key);
  BOOST_REQUIRE(both.is_ok());
  BOOST_REQUIRE(both->has_value());
  BOOST_TEST((*both)->server_key == pair->public_key);
  auto no_server = curve_client_keys(pair->secret_key, std::nullopt);
  BOOST_REQUIRE(!no_server.is_ok());
  BOOST_TEST(no_server.status().message().find("AW_BUS_CURVE_SERVER_KEY") != std::string::npos);
  auto no_secret = curve_client_keys(std::nullopt, pair->public_key);
  BOOST_REQUIRE(!no_secret.is_ok());
  BOOST_TEST(no_secret.status().message().find("AW_BUS_CURVE_SECRET_KEY") != std::string::npos);
  auto bad_secret = curve_client_keys(std::string("x"), pair->public_key);
  BOOST_REQUIRE(!bad_secret.is_ok());
  BOOST_TEST(bad_secret.status().message().find("AW_BUS_CURVE_SECRET_KEY") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(generated_pairs_are_valid_and_the_public_half_derives_from_the_secret) {
  auto pair = generate_curve_keypair();
  BOOST_REQUIRE(pair.is_ok());
  BOOST_TEST(z85_decode_key(pair->public_key).has_value());
  BOOST_TEST(z85_decode_key(pair->secret_key).has_value());
  auto derived = curve_public_key(pair->secret_key);
  BOOST_REQUIRE(derived.is_ok());
  BOOST_TEST(derived.value() == pair->public_key);
  auto other = generate_curve_keypair();
  BOOST_REQUIRE(other.is_ok());
  BOOST_TEST(other->secret_key != pair->secret_key);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::bus
