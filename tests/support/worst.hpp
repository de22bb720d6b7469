// The running largest error of a test, kept NaN-aware: std::max(worst, x)
// returns worst when x is NaN, so a NaN coefficient would pass a later
// `worst <= bound` unseen. Here a NaN, once met, is the result.
#pragma once

#include <cmath>

namespace checks {

template <class R>
R worst_of(R worst, R x) {
  return std::isnan(worst) || x <= worst ? worst : x;
}

} // namespace checks
