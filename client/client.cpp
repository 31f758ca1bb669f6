// Client over websocketpp's asio_client (see client.h). The Impl lives on the io thread: every member but `state`
// is touched only there; public functions post closures to it. websocketpp stays in this file (heavy header); the
// decisions (close_policy, token_source, token_expiry, frame_router, backoff) and the state shared with callers
// (client_state) are socket-free files of their own.
#include "client/client.h"

#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <thread>
#include <utility>

#include "client/backoff.h"
#include "client/client_state.h"
#include "client/close_policy.h"
#include "client/frame_router.h"
#include "client/token_expiry.h"
#include "client/token_source.h"

namespace aw::client {
namespace {

using WsClient = websocketpp::client<websocketpp::config::asio_client>;
using SteadyClock = std::chrono::steady_clock;

// Time allowed to the closing handshake and the io thread's exit in close().
constexpr Millis kCloseGrace{2000};
// A refresh whose provider failed (or had nothing new) is tried again after this long, until the token expires.
constexpr Millis kRefreshRetry{1000};

}  // namespace

struct Client::Impl {
  Impl(ClientOptions opts, Handlers h)
      : options(std::move(opts)),
        handlers(std::move(h)),
        backoff(options.reconnect_initial, options.reconnect_max, default_unit_random),
        tokens(options.token, options.token_provider),
        router(handlers),
        state(options.url) {
    ws.clear_access_channels(websocketpp::log::alevel::all);
    ws.clear_error_channels(websocketpp::log::elevel::all);
    std::error_code ec;
    ws.init_asio(ec);
    ws.set_max_message_size(options.max_message_bytes);
    ws.set_open_handshake_timeout(static_cast<long>(options.open_timeout.count()));
    ws.set_close_handshake_timeout(static_cast<long>(kCloseGrace.count()));
    reconnect_timer = std::make_unique<asio::steady_timer>(ws.get_io_service());
    request_timer = std::make_unique<asio::steady_timer>(ws.get_io_service());
    refresh_timer = std::make_unique<asio::steady_timer>(ws.get_io_service());
    ws.start_perpetual();
  }

  // --- io thread only ------------------------------------------------------------------------------------------

  void connect_now() {
    if (closing) return;
    auto token = tokens.for_attempt();
    if (!token) {
      EndedConnection ended;
      ended.reason = token.status().message();
      CloseOutcome outcome;  // provider failure: try again later; the refused token again: stop
      outcome.reconnect = token.status().code() == "token_unavailable";
      if (!outcome.reconnect) outcome.error = token.status();
      finish_attempt(ended, false, token.status().code(), outcome);
      return;
    }
    std::error_code ec;
    WsClient::connection_ptr con = ws.get_connection(state.url(), ec);
    if (ec) {
      finish_attempt(EndedConnection{0, 0, false, false, "invalid url: " + ec.message()}, false, "connect_failed",
                     CloseOutcome{});
      return;
    }
    auth_refused = false;
    if (options.auth_delivery == AuthDelivery::kHeader && !token->empty()) {
      con->append_header("Authorization", "Bearer " + *token);
    }
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
    std::error_code ec;
    if (closing) {  // close() came while this attempt was connecting
      ws.close(hdl, websocketpp::close::status::normal, "client closing", ec);
      return;
    }
    if (options.auth_delivery == AuthDelivery::kFrame && !tokens.current().empty()) {
      Impl* self = this;
      send_raw(make_auth(tokens.current()), [self](Result<ServerFrame> r) {
        if (r) {
          self->on_ready();
          return;
        }
        if (r.status().code() == "disconnected" || r.status().code() == "closed") return;
        // Refused: the gateway closes with 4001 itself; close from here too in case it does not (or timed out).
        self->auth_refused = r.status().code() == "unauthorized";
        std::error_code close_ec;
        if (self->is_open()) {
          self->ws.close(self->hdl, websocketpp::close::status::going_away, "authentication failed", close_ec);
        }
      });
      return;
    }
    on_ready();
  }

