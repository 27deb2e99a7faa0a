#include "args.hpp"

namespace hotline::cli {

Args::Args(std::vector<std::string> tokens) : tokens_(std::move(tokens)), used_(tokens_.size()) {}

std::optional<std::string> Args::option(const std::string& name) {
  const std::string key = "--" + name;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (used_[i]) continue;
    if (tokens_[i] == key) {
      if (i + 1 >= tokens_.size()) throw UsageError(key + " needs a value");
      used_[i] = used_[i + 1] = true;
      return tokens_[i + 1];
    }
    if (tokens_[i].rfind(key + "=", 0) == 0) {
      used_[i] = true;
      return tokens_[i].substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

std::string Args::required(const std::string& name) {
  auto v = option(name);
  if (!v) throw UsageError("missing --" + name);
  return *v;
}

bool Args::flag(const std::string& name) {
  const std::string key = "--" + name;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!used_[i] && tokens_[i] == key) {
      used_[i] = true;
      return true;
    }
  }
  return false;
}

std::optional<std::string> Args::optional_positional() {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (used_[i]) continue;
    if (tokens_[i].size() > 2 && tokens_[i].rfind("--", 0) == 0) continue;
    used_[i] = true;
    return tokens_[i];
  }
  return std::nullopt;
}

std::string Args::positional(const std::string& what) {
  auto v = optional_positional();
  if (!v) throw UsageError("missing " + what);
  return *v;
}

void Args::finish() const {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!used_[i]) {
      throw UsageError(
          (tokens_[i].rfind("--", 0) == 0 ? "unknown option " : "unexpected argument ") +
          tokens_[i]);
    }
  }
}

}  // namespace hotline::cli
