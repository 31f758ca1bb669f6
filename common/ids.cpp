// Identifiers (see ids.h).
#include "common/ids.h"

#include <random>

namespace aw {
namespace {

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return gen;
}

std::string random_from(std::string_view alphabet, std::size_t length) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[pick(generator())]);
  return out;
}

}  // namespace

std::string kebab_case(std::string_view input) {
  // 1. whitespace runs -> '-'
  std::string s1;
  bool in_space = false;
  for (char c : input) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      if (!in_space) s1.push_back('-');
      in_space = true;
    } else {
      s1.push_back(c);
      in_space = false;
    }
  }
  // 2. '-' between an ASCII lowercase letter and a following uppercase letter
  std::string s2;
  for (std::size_t i = 0; i < s1.size(); ++i) {
    s2.push_back(s1[i]);
    if (s1[i] >= 'a' && s1[i] <= 'z' && i + 1 < s1.size() && s1[i + 1] >= 'A' && s1[i + 1] <= 'Z') {
      s2.push_back('-');
    }
  }
  // 3-4. every other character (each byte of non-ASCII) -> '-', collapse runs; 6. lowercase
  std::string s3;
  for (char c : s2) {
    char out = is_ascii_alnum(c) || c == '-' ? c : '-';
    if (out == '-' && !s3.empty() && s3.back() == '-') continue;
    if (out >= 'A' && out <= 'Z') out = static_cast<char>(out - 'A' + 'a');
    s3.push_back(out);
  }
  // 5. trim '-'
  std::size_t b = s3.find_first_not_of('-');
  if (b == std::string::npos) return "";
  std::size_t e = s3.find_last_not_of('-');
  return s3.substr(b, e - b + 1);
}

std::string random_id(std::size_t length) {
  return random_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", length);
}

std::string random_base36(std::size_t length) { return random_from("0123456789abcdefghijklmnopqrstuvwxyz", length); }

std::string new_chat_id(EpochMs now) { return "chat-" + std::to_string(now) + "-" + random_base36(9); }

std::string new_epoch() { return random_id(22); }

}  // namespace aw