  // The connection is open and authenticated: requests may flow.
  void on_ready() {
    ready = true;
    const bool reconnected = opened_before;
    opened_before = true;
    backoff.reset();
    state.set_connected(true, Status::ok(), Status::ok());
    if (handlers.on_connection) {
      ConnectionEvent e;
      e.kind = ConnectionEvent::Kind::kOpen;
      e.reconnected = reconnected;
      handlers.on_connection(e);
    }
    if (reconnected) resubscribe_all();
    schedule_refresh(std::nullopt);
  }

  void on_fail(websocketpp::connection_hdl h) {
    std::error_code ec;
    auto con = ws.get_con_from_hdl(h, ec);
    EndedConnection ended;
    ended.http_status = con ? static_cast<int>(con->get_response_code()) : 0;
    ended.reason = con ? con->get_ec().message() : "connect failed";
    if (ended.http_status != 0) ended.reason = "HTTP " + std::to_string(ended.http_status) + " " + ended.reason;
    ended.has_token_provider = tokens.has_provider();
    const std::string code = ended.http_status == 401   ? "unauthorized"
                             : ended.http_status == 403 ? "forbidden"
                                                        : "connect_failed";
    finish_attempt(ended, false, code, decide_after_close(ended));
  }

  void on_close(websocketpp::connection_hdl h) {
    std::error_code ec;
    auto con = ws.get_con_from_hdl(h, ec);
    EndedConnection ended;
    ended.close_code = con ? static_cast<int>(con->get_remote_close_code()) : 1006;
    ended.reason = con ? con->get_remote_close_reason() : "";
    if (con && con->get_ec() && ended.reason.empty()) ended.reason = con->get_ec().message();
    ended.auth_refused = auth_refused;
    ended.has_token_provider = tokens.has_provider();
    hdl.reset();
    finish_attempt(ended, true, auth_refused ? "unauthorized" : "connect_failed", decide_after_close(ended));
  }

  // One connection (or attempt) ended: fail what was in flight, tell the program, maybe schedule a reconnect.
  void finish_attempt(const EndedConnection& ended, bool was_open, const std::string& fail_code,
                      const CloseOutcome& outcome) {
    const bool was_ready = ready;
    ready = false;
    refresh_timer->cancel();
    if (!closing && is_token_rejection(ended)) tokens.reject_current(outcome.error);
    Status attempt = Status::ok();
    if (!was_ready) attempt = outcome.error.is_ok() ? Status::error(fail_code, ended.reason) : outcome.error;
    ConnectionEvent e;
    e.kind = ConnectionEvent::Kind::kClosed;
    e.close_code = ended.close_code;
    e.reason = ended.reason;
    e.by_client = closing;
    e.will_retry = !closing && outcome.reconnect && options.auto_reconnect;
    if (!closing && !outcome.reconnect) e.error = outcome.error;
    state.set_connected(false, attempt, e.error);
    run(router.requests().fail_all(closing ? "closed" : "disconnected", "connection lost: " + ended.reason));
    if (e.will_retry) {
      e.retry_in = backoff.next(outcome.floor);
      reconnect_timer->expires_after(e.retry_in);
      Impl* self = this;
      reconnect_timer->async_wait([self](const std::error_code& wait_ec) {
        if (!wait_ec) self->connect_now();
      });
    }
    if (handlers.on_connection && (was_open || e.will_retry || !closing)) handlers.on_connection(e);
  }

  // Plans the next token refresh from the current token's exp (only with a provider); `delay` overrides it.
  void schedule_refresh(std::optional<Millis> delay) {
    refresh_timer->cancel();
    if (!tokens.has_provider() || options.token_refresh_margin <= Millis(0)) return;
    if (!delay) {
      auto exp = jwt_expiry(tokens.current());
      if (!exp) return;
      delay = refresh_delay(std::chrono::system_clock::now(), *exp, options.token_refresh_margin);
      if (!delay) return;
    }
    refresh_timer->expires_after(*delay);
    Impl* self = this;
    refresh_timer->async_wait([self](const std::error_code& ec) {
      if (!ec) self->refresh_now();
    });
  }

