// Console (see console.h).
#include "tools/aw-cli/console.h"

#include <functional>

namespace aw::cli {
namespace {

const char* code_of(Colour c) {
  switch (c) {
    case Colour::kDim:
      return "\033[2m";
    case Colour::kRed:
      return "\033[31m";
    case Colour::kGreen:
      return "\033[32m";
    case Colour::kYellow:
      return "\033[33m";
    case Colour::kBlue:
      return "\033[34m";
    case Colour::kMagenta:
      return "\033[35m";
    case Colour::kCyan:
      return "\033[36m";
    case Colour::kBold:
      return "\033[1m";
    case Colour::kNone:
      break;
  }
  return "";
}

// Display columns of UTF-8 text: one per code point (wide glyphs are rare in input lines).
std::size_t columns(const std::string& s, std::size_t bytes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < bytes && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

Console::Console(bool color, bool tty, std::FILE* out) : color_(color), tty_(tty), out_(out) {}

std::string Console::paint(const std::string& text, Colour colour) const {
  if (!color_ || colour == Colour::kNone) return text;
  return std::string(code_of(colour)) + text + "\033[0m";
}

Colour Console::agent_colour(const std::string& agent_id) const {
  static constexpr Colour kPalette[] = {Colour::kCyan,   Colour::kMagenta, Colour::kGreen,
                                        Colour::kYellow, Colour::kBlue,    Colour::kRed};
  return kPalette[std::hash<std::string>{}(agent_id) % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

void Console::line(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  erase_input_locked();
  close_stream_locked();
  std::fputs(text.c_str(), out_);
  std::fputc('\n', out_);
  draw_input_locked();
  std::fflush(out_);
}

void Console::stream(const std::string& owner, const std::string& header, const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stream_owner_ != owner) {
    erase_input_locked();
    close_stream_locked();
    stream_owner_ = owner;
    std::fputs(header.c_str(), out_);
  }
  std::fputs(text.c_str(), out_);
  std::fflush(out_);
}

void Console::end_stream(const std::string& owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stream_owner_.empty() || (!owner.empty() && owner != stream_owner_)) return;
  close_stream_locked();
  draw_input_locked();
  std::fflush(out_);
}

void Console::set_prompt(const std::string& prompt, std::size_t visible_width) {
  std::lock_guard<std::mutex> lock(mutex_);
  prompt_ = prompt;
  prompt_width_ = visible_width;
}

void Console::show_input(const std::string& buffer, std::size_t cursor) {
  std::lock_guard<std::mutex> lock(mutex_);
  buffer_ = buffer;
  cursor_ = cursor;
  input_visible_ = true;
  draw_input_locked();
  std::fflush(out_);
}

void Console::hide_input() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (input_visible_ && tty_ && stream_owner_.empty()) std::fputs("\r\n", out_);
  input_visible_ = false;
  buffer_.clear();
  cursor_ = 0;
  std::fflush(out_);
}

void Console::erase_input_locked() {
  if (tty_ && input_visible_ && stream_owner_.empty()) std::fputs("\r\033[K", out_);
}

void Console::draw_input_locked() {
  // While a reply streams the prompt stays hidden: it would split the streamed line.
  if (!tty_ || !input_visible_ || !stream_owner_.empty()) return;
  std::fputs("\r\033[K", out_);
  std::fputs(prompt_.c_str(), out_);
  std::fputs(buffer_.c_str(), out_);
  const std::size_t col = prompt_width_ + columns(buffer_, cursor_);
  std::fputs("\r", out_);
  if (col > 0) std::fprintf(out_, "\033[%zuC", col);
}

void Console::close_stream_locked() {
  if (stream_owner_.empty()) return;
  std::fputc('\n', out_);
  stream_owner_.clear();
}

}  // namespace aw::cli
