// Mentions (agent-runtime.md §3.2) for the processor: the one shared implementation of common/mentions.h, named in
// this namespace so routing, post-processing and prompt building read as before.
// Thread-safety: pure functions.
#pragma once

#include "common/mentions.h"

namespace aw::processor {

using aw::routing::has_any_mention;
using aw::routing::indentation_end;
using aw::routing::Mention;
using aw::routing::mention_at;
using aw::routing::mentions_at_paragraph_start;
using aw::routing::normalize_mention;
using aw::routing::paragraph_beginning_mentions;

}  // namespace aw::processor
