// Result<T>: the value of an operation that can fail in an expected way.
// Errors carry one lowercase line naming the path or key; they are reported
// once, at the edge (the CLI), never logged where they are created.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>
#include <variant>

namespace tune {

struct Error {
  std::string message;
};

template <class... Args>
Error make_error(fmt::format_string<Args...> format, Args&&... args) {
  return Error{fmt::format(format, std::forward<Args>(args)...)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }
  // The value, or a default-constructed one when this holds an error.
  T value_or_default() const { return ok() ? value() : T{}; }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

// Prefix an error with context: "reading profile x: <inner>".
inline Error with_context(const std::string& context, const Error& inner) {
  return Error{context + ": " + inner.message};
}

}  // namespace tune

// Assign the value of a Result expression to target, or return its error.
#define TUNE_ASSIGN_OR_RETURN(target, expression)       \
  do {                                                  \
    auto tune_result_ = (expression);                   \
    if (!tune_result_) return tune_result_.error();     \
    target = std::move(*tune_result_);                  \
  } while (0)

// Return the error of a Status expression, if any.
#define TUNE_RETURN_IF_ERROR(expression)                \
  do {                                                  \
    auto tune_status_ = (expression);                   \
    if (!tune_status_) return tune_status_.error();     \
  } while (0)
