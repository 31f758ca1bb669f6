// start_gateway, options_for and Recorder (see client_fixture.h).
#include "tests/integration/client/client_fixture.h"

#include <boost/test/unit_test.hpp>

namespace aw::test {

std::unique_ptr<GatewayProcess> start_gateway(EnvMap env) {
  GatewayOptions o;
  o.binary = AW_GATEWAY_BINARY;
  o.env = std::move(env);
  auto gw = GatewayProcess::start(std::move(o));
  BOOST_TEST_REQUIRE(gw.is_ok(), gw.status().message());
  return std::move(gw).value();
}

client::ClientOptions options_for(const GatewayProcess& gw) {
  client::ClientOptions o;
  o.url = gw.url();
  o.request_timeout = Millis(5000);
  o.reconnect_initial = Millis(100);
  o.reconnect_max = Millis(1000);
  return o;
}

void Recorder::add(const client::ServerFrame& f) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    frames_.push_back(f);
  }
  cv_.notify_all();
}

bool Recorder::wait(const std::function<bool(const std::vector<client::ServerFrame>&)>& pred, Millis timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return pred(frames_); });
}

std::vector<client::ServerFrame> Recorder::frames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frames_;
}

std::size_t Recorder::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frames_.size();
}

}  // namespace aw::test
