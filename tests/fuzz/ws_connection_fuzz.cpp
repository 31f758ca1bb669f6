// libFuzzer target: one gateway connection (gateway/server/ws_connection.h) fed arbitrary bytes by its peer, over a
// real socket pair on a real io_context. An input whose first byte is even gets a valid upgrade request in front of
// the rest (so the frame parser is reached), an odd one is the raw request. The peer then closes its sending side.
// Properties besides crashes and sanitizer reports (each traps):
// - every frame handed to the owner as text is valid UTF-8 (ws-protocol.md §1);
// - the connection ends, exactly once, with a close code in 1000-4999, and the loop then runs out of work.
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>

#include "common/json.h"
#include "gateway/server/ws_connection.h"

namespace {

using aw::gateway::HttpRequest;
using aw::gateway::HttpResponse;
using aw::gateway::WsConnection;

constexpr char kUpgrade[] =
    "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

class Owner final : public aw::gateway::WsConnectionOwner {
 public:
  std::optional<HttpResponse> check_upgrade(WsConnection& /*connection*/, const HttpRequest& /*request*/) override {
    return std::nullopt;
  }
  void on_open(WsConnection& connection) override { connection.session_id = 1; }
  HttpResponse on_http_request(const HttpRequest& /*request*/) override { return HttpResponse{}; }
  void on_text(WsConnection& connection, const std::string& payload) override {
    if (!aw::json::is_valid_utf8(payload)) __builtin_trap();
    connection.send_owned_text(payload);  // answers go out while the input is still arriving
  }
  void on_control(WsConnection& /*connection*/) override {}
  void on_ended(WsConnection& /*connection*/, int code) override {
    if (ended_ || code < 1000 || code > 4999) __builtin_trap();
    ended_ = true;
  }
  bool ended() const { return ended_; }

 private:
  bool ended_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input;
  if (size == 0 || data[0] % 2 == 0) input = kUpgrade;
  if (size > 0) input.append(reinterpret_cast<const char*>(data) + 1, size - 1);

  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 0;
  asio::io_context io(1);
  asio::ip::tcp::socket server(io);
  asio::error_code ec;
  server.assign(asio::ip::tcp::v4(), fds[0], ec);  // a stream socket is all the connection uses
  if (ec) {
    ::close(fds[0]);
    ::close(fds[1]);
    return 0;
  }
  // The peer: writes everything (the pair's buffer holds a fuzz input), then closes its sending side, then
  // reads whatever the server answers so that the server's writes never block for good.
  if (::write(fds[1], input.data(), input.size()) != static_cast<ssize_t>(input.size())) __builtin_trap();
  ::shutdown(fds[1], SHUT_WR);
  asio::ip::tcp::socket peer(io);
  peer.assign(asio::ip::tcp::v4(), fds[1], ec);
  std::array<char, 4096> sink{};
  std::function<void()> drain = [&] {
    peer.async_read_some(asio::buffer(sink), [&](const asio::error_code& read_ec, std::size_t) {
      if (!read_ec) drain();
    });
  };
  drain();

  Owner owner;
  aw::gateway::SharedReadBuffer buffer(1024);  // small, so that inputs span several reads
  aw::gateway::WsConnectionLimits limits;
  limits.max_message_bytes = 4096;
  auto connection = std::make_shared<WsConnection>(std::move(server), owner, buffer, limits);
  connection->start();
  connection.reset();
  io.run();  // returns once the connection ended and the peer saw EOF
  if (!owner.ended()) __builtin_trap();
  return 0;
}
