// Bus topics and processor ids (see bus_topics.h).
#include "common/bus/bus_topics.h"

#include <unistd.h>

#include <climits>

#include "common/ids.h"

namespace aw::bus {
namespace {

std::string join(std::string_view prefix, std::string_view id) {
  std::string out;
  out.reserve(prefix.size() + 1 + id.size());
  out.append(prefix).push_back('.');
  out.append(id);
  return out;
}

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::string hello_topic(std::string_view id) { return join("hello", id); }
std::string hb_topic(std::string_view id) { return join("hb", id); }
std::string run_topic(std::string_view world_id) { return join("run", world_id); }
std::string event_topic(std::string_view world_id) { return join("evt", world_id); }
std::string commit_topic(std::string_view world_id) { return join("commit", world_id); }
std::string title_result_topic(std::string_view world_id) { return join("title", world_id); }
std::string ctl_topic(std::string_view id) { return join("ctl", id); }

bool is_ctl_topic_for(std::string_view topic, std::string_view processor_id) {
  return topic == kCtlAllTopic || topic == ctl_topic(processor_id);
}

bool is_valid_processor_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxProcessorIdLength) return false;
  for (char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

std::string make_processor_id(std::string_view hostname, long pid, std::string_view suffix) {
  std::string tail = "-" + std::to_string(pid) + "-" + std::string(suffix);
  std::string host;
  for (char c : hostname) host.push_back(is_id_char(c) ? c : '-');
  if (host.empty()) host = "host";
  if (host.size() + tail.size() > kMaxProcessorIdLength) host.resize(kMaxProcessorIdLength - tail.size());
  return host + tail;
}

std::string new_processor_id() {
  char name[HOST_NAME_MAX + 1] = {};
  // A failed gethostname leaves "" and make_processor_id substitutes "host": the id stays unique by pid + suffix.
  if (::gethostname(name, sizeof name) != 0) name[0] = '\0';
  name[HOST_NAME_MAX] = '\0';
  return make_processor_id(name, static_cast<long>(::getpid()), random_base36(6));
}

}  // namespace aw::bus
