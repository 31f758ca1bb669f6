// Fan-out mode (see fanout_mode.h). Each connection's state is touched only by the worker thread that owns it; the
// main thread drives the phases with latches and reads the states only after the pool is destroyed (workers
// joined).
#include "bench/lib/fanout_mode.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string_view>
#include <vector>

#include "bench/lib/client_pool.h"
#include "bench/lib/countdown_latch.h"
#include "bench/lib/json_line.h"
#include "common/json.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kAll = static_cast<std::size_t>(-1);  // counts any latch down to zero

struct ConnState {
  bool subscribed = false;
  bool done = false;
  std::uint64_t frames = 0;  // from arming to the `sse end`, both included
  std::uint64_t chunks = 0;
  Clock::time_point first;
  Clock::time_point end;
};

// The gateway's chunk event and end event, same shape and about the same size (echo mode).
std::string echo_frame(std::size_t i, bool end) {
  std::string f = R"({"type":"event","worldId":"fanout-world","chatId":"chat-0123456789abcdef","eventType":"sse",)";
  f += R"("runId":"fan-1","attempt":1,"payload":{"type":")";
  f += end ? "end" : "chunk";
  f += R"(","content":"x","agentName":"a1","messageId":"msg-0123456789abcdef","index":)";
  f += std::to_string(i);
  f += R"(},"timestamp":1764100000000})";
  return f;
}

bool is_chunk(std::string_view f) { return f.find(R"("type":"chunk")") != std::string_view::npos; }
bool is_sse_end(std::string_view f) {
  return f.find(R"("eventType":"sse")") != std::string_view::npos &&
         f.find(R"("type":"end")") != std::string_view::npos;
}

std::string field(const json::Value* v, std::string_view key) {
  return v != nullptr && v->IsObject() ? json::get_string(*v, key).value_or("") : std::string();
}

class Fanout {
 public:
  explicit Fanout(const FanoutOptions& options)
      : options_(options),
        conns_(options.clients),
        opened_(options.clients),
        setup_(1),
        subscribed_(options.clients),
        done_(options.clients) {}

  Status run() {
    ClientPoolHandlers h;
    h.on_open = [this](ConnId) { opened_.count_down(); };
    h.on_fail = [this](ConnId id, const std::string& why) { fail("connect " + std::to_string(id) + ": " + why); };
    h.on_close = [this](ConnId id) {
      if (!conns_[id].done) fail("connection " + std::to_string(id) + " closed by the server");
    };
    h.on_message = [this](ConnId id, std::string_view payload) { on_message(id, payload); };
    const Clock::time_point deadline = Clock::now() + options_.timeout;
    auto left = [&] {
      return std::max(std::chrono::milliseconds(0),
                      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    };
    {
      ClientPool pool(options_.uri, options_.threads, h);
      pool_ = &pool;
      const Clock::time_point connect_start = Clock::now();
      pool.connect(options_.clients);
      if (!opened_.wait_for(left())) fail("deadline passed while connecting");
      connect_ms_ = std::chrono::duration<double, std::milli>(Clock::now() - connect_start).count();
      if (!options_.echo && !failed()) {
        pool.post(0, [this] { send_setup(); });
        if (!setup_.wait_for(left())) fail("deadline passed during setup");
        for (ConnId id = 0; id < options_.clients && !failed(); ++id) pool.post(id, [this, id] { subscribe(id); });
        if (!failed() && !subscribed_.wait_for(left())) fail("deadline passed while subscribing");
      }
      if (!failed()) {
        armed_.store(true);
        sent_at_ = Clock::now();
        pool.post(0, [this] { publish(); });
        if (!done_.wait_for(left())) fail("deadline passed before every connection saw the sse end");
      }
      pool.close_all(std::chrono::milliseconds(3000));
      pool_ = nullptr;
    }  // workers joined: every ConnState is ours now
    return report();
  }

 private:
  bool failed() {
    std::lock_guard<std::mutex> lock(error_mutex_);
    return !error_.empty();
  }
  void fail(const std::string& why) {
    {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_.empty()) return;
      error_ = why;
    }
    opened_.count_down(kAll);
    setup_.count_down(kAll);
    subscribed_.count_down(kAll);
    done_.count_down(kAll);
  }

  void send(ConnId id, const std::string& frame) {
    if (!pool_->send(id, frame)) fail("send failed on connection " + std::to_string(id));
  }

  // Connection 0's worker: create-world, then create-agent (answered in on_setup_reply).
  void send_setup() {
    std::string f = R"({"type":"command","payload":{"command":"create-world","params":{"name":)";
    json::append_quoted(f, "fanout-" + std::to_string(::getpid()));
    f += R"(}},"requestId":"s0"})";
    send(0, f);
  }

  void on_setup_reply(const json::Value& doc) {
    const std::string rid = field(&doc, "requestId");
    if (rid != "s0" && rid != "s1") return;
    const json::Value* p = json::find(doc, "payload");
    if (field(p, "status") != "success") return fail("setup " + rid + " failed: " + json::to_string(doc).value_or("?"));
    if (rid == "s1") return setup_.count_down();
    world_id_ = field(p != nullptr && p->IsObject() ? json::find(*p, "data") : nullptr, "id");
    if (world_id_.empty()) return fail("create-world answered without data.id");
    std::string f = R"({"type":"command","worldId":)";
    json::append_quoted(f, world_id_);
    f += R"(,"payload":{"command":"create-agent","params":{"name":"a1","provider":)";
    json::append_quoted(f, options_.provider);
    f += R"(,"model":)";
    json::append_quoted(f, options_.model);
    f += R"(}},"requestId":"s1"})";
    send(0, f);
  }

