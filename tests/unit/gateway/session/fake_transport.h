// FakeTransport: a Transport that records what the session layer sends, with a settable "buffered" byte count, so
// outbound caps and replay pacing are tested without a socket.
// Thread-safety: test thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "gateway/session/transport.h"

namespace aw::gateway::test {

class FakeTransport : public Transport {
 public:
  // Transport
  std::size_t buffered_bytes() const override { return buffered; }
  bool send_text(const std::shared_ptr<const std::string>& frame) override {
    if (closed) return false;
    sent.push_back(frame);
    if (accumulate) buffered += frame->size();
    return true;
  }
  void defer(std::function<void()> task) override { deferred.push_back(std::move(task)); }
  void send_ping() override { ++pings; }
  void close(int code, const std::string& reason, long handshake_timeout_ms) override {
    closed = true;
    close_code = code;
    close_reason = reason;
    close_timeout_ms = handshake_timeout_ms;
  }

  // The text of every frame sent, in order.
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& f : sent) out.push_back(*f);
    return out;
  }
  // The frame at `index`, parsed.
  json::Document parsed(std::size_t index) const {
    auto doc = json::parse_untrusted(*sent.at(index));
    return doc.is_ok() ? std::move(doc).value() : json::Document();
  }
  void clear() { sent.clear(); }
  // Runs what the session deferred to "after the socket had its chance to write".
  void run_deferred() {
    auto tasks = std::move(deferred);
    deferred.clear();
    for (auto& task : tasks) task();
  }

  std::size_t buffered = 0;
  bool accumulate = false;  // true: every sent frame stays buffered (a peer that reads nothing)
  std::vector<std::shared_ptr<const std::string>> sent;
  std::vector<std::function<void()>> deferred;
  int pings = 0;
  bool closed = false;
  int close_code = 0;
  std::string close_reason;
  long close_timeout_ms = 0;
};

}  // namespace aw::gateway::test
