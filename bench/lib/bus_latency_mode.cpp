// Bus round trip mode (see bus_latency_mode.h). All session state lives on the pool's single worker thread; the
// main thread reads it only after the pool is destroyed (its worker joined).
#include "bench/lib/bus_latency_mode.h"

#include <unistd.h>

#include <string_view>
#include <vector>

#include "bench/lib/client_pool.h"
#include "bench/lib/countdown_latch.h"
#include "bench/lib/json_line.h"
#include "bench/lib/latency_summary.h"
#include "common/json.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kStepsPerWorld = 3;  // create-world, create-agent, subscribe

struct WorldState {
  std::string id;
  std::string message_id;  // in flight; empty when idle
  Clock::time_point sent_at;
  bool got_end = false;
  bool got_completed = false;
};

const json::Value* member(const json::Value& v, std::string_view key) {
  return v.IsObject() ? json::find(v, key) : nullptr;
}

std::string field(const json::Value* v, std::string_view key) {
  return v ? json::get_string(*v, key).value_or("") : std::string();
}

class Session {
 public:
  Session(const BusLatencyOptions& options, ClientPool*& pool, CountdownLatch& done)
      : options_(options), pool_(pool), done_(done), worlds_(options.worlds) {
    end_ns_.reserve(options.messages);
    completed_ns_.reserve(options.messages);
  }

  void on_open() { send_step(); }

  void on_message(std::string_view payload) {
    const Clock::time_point now = Clock::now();
    auto doc = json::parse_trusted(payload);
    if (!doc || !doc->IsObject()) return;
    const std::string type = field(&*doc, "type");
    if (type == "error") return fail("error frame: " + std::string(payload.substr(0, 300)));
    if (step_ < options_.worlds * kStepsPerWorld) return on_setup_reply(*doc, type, payload);
    if (type == "event") return on_event(*doc, now);
    if (type == "status") return on_status(*doc, now, payload);
  }

  void fail(std::string why) {
    if (finished_) return;
    error_ = std::move(why);
    finished_ = true;
    done_.count_down();
  }

  bool finished_ = false;
  std::string error_;
  std::size_t completed_ = 0;  // messages with both end and completed, warmup included
  std::size_t failed_ = 0;
  Clock::time_point measure_start_;
  Clock::time_point measure_end_;
  std::vector<std::int64_t> end_ns_;
  std::vector<std::int64_t> completed_ns_;

 private:
  void send_step() {
    const std::size_t w = step_ / kStepsPerWorld;
    const std::string rid = "s" + std::to_string(step_);
    std::string frame;
    switch (step_ % kStepsPerWorld) {
      case 0:
        frame = R"({"type":"command","payload":{"command":"create-world","params":{"name":)";
        json::append_quoted(frame, "bus-bench-" + std::to_string(::getpid()) + "-" + std::to_string(w));
        frame += "}}";
        break;
      case 1:
        frame = R"({"type":"command","worldId":)";
        json::append_quoted(frame, worlds_[w].id);
        frame += R"(,"payload":{"command":"create-agent","params":{"name":"a1","provider":)";
        json::append_quoted(frame, options_.provider);
        frame += R"(,"model":)";
        json::append_quoted(frame, options_.model);
        frame += "}}";
        break;
      default:
        frame = R"({"type":"subscribe","worldId":)";
        json::append_quoted(frame, worlds_[w].id);
        break;
    }
    frame += R"(,"requestId":)";
    json::append_quoted(frame, rid);
    frame += '}';
    if (!pool_->send(0, frame)) fail("send failed during setup");
  }

  void on_setup_reply(const json::Value& doc, const std::string& type, std::string_view text) {
    if (type != "status" || field(&doc, "requestId") != "s" + std::to_string(step_)) return;
    const json::Value* p = member(doc, "payload");
    const std::string status = field(p, "status");
    if (status != "success" && status != "subscribed") return fail("setup failed: " + std::string(text.substr(0, 300)));
    if (step_ % kStepsPerWorld == 0) {
      const json::Value* data = p ? member(*p, "data") : nullptr;
      worlds_[step_ / kStepsPerWorld].id = field(data, "id");
      if (worlds_[step_ / kStepsPerWorld].id.empty()) return fail("create-world answered without data.id");
    }
    if (++step_ < options_.worlds * kStepsPerWorld) return send_step();
    if (options_.warmup == 0) measure_start_ = Clock::now();
    for (std::size_t w = 0; w < worlds_.size(); ++w) send_message(w);
  }

  void send_message(std::size_t w) {
    WorldState& ws = worlds_[w];
    ws.message_id = "bm-" + std::to_string(next_message_++);
    ws.got_end = ws.got_completed = false;
    std::string frame = R"({"type":"message","worldId":)";
    json::append_quoted(frame, ws.id);
    frame += R"(,"messageId":)";
    json::append_quoted(frame, ws.message_id);
    frame += R"(,"payload":{"content":"hello","sender":"human"}})";
    ws.sent_at = Clock::now();
    if (!pool_->send(0, frame)) fail("send failed");
  }

  WorldState* world_of(const json::Value& doc) {
    const std::string id = field(&doc, "worldId");
    for (WorldState& w : worlds_) {
      if (w.id == id) return &w;
    }
    return nullptr;
  }

  void on_event(const json::Value& doc, Clock::time_point now) {
    if (field(&doc, "eventType") != "sse" || field(member(doc, "payload"), "type") != "end") return;
    WorldState* ws = world_of(doc);
    // One message in flight per world, so the world's end event belongs to it.
    if (!ws || ws->message_id.empty() || ws->got_end) return;
    ws->got_end = true;
    if (recording()) end_ns_.push_back((now - ws->sent_at).count());
    maybe_next(*ws, now);
  }

  void on_status(const json::Value& doc, Clock::time_point now, std::string_view text) {
    WorldState* ws = world_of(doc);
    if (!ws || ws->message_id.empty() || field(&doc, "messageId") != ws->message_id) return;
    const std::string status = field(member(doc, "payload"), "status");
    if (status == "failed") {
      ++failed_;
      return fail("message failed: " + std::string(text.substr(0, 300)));
    }
    if (status != "completed" || ws->got_completed) return;
    ws->got_completed = true;
    if (recording()) completed_ns_.push_back((now - ws->sent_at).count());
    maybe_next(*ws, now);
  }

  bool recording() const { return completed_ >= options_.warmup; }

  void maybe_next(WorldState& ws, Clock::time_point now) {
    if (!ws.got_end || !ws.got_completed || finished_) return;
    ws.message_id.clear();
    ++completed_;
    if (completed_ == options_.warmup) measure_start_ = now;
    if (completed_ == options_.warmup + options_.messages) {
      measure_end_ = now;
      finished_ = true;
      done_.count_down();
      return;
    }
    // Only send what is still needed: the messages in flight in other worlds count too.
    if (next_message_ < options_.warmup + options_.messages) send_message(static_cast<std::size_t>(&ws - &worlds_[0]));
  }

  const BusLatencyOptions& options_;
  ClientPool*& pool_;
  CountdownLatch& done_;
  std::vector<WorldState> worlds_;
  std::size_t step_ = 0;
  std::size_t next_message_ = 0;
};

void add_summary(JsonLine& line, const std::string& prefix, std::vector<std::int64_t>& samples_ns) {
  const LatencySummary s = summarize_latencies(samples_ns);
  line.add(prefix + "_samples", static_cast<std::uint64_t>(s.count))
      .add(prefix + "_min_us", s.min_us)
      .add(prefix + "_p50_us", s.p50_us)
      .add(prefix + "_p90_us", s.p90_us)
      .add(prefix + "_p99_us", s.p99_us)
      .add(prefix + "_max_us", s.max_us)
      .add(prefix + "_mean_us", s.mean_us);
}

}  // namespace

Status run_bus_latency(const BusLatencyOptions& options) {
  if (options.worlds == 0) return Status::invalid_request("--worlds must be at least 1");
  CountdownLatch done(1);
  ClientPool* pool_ptr = nullptr;
  Session session(options, pool_ptr, done);
  ClientPoolHandlers handlers;
  handlers.on_open = [&](ConnId) { session.on_open(); };
  handlers.on_fail = [&](ConnId, const std::string& reason) { session.fail("connect failed: " + reason); };
  handlers.on_close = [&](ConnId) { session.fail("connection closed by the gateway"); };
  handlers.on_message = [&](ConnId, std::string_view payload) { session.on_message(payload); };
  bool timed_out = false;
  {
    ClientPool pool(options.uri, 1, handlers);
    pool_ptr = &pool;
    pool.connect(1);
    timed_out = !done.wait_for(options.timeout);
    if (timed_out) pool.post(0, [&] { session.fail("deadline passed"); });
    pool.close_all(std::chrono::milliseconds(2000));
  }  // worker joined: session is ours now

  const bool ok = session.error_.empty() && !timed_out;
  const double seconds = std::chrono::duration<double>(session.measure_end_ - session.measure_start_).count();
  JsonLine line;
  line.add("mode", "bus-latency")
      .add("target", options.label)
      .add("tag", options.tag)
      .add("worlds", static_cast<std::uint64_t>(options.worlds))
      .add("messages", static_cast<std::uint64_t>(options.messages))
      .add("warmup", static_cast<std::uint64_t>(options.warmup))
      .add("completed", ok)
      .add("done", static_cast<std::uint64_t>(session.completed_))
      .add("failures", static_cast<std::uint64_t>(session.failed_));
  add_summary(line, "end", session.end_ns_);
  add_summary(line, "status", session.completed_ns_);
  line.add("msgs_per_s", ok && seconds > 0 ? static_cast<double>(options.messages) / seconds : 0.0);
  if (!session.error_.empty()) line.add("error", session.error_);
  line.print();
  if (!ok) return Status::internal(session.error_.empty() ? "deadline passed" : session.error_);
  return Status::ok();
}

}  // namespace aw::bench