  void subscribe(ConnId id) {
    std::string f = R"({"type":"subscribe","worldId":)";
    json::append_quoted(f, world_id_);  // written by connection 0's worker before setup_ reached zero
    f += R"(,"requestId":"sub"})";
    send(id, f);
  }

  // Connection 0's worker: the message (gateway) or the broadcast frames (echo).
  void publish() {
    if (options_.echo) {
      for (std::size_t i = 0; i < options_.events; ++i) send(0, echo_frame(i, false));
      send(0, echo_frame(options_.events, true));
      return;
    }
    std::string f = R"({"type":"message","worldId":)";
    json::append_quoted(f, world_id_);
    f += R"(,"messageId":"fan-1","payload":{"content":)";
    json::append_quoted(f, options_.content);
    f += R"(,"sender":"human"}})";
    send(0, f);
  }

  void on_message(ConnId id, std::string_view payload) {
    ConnState& c = conns_[id];
    if (!armed_.load(std::memory_order_relaxed)) {
      // Setup replies and subscription acknowledgements: few, parsed.
      auto doc = json::parse_trusted(payload);
      if (!doc || !doc->IsObject()) return;
      const std::string type = field(&*doc, "type");
      if (type == "error") return fail("error frame: " + std::string(payload.substr(0, 300)));
      if (type != "status") return;
      if (id == 0 && setup_.remaining() > 0) return on_setup_reply(*doc);
      if (!c.subscribed && field(&*doc, "requestId") == "sub") {
        if (field(json::find(*doc, "payload"), "status") != "subscribed") {
          return fail("subscribe failed: " + std::string(payload.substr(0, 300)));
        }
        c.subscribed = true;
        subscribed_.count_down();
      }
      return;
    }
    if (c.done) return;
    const Clock::time_point now = Clock::now();
    if (c.frames == 0) c.first = now;
    ++c.frames;
    if (is_chunk(payload)) {
      ++c.chunks;
    } else if (is_sse_end(payload)) {
      c.done = true;
      c.end = now;
      done_.count_down();
    }
  }

  Status report() {
    std::uint64_t deliveries = 0;
    std::uint64_t chunks = 0;
    std::size_t finished = 0;
    Clock::time_point first = Clock::time_point::max();
    Clock::time_point last = Clock::time_point::min();
    for (const ConnState& c : conns_) {
      deliveries += c.frames;
      chunks += c.chunks;
      if (c.frames > 0) first = std::min(first, c.first);
      if (c.done) {
        ++finished;
        last = std::max(last, c.end);
      }
    }
    const bool ok = error_.empty() && finished == conns_.size();
    const double seconds = ok ? std::chrono::duration<double>(last - first).count() : 0.0;
    auto ms_since_send = [&](Clock::time_point t) {
      return ok ? std::chrono::duration<double, std::milli>(t - sent_at_).count() : 0.0;
    };
    JsonLine line;
    line.add("mode", "fanout")
        .add("target", options_.label)
        .add("clients", static_cast<std::uint64_t>(options_.clients))
        .add("threads", static_cast<std::uint64_t>(options_.threads))
        .add("completed", ok)
        .add("finished", static_cast<std::uint64_t>(finished))
        .add("connect_ms", connect_ms_)
        .add("deliveries", deliveries)
        .add("chunk_deliveries", chunks)
        .add("chunks_per_client", conns_.empty() ? 0.0 : static_cast<double>(chunks) / conns_.size())
        .add("first_delivery_ms", ms_since_send(first))
        .add("last_delivery_ms", ms_since_send(last))
        .add("deliveries_per_s", seconds > 0 ? static_cast<double>(deliveries) / seconds : 0.0);
    if (!error_.empty()) line.add("error", error_);
    line.print();
    if (!ok) return Status::internal(error_.empty() ? "not every connection finished" : error_);
    return Status::ok();
  }

  const FanoutOptions& options_;
  std::vector<ConnState> conns_;
  CountdownLatch opened_;
  CountdownLatch setup_;
  CountdownLatch subscribed_;
  CountdownLatch done_;
  ClientPool* pool_ = nullptr;
  std::string world_id_;  // connection 0's worker writes it before setup_ reaches zero; others read it after
  std::atomic<bool> armed_{false};
  Clock::time_point sent_at_;
  double connect_ms_ = 0;
  std::mutex error_mutex_;  // guards error_
  std::string error_;
};

}  // namespace

std::size_t raise_fd_limit(std::size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < wanted) {
    lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? wanted : std::min<rlim_t>(wanted, lim.rlim_max);
    (void)::setrlimit(RLIMIT_NOFILE, &lim);
    (void)::getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<std::size_t>(lim.rlim_cur);
}

Status run_fanout(const FanoutOptions& options) {
  if (options.clients == 0) return Status::invalid_request("--clients must be at least 1");
  Fanout fanout(options);
  return fanout.run();
}

}  // namespace aw::bench
