// TUNE_DECLARE_OR_RETURN(Type name, expression): declare `name` from a Result
// expression in the enclosing scope, or return its error. (result.h's
// TUNE_ASSIGN_OR_RETURN assigns to an existing variable.)
#pragma once

#define TUNE_DOR_CONCAT_(a, b) a##b
#define TUNE_DOR_CONCAT(a, b) TUNE_DOR_CONCAT_(a, b)
#define TUNE_DECLARE_OR_RETURN(declaration, expression)                                     \
  auto TUNE_DOR_CONCAT(tune_declared_, __LINE__) = (expression);                            \
  if (!TUNE_DOR_CONCAT(tune_declared_, __LINE__))                                           \
    return TUNE_DOR_CONCAT(tune_declared_, __LINE__).error();                               \
  declaration = std::move(*TUNE_DOR_CONCAT(tune_declared_, __LINE__))
