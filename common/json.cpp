// Safe parsing and serialisation over RapidJSON (see json.h for the rules).
#include "common/json.h"
#include "common/pooled_document.h"

#include <cstdint>
#include <cstring>

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace aw::json {
namespace {

constexpr unsigned kSafeFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
// For text already known to be valid UTF-8: RapidJSON's check (as strict as is_valid_utf8: no overlong forms, no
// surrogates, nothing above U+10FFFF) costs tens of instructions per string byte, is_valid_utf8 a few per 8 ASCII
// bytes, and could not fail. Everything else (syntax, escapes, lone \u surrogates, control characters) is checked
// as before.
constexpr unsigned kPrevalidatedFlags = rapidjson::kParseIterativeFlag;

// Wraps the Document's SAX handler and refuses nesting deeper than the limit.
class DepthLimiter {
 public:
  DepthLimiter(Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}
  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool StartObject() { return ++depth_ <= max_depth_ && doc_.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return ++depth_ <= max_depth_ && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }
  bool too_deep() const { return depth_ > max_depth_; }

 private:
  Document& doc_;
  int max_depth_;
  int depth_ = 0;
};

Status parse_limited_into(Document& doc, std::string_view text, int max_depth) {
  bool too_deep = false;
  rapidjson::ParseResult parse_result;
  // Invalid UTF-8 takes the validating parse, so its error (and the position it is found at) stays RapidJSON's.
  const bool prevalidated = is_valid_utf8(text);
  auto generator = [&](Document& target) {
    DepthLimiter limiter(target, max_depth);
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    // One reader per thread: its state stack is kept between parses (Parse resets it), not allocated per text.
    thread_local rapidjson::Reader reader;
    parse_result = prevalidated ? reader.Parse<kPrevalidatedFlags>(is, limiter) : reader.Parse<kSafeFlags>(is, limiter);
    too_deep = limiter.too_deep();
    return !parse_result.IsError();
  };
  doc.Populate(generator);
  if (too_deep) return Status::error("bad_json", "JSON nested deeper than " + std::to_string(max_depth));
  if (parse_result.IsError()) {
    return Status::error("bad_json", rapidjson::GetParseError_En(parse_result.Code()));
  }
  return Status::ok();
}

Result<Document> parse_limited(std::string_view text, int max_depth) {
  Document doc;
  Status parsed = parse_limited_into(doc, text, max_depth);
  if (!parsed.is_ok()) return parsed;
  return doc;
}

}  // namespace

Result<Document> parse_untrusted(std::string_view text, int max_depth) { return parse_limited(text, max_depth); }

Result<Document> parse_trusted(std::string_view text) { return parse_limited(text, 1024); }

PooledDocument::PooledDocument() : pool_(buffer_, sizeof buffer_, kSpillChunkBytes), document_(&pool_) {}

Status parse_untrusted_into(PooledDocument& target, std::string_view text, int max_depth) {
  return parse_limited_into(target.document(), text, max_depth);
}

std::optional<std::string> to_string(const Value& value) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  if (!value.Accept(writer)) return std::nullopt;
  return std::string(buffer.GetString(), buffer.GetSize());
}

const Value* find(const Value& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  // As FindMember (the first member of that name), comparing lengths first; the key's length is kept, so a NUL
  // inside a name is compared like any byte.
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const Value& name = it->name;
    if (name.GetStringLength() != key.size()) continue;
    if (key.empty() || std::memcmp(name.GetString(), key.data(), key.size()) == 0) return &it->value;
  }
  return nullptr;
}

std::optional<std::string> get_string(const Value& object, std::string_view key) {
  const Value* v = find(object, key);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> get_int(const Value& object, std::string_view key) {
  const Value* v = find(object, key);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::optional<double> get_number(const Value& object, std::string_view key) {
  const Value* v = find(object, key);
  if (v == nullptr || !v->IsNumber()) return std::nullopt;
  return v->GetDouble();
}

std::optional<bool> get_bool(const Value& object, std::string_view key) {
  const Value* v = find(object, key);
  if (v == nullptr || !v->IsBool()) return std::nullopt;
  return v->GetBool();
}

namespace {

// Length of the valid multi-byte UTF-8 sequence starting at s[i] (a lead byte >= 0x80), 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  unsigned cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;  // overlong
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// True when none of the 8 bytes at p has its high bit set.
bool ascii_word(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return (word & 0x8080808080808080ULL) == 0;
}

// True when none of the 32 bytes at p has its high bit set: four words tested with one branch.
bool ascii_block(const char* p) {
  std::uint64_t w[4];
  std::memcpy(w, p, sizeof w);
  return ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) == 0;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Text is mostly ASCII: skip it 32 bytes, then a word, at a time (every outbound frame is checked).
    while (i + 32 <= n && ascii_block(s.data() + i)) i += 32;
    if (i == n) break;
    if (i + 8 <= n && ascii_word(s.data() + i)) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void append_quoted(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // A run of bytes that need no escaping (printable ASCII except quote and backslash, valid multi-byte UTF-8) is
    // appended in one go.
    const std::size_t run_start = i;
    while (i < n) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++i;
      } else if (c >= 0x80) {
        const std::size_t len = utf8_sequence_length(s, i);
        if (len == 0) break;
        i += len;
      } else {
        break;
      }
    }
    out.append(s.data() + run_start, i - run_start);
    if (i == n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out += "\xEF\xBF\xBD";  // an invalid byte >= 0x80 becomes U+FFFD
        }
    }
  }
  out.push_back('"');
}

}  // namespace aw::json
