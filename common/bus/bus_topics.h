// Bus topics (bus-protocol.md §1, §2) and processor ids. Topics are plain strings any ZeroMQ tool can filter on:
// `work`, `title`, `hello.<processorId>`, `hb.<processorId>`, `run.<worldId>`, `evt.<worldId>`,
// `commit.<worldId>`, `title.<worldId>`, `ctl.<processorId>`, `ctl.all`.
// Thread-safety: free functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace aw::bus {

inline constexpr std::string_view kWorkTopic = "work";
inline constexpr std::string_view kTitleTopic = "title";
inline constexpr std::string_view kCtlAllTopic = "ctl.all";
// Maximum length of a processor id (§1).
inline constexpr std::size_t kMaxProcessorIdLength = 100;

std::string hello_topic(std::string_view processor_id);
std::string hb_topic(std::string_view processor_id);
std::string run_topic(std::string_view world_id);  // accept, reject
std::string event_topic(std::string_view world_id);
std::string commit_topic(std::string_view world_id);
std::string title_result_topic(std::string_view world_id);
std::string ctl_topic(std::string_view processor_id);

// True when a processor must handle a ctl frame with this topic: exactly `ctl.<its id>` or `ctl.all` (SUB filters
// match prefixes, so `ctl.p1` also delivers `ctl.p12`).
bool is_ctl_topic_for(std::string_view topic, std::string_view processor_id);

// 1..100 characters from A-Za-z0-9._-
bool is_valid_processor_id(std::string_view id);

// A new processor id `<hostname>-<pid>-<6 random base36 chars>`; characters outside A-Za-z0-9._- in the host name
// become '-', and the host name is shortened so that the whole id stays within kMaxProcessorIdLength.
std::string new_processor_id();
// The same from given parts (testable).
std::string make_processor_id(std::string_view hostname, long pid, std::string_view suffix);

}  // namespace aw::bus
