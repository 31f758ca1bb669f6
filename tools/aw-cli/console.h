// Console: aw-cli's terminal output. Lines and streamed tokens arrive from the client's io thread while the main
// thread edits the input line; the console erases the input line, writes the output and draws the prompt and the
// input again, so the two never interleave. While an agent's reply is streaming (a partial line is open) the prompt
// is not drawn; it comes back when the stream ends. Without a tty: no colours, no prompt, no escape sequences.
// Thread-safety: every member function may be called from any thread (one mutex, held while writing).
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

namespace aw::cli {

enum class Colour { kNone, kDim, kRed, kGreen, kYellow, kBlue, kMagenta, kCyan, kBold };

class Console {
 public:
  // `color`: ANSI colours; `tty`: prompt and input redraws (stdin and stdout are terminals).
  Console(bool color, bool tty, std::FILE* out = stdout);

  // Text wrapped in the colour's escape codes (unchanged without colours).
  std::string paint(const std::string& text, Colour colour) const;
  // A stable colour for an agent id.
  Colour agent_colour(const std::string& agent_id) const;

  // A complete line (no trailing newline needed). Ends an open stream first.
  void line(const std::string& text);
  // Opens (or continues) a streamed line owned by `owner`; a different owner ends the previous one first and
  // writes `header` to start the new line.
  void stream(const std::string& owner, const std::string& header, const std::string& text);
  // Ends `owner`'s streamed line ("" = whichever is open).
  void end_stream(const std::string& owner = "");

  // The input line as the editor holds it: prompt (with its visible width), buffer, cursor byte offset.
  void set_prompt(const std::string& prompt, std::size_t visible_width);
  void show_input(const std::string& buffer, std::size_t cursor);
  // Stops drawing the input line (the editor returned a line; the next read draws it again).
  void hide_input();

 private:
  void erase_input_locked();
  void draw_input_locked();
  void close_stream_locked();

  const bool color_;
  const bool tty_;
  std::FILE* const out_;

  std::mutex mutex_;  // guards the members below and writes to out_
  std::string prompt_;
  std::size_t prompt_width_ = 0;
  std::string buffer_;
  std::size_t cursor_ = 0;
  bool input_visible_ = false;
  std::string stream_owner_;  // "" = no streamed line open
};

}  // namespace aw::cli
