// JSON forms of memory rows and conversation messages (see run_records.h).
#include "processor/runtime/run_records.h"

#include "processor/runtime/json_object_writer.h"

namespace aw::processor {

std::string memory_row_json(const MemoryRow& row) {
  JsonObjectWriter w;
  w.string("agentId", row.agent_id)
      .string("chatId", row.chat_id)
      .string("role", row.role)
      .string("content", row.content)
      .string("sender", row.sender)
      .string("messageId", row.message_id);
  if (row.reply_to_message_id) w.string("replyToMessageId", *row.reply_to_message_id);
  w.string("createdAt", row.created_at);
  return w.finish();
}

std::string chat_message_json(const ChatMessage& message) {
  JsonObjectWriter w;
  w.string("content", message.content)
      .string("sender", message.sender)
      .string("timestamp", message.timestamp)
      .string("messageId", message.message_id)
      .string("chatId", message.chat_id);
  if (message.reply_to_message_id) w.string("replyToMessageId", *message.reply_to_message_id);
  return w.finish();
}

}  // namespace aw::processor
