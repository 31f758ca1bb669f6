// Request frames and reply classification (see request_frames.h).
#include "bench/lib/request_frames.h"

#include "common/json.h"

namespace aw::bench {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::string command_request(std::string_view command, std::string_view request_id) {
  std::string frame = R"({"type":"command","payload":{"command":)";
  json::append_quoted(frame, command);
  frame += R"(},"requestId":)";
  json::append_quoted(frame, request_id);
  frame += '}';
  return frame;
}

std::string create_world_request(std::string_view name, std::string_view request_id) {
  std::string frame = R"({"type":"command","payload":{"command":"create-world","params":{"name":)";
  json::append_quoted(frame, name);
  frame += R"(}},"requestId":)";
  json::append_quoted(frame, request_id);
  frame += '}';
  return frame;
}

ReplyKind classify_reply(std::string_view payload, std::string_view request_id) {
  if (request_id.empty()) {
    if (!contains(payload, R"("requestId":)")) return ReplyKind::Unrelated;
  } else {
    std::string needle = R"("requestId":)";
    json::append_quoted(needle, request_id);
    if (!contains(payload, needle)) return ReplyKind::Unrelated;
  }
  if (contains(payload, R"("type":"error")")) return ReplyKind::ErrorFrame;
  if (contains(payload, R"("status":"error")")) return ReplyKind::FailedAnswer;
  return ReplyKind::Answer;
}

}  // namespace aw::bench
