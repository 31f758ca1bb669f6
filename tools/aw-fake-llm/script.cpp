// Strict parsing of aw-fake-llm scripts (see script.h).
#include "tools/aw-fake-llm/script.h"

#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "common/json.h"

namespace aw::fake_llm {

namespace {

// Scripts are written by tests and people; 1000 rules or 10 million milliseconds are already absurd.
constexpr std::int64_t kMaxCount = 1000000;
constexpr std::int64_t kMaxDelayMs = 3600000;

Status bad(const std::string& path, std::string_view what) {
  return Status::invalid_request("script " + path + ": " + std::string(what));
}

Status read_string(const json::Value& v, const std::string& path, std::string& out) {
  if (!v.IsString()) return bad(path, "expected a string");
  out.assign(v.GetString(), v.GetStringLength());
  return Status::ok();
}

Status read_int(const json::Value& v, const std::string& path, std::int64_t min, std::int64_t max, std::int64_t& out) {
  if (!v.IsInt64() || v.GetInt64() < min || v.GetInt64() > max) {
    return bad(path, "expected an integer in " + std::to_string(min) + ".." + std::to_string(max));
  }
  out = v.GetInt64();
  return Status::ok();
}

Status read_count(const json::Value& v, const std::string& path, std::size_t& out) {
  std::int64_t n = 0;
  Status s = read_int(v, path, 0, kMaxCount, n);
  out = static_cast<std::size_t>(n);
  return s;
}

Status read_match(const json::Value& v, const std::string& path, RuleMatch& out) {
  if (!v.IsObject()) return bad(path, "expected an object");
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    const std::string key(m->name.GetString(), m->name.GetStringLength());
    const std::string at = path + "." + key;
    std::string text;
    if (key == "any") {
      if (!m->value.IsBool() || !m->value.GetBool()) return bad(at, "expected true");
      continue;
    }
    if (key != "contains" && key != "equals" && key != "regex" && key != "model" && key != "provider_path") {
      return bad(at, "unknown condition (contains, equals, regex, model, provider_path, any)");
    }
    if (Status s = read_string(m->value, at, text); !s) return s;
    if (key == "contains") {
      out.contains = text;
    } else if (key == "equals") {
      out.equals = text;
    } else if (key == "model") {
      out.model = text;
    } else if (key == "provider_path") {
      out.provider_path = text;
    } else {
      try {
        out.regex.emplace(text, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return bad(at, std::string("invalid regex: ") + e.what());
      }
      out.regex_source = text;
    }
  }
  return Status::ok();
}

Status read_failure(const json::Value& v, const std::string& path, RuleFailure& out) {
  if (!v.IsObject()) return bad(path, "expected an object");
  bool has_status = false;
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    const std::string key(m->name.GetString(), m->name.GetStringLength());
    const std::string at = path + "." + key;
    std::string text;
    if (key == "status") {
      std::int64_t status = 0;
      if (Status s = read_int(m->value, at, 200, 599, status); !s) return s;
      out.status = static_cast<int>(status);
      has_status = true;
    } else if (key == "retry_after" && m->value.IsInt64()) {
      out.retry_after = std::to_string(m->value.GetInt64());  // "retry_after": 2 reads as well as "2"
    } else if (key == "body" || key == "message" || key == "retry_after" || key == "content_type") {
      if (Status s = read_string(m->value, at, text); !s) return s;
      if (key == "body") out.body = text;
      if (key == "message") out.message = text;
      if (key == "retry_after") out.retry_after = text;
      if (key == "content_type") out.content_type = text;
    } else {
      return bad(at, "unknown key (status, body, message, retry_after, content_type)");
    }
  }
  if (!has_status) return bad(path + ".status", "missing");
  return Status::ok();
}

Status read_rule(const json::Value& v, const std::string& path, Rule& rule) {
  if (!v.IsObject()) return bad(path, "expected an object");
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    const std::string key(m->name.GetString(), m->name.GetStringLength());
    const std::string at = path + "." + key;
    const json::Value& value = m->value;
    Status s;
    std::string text;
    std::int64_t number = 0;
    std::size_t count = 0;
    if (key == "match") {
      s = read_match(value, at, rule.match);
    } else if (key == "reply") {
      if (s = read_string(value, at, text); s) rule.reply = text;
    } else if (key == "chunks") {
      if (!value.IsArray()) return bad(at, "expected an array of strings");
      std::vector<std::string> chunks;
      for (rapidjson::SizeType i = 0; i < value.Size() && s; ++i) {
        s = read_string(value[i], at + "[" + std::to_string(i) + "]", text);
        chunks.push_back(text);
      }
      if (s) rule.chunks = std::move(chunks);
    } else if (key == "chunk_size") {
      if (s = read_int(value, at, 1, kMaxCount, number); s) rule.chunk_size = static_cast<std::size_t>(number);
    } else if (key == "delay_ms_per_chunk") {
      if (s = read_int(value, at, 0, kMaxDelayMs, number); s) rule.delay_ms_per_chunk = number;
    } else if (key == "times") {
      if (s = read_int(value, at, 1, kMaxCount, number); s) rule.times = number;
    } else if (key == "fail") {
      rule.fail.emplace();
      s = read_failure(value, at, *rule.fail);
    } else if (key == "cut_after_chunks") {
      if (s = read_count(value, at, count); s) rule.cut_after_chunks = count;
    } else if (key == "stall_after_chunks") {
      if (s = read_count(value, at, count); s) rule.stall_after_chunks = count;
    } else if (key == "malformed") {
      if (s = read_string(value, at, text); s) rule.malformed = text;
    } else if (key == "malformed_after_chunks") {
      s = read_count(value, at, rule.malformed_after_chunks);
    } else if (key == "stream_error") {
      rule.stream_error.emplace();
      if (value.IsString()) {
        rule.stream_error->message.assign(value.GetString(), value.GetStringLength());
      } else if (!value.IsObject()) {
        return bad(at, "expected a string or {message, after_chunks?}");
      } else {
        for (auto e = value.MemberBegin(); e != value.MemberEnd() && s; ++e) {
          const std::string sub(e->name.GetString(), e->name.GetStringLength());
          if (sub == "message") {
            s = read_string(e->value, at + ".message", rule.stream_error->message);
          } else if (sub == "after_chunks") {
            s = read_count(e->value, at + ".after_chunks", rule.stream_error->after_chunks);
          } else {
            return bad(at + "." + sub, "unknown key (message, after_chunks)");
          }
        }
      }
    } else if (key == "empty") {
      if (!value.IsBool()) return bad(at, "expected true or false");
      rule.empty = value.GetBool();
    } else if (key == "usage") {
      if (!value.IsObject()) return bad(at, "expected {input, output}");
      rule.usage.emplace();
      for (auto e = value.MemberBegin(); e != value.MemberEnd() && s; ++e) {
        const std::string sub(e->name.GetString(), e->name.GetStringLength());
        if (sub == "input") {
          s = read_int(e->value, at + ".input", 0, std::numeric_limits<std::int32_t>::max(), rule.usage->input);
        } else if (sub == "output") {
          s = read_int(e->value, at + ".output", 0, std::numeric_limits<std::int32_t>::max(), rule.usage->output);
        } else {
          return bad(at + "." + sub, "unknown key (input, output)");
        }
      }
    } else if (key == "comment") {
      // Free text for the reader of the script.
    } else {
      return bad(at, "unknown key");
    }
    if (!s) return s;
  }
  if (rule.chunks && rule.reply) {
    std::string joined;
    for (const auto& c : *rule.chunks) joined += c;
    if (joined != *rule.reply) return bad(path + ".chunks", "their concatenation differs from reply");
  }
  if (rule.chunks && rule.chunk_size) return bad(path, "chunks and chunk_size exclude each other");
  if (rule.empty && (rule.reply || rule.chunks)) return bad(path + ".empty", "an empty reply has no reply or chunks");
  return Status::ok();
}

}  // namespace

