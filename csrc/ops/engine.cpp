// torch.ops.interplay operators of the masked-evaluation engine (CPU implementations):
//   masked_inputs       one row of masked inputs per packed coalition
//   sample_contexts     contexts S drawn by a law, per row (P_Shapley / order range / rate)
//   sample_permutations uniform permutations
//   design_sizes        per-sample sizes (rows, entries, runs) of an evaluation design
//   design_plan         the coalitions and the plan of a block of samples of a design
//   delta_reduce        accumulate per-sample contributions and their squares into estimates
// Argument checks and dispatch only; the algorithms live in csrc/core (CUDA: csrc/cuda/engine.cu).
#include <torch/library.h>
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "ops/core_status.h"
#include "ops/engine_checks.h"

extern "C" {
#include "core/delta_reduce.h"
#include "core/designs.h"
#include "core/engine_rows.h"
#include "core/masked_inputs.h"
#include "core/sampling.h"
}

namespace interplay {
namespace {

at::Tensor masked_inputs_cpu(const at::Tensor& x, const at::Tensor& baseline, const at::Tensor& player_map,
                             const at::Tensor& masks) {
  check_masked_inputs(x, baseline, player_map, masks);
  at::Tensor xc = x.contiguous(), bc = baseline.contiguous(), pm = player_map.contiguous(), mc = masks.contiguous();
  const int64_t d = xc.numel(), batch = mc.size(0), n = 64 * mc.size(1);
  at::Tensor out = at::empty({batch, d}, xc.options());
  const uint64_t* words = reinterpret_cast<const uint64_t*>(mc.data_ptr<int64_t>());
  const int64_t w = mc.size(1);
  const int64_t* map = pm.data_ptr<int64_t>();
  ip_status st = ip_check_player_map(map, d, n);
  // rows split over torch's thread pool (not OpenMP from the core lib: two runtimes would compete)
  std::atomic<int> failed{IP_OK};
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(d, 1));
  if (st == IP_OK) {
    const bool wide = xc.element_size() == 8;  // float: 32-bit patterns; double, int64: 64-bit
    at::parallel_for(0, batch, grain, [&](int64_t b0, int64_t b1) {
      ip_status s;
      if (wide) {
        std::vector<uint64_t> selector(static_cast<size_t>(n) + 1);
        s = ip_masked_rows_64(static_cast<const uint64_t*>(xc.data_ptr()), static_cast<const uint64_t*>(bc.data_ptr()),
                              map, d, n, words + b0 * w, b1 - b0, static_cast<uint64_t*>(out.data_ptr()) + b0 * d,
                              selector.data());
      } else {
        std::vector<uint32_t> selector(static_cast<size_t>(n) + 1);
        s = ip_masked_rows_32(static_cast<const uint32_t*>(xc.data_ptr()), static_cast<const uint32_t*>(bc.data_ptr()),
                              map, d, n, words + b0 * w, b1 - b0, static_cast<uint32_t*>(out.data_ptr()) + b0 * d,
                              selector.data());
      }
      if (s != IP_OK) failed.store(s);
    });
    st = static_cast<ip_status>(failed.load());
  }
  check_status(st, "masked_inputs");
  return out;
}

std::tuple<at::Tensor, at::Tensor> sample_contexts_cpu(const at::Tensor& pairs, const c10::optional<at::Tensor>& excluded,
                                                       int64_t law, int64_t seed, int64_t stream0, int64_t n,
                                                       int64_t size_lo, int64_t size_hi, double rate_lo,
                                                       double rate_hi) {
  check_sample_contexts(pairs, excluded, n, stream0);
  const int64_t count = pairs.size(0), words = (n + 63) / 64;
  at::Tensor pc = pairs.contiguous();
  at::Tensor ex = excluded.has_value() ? excluded->contiguous() : at::Tensor();
  at::Tensor out = at::empty({count, words}, pc.options());
  at::Tensor sizes = at::empty({count}, pc.options());
  check_status(ip_sample_contexts(static_cast<int>(law), static_cast<uint64_t>(seed), stream0, count, n,
                                  ex.defined() ? reinterpret_cast<const uint64_t*>(ex.data_ptr<int64_t>()) : nullptr,
                                  pc.data_ptr<int64_t>(), size_lo, size_hi, rate_lo, rate_hi,
                                  reinterpret_cast<uint64_t*>(out.data_ptr<int64_t>()), sizes.data_ptr<int64_t>()),
               "sample_contexts");
  return {out, sizes};
}

at::Tensor sample_permutations_cpu(const at::Tensor& like, int64_t seed, int64_t stream0, int64_t count, int64_t n) {
  TORCH_CHECK_VALUE(count >= 0 && n >= 1 && stream0 >= 0, "interplay.sample_permutations: need count >= 0, n >= 1, stream0 >= 0");
  at::Tensor out = at::empty({count, n}, like.options().dtype(at::kLong));
  check_status(ip_sample_permutations(static_cast<uint64_t>(seed), stream0, count, n, out.data_ptr<int64_t>()),
               "sample_permutations");
  return out;
}

// The design of the arguments; the tensors must outlive it.
struct DesignArgs {
  ip_design d;
  at::Tensor lo, hi, pairs, coalitions, absent;
};

DesignArgs make_design(int64_t kind, int64_t n, int64_t seed, int64_t law, bool systematic, bool antithetic, int64_t replicates, const at::Tensor& size_lo,
                       const at::Tensor& size_hi, double rate_lo, double rate_hi, const at::Tensor& pairs,
                       const at::Tensor& coalitions, const at::Tensor& absent) {
  const char* op = "design";
  for (const at::Tensor* t : {&size_lo, &size_hi, &pairs, &coalitions, &absent}) {
    TORCH_CHECK_VALUE(t->scalar_type() == at::kLong && t->device().is_cpu(), "interplay.", op,
                      ": design tensors must be int64 CPU tensors");
  }
  TORCH_CHECK_VALUE(size_lo.numel() == size_hi.numel(), "interplay.design: size_lo and size_hi differ in length");
  TORCH_CHECK_VALUE(n >= 1, "interplay.design: n must be >= 1, got ", n);
  const int64_t words = (n + 63) / 64;
  DesignArgs a;
  a.lo = size_lo.contiguous(), a.hi = size_hi.contiguous(), a.pairs = pairs.contiguous();
  a.coalitions = coalitions.contiguous(), a.absent = absent.contiguous();
  ip_design& d = a.d;
  d.kind = static_cast<int>(kind);
  d.n = n;
  d.seed = static_cast<uint64_t>(seed);
  d.law = static_cast<int>(law);
  d.systematic = systematic ? 1 : 0;
  d.antithetic = antithetic ? 1 : 0;
  d.replicates = replicates;
  d.n_ranges = law == IP_LAW_SIZE ? a.lo.numel() : 1;
  d.size_lo = a.lo.data_ptr<int64_t>();
  d.size_hi = a.hi.data_ptr<int64_t>();
  d.rate_lo = rate_lo, d.rate_hi = rate_hi;
  if (kind == IP_DESIGN_COALITIONS) {
    TORCH_CHECK_VALUE(a.coalitions.dim() == 2 && a.coalitions.size(1) == words && a.absent.sizes() == a.coalitions.sizes(),
                      "interplay.design: coalitions and absent must be packed [Q, ", words, "]");
    d.n_items = a.coalitions.size(0);
  } else if (kind == IP_DESIGN_PAIRS || kind == IP_DESIGN_SHARED_PAIRS) {
    TORCH_CHECK_VALUE(a.pairs.dim() == 2 && a.pairs.size(1) == 2, "interplay.design: pairs must be [P, 2]");
    d.n_items = a.pairs.size(0);
  } else {
    d.n_items = 0;
  }
  d.pairs = a.pairs.data_ptr<int64_t>();
  d.coalitions = reinterpret_cast<const uint64_t*>(a.coalitions.data_ptr<int64_t>());
  d.absent = reinterpret_cast<const uint64_t*>(a.absent.data_ptr<int64_t>());
  check_status(ip_design_check(&d), "design");
  return a;
}

// [count, 3]: rows, entries, runs of each sample.
at::Tensor design_sizes(int64_t kind, int64_t n, int64_t seed, int64_t law, bool systematic, bool antithetic, int64_t replicates, const at::Tensor& size_lo,
                        const at::Tensor& size_hi, double rate_lo, double rate_hi, const at::Tensor& pairs,
                        const at::Tensor& coalitions, const at::Tensor& absent, int64_t sample0, int64_t count) {
  DesignArgs a = make_design(kind, n, seed, law, systematic, antithetic, replicates, size_lo, size_hi, rate_lo, rate_hi, pairs, coalitions, absent);
  TORCH_CHECK_VALUE(sample0 >= 0 && count >= 0, "interplay.design_sizes: sample0 and count must be >= 0");
  at::Tensor sizes = at::empty({3, count}, at::TensorOptions().dtype(at::kLong));
  int64_t* p = sizes.data_ptr<int64_t>();
  check_status(ip_design_sizes(&a.d, sample0, count, p, p + count, p + 2 * count), "design_sizes");
  return sizes.t().contiguous();
}

// (masks [rows, W], entry_output, entry_weight, run_estimate, run_end) of samples sample0 .. sample0 + count - 1.
std::tuple<at::Tensor, at::Tensor, at::Tensor, at::Tensor, at::Tensor> design_plan(
    int64_t kind, int64_t n, int64_t seed, int64_t law, bool systematic, bool antithetic, int64_t replicates, const at::Tensor& size_lo, const at::Tensor& size_hi,
    double rate_lo, double rate_hi, const at::Tensor& pairs, const at::Tensor& coalitions, const at::Tensor& absent,
    int64_t sample0, int64_t count) {
  at::Tensor sizes = design_sizes(kind, n, seed, law, systematic, antithetic, replicates, size_lo, size_hi, rate_lo, rate_hi, pairs, coalitions, absent,
                                  sample0, count);
  DesignArgs a = make_design(kind, n, seed, law, systematic, antithetic, replicates, size_lo, size_hi, rate_lo, rate_hi, pairs, coalitions, absent);
  at::Tensor offsets = at::zeros({count + 1, 3}, sizes.options());
  offsets.narrow(0, 1, count).copy_(sizes.cumsum(0));
  at::Tensor off = offsets.t().contiguous();  // [3, count + 1]
  const int64_t* o = off.data_ptr<int64_t>();
  const int64_t rows = o[count], entries = o[(count + 1) + count], runs = o[2 * (count + 1) + count];
  const int64_t words = (n + 63) / 64;
  auto opts = at::TensorOptions().dtype(at::kLong);
  at::Tensor masks = at::empty({rows, words}, opts), out = at::empty({entries}, opts);
  at::Tensor weight = at::empty({entries}, opts.dtype(at::kDouble)), est = at::empty({runs}, opts), end = at::empty({runs}, opts);
  check_status(ip_design_fill(&a.d, sample0, count, o, o + (count + 1), o + 2 * (count + 1),
                              reinterpret_cast<uint64_t*>(masks.data_ptr<int64_t>()), out.data_ptr<int64_t>(),
                              weight.data_ptr<double>(), est.data_ptr<int64_t>(), end.data_ptr<int64_t>()),
               "design_plan");
  return {masks, out, weight, est, end};
}

void delta_reduce_cpu(const at::Tensor& values, const at::Tensor& entry_output, const at::Tensor& entry_weight,
                      const at::Tensor& run_estimate, const at::Tensor& run_end, at::Tensor& sums, at::Tensor& sumsq) {
  check_delta_reduce(values, entry_output, entry_weight, run_estimate, run_end, sums, sumsq);
  at::Tensor v = values.contiguous(), eo = entry_output.contiguous(), ew = entry_weight.contiguous();
  at::Tensor re = run_estimate.contiguous(), rend = run_end.contiguous();
  check_status(ip_delta_reduce(v.data_ptr<double>(), v.numel(), eo.data_ptr<int64_t>(), ew.data_ptr<double>(), eo.numel(),
                               re.data_ptr<int64_t>(), rend.data_ptr<int64_t>(), re.numel(), sums.numel(),
                               sums.data_ptr<double>(), sumsq.data_ptr<double>()),
               "delta_reduce");
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("masked_inputs(Tensor x, Tensor baseline, Tensor player_map, Tensor masks) -> Tensor");
  m.def("sample_contexts(Tensor pairs, Tensor? excluded, int law, int seed, int stream0, int n, int size_lo, "
        "int size_hi, float rate_lo, float rate_hi) -> (Tensor, Tensor)");
  m.def("sample_permutations(Tensor like, int seed, int stream0, int count, int n) -> Tensor");
  m.def("design_sizes(int kind, int n, int seed, int law, bool systematic, bool antithetic, int replicates, Tensor size_lo, Tensor size_hi, float rate_lo, "
        "float rate_hi, Tensor pairs, Tensor coalitions, Tensor absent, int sample0, int count) -> Tensor");
  m.def("design_plan(int kind, int n, int seed, int law, bool systematic, bool antithetic, int replicates, Tensor size_lo, Tensor size_hi, float rate_lo, "
        "float rate_hi, Tensor pairs, Tensor coalitions, Tensor absent, int sample0, int count) "
        "-> (Tensor, Tensor, Tensor, Tensor, Tensor)");
  m.def("delta_reduce(Tensor values, Tensor entry_output, Tensor entry_weight, Tensor run_estimate, Tensor run_end, "
        "Tensor(a!) sums, Tensor(b!) sumsq) -> ()");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("masked_inputs", &masked_inputs_cpu);
  m.impl("sample_contexts", &sample_contexts_cpu);
  m.impl("sample_permutations", &sample_permutations_cpu);
  m.impl("design_sizes", &design_sizes);
  m.impl("design_plan", &design_plan);
  m.impl("delta_reduce", &delta_reduce_cpu);
}

}  // namespace interplay
