// A small command-line parser for the hotline tool: positionals, --name value, --name=value, flags.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hotline::cli {

/// A usage mistake: printed with the command's usage, exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  explicit Args(std::vector<std::string> tokens);

  /// Value of --name (or --name=value); nullopt when absent. Throws UsageError when the value is
  /// missing.
  std::optional<std::string> option(const std::string& name);
  /// Like option(), but required.
  std::string required(const std::string& name);
  /// Whether the flag --name is present.
  bool flag(const std::string& name);
  /// The next positional argument; throws UsageError naming `what` when there is none.
  std::string positional(const std::string& what);
  std::optional<std::string> optional_positional();
  /// Throws UsageError for anything not consumed (a misspelt option, an extra argument).
  void finish() const;

 private:
  std::vector<std::string> tokens_;
  std::vector<bool> used_;
};

}  // namespace hotline::cli
