// pb::real_interval: one isolating interval of a real root, with exact
// rational ends. lo == hi: the root is exactly lo; lo < hi: the root is the
// only root of its polynomial in the open interval (lo, hi).
#pragma once

#include <ostream>

#include <boost/multiprecision/cpp_int.hpp>

namespace polybatch {

struct real_interval {
  boost::multiprecision::cpp_rational lo;
  boost::multiprecision::cpp_rational hi;

  /// True when the root is known exactly (it is lo).
  bool exact() const { return lo == hi; }
  friend bool operator==(const real_interval&, const real_interval&) = default;
  friend std::ostream& operator<<(std::ostream& os, const real_interval& v) {
    if (v.lo == v.hi) return os << "[" << v.lo << "]";
    return os << "(" << v.lo << ", " << v.hi << ")";
  }
};

} // namespace polybatch
