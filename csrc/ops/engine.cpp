// torch.ops.interplay operators of the masked-evaluation engine (CPU implementations):
//   masked_inputs   one row of masked inputs per packed player set
//   design_sizes    per-sample sizes (rows, entries, runs) of an evaluation design
//   design_plan     the coalitions and the plan of a block of samples of a design
//   delta_reduce    accumulate per-sample contributions and their squares into estimates
//   combinations    the t-subsets of n players of a range of lexicographic ranks
// A design crosses the schema as (str kind, int n, int seed, int sample0, int count, *, keyword-only
// parameters with defaults); it is validated once per call by the core (ip_design_check), which returns
// a checked design used by both the sizes and the fill. Algorithms and their checks live in csrc/core/engine.
#include <torch/library.h>
#include <ATen/ATen.h>

#include <string>
#include <tuple>

#include "ops/core_status.h"
#include "ops/engine_checks.h"

extern "C" {
#include "core/engine/combinations.h"
#include "core/engine/delta_reduce.h"
#include "core/engine/designs.h"
#include "core/engine/masked_inputs.h"
}

namespace interplay {
namespace {

// The core splits the rows over OpenMP threads (the thread count of torch.set_num_threads), as every
// CPU op of interplay: one threading runtime.
at::Tensor masked_inputs_cpu(const at::Tensor& x, const at::Tensor& baseline, const at::Tensor& player_map,
                             const at::Tensor& masks) {
  check_masked_inputs(x, baseline, player_map, masks);
  at::Tensor xc = x.contiguous(), bc = baseline.contiguous(), pm = player_map.contiguous(), mc = masks.contiguous();
  const int64_t d = xc.numel(), batch = mc.size(0), w = mc.size(1);
  const int64_t n = 64 * w;
  const int64_t* map = pm.data_ptr<int64_t>();
  at::Tensor out = at::empty({batch, d}, xc.options());
  const uint64_t* words = words_of(mc);
  core_call("masked_inputs", [&](ip_error* e) {
    if (xc.element_size() == 8)  // double, int64: 64-bit patterns; float: 32-bit
      return ip_masked_inputs_64(static_cast<const uint64_t*>(xc.data_ptr()), static_cast<const uint64_t*>(bc.data_ptr()),
                                 map, d, n, words, batch, static_cast<uint64_t*>(out.data_ptr()), e);
    return ip_masked_inputs_32(static_cast<const uint32_t*>(xc.data_ptr()), static_cast<const uint32_t*>(bc.data_ptr()),
                               map, d, n, words, batch, static_cast<uint32_t*>(out.data_ptr()), e);
  });
  return out;
}

// A design and the contiguous tensors its pointers refer to (they must outlive it).
struct Design {
  ip_checked_design checked;
  at::Tensor pairs;
};

Design make_design(const char* op, c10::string_view kind, int64_t n, int64_t seed, c10::string_view law,
                   bool systematic, bool antithetic, int64_t replicates, at::IntArrayRef size_lo,
                   at::IntArrayRef size_hi, double rate_lo, double rate_hi, const c10::optional<at::Tensor>& pairs) {
  ip_design d{};
  d.kind = parse_choice<ip_design_kind>(op, "kind", kind,
                                        {{"permutation", IP_DESIGN_PERMUTATION},
                                         {"pairs", IP_DESIGN_PAIRS},
                                         {"shared_pairs", IP_DESIGN_SHARED_PAIRS}});
  d.law = parse_choice<ip_context_law>(op, "law", law, {{"size", IP_LAW_SIZE}, {"rate", IP_LAW_RATE}});
  TORCH_CHECK_VALUE(size_lo.size() == size_hi.size(), "interplay.", op, ": size_lo and size_hi differ in length (",
                    size_lo.size(), " and ", size_hi.size(), ")");
  Design a;
  d.n = n;
  d.seed = static_cast<uint64_t>(seed);  // every int64 is a seed: its two's complement uint64
  d.systematic = systematic, d.antithetic = antithetic, d.replicates = replicates;
  d.n_ranges = static_cast<int64_t>(size_lo.size());
  d.size_lo = size_lo.data(), d.size_hi = size_hi.data();
  d.rate_lo = rate_lo, d.rate_hi = rate_hi;
  const bool wants_pairs = d.kind == IP_DESIGN_PAIRS || d.kind == IP_DESIGN_SHARED_PAIRS;
  TORCH_CHECK_VALUE(wants_pairs == pairs.has_value(), "interplay.", op, ": pairs ",
                    wants_pairs ? "is required by" : "does not apply to", " kind '", std::string(kind), "'");
  if (wants_pairs) {
    check_tensor(op, "pairs", *pairs, at::kLong, 2, "[P, 2]");
    check_cpu(op, "pairs", *pairs);
    TORCH_CHECK_VALUE(pairs->size(1) == 2, "interplay.", op, ": pairs must be [P, 2], got shape ", pairs->sizes());
    a.pairs = pairs->contiguous();
    d.pairs = a.pairs.data_ptr<int64_t>();
    d.n_items = a.pairs.size(0);
  }
  core_call(op, [&](ip_error* e) { return ip_design_check(&d, &a.checked, e); });
  return a;
}

#define IP_DESIGN_PARAMS                                                                                       \
  c10::string_view kind, int64_t n, int64_t seed, int64_t sample0, int64_t count, c10::string_view law,        \
      bool systematic, bool antithetic, int64_t replicates, at::IntArrayRef size_lo, at::IntArrayRef size_hi, \
      double rate_lo, double rate_hi, const c10::optional<at::Tensor>&pairs
#define IP_DESIGN_ARGS \
  kind, n, seed, law, systematic, antithetic, replicates, size_lo, size_hi, rate_lo, rate_hi, pairs

// [count, 3]: rows, entries, runs of each sample.
at::Tensor design_sizes(IP_DESIGN_PARAMS) {
  const char* op = "design_sizes";
  Design a = make_design(op, IP_DESIGN_ARGS);
  int64_t rows, entries, runs;
  core_call(op, [&](ip_error* e) { return ip_design_block(&a.checked, sample0, count, &rows, &entries, &runs, e); });
  check_output_memory(op, "count", count, {{{count, 3}, 8}});
  at::Tensor sizes = at::empty({count, 3}, at::TensorOptions().dtype(at::kLong));
  sizes.select(1, 0).fill_(a.checked.rows);
  sizes.select(1, 1).fill_(a.checked.entries);
  sizes.select(1, 2).fill_(a.checked.runs);
  return sizes;
}

// (masks [rows, W], entry_output, entry_weight, run_estimate, run_end) of samples sample0 .. sample0 + count - 1.
std::tuple<at::Tensor, at::Tensor, at::Tensor, at::Tensor, at::Tensor> design_plan(IP_DESIGN_PARAMS) {
  const char* op = "design_plan";
  Design a = make_design(op, IP_DESIGN_ARGS);
  int64_t rows, entries, runs;
  core_call(op, [&](ip_error* e) { return ip_design_block(&a.checked, sample0, count, &rows, &entries, &runs, e); });
  // one sample too large names n, else the block of count samples is too large
  check_output_memory(op, count > 1 ? "count" : "n", count > 1 ? count : n,
                      {{{rows, (n + 63) / 64}, 8}, {{entries}, 16}, {{runs}, 16}});
  auto opts = at::TensorOptions().dtype(at::kLong);
  at::Tensor masks = at::empty({rows, (n + 63) / 64}, opts), out = at::empty({entries}, opts);
  at::Tensor weight = at::empty({entries}, opts.dtype(at::kDouble));
  at::Tensor est = at::empty({runs}, opts), end = at::empty({runs}, opts);
  core_call(op, [&](ip_error* e) {
    return ip_design_fill(&a.checked, sample0, count, reinterpret_cast<uint64_t*>(masks.data_ptr<int64_t>()),
                          out.data_ptr<int64_t>(), weight.data_ptr<double>(), est.data_ptr<int64_t>(),
                          end.data_ptr<int64_t>(), e);
  });
  return {masks, out, weight, est, end};
}

void delta_reduce_cpu(const at::Tensor& values, const at::Tensor& entry_output, const at::Tensor& entry_weight,
                      const at::Tensor& run_estimate, const at::Tensor& run_end, at::Tensor& sums, at::Tensor& sumsq) {
  check_delta_reduce(values, entry_output, entry_weight, run_estimate, run_end, sums, sumsq);
  at::Tensor v = values.contiguous(), eo = entry_output.contiguous(), ew = entry_weight.contiguous();
  at::Tensor re = run_estimate.contiguous(), rend = run_end.contiguous();
  core_call("delta_reduce", [&](ip_error* e) {
    return ip_delta_reduce(v.data_ptr<double>(), v.numel(), eo.data_ptr<int64_t>(), ew.data_ptr<double>(), eo.numel(),
                           re.data_ptr<int64_t>(), rend.data_ptr<int64_t>(), re.numel(), sums.numel(),
                           sums.data_ptr<double>(), sumsq.data_ptr<double>(), e);
  });
}

// `like` only selects the dispatch key (a CPU tensor).
at::Tensor combinations_cpu(const at::Tensor& like, int64_t n, int64_t t, int64_t rank0, int64_t count) {
  const char* op = "combinations";
  core_call(op, [&](ip_error* e) { return ip_combinations_check(n, t, rank0, count, e); });
  check_output_memory(op, "count", count, {{{count, (n + 63) / 64}, 8}});
  at::Tensor masks = at::empty({count, (n + 63) / 64}, like.options().dtype(at::kLong));
  core_call(op, [&](ip_error* e) {
    return ip_combinations(n, t, rank0, count, reinterpret_cast<uint64_t*>(masks.data_ptr<int64_t>()), e);
  });
  return masks;
}

}  // namespace

#define IP_DESIGN_SCHEMA                                                                                        \
  "(str kind, int n, int seed, int sample0, int count, *, str law=\"size\", bool systematic=False, "           \
  "bool antithetic=False, int replicates=1, int[] size_lo=[], int[] size_hi=[], float rate_lo=0., "            \
  "float rate_hi=0., Tensor? pairs=None)"

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("masked_inputs(Tensor x, Tensor baseline, Tensor player_map, Tensor masks) -> Tensor");
  m.def("design_sizes" IP_DESIGN_SCHEMA " -> Tensor");
  m.def("design_plan" IP_DESIGN_SCHEMA " -> (Tensor, Tensor, Tensor, Tensor, Tensor)");
  m.def("delta_reduce(Tensor values, Tensor entry_output, Tensor entry_weight, Tensor run_estimate, Tensor run_end, "
        "Tensor(a!) sums, Tensor(b!) sumsq) -> ()");
  m.def("combinations(Tensor like, int n, int t, int rank0, int count) -> Tensor");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("masked_inputs", &masked_inputs_cpu);
  m.impl("delta_reduce", &delta_reduce_cpu);
  m.impl("combinations", &combinations_cpu);
}

// The design ops may have no tensor argument (kind 'permutation'): one kernel for every backend,
// which builds CPU tensors (the plan is made on the host).
TORCH_LIBRARY_IMPL(interplay, CompositeExplicitAutograd, m) {
  m.impl("design_sizes", &design_sizes);
  m.impl("design_plan", &design_plan);
}

}  // namespace interplay
