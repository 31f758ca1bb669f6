// awctl: requests and tables over the admin REQ/REP protocol and the tap (bus-protocol.md §10). The gateway does
// not bind the admin and tap endpoints yet, so a scripted peer plays them here (cppzmq REP and XPUB on loopback):
// it checks what awctl sends and answers like the gateway would.
#include <array>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "common/json.h"
#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"

namespace aw::test {
namespace {

// A REP socket on a free loopback port answering each request with reply_for(request); records the requests.
class ScriptedAdmin {
 public:
  explicit ScriptedAdmin(std::function<std::string(const std::string&)> reply_for)
      : rep_(ctx_, zmq::socket_type::rep), reply_for_(std::move(reply_for)) {
    rep_.set(zmq::sockopt::linger, 0);
    rep_.bind("tcp://127.0.0.1:*");
    endpoint_ = rep_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedAdmin() {
    stop_ = true;
    thread_.join();
  }
  const std::string& endpoint() const { return endpoint_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      zmq::pollitem_t item{rep_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, std::chrono::milliseconds(50));  // wakes to see stop_
      if ((item.revents & ZMQ_POLLIN) == 0) continue;
      zmq::message_t msg;
      if (!rep_.recv(msg)) continue;
      const std::string req = msg.to_string();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(req);
      }
      rep_.send(zmq::buffer(reply_for_(req)));
    }
  }
  zmq::context_t ctx_{1};
  zmq::socket_t rep_;
  std::function<std::string(const std::string&)> reply_for_;
  std::string endpoint_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

std::string op_of(const std::string& request) {
  auto doc = json::parse_untrusted(request);
  return doc.is_ok() ? json::get_string(*doc, "op").value_or("") : "";
}

std::string admin_reply(const std::string& request) {
  const std::string op = op_of(request);
  std::string head = "{\"v\":1,\"kind\":\"admin-result\",\"op\":\"" + op + "\",";
  if (op == "queue-status") {
    return head +
           "\"ok\":true,\"data\":{\"worlds\":[{\"worldId\":\"w1\",\"pending\":2,\"processing\":1,"
           "\"failed\":0},{\"worldId\":\"w2\",\"pending\":0,\"processing\":0,\"failed\":3}]}}";
  }
  if (op == "processors") {
    return head +
           "\"ok\":true,\"data\":[{\"id\":\"proc-a\",\"freeSlots\":4,\"hbAgeMs\":120,\"runs\":"
           "[{\"worldId\":\"w1\",\"runId\":\"msg-1\",\"attempt\":1}]},{\"id\":\"proc-b\",\"freeSlots\":5,"
           "\"hbAgeMs\":80,\"runs\":[]}]}";
  }
  if (op == "list-failed") {
    return head +
           "\"ok\":true,\"data\":[{\"worldId\":\"w2\",\"messageId\":\"msg-9\",\"state\":\"failed\","
           "\"attempt\":4,\"code\":\"processor_lost\"}]}";
  }
  if (op == "retry-failed") return head + "\"ok\":false,\"error\":\"read-only\"}";
  if (op == "cancel-message") return head + "\"ok\":true,\"data\":{\"messageId\":\"msg-1\",\"cancelled\":true}}";
  return head + "\"ok\":false,\"error\":\"unknown op\"}";
}

ToolResult awctl(const std::string& admin, std::vector<std::string> args) {
  args.insert(args.begin(), AW_AWCTL_BINARY);
  return run_tool(args, {{"AW_ADMIN_URL", admin}, {"AW_ADMIN_TIMEOUT_MS", "3000"}}, Millis(15000));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(awctl_tool)

BOOST_AUTO_TEST_CASE(admin_commands_print_tables_and_json) {
  ScriptedAdmin admin(admin_reply);
  auto queue = awctl(admin.endpoint(), {"queue"});
  BOOST_TEST_REQUIRE(queue.exit_status == 0, queue.err);
  BOOST_TEST(queue.out.find("WORLDID  PENDING  PROCESSING  FAILED") != std::string::npos, queue.out);
  BOOST_TEST(queue.out.find("w2       0        0           3") != std::string::npos, queue.out);

  auto running = awctl(admin.endpoint(), {"running"});
  BOOST_TEST_REQUIRE(running.exit_status == 0, running.err);
  BOOST_TEST(running.out.find("PROCESSOR  WORLDID  RUNID  ATTEMPT") != std::string::npos, running.out);
  BOOST_TEST(running.out.find("proc-a     w1       msg-1  1") != std::string::npos, running.out);
  BOOST_TEST(running.out.find("proc-b") == std::string::npos);

  auto procs = awctl(admin.endpoint(), {"processors"});
  BOOST_TEST(procs.out.find("proc-b") != std::string::npos, procs.out);

  auto dead = awctl(admin.endpoint(), {"--json", "dead"});
  BOOST_TEST_REQUIRE(dead.exit_status == 0, dead.err);
  auto doc = json::parse_untrusted(dead.out);
  BOOST_TEST_REQUIRE(doc.is_ok(), dead.out);
  BOOST_TEST_REQUIRE(doc->IsArray());
  BOOST_TEST(json::get_string((*doc)[0], "messageId").value_or("") == "msg-9");

  auto cancel = awctl(admin.endpoint(), {"--world", "w1", "cancel", "msg-1"});
  BOOST_TEST(cancel.exit_status == 0, cancel.err);
  auto retry = awctl(admin.endpoint(), {"retry", "msg-9"});
  BOOST_TEST(retry.exit_status == 1);  // refused: read-only without CURVE
  BOOST_TEST(retry.err.find("read-only") != std::string::npos, retry.err);

  // What awctl sent: versioned admin requests with the right op and params.
  const auto sent = admin.requests();
  BOOST_TEST_REQUIRE(sent.size() == 6u);
  BOOST_TEST(sent[0] == "{\"v\":1,\"kind\":\"admin\",\"op\":\"queue-status\"}");
  BOOST_TEST(sent[4] ==
             "{\"v\":1,\"kind\":\"admin\",\"op\":\"cancel-message\",\"params\":{\"messageId\":\"msg-1\","
             "\"worldId\":\"w1\"}}");
  BOOST_TEST(op_of(sent[5]) == "retry-failed");
}

BOOST_AUTO_TEST_CASE(no_admin_endpoint_is_a_timeout_and_bad_usage_is_2) {
  // A bound-then-closed port: nothing answers.
  auto r = run_tool({AW_AWCTL_BINARY, "queue"}, {{"AW_ADMIN_URL", "tcp://127.0.0.1:1"}, {"AW_ADMIN_TIMEOUT_MS", "300"}},
                    Millis(10000));
  BOOST_TEST(r.exit_status == 3, r.err);
  BOOST_TEST(run_tool({AW_AWCTL_BINARY, "frobnicate"}, {}, Millis(10000)).exit_status == 2);
  BOOST_TEST(run_tool({AW_AWCTL_BINARY, "retry"}, {}, Millis(10000)).exit_status == 2);
}

BOOST_AUTO_TEST_CASE(tap_prints_frames_of_one_world_as_json_lines) {
  zmq::context_t ctx(1);
  zmq::socket_t xpub(ctx, zmq::socket_type::xpub);
  xpub.set(zmq::sockopt::linger, 0);
  xpub.bind("tcp://127.0.0.1:*");
  const std::string endpoint = xpub.get(zmq::sockopt::last_endpoint);
  std::string out;
  std::thread tool([&] {
    auto r = run_tool({AW_AWCTL_BINARY, "--count", "2", "--duration-ms", "10000", "tap", "w1"},
                      {{"AW_TAP_URL", endpoint}}, Millis(15000));
    out = r.out;
  });
  // XPUB reports each subscription: publish only once awctl subscribed to all three frame types of w1 (no slow
  // joiner guesswork).
  std::set<std::string> subs;
  while (subs.size() < 3) {
    zmq::pollitem_t item{xpub.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(10000));
    BOOST_TEST_REQUIRE((item.revents & ZMQ_POLLIN) != 0);
    zmq::message_t m;
    BOOST_TEST_REQUIRE(xpub.recv(m).has_value());
    const std::string s = m.to_string();
    if (!s.empty() && s[0] == 1) subs.insert(s.substr(1));
  }
  BOOST_TEST(subs.count("event.w1") == 1u);
  auto publish = [&](const std::string& topic, const std::string& body) {
    std::array<zmq::const_buffer, 2> parts{zmq::buffer(topic), zmq::buffer(body)};
    zmq::send_multipart(xpub, parts);
  };
  publish("event.w10", "{\"type\":\"event\",\"worldId\":\"w10\"}");  // prefix match, other world: skipped
  publish("crud.w1", "{\"type\":\"crud\",\"worldId\":\"w1\",\"seq\":1}");
  publish("event.w1", "{\"type\":\"event\",\"worldId\":\"w1\",\"seq\":2}");
  tool.join();
  BOOST_TEST(out ==
             "{\"type\":\"crud\",\"worldId\":\"w1\",\"seq\":1}\n{\"type\":\"event\",\"worldId\":\"w1\",\"seq\":2}\n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
