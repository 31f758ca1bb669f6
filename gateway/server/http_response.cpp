#include "gateway/server/http_response.h"

#include "common/json.h"

namespace aw::gateway {

HttpResponse error_response(int status, std::string_view error) {
  HttpResponse response;
  response.status = status;
  response.body = R"({"error":)";
  json::append_quoted(response.body, error);
  response.body += "}";
  return response;
}

}  // namespace aw::gateway
