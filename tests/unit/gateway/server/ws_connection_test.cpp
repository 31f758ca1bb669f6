// WsConnection over a real socket pair on a real io_context, driven turn by turn from the test (no threads, no
// sleeps): backpressure against a peer that does not read its answers, an answer that outlives the peer's EOF,
// frames sent right behind the upgrade request, and the close handshake's codes.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio.hpp>

#include "gateway/server/ws_connection.h"

namespace aw::gateway {
namespace {

constexpr char kUpgrade[] =
    "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

// A masked client frame (RFC 6455 §5.3) with a payload under 126 bytes; `fin` false starts or continues a
// fragmented message.
std::string client_frame(int opcode, const std::string& payload, bool fin = true) {
  std::string frame;
  frame.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  frame.push_back(static_cast<char>(0x80 | payload.size()));
  const char mask[4] = {0x11, 0x22, 0x33, 0x44};
  frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return frame;
}

class RecordingOwner final : public WsConnectionOwner {
 public:
  std::optional<HttpResponse> check_upgrade(WsConnection& /*connection*/, const HttpRequest& /*request*/) override {
    return std::nullopt;
  }
  void on_open(WsConnection& connection) override { connection.session_id = 1; }
  HttpResponse on_http_request(const HttpRequest& /*request*/) override { return http_response; }
  void on_text(WsConnection& /*connection*/, const std::string& payload) override { texts.push_back(payload); }
  void on_control(WsConnection& /*connection*/) override { ++controls; }
  void on_ended(WsConnection& /*connection*/, int code) override { ended_code = code; }

  HttpResponse http_response;
  std::vector<std::string> texts;
  int controls = 0;
  std::optional<int> ended_code;
};

// One connection on one end of a socket pair; the test is the peer on the other end (non-blocking).
struct ConnectionFixture {
  asio::io_context io{1};
  RecordingOwner owner;
  SharedReadBuffer buffer = SharedReadBuffer(64 * 1024);
  WsConnectionLimits limits;
  std::shared_ptr<WsConnection> connection;
  int peer = -1;