  void refresh_now() {
    if (!ready || closing) return;
    auto fresh = tokens.for_refresh();
    if (!fresh || fresh->empty()) {
      auto exp = jwt_expiry(tokens.current());
      if (exp && *exp > std::chrono::system_clock::now()) schedule_refresh(kRefreshRetry);
      return;  // once expired, the gateway's 4002 leads to a reconnect with a fresh token
    }
    send_auth(*fresh, nullptr);
  }

  // An `auth` frame on the live connection; on success the token becomes the current one.
  void send_auth(const std::string& token, RequestCallback callback) {
    if (!ready) {
      if (callback) callback(Status::error(closing ? "closed" : "disconnected", "not connected to the gateway"));
      return;
    }
    Impl* self = this;
    send_raw(make_auth(token), [self, token, cb = std::move(callback)](Result<ServerFrame> r) {
      if (r) {
        self->tokens.set_current(token);
        self->schedule_refresh(std::nullopt);
      }
      if (cb) cb(std::move(r));
    });
  }

  void resubscribe_all() {
    for (FrameRouter::Resubscribe& r : router.resubscribes()) {
      Impl* self = this;
      OutgoingFrame frame = r.frame;
      send_request(std::move(frame),
                   [self, r = std::move(r)](Result<ServerFrame> answer) { self->router.on_resubscribed(r, answer); });
    }
  }

  // A request from the program: only on a ready (authenticated) connection.
  void send_request(OutgoingFrame frame, RequestCallback callback) {
    if (closing || !ready) {
      callback(Status::error(closing ? "closed" : "disconnected", "not connected to the gateway"));
      return;
    }
    send_raw(std::move(frame), std::move(callback));
  }

  void send_raw(OutgoingFrame frame, RequestCallback callback) {
    if (closing || !is_open()) {
      callback(Status::error(closing ? "closed" : "disconnected", "not connected to the gateway"));
      return;
    }
    const std::string id = router.requests().next_id();
    std::error_code ec;
    ws.send(hdl, to_json(frame, id), websocketpp::frame::opcode::text, ec);
    if (ec) {
      callback(Status::error("send_failed", ec.message()));
      return;
    }
    router.requests().add(id, std::move(callback), SteadyClock::now() + options.request_timeout);
    arm_request_timer();
  }

  void arm_request_timer() {
    auto deadline = router.requests().next_deadline();
    if (!deadline) return;
    request_timer->expires_at(*deadline);
    Impl* self = this;
    request_timer->async_wait([self](const std::error_code& ec) {
      if (ec) return;  // re-armed or cancelled
      self->run(self->router.requests().expire(SteadyClock::now()));
      self->arm_request_timer();
    });
  }

  void on_text(const std::string& text) {
    auto parsed = parse_server_frame(text);
    if (parsed) router.route(parsed.value());  // else: not ours to fix; the gateway never sends it
  }

  void run(std::vector<RequestTable::Completion> completions) {
    for (auto& [callback, result] : completions) callback(std::move(result));
  }

  void do_close() {
    closing = true;
    ready = false;
    reconnect_timer->cancel();
    request_timer->cancel();
    refresh_timer->cancel();
    run(router.requests().fail_all("closed", "client closed"));
    std::error_code ec;
    if (is_open()) ws.close(hdl, websocketpp::close::status::normal, "client closing", ec);
    ws.stop_perpetual();  // run() returns once the close handshake (or a pending attempt) is over
  }

  bool is_open() {
    std::error_code ec;
    auto con = ws.get_con_from_hdl(hdl, ec);
    return con && con->get_state() == websocketpp::session::state::open;
  }

  const ClientOptions options;
  const Handlers handlers;
  WsClient ws;  // declared before the timers: they are destroyed first, while the io_service lives
  std::unique_ptr<asio::steady_timer> reconnect_timer;
  std::unique_ptr<asio::steady_timer> request_timer;
  std::unique_ptr<asio::steady_timer> refresh_timer;
  Backoff backoff;
  TokenSource tokens;
  FrameRouter router;
  websocketpp::connection_hdl hdl;
  bool opened_before = false;
  bool ready = false;         // open and authenticated
  bool auth_refused = false;  // this connection's `auth` frame was refused
  bool closing = false;

