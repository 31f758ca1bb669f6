// Reply post-processing (see reply_postprocessor.h).
#include "processor/runtime/reply_postprocessor.h"

#include <functional>
#include <vector>

#include "processor/runtime/mentions.h"
#include "processor/runtime/text_util.h"

namespace aw::processor {
namespace {

constexpr std::string_view kOpenTag = "<world>";
constexpr std::string_view kCloseTag = "</world>";

std::size_t find_ci(std::string_view haystack, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (equals_ci(haystack.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

struct TagScan {
  std::string text;  // R without any world tag
  bool stop = false;
  std::vector<std::string> targets;  // TO names in order, de-duplicated, without the responder
};

void add_targets(std::string_view list, std::string_view agent_id, std::vector<std::string>& targets) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string_view entry = trim(list.substr(start, comma == std::string_view::npos ? list.npos : comma - start));
    if (!entry.empty() && entry.front() == '@') entry = trim(entry.substr(1));
    if (!entry.empty()) {
      const std::string key = normalize_mention(entry);
      bool seen = key == agent_id;
      for (const auto& t : targets) seen = seen || normalize_mention(t) == key;
      if (!seen) targets.emplace_back(entry);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

// Step 1: remove every world tag, remembering stop and targets.
TagScan scan_world_tags(std::string_view raw, std::string_view agent_id) {
  TagScan scan;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t open = find_ci(raw, kOpenTag, pos);
    std::size_t close = open == std::string_view::npos ? open : find_ci(raw, kCloseTag, open + kOpenTag.size());
    if (close == std::string_view::npos) break;  // an unclosed tag is plain text
    scan.text.append(raw.substr(pos, open - pos));
    std::string_view body = trim(raw.substr(open + kOpenTag.size(), close - open - kOpenTag.size()));
    if (equals_ci(body, "STOP") || equals_ci(body, "DONE") || equals_ci(body, "PASS")) {
      scan.stop = true;
    } else if (starts_with_ci(body, "TO:")) {
      add_targets(body.substr(3), agent_id, scan.targets);
    }
    pos = close + kCloseTag.size();
  }
  if (pos < raw.size()) scan.text.append(raw.substr(pos));
  return scan;
}

// Applies `edit` to every line (split on '\n') and joins the lines again.
std::string for_each_line(const std::string& text, const std::function<std::string(std::string_view)>& edit) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    out += edit(std::string_view(text).substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    out.push_back('\n');
    start = nl + 1;
  }
  return out;
}

// Removes, after the line's indentation, mentions accepted by `which` together with the commas, spaces and tabs
// after each, for as long as the line starts with one.
std::string strip_leading_mentions(std::string_view line, const std::function<bool(const Mention&)>& which) {
  std::string out(line);
  const std::size_t at = indentation_end(out);
  while (true) {
    auto m = mention_at(out, at);
    if (!m || !which(*m)) break;
    std::size_t end = m->end;
    while (end < out.size() && (out[end] == ',' || out[end] == ' ' || out[end] == '\t')) ++end;
    out.erase(at, end - at);
  }
  return out;
}

std::string strip_paragraph_mentions(const std::string& text) {
  return for_each_line(
      text, [](std::string_view line) { return strip_leading_mentions(line, [](const Mention&) { return true; }); });
}

}  // namespace

std::string postprocess_reply(std::string_view raw, const ReplyContext& context) {
  TagScan scan = scan_world_tags(raw, context.agent_id);

  // Step 2: self-mentions at line starts; mid-line ones stay.
  const std::string text = for_each_line(scan.text, [&](std::string_view line) {
    return strip_leading_mentions(line, [&](const Mention& m) { return m.token == context.agent_id; });
  });

  // Step 3: STOP, DONE or PASS end the chain: nobody may be addressed at a paragraph start.
  if (scan.stop) return std::string(trim(strip_paragraph_mentions(text)));

  // Step 4: explicit targets replace whatever the text addressed.
  if (!scan.targets.empty()) {
    std::string out;
    for (std::size_t i = 0; i < scan.targets.size(); ++i) {
      if (i > 0) out.push_back('\n');
      out += "@" + scan.targets[i];
    }
    const std::string stripped = strip_paragraph_mentions(text);
    std::string_view body = trim(stripped);
    if (!body.empty()) out += "\n\n" + std::string(body);
    return out;
  }

  // Step 5: a reply to a world or agent message that addresses nobody goes back to its sender [compat].
  std::string_view sender = trim(context.message_sender);
  if (!context.sender_is_human && to_lower_ascii(sender) != context.agent_id && !is_blank(text) &&
      paragraph_beginning_mentions(text).empty()) {
    return "@" + std::string(sender) + " " + std::string(trim(text));
  }
  // Step 6.
  return std::string(trim(text));
}

}  // namespace aw::processor
