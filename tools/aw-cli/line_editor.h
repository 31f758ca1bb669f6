// LineEditor: a small line editor for aw-cli on a terminal (hand-written: no GPL readline, no extra package).
// Keys: printable text (UTF-8), Backspace, Delete, Left/Right, Home/End, Ctrl-A/E, Ctrl-U/K/W, Up/Down through the
// history, Enter; Ctrl-C returns kInterrupt (aw-cli cancels the running message), Ctrl-D on an empty line kEof.
// The terminal is put in raw mode (no echo, no signals, output processing kept so "\n" still returns the carriage)
// for the editor's lifetime and restored by the destructor. Drawing goes through the Console, which also redraws
// the input after asynchronous output.
// History: Up/Down browse a History (history.h), which keeps it across sessions.
// Thread-safety: one thread (the main thread) calls read_line; the Console is shared.
#pragma once

#include <termios.h>

#include <string>
#include <vector>

#include "tools/aw-cli/console.h"
#include "tools/aw-cli/history.h"

namespace aw::cli {

class LineEditor {
 public:
  enum class Kind { kLine, kEof, kInterrupt };
  struct Input {
    Kind kind = Kind::kEof;
    std::string line;
  };

  // Requires: fd is a terminal. `history` must outlive the editor.
  LineEditor(Console& console, int fd, History& history);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Blocks until Enter, Ctrl-C or Ctrl-D (or end of input / a read error, reported as kEof).
  Input read_line();
  // Remembers a submitted line for Up/Down and saves the history (see History::add).
  Status add_history(const std::string& line) { return history_.add(line); }

 private:
  bool read_byte(unsigned char& c);
  void redraw();
  void move_left();
  void move_right();

  Console& console_;
  const int fd_;
  termios saved_{};
  bool raw_ = false;
  std::string buffer_;
  std::size_t cursor_ = 0;  // byte offset into buffer_, always at a code point boundary
  History& history_;
  std::size_t history_pos_ = 0;  // == history size: the line being edited
};

}  // namespace aw::cli
