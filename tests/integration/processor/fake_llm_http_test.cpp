// aw-fake-llm over real HTTP: the HTTP/1.1 mechanics (keep-alive, pipelining, chunked and 100-continue request
// bodies, size limit, bad requests, unknown paths and methods), many connections at once, and the process life
// cycle (SIGTERM -> status 0, a bad script -> status 2).
#include <cstdio>

#include <boost/test/unit_test.hpp>

#include "tests/integration/processor/fake_llm_fixture.h"

namespace aw::test {
namespace {

constexpr std::string_view kOpenAi = "/v1/chat/completions";

std::string reply_of(const RawHttpResponse& r) { return string_at(parse_json(r.body), "choices/0/message/content"); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(fake_llm_http, FakeLlmFixture)

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
  start();
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
  BOOST_REQUIRE(connection.is_ok());
  BOOST_REQUIRE(connection->send(http_request_text("GET", "/health")).is_ok());
  BOOST_CHECK_EQUAL(connection->read_response().status, 200);
  BOOST_REQUIRE(connection->send(http_request_text("POST", kOpenAi, openai_body("streamed", true))).is_ok());
  const RawHttpResponse streamed = connection->read_response();
  BOOST_CHECK(streamed.end == RawHttpResponse::End::Complete);
  BOOST_CHECK_EQUAL(join(openai_deltas(parse_sse(streamed.body))), "Echo: streamed");
  BOOST_REQUIRE(connection->send(http_request_text("POST", kOpenAi, openai_body("whole", false))).is_ok());
  const RawHttpResponse whole = connection->read_response();
  BOOST_CHECK_EQUAL(whole.header("connection"), "keep-alive");
  BOOST_CHECK_EQUAL(reply_of(whole), "Echo: whole");
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  start();
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
  BOOST_REQUIRE(connection.is_ok());
  BOOST_REQUIRE(connection
                    ->send(http_request_text("POST", kOpenAi, openai_body("first", false)) +
                           http_request_text("POST", kOpenAi, openai_body("second", true)) +
                           http_request_text("GET", "/health", {}, {}, false))
                    .is_ok());
  BOOST_CHECK_EQUAL(reply_of(connection->read_response()), "Echo: first");
  BOOST_CHECK_EQUAL(join(openai_deltas(parse_sse(connection->read_response().body))), "Echo: second");
  const RawHttpResponse last = connection->read_response();
  BOOST_CHECK_EQUAL(last.status, 200);
  BOOST_CHECK_EQUAL(last.header("connection"), "close");
  BOOST_CHECK(connection->wait_closed(std::chrono::seconds(5)));
}

BOOST_AUTO_TEST_CASE(chunked_request_body_is_reassembled) {
  start();
  const std::string body = openai_body("sent in chunks", false);
  const std::string head =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  std::string wire = head;
  for (std::size_t i = 0; i < body.size(); i += 10) {
    const std::string piece = body.substr(i, 10);
    char size[16];
    std::snprintf(size, sizeof(size), "%zx", piece.size());
    wire += std::string(size) + ";ext=1\r\n" + piece + "\r\n";
  }
  wire += "0\r\nX-Trailer: t\r\n\r\n";
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
  BOOST_REQUIRE(connection.is_ok());
  BOOST_REQUIRE(connection->send(wire).is_ok());
  BOOST_CHECK_EQUAL(reply_of(connection->read_response()), "Echo: sent in chunks");
  BOOST_CHECK_EQUAL(string_at(logged_requests(), "0/body/messages/1/content"), "sent in chunks");
}

BOOST_AUTO_TEST_CASE(expect_continue_gets_100_before_the_body_is_sent) {
  start();
  const std::string body = openai_body("after continue", false);
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
  BOOST_REQUIRE(connection.is_ok());
  BOOST_REQUIRE(connection
                    ->send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                           "Content-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n")
                    .is_ok());
  // The interim 100 arrives, the final answer cannot until the body does.
  const RawHttpResponse waiting = connection->read_response(std::chrono::milliseconds(300));
  BOOST_CHECK(waiting.end == RawHttpResponse::End::TimedOut);
  BOOST_CHECK_EQUAL(waiting.status, 100);
  BOOST_REQUIRE(connection->send(body).is_ok());
  BOOST_CHECK_EQUAL(reply_of(connection->read_response()), "Echo: after continue");
}

BOOST_AUTO_TEST_CASE(bodies_over_the_limit_are_refused_with_413) {
  start({}, {"--max-body-bytes", "1000"});
  // Refused from the Content-Length alone, before any body byte is sent.
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
  BOOST_REQUIRE(connection.is_ok());
  BOOST_REQUIRE(
      connection->send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n").is_ok());
  const RawHttpResponse refused = connection->read_response();
  BOOST_CHECK_EQUAL(refused.status, 413);
  BOOST_CHECK_EQUAL(refused.header("connection"), "close");
  BOOST_CHECK(connection->wait_closed(std::chrono::seconds(5)));

  // A chunked body is refused when its chunks pass the limit.
  Result<RawHttpConnection> chunked = RawHttpConnection::connect(port());
  BOOST_REQUIRE(chunked.is_ok());
  BOOST_REQUIRE(chunked
                    ->send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "3e8\r\n" +
                           std::string(1000, 'a') + "\r\n1\r\n")
                    .is_ok());
  BOOST_CHECK_EQUAL(chunked->read_response().status, 413);

  // At the limit it is served (and a body that is not JSON is a 400, not a crash).
  BOOST_CHECK_EQUAL(post(kOpenAi, std::string(1000, 'x')).status, 400);
  BOOST_CHECK_EQUAL(get("/health").status, 200);
}

BOOST_AUTO_TEST_CASE(malformed_requests_get_400_and_the_server_goes_on) {
  start();
  for (const char* garbage : {"GARBAGE\r\n\r\n", "GET /health HTTP/1.1\r\nno colon here\r\n\r\n",
                              "POST /v1/messages HTTP/1.1\r\nContent-Length: nope\r\n\r\n"}) {
    Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
    BOOST_REQUIRE(connection.is_ok());
    BOOST_REQUIRE(connection->send(garbage).is_ok());
    BOOST_CHECK_EQUAL(connection->read_response().status, 400);
    BOOST_CHECK(connection->wait_closed(std::chrono::seconds(5)));
  }
  BOOST_CHECK_EQUAL(http_exchange(port(), "GET", "/health").status, 200);
  BOOST_CHECK_EQUAL(post(kOpenAi, "[1,2]").status, 400);  // JSON, but not an object
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_404_and_wrong_methods_405_and_both_are_logged) {
  start();
  BOOST_CHECK_EQUAL(post("/v1/embeddings", "{}").status, 404);
  const RawHttpResponse wrong = get("/v1/chat/completions");
  BOOST_CHECK_EQUAL(wrong.status, 405);
  BOOST_CHECK_EQUAL(wrong.header("allow"), "POST");
  BOOST_CHECK_EQUAL(post("/health", "").status, 405);
  const json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 2u);
  BOOST_CHECK_EQUAL(string_at(log, "0/path"), "/v1/embeddings");
  BOOST_CHECK(json_at(log, "0/format") != nullptr && json_at(log, "0/format")->IsNull());
  BOOST_CHECK_EQUAL(string_at(log, "1/method"), "GET");
  BOOST_CHECK_EQUAL(string_at(log, "1/format"), "openai");
}

BOOST_AUTO_TEST_CASE(many_connections_are_served_at_once) {
  // Every stream stalls after its first chunk: all twenty are open together, and the server still answers.
  start(R"([{"match":{"contains":"hold"},"reply":"held reply","stall_after_chunks":1}])");
  constexpr int kClients = 20;
  std::vector<RawHttpConnection> clients;
  for (int i = 0; i < kClients; ++i) {
    Result<RawHttpConnection> c = RawHttpConnection::connect(port());
    BOOST_REQUIRE(c.is_ok());
    BOOST_REQUIRE(c->send(http_request_text("POST", kOpenAi, openai_body("hold " + std::to_string(i), true))).is_ok());
    clients.push_back(std::move(c).value());
  }
  for (auto& c : clients) {
    const RawHttpResponse first = c.read_response(std::chrono::seconds(5), 2);  // role chunk, "held "
    BOOST_CHECK_EQUAL(first.status, 200);
    BOOST_CHECK(first.end == RawHttpResponse::End::Partial);
    BOOST_CHECK_EQUAL(join(openai_deltas(parse_sse(first.body))), "held ");
  }
  BOOST_CHECK_EQUAL(logged_requests().Size(), static_cast<rapidjson::SizeType>(kClients));
  BOOST_CHECK_EQUAL(reply_of(post(kOpenAi, openai_body("free", false))), "Echo: free");
}

BOOST_AUTO_TEST_CASE(sigterm_ends_the_process_with_status_zero_even_mid_stream) {
  start(R"([{"match":{"any":true},"reply":"never finished","stall_after_chunks":1}])");
  Result<RawHttpConnection> stalled = RawHttpConnection::connect(port());
  BOOST_REQUIRE(stalled.is_ok());
  BOOST_REQUIRE(stalled->send(http_request_text("POST", kOpenAi, openai_body("x", true))).is_ok());
  BOOST_CHECK_EQUAL(stalled->read_response(std::chrono::seconds(5), 2).status, 200);
  const Result<int> status = process().stop();
  BOOST_REQUIRE(status.is_ok());
  BOOST_CHECK_EQUAL(status.value(), 0);
  BOOST_CHECK(process().stderr_text().find("\"message\":\"stopping\"") != std::string::npos);
  BOOST_CHECK(stalled->wait_closed(std::chrono::seconds(5)));
}

BOOST_AUTO_TEST_CASE(a_bad_script_ends_start_up_with_status_2_and_one_clear_line) {
  FakeLlmOptions options;
  options.script_json = R"({"rules":[{"match":{"regex":"("},"reply":"x"}]})";
  const Result<std::unique_ptr<FakeLlmProcess>> started = FakeLlmProcess::start(options);
  BOOST_REQUIRE(!started.is_ok());
  const std::string& message = started.status().message();
  BOOST_CHECK(message.find("exited with status 2") != std::string::npos);
  BOOST_CHECK(message.find("rules[0].match.regex") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
