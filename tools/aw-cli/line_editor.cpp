// LineEditor (see line_editor.h).
#include "tools/aw-cli/line_editor.h"

#include <unistd.h>

#include <cerrno>

namespace aw::cli {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

LineEditor::LineEditor(Console& console, int fd, History& history) : console_(console), fd_(fd), history_(history) {
  if (tcgetattr(fd_, &saved_) == 0) {
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    raw_ = tcsetattr(fd_, TCSAFLUSH, &raw) == 0;
  }
}

LineEditor::~LineEditor() {
  if (raw_) tcsetattr(fd_, TCSAFLUSH, &saved_);
}

bool LineEditor::read_byte(unsigned char& c) {
  for (;;) {
    ssize_t n = ::read(fd_, &c, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

void LineEditor::redraw() { console_.show_input(buffer_, cursor_); }

void LineEditor::move_left() {
  while (cursor_ > 0) {
    --cursor_;
    if (!is_continuation(buffer_[cursor_])) break;
  }
}

void LineEditor::move_right() {
  if (cursor_ < buffer_.size()) ++cursor_;
  while (cursor_ < buffer_.size() && is_continuation(buffer_[cursor_])) ++cursor_;
}

LineEditor::Input LineEditor::read_line() {
  buffer_.clear();
  cursor_ = 0;
  const std::vector<std::string>& lines = history_.lines();
  history_pos_ = lines.size();
  std::string draft;  // the line being edited while browsing the history
  redraw();
  unsigned char c = 0;
  while (read_byte(c)) {
    if (c == '\r' || c == '\n') {
      Input in{Kind::kLine, buffer_};
      console_.hide_input();
      return in;
    }
    if (c == 0x03) {  // Ctrl-C
      console_.hide_input();
      return Input{Kind::kInterrupt, ""};
    }
    if (c == 0x04) {  // Ctrl-D: quit on an empty line, else delete at the cursor
      if (buffer_.empty()) {
        console_.hide_input();
        return Input{Kind::kEof, ""};
      }
      if (cursor_ < buffer_.size()) {
        std::size_t end = cursor_;
        move_right();
        end = cursor_;
        move_left();
        buffer_.erase(cursor_, end - cursor_);
      }
    } else if (c == 0x7F || c == 0x08) {  // Backspace
      const std::size_t end = cursor_;
      move_left();
      buffer_.erase(cursor_, end - cursor_);
    } else if (c == 0x01) {
      cursor_ = 0;
    } else if (c == 0x05) {
      cursor_ = buffer_.size();
    } else if (c == 0x15) {  // Ctrl-U: kill to the start
      buffer_.erase(0, cursor_);
      cursor_ = 0;
    } else if (c == 0x0B) {  // Ctrl-K: kill to the end
      buffer_.erase(cursor_);
    } else if (c == 0x17) {  // Ctrl-W: kill the previous word
      std::size_t start = cursor_;
      while (start > 0 && buffer_[start - 1] == ' ') --start;
      while (start > 0 && buffer_[start - 1] != ' ') --start;
      buffer_.erase(start, cursor_ - start);
      cursor_ = start;
    } else if (c == 0x1B) {  // escape sequences: arrows, Home, End, Delete
      unsigned char a = 0;
      unsigned char b = 0;
      if (!read_byte(a) || !read_byte(b)) break;
      if (a == '[' && b >= '0' && b <= '9') {
        unsigned char tilde = 0;
        if (!read_byte(tilde)) break;
        if (b == '3' && cursor_ < buffer_.size()) {
          std::size_t start = cursor_;
          move_right();
          buffer_.erase(start, cursor_ - start);
          cursor_ = start;
        } else if (b == '1' || b == '7') {
          cursor_ = 0;
        } else if (b == '4' || b == '8') {
          cursor_ = buffer_.size();
        }
      } else if (b == 'D') {
        move_left();
      } else if (b == 'C') {
        move_right();
      } else if (b == 'H') {
        cursor_ = 0;
      } else if (b == 'F') {
        cursor_ = buffer_.size();
      } else if (b == 'A' && history_pos_ > 0) {
        if (history_pos_ == lines.size()) draft = buffer_;
        buffer_ = lines[--history_pos_];
        cursor_ = buffer_.size();
      } else if (b == 'B' && history_pos_ < lines.size()) {
        ++history_pos_;
        buffer_ = history_pos_ == lines.size() ? draft : lines[history_pos_];
        cursor_ = buffer_.size();
      }
    } else if (c >= 0x20 || c == '\t') {
      buffer_.insert(cursor_, 1, static_cast<char>(c == '\t' ? ' ' : c));
      ++cursor_;
    }
    redraw();
  }
  console_.hide_input();
  return Input{Kind::kEof, ""};
}

}  // namespace aw::cli
