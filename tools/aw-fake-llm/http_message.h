// HTTP/1.1 messages of aw-fake-llm: a parsed request, and the response a handler asks the connection to deliver
// (a whole body, or a chunked stream of timed pieces that may end cleanly, be cut, or stall).
// Plain values without Asio, so the request parser and the handlers build without the network code.
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aw::fake_llm {

struct HttpHeader {
  std::string name;  // lowercased for requests; as written for responses
  std::string value;
};

struct HttpRequest {
  std::string method;
  std::string target;               // as sent: path and query
  std::string path;                 // percent-decoded, without the query
  std::string query;                // raw, without the '?'
  int version_minor = 1;            // HTTP/1.<minor>
  std::vector<HttpHeader> headers;  // names lowercased, in arrival order
  std::string body;                 // Content-Length or de-chunked body

  // The first header of that (lowercase) name; nullptr when absent.
  const std::string* header(std::string_view lowercase_name) const;
  // HTTP/1.1 keeps the connection unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
  bool keep_alive() const;
  // The value of query parameter `name` (not percent-decoded: the fake only reads plain tokens such as alt=sse).
  std::string query_param(std::string_view name) const;
};

// How the connection delivers a response.
enum class Delivery {
  Whole,               // status line, headers, Content-Length body
  Chunked,             // status line, headers, then `pieces` as HTTP chunks, ending as `stream_end` says
  CloseWithoutAnswer,  // after `delay`, close the connection without sending a byte
  HangWithoutAnswer,   // send nothing; keep the connection until the client leaves or the stall limit passes
};

// How a chunked stream ends.
enum class StreamEnd {
  Complete,  // the terminating zero-length chunk; the connection may serve the next request
  Cut,       // close the connection without the terminator
  Stall,     // send nothing more; keep the connection until the client leaves or the stall limit passes
};

// One piece of a chunked body, sent `delay` after the previous one. Empty pieces are skipped: a zero-length
// chunk would end the body.
struct StreamPiece {
  std::chrono::milliseconds delay{0};
  std::string bytes;
};

struct HttpResponse {
  int status = 200;
  // Content-Length, Transfer-Encoding and Connection are added by the connection.
  std::vector<HttpHeader> headers;
  std::string body;                    // Delivery::Whole
  std::chrono::milliseconds delay{0};  // before the response (Whole, CloseWithoutAnswer)
  Delivery delivery = Delivery::Whole;
  std::vector<StreamPiece> pieces;  // Delivery::Chunked
  StreamEnd stream_end = StreamEnd::Complete;
  bool close_after = false;  // close the connection after a Whole or Complete response even if keep-alive

  // A Whole response with a JSON body.
  static HttpResponse json(int status, std::string body);
  // A Whole JSON response {"error":{"message":...,"type":"aw_fake_llm"}} for requests the fake cannot serve.
  static HttpResponse error(int status, std::string_view message);
};

// Turns one request into its response. Called on the server's loop thread; must not throw (the connection answers
// 500 and closes if it does).
using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

// "OK", "Not Found", ...; "Unknown" for codes the fake never uses.
const char* reason_phrase(int status);

}  // namespace aw::fake_llm
