// BusSettings (see bus_settings.h).
#include "gateway/bus/bus_settings.h"

#include "common/env.h"

namespace aw::gateway::bus {

Result<BusSettings> BusSettings::from_env() {
  BusSettings s;
  Status read = read_int_settings({{"WS_PROCESSOR_HEARTBEAT", &s.heartbeat_ms, 100, 3600000},
                                   {"AW_DISPATCH_TIMEOUT_MS", &s.dispatch_timeout_ms, 100, 3600000},
                                   {"AW_MAX_RUNNING", &s.max_running, 0, 1000000},
                                   {"AW_RUN_TIMEOUT_MS", &s.run_timeout_ms, 1000, 86400000},
                                   {"AW_HISTORY_WINDOW", &s.history_window, 0, 10000},
                                   {"AW_QUEUE_RETRY_BASE_MS", &s.retry_base_ms, 1, 3600000},
                                   {"AW_QUEUE_RETRY_MAX_MS", &s.retry_max_ms, 1, 86400000},
                                   {"AW_QUEUE_MAX_RETRIES", &s.max_retries, 0, 100},
                                   {"AW_TITLE_TIMEOUT_MS", &s.title_timeout_ms, 1, 86400000}});
  if (!read) return read;
  if (auto titles = env_string("AW_CHAT_TITLES")) {
    if (*titles != "llm" && *titles != "derived" && *titles != "off") {
      return Status::invalid_request("AW_CHAT_TITLES must be one of llm, derived, off, got '" + *titles + "'");
    }
    s.chat_titles = *titles;
  }
  return s;
}

}  // namespace aw::gateway::bus
