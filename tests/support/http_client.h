// A minimal HTTP/1.1 client for the gateway's plain endpoints (/health, /readyz, /metrics), one request per
// connection, plus a reader for Prometheus text. Raw sockets: no library to configure, and nothing hides what the
// server sent.
// Thread-safety: free functions; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tests/support/wait.h"

namespace aw::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

// Sends `method path` with Connection: close and reads the whole answer (Content-Length, chunked, or until EOF).
Result<HttpResponse> http_request(const std::string& host, int port, const std::string& method, const std::string& path,
                                  Millis timeout = kDefaultTimeout);

// The value of the sample `name{labels}` in Prometheus text; labels given as {{"code","4008"}} must all match
// (other labels of the sample are allowed). Without labels, the sample must have none. nullopt when absent.
std::optional<double> metric_value(std::string_view prometheus_text, std::string_view name,
                                   const std::map<std::string, std::string>& labels = {});

// True when some line declares or samples `name` (with or without labels, histogram suffixes included).
bool has_metric(std::string_view prometheus_text, std::string_view name);

}  // namespace aw::test
