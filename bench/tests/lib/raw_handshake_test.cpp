// Tests of bench/lib/raw_handshake: the raw connect client's URI parsing, request and 101 check.
#include "bench/lib/raw_handshake.h"

#include <boost/test/unit_test.hpp>

namespace aw::bench {
namespace {

BOOST_AUTO_TEST_SUITE(raw_handshake)

BOOST_AUTO_TEST_CASE(parses_ipv4_ws_uris_only) {
  const auto a = parse_ws_address("ws://127.0.0.1:3001/");
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(a->host == "127.0.0.1");
  BOOST_TEST(a->port == 3001);
  BOOST_TEST(a->path == "/");
  BOOST_TEST(parse_ws_address("ws://127.0.0.1:80").value().path == "/");
  BOOST_TEST(!parse_ws_address("wss://127.0.0.1:3001/").has_value());
  BOOST_TEST(!parse_ws_address("ws://localhost:3001/").has_value());
  BOOST_TEST(!parse_ws_address("ws://127.0.0.1/").has_value());
  BOOST_TEST(!parse_ws_address("ws://127.0.0.1:70000/").has_value());
  BOOST_TEST(!parse_ws_address("ws://127.0.0.1:12x/").has_value());
}

BOOST_AUTO_TEST_CASE(request_is_a_complete_upgrade) {
  const std::string r = upgrade_request(WsAddress{"127.0.0.1", 3001, "/x"});
  BOOST_TEST(r.rfind("GET /x HTTP/1.1\r\n", 0) == 0);
  BOOST_TEST(r.find("Host: 127.0.0.1:3001\r\n") != std::string::npos);
  BOOST_TEST(r.find("Sec-WebSocket-Version: 13\r\n") != std::string::npos);
  BOOST_TEST(r.substr(r.size() - 4) == "\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(checks_the_101_answer) {
  const std::string ok =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "sec-websocket-accept:  " +
      std::string(expected_accept()) + "\r\n\r\n";
  BOOST_TEST(static_cast<int>(check_upgrade_response(ok)) == static_cast<int>(HandshakeState::Accepted));
  BOOST_TEST(static_cast<int>(check_upgrade_response(ok.substr(0, ok.size() - 2))) ==
             static_cast<int>(HandshakeState::Incomplete));
  const std::string wrong_key = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: abc\r\n\r\n";
  BOOST_TEST(static_cast<int>(check_upgrade_response(wrong_key)) == static_cast<int>(HandshakeState::Refused));
  const std::string refused = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
  BOOST_TEST(static_cast<int>(check_upgrade_response(refused)) == static_cast<int>(HandshakeState::Refused));
  BOOST_TEST(static_cast<int>(check_upgrade_response("HTTP/1.1 101 X\r\n\r\n")) ==
             static_cast<int>(HandshakeState::Refused));
}

BOOST_AUTO_TEST_CASE(close_frame_is_masked_1000) {
  const std::string_view f = client_close_frame();
  BOOST_REQUIRE(f.size() == 8u);
  BOOST_TEST(static_cast<unsigned char>(f[0]) == 0x88u);
  BOOST_TEST(static_cast<unsigned char>(f[1]) == 0x82u);  // masked, 2 payload bytes
  BOOST_TEST(static_cast<unsigned char>(f[6]) == 0x03u);
  BOOST_TEST(static_cast<unsigned char>(f[7]) == 0xE8u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench
