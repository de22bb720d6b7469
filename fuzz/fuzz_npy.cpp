// libFuzzer target: the .npy reader. Any byte string must either read as a
// batch or throw interop::format_error, or pb::shape_error for a header whose
// shape no batch can hold (never crash, hang or over-read).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <polybatch/interop/npy.hpp>
#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

template <class T>
void read_as(std::string_view bytes) {
  try {
    const pb::PolyBatch<T> b = pb::interop::npy_to_batch<T>(bytes, "fuzz.npy", "T");
    if (b.batch_size() < 1 || b.length() < 1) __builtin_trap();
  } catch (const pb::interop::format_error&) {
  } catch (const pb::shape_error&) {
  } catch (const std::bad_alloc&) {
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  read_as<double>(bytes);
  read_as<float>(bytes);
  read_as<std::int64_t>(bytes);
  return 0;
}
