// libFuzzer: SLA targets definitions (JSON) through hotline_sla_targets_from_json.
// Seeds: examples/sla and tests/fuzz/corpus/fuzz_sla_targets.
#include <cstdint>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hotline_sla_targets* targets = nullptr;
  const int rc = hotline_sla_targets_from_json(&targets, reinterpret_cast<const char*>(data), size);
  fuzz::check_status(rc, targets);
  hotline_sla_targets_free(targets);
  return 0;
}
