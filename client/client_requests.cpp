// Client's request helpers that need no socket (see client.h): futures over request_async and the frame builders.
#include <memory>

#include "client/client.h"

namespace aw::client {

std::future<Result<ServerFrame>> Client::request(OutgoingFrame frame) {
  auto promise = std::make_shared<std::promise<Result<ServerFrame>>>();
  auto future = promise->get_future();
  request_async(std::move(frame), [promise](Result<ServerFrame> r) { promise->set_value(std::move(r)); });
  return future;
}

std::future<Result<ServerFrame>> Client::command(const std::string& world_id, const std::string& name,
                                                 const std::string& params_json) {
  return request(make_command(world_id, name, params_json));
}

void Client::command_async(const std::string& world_id, const std::string& name, const std::string& params_json,
                           RequestCallback callback) {
  request_async(make_command(world_id, name, params_json), std::move(callback));
}

std::future<Result<ServerFrame>> Client::send_message(const std::string& world_id,
                                                      const std::optional<std::string>& chat_id,
                                                      const std::string& message_id, const std::string& content,
                                                      const std::string& sender) {
  return request(make_message(world_id, chat_id, message_id, content, sender));
}

}  // namespace aw::client
