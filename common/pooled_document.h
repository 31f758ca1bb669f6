// PooledDocument: a JSON Document whose memory pool starts in an inline buffer, for hot paths that parse many small
// untrusted texts (client frames). Parsing a small text into one allocates this object and RapidJSON's parse
// stack, where parse_untrusted also allocates the Document's pool object and a 64 KiB first chunk. What does not
// fit the inline buffer spills into chunks of kSpillChunkBytes. The parse is parse_untrusted's (json.h): same
// flags, depth limit and errors; both are implemented in json.cpp.
//
// Thread-safety: a PooledDocument belongs to its caller. Neither copyable nor movable (the Document points at the
// pool): hold it by std::unique_ptr.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace aw::json {

class PooledDocument {
 public:
  static constexpr std::size_t kInlineBytes = 1024;
  static constexpr std::size_t kSpillChunkBytes = 16 * 1024;

  PooledDocument();
  PooledDocument(const PooledDocument&) = delete;
  PooledDocument& operator=(const PooledDocument&) = delete;

  Document& document() { return document_; }
  const Document& document() const { return document_; }

 private:
  alignas(std::max_align_t) unsigned char buffer_[kInlineBytes];
  rapidjson::MemoryPoolAllocator<> pool_;
  Document document_;
};

// parse_untrusted into `target`, which must be fresh (one parse per PooledDocument). Fails with code "bad_json"
// and the same reasons as parse_untrusted.
Status parse_untrusted_into(PooledDocument& target, std::string_view text, int max_depth = kDefaultMaxDepth);

}  // namespace aw::json