Result<Script> parse_script(std::string_view json_text) {
  Result<json::Document> parsed = json::parse_untrusted(json_text);
  if (!parsed) return Status::invalid_request("script: not valid JSON: " + parsed.status().message());
  const json::Document& doc = parsed.value();
  Script script;
  const json::Value* rules = nullptr;
  if (doc.IsArray()) {
    rules = &doc;
  } else if (doc.IsObject()) {
    for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
      const std::string key(m->name.GetString(), m->name.GetStringLength());
      if (key == "rules") {
        rules = &m->value;
      } else if (key == "default_reply") {
        std::string text;
        if (Status s = read_string(m->value, "default_reply", text); !s) return s;
        script.default_reply = text;
      } else if (key != "comment") {
        return bad(key, "unknown key (rules, default_reply, comment)");
      }
    }
  } else {
    return bad("", "expected {\"rules\": [...]} or an array of rules");
  }
  if (rules == nullptr) return script;
  if (!rules->IsArray()) return bad("rules", "expected an array");
  for (rapidjson::SizeType i = 0; i < rules->Size(); ++i) {
    Rule rule;
    if (Status s = read_rule((*rules)[i], "rules[" + std::to_string(i) + "]", rule); !s) return s;
    script.rules.push_back(std::move(rule));
  }
  return script;
}

Result<Script> load_script_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_request("script file " + path + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  Result<Script> script = parse_script(text.str());
  if (!script) return Status::invalid_request(path + ": " + script.status().message());
  return script;
}

}  // namespace aw::fake_llm
