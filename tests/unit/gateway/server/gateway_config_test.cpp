// GatewayConfig: defaults, validation with one clear line, data path resolution (ws-protocol.md §10).
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gateway/server/gateway_config.h"

namespace aw::gateway {
namespace {

namespace fs = std::filesystem;

// Sets variables for one test and restores the previous environment afterwards.
class ScopedEnv {
 public:
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }
  void set(const std::string& name, const std::string& value) {
    remember(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    remember(name);
    ::unsetenv(name.c_str());
  }

 private:
  void remember(const std::string& name) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

struct ConfigFixture {
  ConfigFixture() {
    // Start from a clean slate for every variable these tests touch.
    for (const char* name :
         {"WS_PORT", "AW_HOST", "AGENT_WORLD_DATA_PATH", "AGENT_WORLD_SQLITE_DATABASE", "AGENT_WORLD_STORAGE_TYPE",
          "AW_AUTH", "AW_AUTH_JWT_SECRET", "AW_ALLOWED_ORIGINS", "LOG_LEVEL", "LOG_WS_STORAGE", "AW_RATE_LIMIT_RPS",
          "AW_QUEUE_RETRY_BASE_MS", "AW_QUEUE_RETRY_MAX_MS", "AW_CHAT_TITLES", "AW_MAX_FRAME_BYTES", "AW_PORT_FILE"}) {
      env.unset(name);
    }
  }
  ScopedEnv env;
};

std::string load_error() {
  auto c = load_gateway_config();
  BOOST_REQUIRE(!c.is_ok());
  return c.status().message();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(gateway_config, ConfigFixture)

BOOST_AUTO_TEST_CASE(defaults) {
  env.set("HOME", "/home/tester");
  auto c = load_gateway_config();
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->port == 3001);
  BOOST_TEST(c->host == "");
  BOOST_TEST(c->data_path == "/home/tester/agent-world");
  BOOST_TEST(c->core.database_path == "/home/tester/agent-world/agent-world-cpp.db");
  BOOST_TEST(c->core.storage_type == "sqlite");
  BOOST_TEST(c->heartbeat_interval_ms == 25000);
  BOOST_TEST(c->heartbeat_timeout_ms == 60000);
  BOOST_TEST(c->max_frame_bytes == 1048576);
  BOOST_TEST(c->max_outbound_bytes == 4194304);
  BOOST_TEST(c->max_response_bytes == 16777216);
  BOOST_TEST(c->max_subscriptions == 128);
  BOOST_TEST(c->max_connections == 10000);
  BOOST_TEST(c->rate_limit_rps == 50);
  BOOST_TEST(c->rate_limit_burst == 100);
  BOOST_TEST(c->core.replay_max_events == 10000);
  BOOST_TEST(c->auth_mode == "off");
  BOOST_TEST(c->shutdown_grace_ms == 10000);
  BOOST_TEST(!c->allowed_origins.has_value());
  BOOST_TEST(c->core.default_agent_provider == "openai");
  BOOST_TEST(c->core.default_agent_model == "gpt-4");
}

BOOST_AUTO_TEST_CASE(relative_data_path_resolves_against_the_working_directory) {
  env.set("AGENT_WORLD_DATA_PATH", "rel/data");
  auto c = load_gateway_config();
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->data_path == (fs::current_path() / "rel/data").lexically_normal().string());
  env.set("AGENT_WORLD_SQLITE_DATABASE", "/tmp/x.db");
  BOOST_TEST(load_gateway_config()->core.database_path == "/tmp/x.db");
}

BOOST_AUTO_TEST_CASE(bad_values_fail_with_a_line_naming_the_variable) {
  env.set("WS_PORT", "abc");
  BOOST_TEST(load_error() == "WS_PORT must be an integer in [0, 65535], got 'abc'");
  env.set("WS_PORT", "70000");
  BOOST_TEST(load_error().find("WS_PORT") == 0u);
  env.set("WS_PORT", "0");
  env.set("AGENT_WORLD_STORAGE_TYPE", "postgres");
  BOOST_TEST(load_error() == "AGENT_WORLD_STORAGE_TYPE must be one of sqlite, memory, file, got 'postgres'");
  env.unset("AGENT_WORLD_STORAGE_TYPE");
  env.set("LOG_LEVEL", "loud");
  BOOST_TEST(load_error().find("LOG_LEVEL") == 0u);
  env.unset("LOG_LEVEL");
  env.set("LOG_WS_STORAGE", "verbose");
  BOOST_TEST(load_error().find("LOG_WS_STORAGE") == 0u);
  env.unset("LOG_WS_STORAGE");
  env.set("AW_RATE_LIMIT_RPS", "-1");
  BOOST_TEST(load_error().find("AW_RATE_LIMIT_RPS") == 0u);
  env.unset("AW_RATE_LIMIT_RPS");
  env.set("AW_QUEUE_RETRY_BASE_MS", "70000");
  BOOST_TEST(load_error().find("AW_QUEUE_RETRY_BASE_MS") == 0u);
  env.unset("AW_QUEUE_RETRY_BASE_MS");
  env.set("AW_CHAT_TITLES", "maybe");
  BOOST_TEST(load_error().find("AW_CHAT_TITLES") == 0u);
}

BOOST_AUTO_TEST_CASE(port_zero_and_storage_aliases) {
  env.set("WS_PORT", "0");
  env.set("AGENT_WORLD_STORAGE_TYPE", "file");
  auto c = load_gateway_config();
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->port == 0);
  BOOST_TEST(c->core.storage_type == "sqlite");
  BOOST_TEST(c->warnings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(required_auth_needs_a_long_secret) {
  env.set("AW_AUTH", "required");
  env.set("AW_AUTH_JWT_SECRET", std::string(31, 's'));
  BOOST_TEST(load_error() == "AW_AUTH=required needs AW_AUTH_JWT_SECRET of at least 32 bytes");
  env.set("AW_AUTH_JWT_SECRET", std::string(32, 's'));
  auto c = load_gateway_config();
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->auth_mode == "required");
  auto authenticator = make_authenticator(*c);
  BOOST_TEST(authenticator->is_required());
  BOOST_TEST(authenticator->mode() == "required");
  env.set("AW_AUTH", "maybe");
  BOOST_TEST(load_error().find("AW_AUTH must be one of off, required") == 0u);
}

BOOST_AUTO_TEST_CASE(allowed_origins_are_split_and_trimmed) {
  env.set("AW_ALLOWED_ORIGINS", " https://a.example/ , http://b.example:8080,,");
  auto c = load_gateway_config();
  BOOST_REQUIRE(c.is_ok());
  BOOST_REQUIRE(c->allowed_origins.has_value());
  BOOST_TEST((*c->allowed_origins == std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
  env.set("AW_ALLOWED_ORIGINS", " , ");
  BOOST_TEST(load_error().find("AW_ALLOWED_ORIGINS") == 0u);
}

BOOST_AUTO_TEST_CASE(prepare_creates_the_data_and_database_directories) {
  const fs::path root = fs::temp_directory_path() / ("aw-config-test-" + std::to_string(::getpid()));
  fs::remove_all(root);
  env.set("AGENT_WORLD_DATA_PATH", (root / "data").string());
  env.set("AGENT_WORLD_SQLITE_DATABASE", (root / "db" / "nested" / "x.db").string());
  auto c = load_gateway_config();
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(prepare_data_directory(*c).is_ok());
  BOOST_TEST(fs::is_directory(root / "data"));
  BOOST_TEST(fs::is_directory(root / "db" / "nested"));
  fs::remove_all(root);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
