// The gateway's CURVE settings and ZAP admission (gateway/bus/curve_auth.h), and the endpoint policy with CURVE on
// (bus-protocol.md §11): which keys each socket admits, malformed settings, non-loopback binds allowed by CURVE.
#include "gateway/bus/curve_auth.h"

#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bus/curve_keys.h"
#include "common/bus/curve_socket.h"
#include "gateway/bus/endpoint_policy.h"

namespace aw::gateway::bus {
namespace {

using Vars = std::map<std::string, std::string>;

// Sets the bus variables for one test (unsetting the others) and restores them afterwards.
class ScopedBusEnv {
 public:
  explicit ScopedBusEnv(const Vars& values) {
    for (const char* name :
         {"AW_BUS_WORK", "AW_BUS_EVENTS", "AW_BUS_CTL", "AW_TAP_BIND", "AW_ADMIN_BIND", "AW_BUS_INSECURE",
          "AW_BUS_CURVE_SECRET_KEY", "AW_BUS_CURVE_CLIENTS", "AW_ADMIN_CURVE_CLIENTS"}) {
      const char* old = std::getenv(name);
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      ::unsetenv(name);
    }
    for (const auto& [name, value] : values) ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedBusEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  ScopedBusEnv(const ScopedBusEnv&) = delete;
  ScopedBusEnv& operator=(const ScopedBusEnv&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

aw::bus::CurveKeyPair new_pair() {
  auto pair = aw::bus::generate_curve_keypair();
  BOOST_REQUIRE(pair.is_ok());
  return pair.value();
}

// The raw 32 bytes a ZAP request carries for a Z85 public key.
std::string raw(const std::string& z85) {
  auto bytes = aw::bus::z85_decode_key(z85);
  BOOST_REQUIRE(bytes.has_value());
  return std::string(bytes->begin(), bytes->end());
}

struct CurveAuthFixture {
  CurveAuthFixture() {
    settings.secret_key = gateway.secret_key;
    settings.public_key = gateway.public_key;
    settings.clients = {processor.public_key};
    settings.admin_clients = {operator_key.public_key};
  }
  aw::bus::CurveKeyPair gateway = new_pair();
  aw::bus::CurveKeyPair processor = new_pair();
  aw::bus::CurveKeyPair operator_key = new_pair();
  aw::bus::CurveKeyPair stranger = new_pair();
  CurveSettings settings;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(curve_auth, CurveAuthFixture)

BOOST_AUTO_TEST_CASE(bus_sockets_admit_listed_clients_only) {
  auto admitted = decide_zap(settings, kZapDomainBus, "CURVE", raw(processor.public_key));
  BOOST_TEST(admitted.admitted);
  BOOST_TEST(admitted.user_id == processor.public_key);
  BOOST_TEST(!decide_zap(settings, kZapDomainBus, "CURVE", raw(stranger.public_key)).admitted);
  // An admin key is for the admin socket: it does not make a processor.
  BOOST_TEST(!decide_zap(settings, kZapDomainBus, "CURVE", raw(operator_key.public_key)).admitted);
}

BOOST_AUTO_TEST_CASE(admin_socket_admits_bus_and_admin_clients) {
  BOOST_TEST(decide_zap(settings, kZapDomainAdmin, "CURVE", raw(processor.public_key)).admitted);
  auto admin = decide_zap(settings, kZapDomainAdmin, "CURVE", raw(operator_key.public_key));
  BOOST_TEST(admin.admitted);
  BOOST_TEST(settings.is_admin(admin.user_id));
  BOOST_TEST(!settings.is_admin(processor.public_key));
  auto refused = decide_zap(settings, kZapDomainAdmin, "CURVE", raw(stranger.public_key));
  BOOST_TEST(!refused.admitted);
  BOOST_TEST(!refused.reason.empty());
}

BOOST_AUTO_TEST_CASE(other_mechanisms_domains_and_credentials_are_refused) {
  BOOST_TEST(!decide_zap(settings, kZapDomainBus, "NULL", "").admitted);
  BOOST_TEST(!decide_zap(settings, kZapDomainBus, "PLAIN", raw(processor.public_key)).admitted);
  BOOST_TEST(!decide_zap(settings, "other", "CURVE", raw(processor.public_key)).admitted);
  BOOST_TEST(!decide_zap(settings, kZapDomainBus, "CURVE", "short").admitted);
}

// Hand-built ZAP requests (RFC 27): version, request id, domain, address, identity, mechanism, credential.
BOOST_AUTO_TEST_CASE(zap_requests_in_another_version_are_refused) {
  const std::string key = raw(processor.public_key);
  const std::vector<std::string_view> good = {"1.0", "req-7", kZapDomainBus, "127.0.0.1", "", "CURVE", key};
  const ZapAnswer admitted = answer_zap(settings, good);
  BOOST_TEST(admitted.verdict.admitted);
  BOOST_TEST((admitted.frames == std::vector<std::string>{"1.0", "req-7", "200", "OK", processor.public_key, ""}));

  // The same request in version 2.0 (or none): 400, whatever the key, and the request id is echoed.
  for (std::string_view version : {"2.0", "1.1", ""}) {
    std::vector<std::string_view> other = good;
    other[0] = version;
    const ZapAnswer refused = answer_zap(settings, other);
    BOOST_TEST(!refused.verdict.admitted);
    BOOST_TEST(refused.verdict.reason.find("ZAP version") != std::string::npos);
    BOOST_TEST((refused.frames == std::vector<std::string>{"1.0", "req-7", "400", "not admitted", "", ""}));
  }
  // Too few frames, or none: 400 with the request id when there is one.
  const ZapAnswer short_request = answer_zap(settings, {"1.0", "req-8", kZapDomainBus});
  BOOST_TEST(short_request.frames.at(1) == "req-8");
  BOOST_TEST(short_request.frames.at(2) == "400");
  BOOST_TEST(answer_zap(settings, {}).frames.at(2) == "400");
  // An unlisted key in version 1.0: refused by decide_zap, with the peer's address in the reason.
  std::vector<std::string_view> stranger_request = good;
  const std::string stranger_key = raw(stranger.public_key);
  stranger_request[6] = stranger_key;
  const ZapAnswer stranger_answer = answer_zap(settings, stranger_request);
  BOOST_TEST(stranger_answer.frames.at(2) == "400");
  BOOST_TEST(stranger_answer.verdict.user_id == stranger.public_key);
  BOOST_TEST(stranger_answer.verdict.reason.find("127.0.0.1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(settings_load_from_the_environment) {
  ScopedBusEnv env(Vars{{"AW_BUS_CURVE_SECRET_KEY", gateway.secret_key},
                        {"AW_BUS_CURVE_CLIENTS", processor.public_key + "," + stranger.public_key},
                        {"AW_ADMIN_CURVE_CLIENTS", operator_key.public_key}});
  auto loaded = curve_settings_from_env();
  BOOST_REQUIRE(loaded.is_ok());
  BOOST_REQUIRE(loaded->has_value());
  BOOST_TEST((*loaded)->public_key == gateway.public_key);
  BOOST_TEST((*loaded)->clients.size() == 2u);
  BOOST_TEST((*loaded)->is_admin(operator_key.public_key));
  BOOST_TEST((*loaded)->warnings.empty());
}

BOOST_AUTO_TEST_CASE(no_secret_key_means_curve_off_and_lists_without_it_are_errors) {
  {
    ScopedBusEnv env(Vars{});
    auto loaded = curve_settings_from_env();
    BOOST_REQUIRE(loaded.is_ok());
    BOOST_TEST(!loaded->has_value());
  }
  ScopedBusEnv env(Vars{{"AW_ADMIN_CURVE_CLIENTS", operator_key.public_key}});
  auto loaded = curve_settings_from_env();
  BOOST_REQUIRE(!loaded.is_ok());
  BOOST_TEST(loaded.status().message().find("AW_ADMIN_CURVE_CLIENTS") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_keys_are_configuration_errors_naming_the_variable) {
  for (const auto& [name, value] : std::map<std::string, std::string>{{"AW_BUS_CURVE_SECRET_KEY", "too-short"},
                                                                      {"AW_BUS_CURVE_CLIENTS", "not-a-key"},
                                                                      {"AW_ADMIN_CURVE_CLIENTS", "abc,def"}}) {
    std::map<std::string, std::string> vars{{"AW_BUS_CURVE_SECRET_KEY", gateway.secret_key}};
    vars[name] = value;
    ScopedBusEnv env(vars);
    auto loaded = curve_settings_from_env();
    BOOST_REQUIRE(!loaded.is_ok());
    BOOST_TEST(loaded.status().code() == "invalid_config");
    BOOST_TEST(loaded.status().message().find(name) != std::string::npos, loaded.status().message());
    auto endpoints = load_bus_endpoints();
    BOOST_TEST(!endpoints.is_ok());
  }
}

BOOST_AUTO_TEST_CASE(an_empty_client_list_is_a_warning) {
  ScopedBusEnv env(Vars{{"AW_BUS_CURVE_SECRET_KEY", gateway.secret_key}});
  auto loaded = curve_settings_from_env();
  BOOST_REQUIRE(loaded.is_ok());
  BOOST_REQUIRE(loaded->has_value());
  BOOST_TEST((*loaded)->warnings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(curve_allows_non_loopback_binds) {
  {
    ScopedBusEnv env(Vars{{"AW_BUS_WORK", "tcp://0.0.0.0:5555"}});
    auto endpoints = load_bus_endpoints();
    BOOST_REQUIRE(!endpoints.is_ok());
    BOOST_TEST(endpoints.status().code() == "insecure_endpoint");
  }
  ScopedBusEnv env(Vars{{"AW_BUS_WORK", "tcp://0.0.0.0:5555"},
                        {"AW_BUS_CURVE_SECRET_KEY", gateway.secret_key},
                        {"AW_BUS_CURVE_CLIENTS", processor.public_key}});
  auto endpoints = load_bus_endpoints();
  BOOST_REQUIRE(endpoints.is_ok());
  BOOST_REQUIRE(endpoints->curve.has_value());
  BOOST_TEST(endpoints->warnings.empty());  // CURVE is not the insecure mode
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus
