// Client over websocketpp's asio_client (see client.h). The Impl lives on the io thread: every member below the
// mutex is touched only there; public functions post closures to it. websocketpp stays in this file (heavy header).
#include "client/client.h"

#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "client/backoff.h"
#include "client/subscription_book.h"

namespace aw::client {
namespace {

using WsClient = websocketpp::client<websocketpp::config::asio_client>;
using SteadyClock = std::chrono::steady_clock;

// Close codes after which the client does not reconnect by itself (ws-protocol.md §3.5).
bool is_terminal_close(int code) { return code == 1000 || code == 1007 || code == 4001; }

// 4029 (rate limit exceeded repeatedly): reconnect after at least 5 s.
constexpr Millis kRateLimitFloor{5000};
// Time allowed to the closing handshake and the io thread's exit in close().
constexpr Millis kCloseGrace{2000};

}  // namespace

struct Client::Impl {
  Impl(ClientOptions opts, Handlers h)
      : options(std::move(opts)),
        handlers(std::move(h)),
        backoff(options.reconnect_initial, options.reconnect_max, default_unit_random) {
    ws.clear_access_channels(websocketpp::log::alevel::all);
    ws.clear_error_channels(websocketpp::log::elevel::all);
    std::error_code ec;
    ws.init_asio(ec);
    ws.set_max_message_size(options.max_message_bytes);
    ws.set_open_handshake_timeout(static_cast<long>(options.open_timeout.count()));
    ws.set_close_handshake_timeout(static_cast<long>(kCloseGrace.count()));
    reconnect_timer = std::make_unique<asio::steady_timer>(ws.get_io_service());
    request_timer = std::make_unique<asio::steady_timer>(ws.get_io_service());
    ws.start_perpetual();
  }

  // --- io thread only ------------------------------------------------------------------------------------------

  void connect_now() {
    if (closing) return;
    std::error_code ec;
    std::string target;
    {
      std::lock_guard<std::mutex> lock(mutex);
      target = url;
    }
    WsClient::connection_ptr con = ws.get_connection(target, ec);
    if (ec) {
      finish_attempt(false, 0, "invalid url: " + ec.message(), /*retryable=*/false);
      return;
    }
    if (!options.token.empty()) con->append_header("Authorization", "Bearer " + options.token);
    Impl* self = this;
    con->set_open_handler([self](websocketpp::connection_hdl h) { self->on_open(h); });
    con->set_fail_handler([self](websocketpp::connection_hdl h) { self->on_fail(h); });
    con->set_close_handler([self](websocketpp::connection_hdl h) { self->on_close(h); });
    con->set_message_handler(
        [self](websocketpp::connection_hdl, WsClient::message_ptr msg) { self->on_text(msg->get_payload()); });
    ws.connect(con);
  }

  void on_open(websocketpp::connection_hdl h) {
    hdl = h;
    const bool reconnected = opened_before;
    opened_before = true;
    backoff.reset();
    set_connected(true, Status::ok());
    if (handlers.on_connection) {
      ConnectionEvent e;
      e.kind = ConnectionEvent::Kind::kOpen;
      e.reconnected = reconnected;
      handlers.on_connection(e);
    }
    if (reconnected) resubscribe_all();
  }

  void on_fail(websocketpp::connection_hdl h) {
    std::error_code ec;
    auto con = ws.get_con_from_hdl(h, ec);
    int http = con ? static_cast<int>(con->get_response_code()) : 0;
    std::string reason = con ? con->get_ec().message() : "connect failed";
    if (http != 0) reason = "HTTP " + std::to_string(http) + " " + reason;
    const bool unauthorized = http == 401 || http == 403;
    finish_attempt(false, 1006, reason, !unauthorized, unauthorized ? "unauthorized" : "connect_failed");
  }

  void on_close(websocketpp::connection_hdl h) {
    std::error_code ec;
    auto con = ws.get_con_from_hdl(h, ec);
    int code = con ? static_cast<int>(con->get_remote_close_code()) : 1006;
    std::string reason = con ? con->get_remote_close_reason() : "";
    if (con && con->get_ec() && reason.empty()) reason = con->get_ec().message();
    hdl.reset();
    finish_attempt(true, code, reason, !is_terminal_close(code));
  }

  // One connection (or attempt) ended: fail what was in flight, tell the program, maybe schedule a reconnect.
  void finish_attempt(bool was_open, int code, const std::string& reason, bool retryable,
                      const std::string& fail_code = "connect_failed") {
    set_connected(false, was_open ? Status::ok() : Status::error(fail_code, reason));
    run(requests.fail_all(closing ? "closed" : "disconnected", "connection lost: " + reason));
    ConnectionEvent e;
    e.kind = ConnectionEvent::Kind::kClosed;
    e.close_code = code;
    e.reason = reason;
    e.by_client = closing;
    e.will_retry = !closing && retryable && options.auto_reconnect;
    if (e.will_retry) {
      e.retry_in = backoff.next(code == 4029 ? kRateLimitFloor : Millis(0));
      reconnect_timer->expires_after(e.retry_in);
      Impl* self = this;
      reconnect_timer->async_wait([self](const std::error_code& wait_ec) {
        if (!wait_ec) self->connect_now();
      });
    }
    if (handlers.on_connection && (was_open || e.will_retry || !closing)) handlers.on_connection(e);
  }

  void resubscribe_all() {
    for (const Subscription& s : book.all()) {
      OutgoingFrame f = make_subscribe(s.world_id, s.chat_id);
      if (!s.epoch.empty()) {
        f.from_seq = s.last_seq;  // with an epoch, 0 asks for everything since the world began
        f.epoch = s.epoch;
      } else if (s.last_seq > 0) {
        f.from_seq = s.last_seq;
      }
      const bool asked_replay = f.from_seq.has_value();
      Impl* self = this;
      send_request(std::move(f), [self, s, asked_replay](Result<ServerFrame> r) {
        if (r && asked_replay && r->payload_bool("recovered") == false && self->handlers.on_reload) {
          self->handlers.on_reload(s.world_id, s.chat_id);
        }
      });
    }
  }

  void send_request(OutgoingFrame frame, RequestCallback callback) {
    if (closing || !is_open()) {
      callback(Status::error(closing ? "closed" : "disconnected", "not connected to the gateway"));
      return;
    }
    const std::string id = requests.next_id();
    std::error_code ec;
    ws.send(hdl, to_json(frame, id), websocketpp::frame::opcode::text, ec);
    if (ec) {
      callback(Status::error("send_failed", ec.message()));
      return;
    }
    requests.add(id, std::move(callback), SteadyClock::now() + options.request_timeout);
    arm_request_timer();
  }

  void arm_request_timer() {
    auto deadline = requests.next_deadline();
    if (!deadline) return;
    request_timer->expires_at(*deadline);
    Impl* self = this;
    request_timer->async_wait([self](const std::error_code& ec) {
      if (ec) return;  // re-armed or cancelled
      self->run(self->requests.expire(SteadyClock::now()));
      self->arm_request_timer();
    });
  }

  void on_text(const std::string& text) {
    auto parsed = parse_server_frame(text);
    if (!parsed) return;  // not ours to fix; the gateway never sends it
    const ServerFrame& f = parsed.value();
    if (handlers.on_frame) handlers.on_frame(f);
    track_subscriptions(f);
    if (auto completion = requests.match(f)) {
      completion->first(std::move(completion->second));
      return;
    }
    if ((f.type == "event" || f.type == "crud") && f.seq && !book.accept(f.world_id, f.chat_id, *f.seq)) return;
    if (f.type == "event") {
      const FrameHandler* h = nullptr;
      if (f.event_type == "message") h = &handlers.on_message;
      if (f.event_type == "sse") h = &handlers.on_sse;
      if (f.event_type == "world") h = &handlers.on_world;
      if (f.event_type == "system") h = &handlers.on_system;
      if (h != nullptr && *h) (*h)(f);
    } else if (f.type == "crud") {
      if (handlers.on_crud) handlers.on_crud(f);
    } else if (f.type == "status") {
      if (handlers.on_status) handlers.on_status(f);
    } else if (f.type == "error") {
      if (handlers.on_error) handlers.on_error(f);
    }
  }

