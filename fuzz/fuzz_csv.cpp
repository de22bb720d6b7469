// libFuzzer target: the .csv reader for a floating, a fixed-width integer and
// an exact rational type. Any text must either read as a batch or throw
// interop::format_error; what is read must write back and read again equal.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include <polybatch/interop/csv.hpp>
#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

template <class T>
void round_trip(std::string_view text) {
  try {
    const pb::PolyBatch<T> b = pb::interop::csv_to_batch<T>(text, "fuzz.csv");
    std::ostringstream out;
    pb::interop::write_csv(out, b);
    const pb::PolyBatch<T> again = pb::interop::csv_to_batch<T>(out.str(), "again.csv");
    if constexpr (std::is_floating_point_v<T>) {
      // NaN != NaN: compare the text instead.
      std::ostringstream out2;
      pb::interop::write_csv(out2, again);
      if (out2.str() != out.str()) __builtin_trap();
    } else {
      if (!(again == b)) __builtin_trap();
    }
  } catch (const pb::interop::format_error&) {
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  round_trip<double>(text);
  round_trip<std::int64_t>(text);
  round_trip<boost::multiprecision::cpp_rational>(text);
  return 0;
}
