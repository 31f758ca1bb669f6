// GatewayFixture (see gateway_fixture.h).
#include "tests/integration/gateway_fixture.h"

#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <iostream>

namespace aw::test {
namespace {

#ifndef AW_GATEWAY_BINARY
#error "AW_GATEWAY_BINARY must name the aw-gateway executable (set by tests/CMakeLists.txt)"
#endif

struct SharedGateway {
  std::string key;
  std::unique_ptr<GatewayProcess> process;
};

SharedGateway& shared_slot() {
  static SharedGateway slot;
  return slot;
}

bool current_case_failed() {
  const auto id = boost::unit_test::framework::current_test_case().p_id;
  return !boost::unit_test::results_collector.results(id).passed();
}

// The last part of a long stderr is the part that explains a failure.
std::string tail(const std::string& text, std::size_t max_bytes = 8000) {
  return text.size() <= max_bytes ? text : "[...]\n" + text.substr(text.size() - max_bytes);
}

}  // namespace

GatewayOptions gateway_options(const EnvMap& env) {
  GatewayOptions options;
  options.binary = AW_GATEWAY_BINARY;
  options.env = env;
  return options;
}

GatewayFixture::~GatewayFixture() {
  for (GatewayProcess* gateway : used_) {
    const bool running = gateway->is_running();
    if (!expect_exit_) BOOST_CHECK_MESSAGE(running, "aw-gateway (pid " << gateway->pid() << ") is no longer running");
    if (current_case_failed() || (!running && !expect_exit_)) {
      std::cerr << "---- aw-gateway stderr (" << gateway->temp_dir() << ") ----\n"
                << tail(gateway->stderr_text()) << "---- end of aw-gateway stderr ----\n";
    }
  }
}

GatewayProcess& GatewayFixture::shared(const std::string& key, const EnvMap& env) {
  SharedGateway& slot = shared_slot();
  if (slot.process && (slot.key != key || !slot.process->is_running())) {
    if (slot.process->is_running()) (void)slot.process->terminate();
    slot.process.reset();
  }
  if (!slot.process) {
    auto started = GatewayProcess::start(gateway_options(env));
    BOOST_REQUIRE_MESSAGE(started.is_ok(), "cannot start aw-gateway: " << started.status().message());
    slot.process = std::move(started).value();
    slot.key = key;
  }
  if (std::find(used_.begin(), used_.end(), slot.process.get()) == used_.end()) used_.push_back(slot.process.get());
  return *slot.process;
}

GatewayProcess& GatewayFixture::start_own(const EnvMap& env) {
  auto started = GatewayProcess::start(gateway_options(env));
  BOOST_REQUIRE_MESSAGE(started.is_ok(), "cannot start aw-gateway: " << started.status().message());
  own_.push_back(std::move(started).value());
  used_.push_back(own_.back().get());
  return *own_.back();
}

std::unique_ptr<WsTestClient> GatewayFixture::connect(GatewayProcess& gateway, WsTestClient::Options options,
                                                      const Headers& headers, const std::string& path) {
  auto client = std::make_unique<WsTestClient>(options);
  Status s = client->connect(gateway.url(path), headers);
  BOOST_REQUIRE_MESSAGE(s.is_ok(), "cannot connect to " << gateway.url(path) << ": " << s.message());
  return client;
}

HttpResponse http_get_ok(GatewayProcess& gateway, const std::string& path) {
  auto response = gateway.http_get(path);
  BOOST_REQUIRE_MESSAGE(response.is_ok(), "GET " << path << " failed: " << response.status().message());
  return std::move(response).value();
}

std::optional<double> read_metric(GatewayProcess& gateway, const std::string& name,
                                  const std::map<std::string, std::string>& labels) {
  auto response = gateway.http_get("/metrics");
  if (!response.is_ok() || response->status != 200) return std::nullopt;
  return metric_value(response->body, name, labels);
}

}  // namespace aw::test