  // Subscription bookkeeping that holds whoever asked: acks, replay ends, and subscriptions the server removed.
  void track_subscriptions(const ServerFrame& f) {
    if (f.type != "status") return;
    if (f.status == "subscribed") {
      book.on_ack(f.world_id, f.chat_id, f.payload_string("epoch").value_or(""), f.payload_int("seq").value_or(0),
                  f.payload_int("replayCount").value_or(0));
    } else if (f.status == "replay-complete") {
      book.on_replay_complete(f.world_id, f.chat_id, f.payload_int("latestSeq").value_or(0));
      if (f.payload_bool("recovered") == false && handlers.on_reload) handlers.on_reload(f.world_id, f.chat_id);
    } else if (f.status == "unsubscribed" && f.request_id.empty() && f.payload_string("reason")) {
      book.remove(f.world_id, f.chat_id, !f.chat_id.has_value());
    }
  }

  void run(std::vector<RequestTable::Completion> completions) {
    for (auto& [callback, result] : completions) callback(std::move(result));
  }

  void do_close() {
    closing = true;
    std::error_code ec;
    reconnect_timer->cancel();
    request_timer->cancel();
    run(requests.fail_all("closed", "client closed"));
    if (is_open()) ws.close(hdl, websocketpp::close::status::normal, "client closing", ec);
    ws.stop_perpetual();
  }

  bool is_open() {
    std::error_code ec;
    auto con = ws.get_con_from_hdl(hdl, ec);
    return con && con->get_state() == websocketpp::session::state::open;
  }

  void set_connected(bool value, Status attempt) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      connected = value;
      ++attempts;
      last_attempt = std::move(attempt);
    }
    cv.notify_all();
  }

  const ClientOptions options;
  const Handlers handlers;
  WsClient ws;
  std::unique_ptr<asio::steady_timer> reconnect_timer;
  std::unique_ptr<asio::steady_timer> request_timer;
  Backoff backoff;
  RequestTable requests;
  SubscriptionBook book;
  websocketpp::connection_hdl hdl;
  bool opened_before = false;
  bool closing = false;

  mutable std::mutex mutex;  // guards the members below, shared with caller threads
  std::condition_variable cv;
  std::string url;
  bool connected = false;
  int attempts = 0;
  Status last_attempt;
  std::atomic<std::size_t> pending{0};
  std::thread io_thread;
  bool io_done = false;
};

Client::Client(ClientOptions options, Handlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {
  impl_->url = impl_->options.url;
  Impl* impl = impl_.get();
  impl_->io_thread = std::thread([impl] {
    try {
      impl->ws.run();
    } catch (const std::exception&) {
      // The endpoint is torn down; nothing left to report.
    }
    {
      std::lock_guard<std::mutex> lock(impl->mutex);
      impl->io_done = true;
    }
    // Requests posted before io_done became visible still get their answer ("closed").
    impl->closing = true;
    try {
      impl->ws.get_io_service().restart();
      impl->ws.get_io_service().poll();
    } catch (const std::exception&) {
    }
    impl->cv.notify_all();
  });
}

Client::~Client() {
  close();
  if (impl_->io_thread.joinable()) impl_->io_thread.join();
}

Status Client::start(Millis wait) {
  Impl* impl = impl_.get();
  asio::post(impl->ws.get_io_service(), [impl] { impl->connect_now(); });
  std::unique_lock<std::mutex> lock(impl->mutex);
  if (!impl->cv.wait_for(lock, wait, [&] { return impl->connected || impl->attempts > 0; })) {
    return Status::error("timeout",
                         "no connection to " + impl->url + " within " + std::to_string(wait.count()) + " ms");
  }
  if (impl->connected) return Status::ok();
  return impl->last_attempt.is_ok() ? Status::error("connect_failed", "connection closed") : impl->last_attempt;
}

void Client::close() {
  Impl* impl = impl_.get();
  {
    std::lock_guard<std::mutex> lock(impl->mutex);
    if (impl->io_done) return;
  }
  asio::post(impl->ws.get_io_service(), [impl] { impl->do_close(); });
  std::unique_lock<std::mutex> lock(impl->mutex);
  if (!impl->cv.wait_for(lock, kCloseGrace + Millis(500), [&] { return impl->io_done; })) {
    lock.unlock();
    impl->ws.stop();  // the peer never finished the closing handshake
  }
}

bool Client::is_connected() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->connected;
}

