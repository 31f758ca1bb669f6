// HttpResponse: one plain-HTTP answer of the gateway's port (status, content type, body), and the error answer
// every refusal and failure on the port uses. The connection (ws_connection.h) writes it out with
// Access-Control-Allow-Origin: * and Connection: close.
// Thread-safety: plain values and a pure function.
#pragma once

#include <string>
#include <string_view>

namespace aw::gateway {

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// Body {"error":"<error>"} (JSON-escaped).
HttpResponse error_response(int status, std::string_view error);

}  // namespace aw::gateway
