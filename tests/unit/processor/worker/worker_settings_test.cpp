// The bus worker's settings (bus-protocol.md §11, §12): loopback defaults, the loopback rule, bad values.
#include "processor/worker/worker_settings.h"

#include "common/bus/curve_socket.h"

#include <stdlib.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

using namespace aw::processor::worker;

namespace {

// Sets variables for one test and restores the previous values afterwards.
using Vars = std::map<std::string, std::string>;

class ScopedEnv {
 public:
  explicit ScopedEnv(const Vars& values) {
    for (const char* name : {"AW_BUS_WORK", "AW_BUS_EVENTS", "AW_BUS_CTL", "AW_BUS_INSECURE", "AW_BUS_CURVE_SECRET_KEY",
                             "AW_BUS_CURVE_SERVER_KEY", "WS_MAX_CONCURRENT", "AW_SHUTDOWN_GRACE_MS"}) {
      const char* old = std::getenv(name);
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      ::unsetenv(name);
    }
    for (const auto& [name, value] : values) ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(worker_settings)

BOOST_AUTO_TEST_CASE(local_endpoints_are_recognised) {
  BOOST_TEST(is_local_endpoint("tcp://127.0.0.1:5555"));
  BOOST_TEST(is_local_endpoint("tcp://127.10.0.3:1"));
  BOOST_TEST(is_local_endpoint("tcp://localhost:5555"));
  BOOST_TEST(is_local_endpoint("tcp://[::1]:5555"));
  BOOST_TEST(is_local_endpoint("ipc:///tmp/aw.sock"));
  BOOST_TEST(is_local_endpoint("inproc://x"));
  BOOST_TEST(!is_local_endpoint("tcp://10.0.0.1:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://0.0.0.0:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://127.0.0.1.evil.com:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://gateway:5555"));
  BOOST_TEST(!is_local_endpoint("udp://127.0.0.1:5555"));
}

BOOST_AUTO_TEST_CASE(defaults_reach_a_gateway_on_this_host) {
  ScopedEnv env(Vars{});
  auto s = worker_settings_from_env();
  BOOST_REQUIRE(s.is_ok());
  BOOST_TEST(s->work_endpoint == "tcp://127.0.0.1:5555");
  BOOST_TEST(s->events_endpoint == "tcp://127.0.0.1:5556");
  BOOST_TEST(s->ctl_endpoint == "tcp://127.0.0.1:5557");
  BOOST_TEST(s->max_concurrent == 5);
  BOOST_TEST(s->shutdown_grace_ms == 10000);
  BOOST_TEST(!s->insecure);
}

BOOST_AUTO_TEST_CASE(remote_endpoint_needs_insecure_and_names_the_variable) {
  {
    ScopedEnv env(Vars{{"AW_BUS_CTL", "tcp://gateway:5557"}});
    auto s = worker_settings_from_env();
    BOOST_REQUIRE(!s.is_ok());
    BOOST_TEST(s.status().code() == "config");
    BOOST_TEST(s.status().message().find("AW_BUS_CTL") != std::string::npos);
  }
  {
    ScopedEnv env(Vars{{"AW_BUS_CTL", "tcp://gateway:5557"}, {"AW_BUS_INSECURE", "1"}});
    auto s = worker_settings_from_env();
    BOOST_REQUIRE(s.is_ok());
    BOOST_TEST(s->insecure);
    BOOST_TEST(s->ctl_endpoint == "tcp://gateway:5557");
  }
}

BOOST_AUTO_TEST_CASE(curve_keys_turn_curve_on_and_allow_remote_endpoints) {
  auto own = aw::bus::generate_curve_keypair();
  auto gateway = aw::bus::generate_curve_keypair();
  BOOST_REQUIRE(own.is_ok());
  BOOST_REQUIRE(gateway.is_ok());
  ScopedEnv env(Vars{{"AW_BUS_CTL", "tcp://gateway:5557"},
                     {"AW_BUS_CURVE_SECRET_KEY", own->secret_key},
                     {"AW_BUS_CURVE_SERVER_KEY", gateway->public_key}});
  auto s = worker_settings_from_env();
  BOOST_REQUIRE(s.is_ok());
  BOOST_REQUIRE(s->curve.has_value());
  BOOST_TEST(s->curve->server_key == gateway->public_key);
  BOOST_TEST(!s->insecure);
  BOOST_TEST(s->ctl_endpoint == "tcp://gateway:5557");
}

BOOST_AUTO_TEST_CASE(curve_needs_both_keys_well_formed) {
  auto pair = aw::bus::generate_curve_keypair();
  BOOST_REQUIRE(pair.is_ok());
  for (const auto& [values, named] : std::vector<std::pair<Vars, std::string>>{
           {{{"AW_BUS_CURVE_SECRET_KEY", pair->secret_key}}, "AW_BUS_CURVE_SERVER_KEY"},
           {{{"AW_BUS_CURVE_SERVER_KEY", pair->public_key}}, "AW_BUS_CURVE_SECRET_KEY"},
           {{{"AW_BUS_CURVE_SECRET_KEY", pair->secret_key}, {"AW_BUS_CURVE_SERVER_KEY", "x"}},
            "AW_BUS_CURVE_SERVER_KEY"},
           {{{"AW_BUS_CURVE_SECRET_KEY", "x"}, {"AW_BUS_CURVE_SERVER_KEY", pair->public_key}},
            "AW_BUS_CURVE_SECRET_KEY"}}) {
    ScopedEnv env(values);
    auto s = worker_settings_from_env();
    BOOST_REQUIRE(!s.is_ok());
    BOOST_TEST(s.status().code() == "config");
    BOOST_TEST(s.status().message().find(named) != std::string::npos, s.status().message());
  }
}

BOOST_AUTO_TEST_CASE(bad_values_are_errors) {
  for (auto values : std::vector<Vars>{{{"WS_MAX_CONCURRENT", "0"}},
                                       {{"WS_MAX_CONCURRENT", "x"}},
                                       {{"AW_SHUTDOWN_GRACE_MS", "-1"}},
                                       {{"AW_BUS_INSECURE", "yes"}},
                                       {{"AW_BUS_WORK", "http://127.0.0.1:1"}},
                                       {{"AW_BUS_CURVE_SECRET_KEY", "k"}}}) {
    ScopedEnv env(values);
    auto s = worker_settings_from_env();
    BOOST_TEST(!s.is_ok(), values.begin()->first);
    if (!s.is_ok()) BOOST_TEST(s.status().message().find(values.begin()->first) != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