void Client::set_url(const std::string& url) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->url = url;
}

void Client::request_async(OutgoingFrame frame, RequestCallback callback) {
  Impl* impl = impl_.get();
  ++impl->pending;
  // The count drops when the callback has run, whichever way the request ended.
  RequestCallback counted = [impl, cb = std::move(callback)](Result<ServerFrame> r) {
    --impl->pending;
    if (cb) cb(std::move(r));
  };
  std::unique_lock<std::mutex> lock(impl->mutex);
  if (impl->io_done) {
    lock.unlock();
    counted(Status::error("closed", "client closed"));
    return;
  }
  // Posted under the mutex: either the io thread has not finished and will run it (its final drain included), or
  // io_done was already visible above.
  asio::post(impl->ws.get_io_service(), [impl, f = std::move(frame), cb = std::move(counted)]() mutable {
    impl->send_request(std::move(f), std::move(cb));
  });
}

std::future<Result<ServerFrame>> Client::request(OutgoingFrame frame) {
  auto promise = std::make_shared<std::promise<Result<ServerFrame>>>();
  auto future = promise->get_future();
  request_async(std::move(frame), [promise](Result<ServerFrame> r) { promise->set_value(std::move(r)); });
  return future;
}

std::future<Result<ServerFrame>> Client::subscribe(const std::string& world_id,
                                                   const std::optional<std::string>& chat_id) {
  Impl* impl = impl_.get();
  auto promise = std::make_shared<std::promise<Result<ServerFrame>>>();
  auto future = promise->get_future();
  asio::post(impl->ws.get_io_service(), [impl, world_id, chat_id] { impl->book.add(world_id, chat_id); });
  request_async(make_subscribe(world_id, chat_id), [impl, promise, world_id, chat_id](Result<ServerFrame> r) {
    if (!r && r.status().code() != "disconnected") impl->book.remove(world_id, chat_id, false);
    promise->set_value(std::move(r));
  });
  return future;
}

std::future<Result<ServerFrame>> Client::unsubscribe(const std::string& world_id,
                                                     const std::optional<std::string>& chat_id) {
  Impl* impl = impl_.get();
  asio::post(impl->ws.get_io_service(),
             [impl, world_id, chat_id] { impl->book.remove(world_id, chat_id, !chat_id.has_value()); });
  return request(make_unsubscribe(world_id, chat_id));
}

std::future<Result<ServerFrame>> Client::command(const std::string& world_id, const std::string& name,
                                                 const std::string& params_json) {
  return request(make_command(world_id, name, params_json));
}

void Client::command_async(const std::string& world_id, const std::string& name, const std::string& params_json,
                           RequestCallback callback) {
  request_async(make_command(world_id, name, params_json), std::move(callback));
}

std::future<Result<ServerFrame>> Client::send_message(const std::string& world_id,
                                                      const std::optional<std::string>& chat_id,
                                                      const std::string& message_id, const std::string& content,
                                                      const std::string& sender) {
  return request(make_message(world_id, chat_id, message_id, content, sender));
}

std::size_t Client::pending_requests() const { return impl_->pending.load(); }

}  // namespace aw::client
