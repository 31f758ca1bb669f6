// GatewayFixture: the per-test-case fixture of the integration suites. It hands out
//   - a gateway shared by the cases of one suite (shared(key, env)): started on first use and reused while the
//     following cases ask for the same key; asking for another key stops it (suites run one after another), so at
//     most one shared gateway runs at a time. Cases that share one use distinct world names;
//   - gateways of the case's own (start_own(env)), for cases whose state or settings must not leak;
//   - connected clients (connect(gateway)), failing the case when the upgrade does not succeed.
// On teardown it checks that the gateways it handed out are still running, and when the case failed it prints
// their stderr, so that a failure shows the gateway's side.
// Thread-safety: the test thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/gateway_process.h"
#include "tests/support/protocol_helpers.h"
#include "tests/support/raw_ws_client.h"
#include "tests/support/ws_test_client.h"

namespace aw::test {

class GatewayFixture {
 public:
  GatewayFixture() = default;
  ~GatewayFixture();
  GatewayFixture(const GatewayFixture&) = delete;
  GatewayFixture& operator=(const GatewayFixture&) = delete;

  // The suite's shared gateway for `key`, started with `env` on first use.
  GatewayProcess& shared(const std::string& key, const EnvMap& env = {});
  // A gateway for this case only; stopped when the case ends.
  GatewayProcess& start_own(const EnvMap& env = {});
  // A connected client (BOOST_REQUIRE on success).
  std::unique_ptr<WsTestClient> connect(GatewayProcess& gateway, WsTestClient::Options options = {},
                                        const Headers& headers = {}, const std::string& path = "/");
  // Marks that this case stops a gateway on purpose (no "gateway died" check on teardown).
  void expect_gateway_exit() { expect_exit_ = true; }

 private:
  std::vector<GatewayProcess*> used_;
  std::vector<std::unique_ptr<GatewayProcess>> own_;
  bool expect_exit_ = false;
};

// GatewayOptions with the binary under test (AW_GATEWAY_BINARY) and `env`.
GatewayOptions gateway_options(const EnvMap& env);

// GET path, requiring an HTTP answer; returns it (BOOST_REQUIRE on a socket failure).
HttpResponse http_get_ok(GatewayProcess& gateway, const std::string& path);

// The value of a sample on /metrics (see metric_value), nullopt when absent or /metrics failed.
std::optional<double> read_metric(GatewayProcess& gateway, const std::string& name,
                                  const std::map<std::string, std::string>& labels = {});

// The text of a failed Status or Result, for assertion messages.
inline std::string aw_status_text(const Status& s) { return s.code() + ": " + s.message(); }
template <typename T>
std::string aw_status_text(const Result<T>& r) {
  return r.is_ok() ? std::string() : aw_status_text(r.status());
}

}  // namespace aw::test

// BOOST_REQUIRE that a Result/Status is ok, printing its message otherwise.
#define AW_REQUIRE_OK(expr)                                                                         \
  do {                                                                                              \
    const auto& aw_require_ok_value = (expr);                                                       \
    BOOST_REQUIRE_MESSAGE(aw_require_ok_value.is_ok(),                                              \
                          #expr << " failed: " << ::aw::test::aw_status_text(aw_require_ok_value)); \
  } while (0)