  ConnectionFixture() { limits.max_message_bytes = 1 << 20; }
  void start() {
    int fds[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    peer = fds[1];
    BOOST_REQUIRE(::fcntl(peer, F_SETFL, ::fcntl(peer, F_GETFL) | O_NONBLOCK) == 0);
    asio::ip::tcp::socket socket(io);
    asio::error_code ec;
    socket.assign(asio::ip::tcp::v4(), fds[0], ec);  // any stream socket serves the connection
    BOOST_REQUIRE(!ec);
    connection = std::make_shared<WsConnection>(std::move(socket), owner, buffer, limits);
    connection->start();
  }
  ~ConnectionFixture() {
    if (peer >= 0) ::close(peer);
  }
  // Writes as much of `bytes` as the socket takes now; returns how much.
  std::size_t write_some(const std::string& bytes) {
    const ssize_t n = ::send(peer, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  void write_all(const std::string& bytes) {
    std::size_t sent = 0;
    for (int turn = 0; sent < bytes.size() && turn < 10000; ++turn) {
      sent += write_some(bytes.substr(sent));
      io.poll();
    }
    BOOST_REQUIRE(sent == bytes.size());
  }
  // Reads what has arrived (non-blocking); false at EOF.
  bool read_available(std::string& into) {
    char chunk[65536];
    for (;;) {
      const ssize_t n = ::recv(peer, chunk, sizeof chunk, 0);
      if (n > 0) {
        into.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      return n != 0;  // 0: EOF; -1 with EAGAIN: nothing more for now
    }
  }
};

BOOST_FIXTURE_TEST_SUITE(ws_connection, ConnectionFixture)

BOOST_AUTO_TEST_CASE(a_peer_that_does_not_read_its_answers_is_not_read_either) {
  limits.max_unsent_bytes = 8 * 1024;
  start();
  write_all(kUpgrade);
  // Pings never read back: each is answered with a pong that piles up on our side.
  std::string pings;
  for (int i = 0; i < 512; ++i) pings += client_frame(0x9, std::string(100, 'p'));
  std::size_t written = 0;
  int idle_turns = 0;
  for (int turn = 0; turn < 20000 && idle_turns < 50; ++turn) {
    const std::size_t n = write_some(pings);
    written += n;
    const std::size_t handlers = io.poll();
    idle_turns = (n == 0 && handlers == 0) ? idle_turns + 1 : 0;
    BOOST_REQUIRE_MESSAGE(written < std::size_t{64} * 1024 * 1024,
                          "the connection kept reading a peer that never reads");
  }
  BOOST_TEST(idle_turns == 50);  // the peer's writes stopped being taken: TCP pushes back
  // What waits for the peer is bounded by the cap plus one turn of reads (up to 4 x 64 KiB of pings answered).
  BOOST_TEST(connection->buffered_bytes() <= limits.max_unsent_bytes + std::size_t{4} * 64 * 1024 + 64 * 1024);
  BOOST_TEST(!owner.ended_code.has_value());

  // Once the peer reads, the connection reads again.
  const int controls_before = owner.controls;
  std::string received;
  for (int turn = 0; turn < 20000 && owner.controls == controls_before; ++turn) {
    read_available(received);
    write_some(pings.substr(0, 104));
    io.poll();
  }
  BOOST_TEST(owner.controls > controls_before);
}

BOOST_AUTO_TEST_CASE(an_answer_is_written_in_full_after_the_peer_half_closed) {
  owner.http_response.content_type = "text/plain";
  owner.http_response.body = std::string(std::size_t{2} * 1024 * 1024, 'm');  // more than the socket pair holds
  start();
  write_all("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");
  ::shutdown(peer, SHUT_WR);  // the peer sent its request and closed its side
  std::string received;
  bool open = true;
  for (int turn = 0; turn < 100000 && open; ++turn) {
    io.poll();
    open = read_available(received);
  }
  BOOST_TEST(!open);  // the connection closed after the answer
  const std::size_t body_at = received.find("\r\n\r\n");
  BOOST_REQUIRE(body_at != std::string::npos);
  BOOST_TEST(received.size() - body_at - 4 == owner.http_response.body.size());
  BOOST_TEST(received.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(frames_behind_the_upgrade_request_are_handled) {
  start();
  write_all(std::string(kUpgrade) + client_frame(0x1, "first") + client_frame(0x1, "second"));
  for (int turn = 0; turn < 1000 && owner.texts.size() < 2; ++turn) io.poll();
  BOOST_TEST(owner.texts == std::vector<std::string>({"first", "second"}));
}

BOOST_AUTO_TEST_CASE(a_fragmented_text_ending_inside_a_character_fails_with_1007) {
  start();
  // "é" is C3 A9: the message ends after C3. websocketpp checks the end of a text message only when its last frame
  // is not a continuation.
  write_all(std::string(kUpgrade) + client_frame(0x1, "{\"type\":", false) + client_frame(0x9, "p") +
            client_frame(0x0, "\"x\xc3", true));
  std::string received;
  for (int turn = 0; turn < 1000 && received.find('\x88') == std::string::npos; ++turn) {
    io.poll();
    read_available(received);
  }
  BOOST_TEST(owner.texts.empty());
  BOOST_TEST(received.find(std::string("\x88\x0f\x03\xef", 4)) != std::string::npos);  // close 1007 + reason
}

BOOST_AUTO_TEST_CASE(a_peers_close_is_answered_with_its_code_and_reported) {
  start();
  write_all(std::string(kUpgrade) + client_frame(0x8, std::string("\x0f\xa0", 2) + "bye"));  // 4000
  std::string received;
  for (int turn = 0; turn < 1000 && !owner.ended_code; ++turn) {
    io.poll();
    read_available(received);
  }
  BOOST_REQUIRE(owner.ended_code.has_value());
  BOOST_TEST(*owner.ended_code == 4000);
  read_available(received);
  BOOST_REQUIRE(received.size() >= 4u);
  // The last frame is our close echoing the code: 0x88, length 2, 4000.
  BOOST_TEST(received.substr(received.size() - 4) == std::string("\x88\x02\x0f\xa0", 4));
}

BOOST_AUTO_TEST_CASE(an_oversized_message_fails_with_1009_and_reports_it) {
  limits.max_message_bytes = 64;
  start();
  write_all(std::string(kUpgrade) + client_frame(0x1, std::string(100, 'x')));
  std::string received;
  bool open = true;
  for (int turn = 0; turn < 1000 && open; ++turn) {
    io.poll();
    open = read_available(received);
    if (!open) ::shutdown(peer, SHUT_WR);  // answer our FIN: the connection then ends
  }
  for (int turn = 0; turn < 1000 && !owner.ended_code; ++turn) io.poll();
  BOOST_REQUIRE(owner.ended_code.has_value());
  BOOST_TEST(*owner.ended_code == 1009);
  BOOST_TEST(received.find(std::string("\x88", 1)) != std::string::npos);
  BOOST_TEST(owner.texts.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway
