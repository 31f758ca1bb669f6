// WsTestClient over websocketpp's asio_client (see ws_test_client.h). The io thread runs the endpoint; handlers
// only record what happened under mutex_ and notify the waiting test thread.
#include "tests/support/ws_test_client.h"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

namespace aw::test {
namespace {

using Client = websocketpp::client<websocketpp::config::asio_client>;

enum class State { Idle, Connecting, Open, Failed, Closed };

// Client frames are masked (RFC 6455 §5.3); the key need not be strong for a test.
std::string masked_frame(std::uint8_t opcode, std::string_view payload) {
  std::string out;
  out.push_back(static_cast<char>(0x80 | (opcode & 0x0f)));
  const std::uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xffff) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>((n >> 8) & 0xff));
    out.push_back(static_cast<char>(n & 0xff));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  static thread_local std::mt19937 rng{std::random_device{}()};
  const std::uint32_t key_bits = rng();
  const char key[4] = {static_cast<char>(key_bits >> 24), static_cast<char>(key_bits >> 16),
                       static_cast<char>(key_bits >> 8), static_cast<char>(key_bits)};
  out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
  return out;
}

Status from_error(const std::error_code& ec, const char* what) {
  if (!ec) return Status::ok();
  return Status::error("ws_client", std::string(what) + ": " + ec.message());
}

}  // namespace

struct WsTestClient::Impl {
  explicit Impl(Options opts) : options(opts) {
    client.clear_access_channels(websocketpp::log::alevel::all);
    client.clear_error_channels(websocketpp::log::elevel::all);
    std::error_code ec;
    client.init_asio(ec);
    client.set_max_message_size(options.max_message_bytes);
    client.set_open_handshake_timeout(static_cast<long>(options.open_timeout.count()));
    // A test should not wait 5 s for a peer that does not finish the closing handshake.
    client.set_close_handshake_timeout(1000);
    client.set_open_handler([this](websocketpp::connection_hdl) { set_state(State::Open); });
    client.set_fail_handler([this](websocketpp::connection_hdl h) { on_fail(h); });
    client.set_close_handler([this](websocketpp::connection_hdl h) { on_close(h); });
    client.set_message_handler([this](websocketpp::connection_hdl, Client::message_ptr msg) { on_message(msg); });
    client.set_ping_handler([this](websocketpp::connection_hdl, std::string) {
      std::lock_guard<std::mutex> lock(mutex);
      ++pings;
      return options.answer_pings;  // false: websocketpp sends no pong
    });
    client.set_pong_handler([this](websocketpp::connection_hdl, std::string) {
      std::lock_guard<std::mutex> lock(mutex);
      ++pongs;
    });
    client.start_perpetual();
    io_thread = std::thread([this] {
      try {
        client.run();
      } catch (const std::exception&) {
        // The endpoint is being torn down; nothing to report to a test.
      }
    });
  }

  void set_state(State s) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      state = s;
    }
    cv.notify_all();
  }

  void on_fail(websocketpp::connection_hdl h) {
    std::error_code ec;
    auto con = client.get_con_from_hdl(h, ec);
    std::lock_guard<std::mutex> lock(mutex);
    if (con) {
      refused_status = static_cast<int>(con->get_response_code());
      fail_reason = con->get_ec().message();
    }
    state = State::Failed;
    cv.notify_all();
  }

  void on_close(websocketpp::connection_hdl h) {
    std::error_code ec;
    auto con = client.get_con_from_hdl(h, ec);
    std::lock_guard<std::mutex> lock(mutex);
    if (con) {
      close_info.remote_code = static_cast<int>(con->get_remote_close_code());
      close_info.remote_reason = con->get_remote_close_reason();
      close_info.local_code = static_cast<int>(con->get_local_close_code());
      if (con->get_ec()) close_info.error = con->get_ec().message();
    }
    state = State::Closed;
    cv.notify_all();
  }

  void on_message(const Client::message_ptr& msg) {
    Frame frame = make_frame(msg->get_payload(), msg->get_opcode() == websocketpp::frame::opcode::binary);
    std::lock_guard<std::mutex> lock(mutex);
    frames.push_back(std::move(frame));
    cv.notify_all();
  }

  Options options;
  Client client;
  std::thread io_thread;
  websocketpp::connection_hdl hdl;  // set by connect() before the io thread can use it

  mutable std::mutex mutex;  // guards everything below
  std::condition_variable cv;
  State state = State::Idle;
  std::deque<Frame> frames;
  int refused_status = 0;
  std::string fail_reason;
  CloseInfo close_info;
  std::uint64_t pings = 0;
  std::uint64_t pongs = 0;
};

WsTestClient::WsTestClient() : WsTestClient(Options{}) {}

WsTestClient::WsTestClient(Options options) : impl_(std::make_unique<Impl>(options)) {}

WsTestClient::~WsTestClient() {
  if (is_open()) {
    (void)close(1000, "test done");
    (void)wait_closed(Millis(1500));
  }
  impl_->client.stop_perpetual();
  bool finished = false;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    finished = impl_->state != State::Open && impl_->state != State::Connecting;
  }
  if (!finished) impl_->client.stop();
  impl_->io_thread.join();
}

Status WsTestClient::connect(const std::string& url, const Headers& headers) {
  std::error_code ec;
  Client::connection_ptr con = impl_->client.get_connection(url, ec);
  if (ec) return from_error(ec, "get_connection");
  for (const auto& [name, value] : headers) con->append_header(name, value);
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->state = State::Connecting;
    impl_->hdl = con->get_handle();
  }
  impl_->client.connect(con);
  std::unique_lock<std::mutex> lock(impl_->mutex);
  const bool settled = impl_->cv.wait_for(lock, impl_->options.open_timeout + Millis(1000),
                                          [this] { return impl_->state != State::Connecting; });
  if (!settled) return Status::error("timeout", "WebSocket open timed out: " + url);
  if (impl_->state == State::Open) return Status::ok();
  if (impl_->state == State::Closed) return Status::error("closed", "closed during the opening handshake");
  return Status::error("refused",
                       "upgrade failed (HTTP " + std::to_string(impl_->refused_status) + "): " + impl_->fail_reason);
}

int WsTestClient::refused_http_status() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->refused_status;
}

Status WsTestClient::send_text(std::string_view text) {
  std::error_code ec;
  impl_->client.send(impl_->hdl, text.data(), text.size(), websocketpp::frame::opcode::text, ec);
  return from_error(ec, "send_text");
}

Status WsTestClient::send_binary(std::string_view bytes) {
  std::error_code ec;
  impl_->client.send(impl_->hdl, bytes.data(), bytes.size(), websocketpp::frame::opcode::binary, ec);
  return from_error(ec, "send_binary");
}

Status WsTestClient::send_raw_frame(std::uint8_t opcode, std::string_view payload) {
  std::error_code ec;
  Client::connection_ptr con = impl_->client.get_con_from_hdl(impl_->hdl, ec);
  if (ec) return from_error(ec, "send_raw_frame");
  auto bytes = std::make_shared<std::string>(masked_frame(opcode, payload));
  auto done = std::make_shared<std::promise<std::error_code>>();
  auto result = done->get_future();
  // On the io thread, so that the write cannot interleave with one websocketpp starts there.
  asio::post(impl_->client.get_io_service(), [con, bytes, done] {
    std::error_code write_ec;
    asio::write(con->get_raw_socket(), asio::buffer(*bytes), write_ec);
    done->set_value(write_ec);
  });
  if (result.wait_for(kDefaultTimeout) != std::future_status::ready) {
    return Status::error("timeout", "raw write timed out");
  }
  return from_error(result.get(), "send_raw_frame");
}

Status WsTestClient::send_ping(std::string_view payload) {
  std::error_code ec;
  impl_->client.ping(impl_->hdl, std::string(payload), ec);
  return from_error(ec, "send_ping");
}

Status WsTestClient::close(int code, std::string_view reason) {
  std::error_code ec;
  impl_->client.close(impl_->hdl, static_cast<websocketpp::close::status::value>(code), std::string(reason), ec);
  return from_error(ec, "close");
}

std::optional<Frame> WsTestClient::next_frame(Millis timeout) {
  return wait_for([](const Frame&) { return true; }, timeout);
}

std::optional<Frame> WsTestClient::wait_for(const std::function<bool(const Frame&)>& predicate, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock<std::mutex> lock(impl_->mutex);
  std::size_t checked = 0;
  for (;;) {
    for (; checked < impl_->frames.size(); ++checked) {
      if (predicate(impl_->frames[checked])) {
        Frame found = std::move(impl_->frames[checked]);
        impl_->frames.erase(impl_->frames.begin() + static_cast<std::ptrdiff_t>(checked));
        return found;
      }
    }
    // After the close handler ran, no frame can arrive any more.
    if (impl_->state == State::Closed || impl_->state == State::Failed) return std::nullopt;
    if (impl_->cv.wait_until(lock, deadline) == std::cv_status::timeout && checked == impl_->frames.size()) {
      return std::nullopt;
    }
  }
}

std::optional<CloseInfo> WsTestClient::wait_closed(Millis timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  const bool closed = impl_->cv.wait_for(
      lock, timeout, [this] { return impl_->state == State::Closed || impl_->state == State::Failed; });
  if (!closed) return std::nullopt;
  return impl_->close_info;
}

std::vector<Frame> WsTestClient::take_queued() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<Frame> out;
  for (auto& frame : impl_->frames) out.push_back(std::move(frame));
  impl_->frames.clear();
  return out;
}

bool WsTestClient::is_open() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->state == State::Open;
}

std::uint64_t WsTestClient::pings_received() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->pings;
}

std::uint64_t WsTestClient::pongs_received() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->pongs;
}

std::function<bool(const Frame&)> has_type(std::string type) {
  return [type = std::move(type)](const Frame& f) { return f.type() == type; };
}

std::function<bool(const Frame&)> has_status(std::string status) {
  return [status = std::move(status)](const Frame& f) { return f.type() == "status" && f.status() == status; };
}

std::function<bool(const Frame&)> has_request_id(std::string request_id) {
  return [request_id = std::move(request_id)](const Frame& f) {
    return f.string_at("requestId").value_or("") == request_id;
  };
}

}  // namespace aw::test
