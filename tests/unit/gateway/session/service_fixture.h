// ServiceFixture: a GatewayService over a FakeCore, with helpers to open fake connections, send frames and read
// what each connection received. Time is a fake steady clock the test advances.
// Thread-safety: test thread only.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "gateway/session/gateway_service.h"
#include "tests/unit/gateway/session/fake_core.h"
#include "tests/unit/gateway/session/fake_transport.h"

namespace aw::gateway::test {

// An Authenticator for AW_AUTH=required paths: token "good" is a writer of world "w1", anything else is refused.
class FakeAuthenticator : public Authenticator {
 public:
  std::string_view mode() const override { return required ? "required" : "off"; }
  bool is_required() const override { return required; }
  Principal anonymous() const override {
    if (!required) return Principal{};
    Principal p;
    p.role = "reader";
    p.worlds = {};
    return p;
  }
  Result<Principal> authenticate(std::string_view token, EpochMs /*now*/) const override {
    if (token != "good") return Status::error("unauthorized", "Invalid token");
    Principal p;
    p.authenticated = true;
    p.subject = "u1";
    p.role = "writer";
    p.worlds = {"w1"};
    p.expires_at = expires_at;
    return p;
  }
  bool required = false;
  EpochMs expires_at = 4102444800000;  // 2100-01-01
};

struct Conn {
  SessionId id = 0;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();

  std::size_t count() const { return transport->sent.size(); }
  json::Document frame(std::size_t i) const { return transport->parsed(i); }
  json::Document last() const { return transport->parsed(transport->sent.size() - 1); }
  std::string type(std::size_t i) const { return json::get_string(frame(i), "type").value_or(""); }
  // payload.status of frame i ("" when none).
  std::string status(std::size_t i) const {
    auto d = frame(i);
    const json::Value* p = json::find(d, "payload");
    return p ? json::get_string(*p, "status").value_or("") : "";
  }
};

struct ServiceFixture {
  ServiceFixture() {
    options.session.max_outbound_bytes = 1 << 20;
    options.session.max_subscriptions = 4;
    options.session.rate_limit_rps = 0;  // off unless a test turns it on
    options.heartbeat_interval = std::chrono::milliseconds(100);
    options.heartbeat_timeout = std::chrono::milliseconds(300);
    options.auth_timeout = std::chrono::milliseconds(200);
  }

  GatewayService& service() {
    if (!service_) service_ = std::make_unique<GatewayService>(core, auth, options, Logger());
    return *service_;
  }
  Conn open() {
    Conn c;
    c.id = service().open_session(c.transport, now);
    return c;
  }
  void send(const Conn& c, const std::string& text) { service().on_text(c.id, text, now); }

  static std::string str(const json::Value& v, const char* path_key) {
    return json::get_string(v, path_key).value_or("<absent>");
  }
  static const json::Value& payload(const json::Document& d) {
    const json::Value* p = json::find(d, "payload");
    BOOST_REQUIRE(p != nullptr);
    return *p;
  }

  FakeCore core;
  FakeAuthenticator auth;
  ServiceOptions options;
  SteadyTime now = SteadyTime() + std::chrono::hours(1);
  std::unique_ptr<GatewayService> service_;
};

}  // namespace aw::gateway::test