  ClientState state;  // shared with caller threads
  std::thread io_thread;
};

Client::Client(ClientOptions options, Handlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {
  Impl* impl = impl_.get();
  impl_->io_thread = std::thread([impl] {
    try {
      impl->ws.run();
    } catch (const std::exception&) {
      // The endpoint is torn down; nothing left to report.
    }
    // Requests posted before io_done became visible still get their answer ("closed").
    impl->closing = true;
    impl->state.mark_io_done();
    try {
      impl->ws.get_io_service().restart();
      impl->ws.get_io_service().poll();
    } catch (const std::exception&) {
    }
  });
}

Client::~Client() {
  close();
  if (impl_->io_thread.joinable()) impl_->io_thread.join();
}

Status Client::start(Millis wait) {
  Impl* impl = impl_.get();
  asio::post(impl->ws.get_io_service(), [impl] { impl->connect_now(); });
  return impl->state.wait_first_attempt(wait);
}

void Client::close() {
  Impl* impl = impl_.get();
  if (!impl->state.post_unless_done([impl] { asio::post(impl->ws.get_io_service(), [impl] { impl->do_close(); }); })) {
    return;
  }
  if (!impl->state.wait_io_done(kCloseGrace + Millis(500))) {
    impl->ws.stop();  // the peer never finished the closing handshake; run() returns, the destructor joins
  }
}

bool Client::is_connected() const { return impl_->state.is_connected(); }

Status Client::last_error() const { return impl_->state.last_error(); }

void Client::set_url(const std::string& url) { impl_->state.set_url(url); }

void Client::request_async(OutgoingFrame frame, RequestCallback callback) {
  post_counted(std::move(callback), [frame = std::move(frame)](Impl& impl, RequestCallback cb) mutable {
    impl.send_request(std::move(frame), std::move(cb));
  });
}

void Client::post_counted(RequestCallback callback, std::function<void(Impl&, RequestCallback)> send) {
  Impl* impl = impl_.get();
  ++impl->state.pending;
  // The count drops when the callback has run, whichever way the request ended.
  auto counted = std::make_shared<RequestCallback>([impl, cb = std::move(callback)](Result<ServerFrame> r) {
    --impl->state.pending;
    if (cb) cb(std::move(r));
  });
  // Either the io thread has not finished and will run the closure (its final drain included), or it has ended.
  const bool posted = impl->state.post_unless_done([&] {
    asio::post(impl->ws.get_io_service(),
               [impl, s = std::move(send), counted]() mutable { s(*impl, std::move(*counted)); });
  });
  if (!posted) (*counted)(Status::error("closed", "client closed"));
}

std::future<Result<ServerFrame>> Client::authenticate(const std::string& token) {
  auto promise = std::make_shared<std::promise<Result<ServerFrame>>>();
  auto future = promise->get_future();
  post_counted([promise](Result<ServerFrame> r) { promise->set_value(std::move(r)); },
               [token](Impl& impl, RequestCallback cb) { impl.send_auth(token, std::move(cb)); });
  return future;
}

std::future<Result<ServerFrame>> Client::subscribe(const std::string& world_id,
                                                   const std::optional<std::string>& chat_id) {
  Impl* impl = impl_.get();
  auto promise = std::make_shared<std::promise<Result<ServerFrame>>>();
  auto future = promise->get_future();
  asio::post(impl->ws.get_io_service(), [impl, world_id, chat_id] { impl->router.book().add(world_id, chat_id); });
  request_async(make_subscribe(world_id, chat_id), [impl, promise, world_id, chat_id](Result<ServerFrame> r) {
    if (!r && r.status().code() != "disconnected") impl->router.book().remove(world_id, chat_id, false);
    promise->set_value(std::move(r));
  });
  return future;
}

std::future<Result<ServerFrame>> Client::unsubscribe(const std::string& world_id,
                                                     const std::optional<std::string>& chat_id) {
  Impl* impl = impl_.get();
  asio::post(impl->ws.get_io_service(),
             [impl, world_id, chat_id] { impl->router.book().remove(world_id, chat_id, !chat_id.has_value()); });
  return request(make_unsubscribe(world_id, chat_id));
}

std::size_t Client::pending_requests() const { return impl_->state.pending.load(); }

}  // namespace aw::client
