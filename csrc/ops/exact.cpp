// torch.ops.interplay exact operators over a game's table of 2^n float64 values.
// Dtype / device / dims checks and dispatch only; the algorithms and their argument checks live in
// csrc/core/exact. Player sets are packed int64 words [B, 1] (n <= 30: one word per set).
#include <torch/library.h>
#include <ATen/ATen.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "ops/core_status.h"

extern "C" {
#include "core/exact/coalition_value.h"
#include "core/exact/game_indices.h"
#include "core/exact/interaction_values.h"
#include "core/exact/pair_orders.h"
#include "core/exact/significance.h"
#include "core/exact/subset_transform.h"
}

namespace interplay {
namespace {

// The table as a contiguous CPU float64 tensor, checked once by the core (2^n, n range, finite).
at::Tensor checked_table(const at::Tensor& values, const char* op, int* n) {
  check_tensor(op, "values", values, at::kDouble, 1, "a 1-D game table of 2^n values");
  check_cpu(op, "values", values);
  at::Tensor table = values.contiguous();
  core_call(op, [&](ip_error* e) { return ip_check_table(table.data_ptr<double>(), table.numel(), "values", n, e); });
  return table;
}

ip_index_kind index_kind(c10::string_view index, const char* op) {
  return parse_choice<ip_index_kind>(op, "index", index, {{"shapley", IP_SHAPLEY}, {"banzhaf", IP_BANZHAF}});
}

ip_partition_family partition_family(c10::string_view family, const char* op) {
  return parse_choice<ip_partition_family>(op, "family", family,
                                           {{"contiguous", IP_PARTITIONS_CONTIGUOUS}, {"all", IP_PARTITIONS_ALL}});
}

at::Tensor harsanyi_dividends(const at::Tensor& values) {
  const char* op = "harsanyi_dividends";
  int n;
  at::Tensor table = checked_table(values, op, &n);
  at::Tensor out = at::empty_like(table);
  core_call(op, [&](ip_error* e) { return ip_harsanyi_dividends(table.data_ptr<double>(), n, out.data_ptr<double>(), e); });
  return out;
}

at::Tensor player_values(const at::Tensor& values, c10::string_view index) {
  const char* op = "player_values";
  const ip_index_kind kind = index_kind(index, op);
  int n;
  at::Tensor table = checked_table(values, op, &n);
  at::Tensor out = at::empty({n}, table.options());
  core_call(op, [&](ip_error* e) { return ip_player_values(table.data_ptr<double>(), n, kind, out.data_ptr<double>(), e); });
  return out;
}

at::Tensor pair_interaction_matrix(const at::Tensor& values, c10::string_view index) {
  const char* op = "pair_interaction_matrix";
  const ip_index_kind kind = index_kind(index, op);
  int n;
  at::Tensor table = checked_table(values, op, &n);
  at::Tensor out = at::empty({n, n}, table.options());
  core_call(op, [&](ip_error* e) {
    return ip_pair_interaction_matrix(table.data_ptr<double>(), n, kind, out.data_ptr<double>(), e);
  });
  return out;
}

at::Tensor pair_interaction(const at::Tensor& values, int64_t i, int64_t j, c10::string_view index) {
  const char* op = "pair_interaction";
  const ip_index_kind kind = index_kind(index, op);
  int n;
  at::Tensor table = checked_table(values, op, &n);
  at::Tensor out = at::empty({}, table.options());
  core_call(op, [&](ip_error* e) { return ip_pair_interaction(table.data_ptr<double>(), n, i, j, kind, out.data_ptr<double>(), e); });
  return out;
}

std::tuple<at::Tensor, at::Tensor, at::Tensor> multi_order_interaction(const at::Tensor& values, int64_t i, int64_t j) {
  const char* op = "multi_order_interaction";
  int n;
  at::Tensor table = checked_table(values, op, &n);
  core_call(op, [&](ip_error* e) { return ip_check_pair(n, i, j, e); });  // before sizing by n - 2
  at::Tensor orders = at::empty({n - 1}, table.options());
  at::Tensor marginal = at::empty({n - 1}, table.options());
  at::Tensor rewards = at::empty({int64_t{1} << (n - 2)}, table.options());
  core_call(op, [&](ip_error* e) {
    return ip_multi_order_interaction(table.data_ptr<double>(), n, i, j, orders.data_ptr<double>(),
                                      marginal.data_ptr<double>(), rewards.data_ptr<double>(), e);
  });
  return {orders, marginal, rewards};
}

at::Tensor coalition_shapley(const at::Tensor& values, const at::Tensor& coalitions, const at::Tensor& absent) {
  const char* op = "coalition_shapley";
  int n;
  at::Tensor table = checked_table(values, op, &n);
  check_sets(op, "coalitions", coalitions, 1);
  check_sets(op, "absent", absent, 1);
  check_cpu(op, "coalitions", coalitions);
  check_cpu(op, "absent", absent);
  TORCH_CHECK_VALUE(absent.size(0) == coalitions.size(0), "interplay.", op, ": absent must have one set per coalition, got ",
                    absent.size(0), " for ", coalitions.size(0));
  at::Tensor c = coalitions.contiguous(), a = absent.contiguous();
  at::Tensor out = at::empty({c.size(0)}, table.options());
  core_call(op, [&](ip_error* e) {
    return ip_coalition_shapley(table.data_ptr<double>(), n, words_of(c), words_of(a), c.size(0), out.data_ptr<double>(), e);
  });
  return out;
}

at::Tensor multivariate_interaction(const at::Tensor& values, const at::Tensor& players) {
  const char* op = "multivariate_interaction";
  int n;
  at::Tensor table = checked_table(values, op, &n);
  check_sets(op, "players", players, 1);
  check_cpu(op, "players", players);
  at::Tensor p = players.contiguous();
  at::Tensor out = at::empty({p.size(0)}, table.options());
  core_call(op, [&](ip_error* e) {
    return ip_multivariate_interaction(table.data_ptr<double>(), n, words_of(p), p.size(0), out.data_ptr<double>(), e);
  });
  return out;
}

at::Tensor elementary_interaction(const at::Tensor& values, const at::Tensor& players, const at::Tensor& subsets) {
  const char* op = "elementary_interaction";
  int n;
  at::Tensor table = checked_table(values, op, &n);
  check_sets(op, "players", players, 1);
  check_sets(op, "subsets", subsets, 1);
  check_cpu(op, "players", players);
  check_cpu(op, "subsets", subsets);
  TORCH_CHECK_VALUE(subsets.size(0) == players.size(0), "interplay.", op, ": subsets must have one set per players set");
  at::Tensor p = players.contiguous(), s = subsets.contiguous();
  at::Tensor out = at::empty({p.size(0)}, table.options());
  core_call(op, [&](ip_error* e) {
    return ip_elementary_interaction(table.data_ptr<double>(), n, words_of(p), words_of(s), p.size(0),
                                     out.data_ptr<double>(), e);
  });
  return out;
}

// out: every T with |T| <= order in shapiq's order (by size, then lexicographic), from a weight table
// [n + 1, order + 1] float64 with order <= min(max_order, n) (checked here: the core sizes out by it).
using WeightedValues = ip_status (*)(const double*, int, const double*, int, double*, ip_error*);
at::Tensor weighted_values(const at::Tensor& values, const at::Tensor& weights, const char* op, int max_order,
                           WeightedValues core) {
  int n;
  at::Tensor table = checked_table(values, op, &n);
  check_tensor(op, "weights", weights, at::kDouble, 2, "a 2-D weight table [n + 1, order + 1]");
  check_cpu(op, "weights", weights);
  const int cap = std::min(max_order, n);
  TORCH_CHECK_VALUE(weights.size(0) == n + 1 && weights.size(1) >= 1 && weights.size(1) <= cap + 1, "interplay.", op,
                    ": weights has shape [", weights.size(0), ", ", weights.size(1), "]; expected [", n + 1,
                    ", order + 1] with 0 <= order <= ", cap);
  const int order = static_cast<int>(weights.size(1) - 1);
  at::Tensor w = weights.contiguous();
  at::Tensor out = at::empty({ip_interaction_count(n, order)}, table.options());
  core_call(op, [&](ip_error* e) {
    return core(table.data_ptr<double>(), n, w.data_ptr<double>(), order, out.data_ptr<double>(), e);
  });
  return out;
}

// weights w(s, t) of I(T) = sum_{S ⊇ T} w(|S|, |T|) d(S), any order.
at::Tensor interaction_values(const at::Tensor& values, const at::Tensor& weights) {
  return weighted_values(values, weights, "interaction_values", INT_MAX, ip_interaction_values);
}

// The same for orders <= 2 from derivative weights g [n + 1, order + 1] (row |U|, column t), straight from v.
at::Tensor low_order_values(const at::Tensor& values, const at::Tensor& weights) {
  return weighted_values(values, weights, "low_order_values", 2, ip_low_order_values);
}

// players: an ordered sequence (its order defines contiguity and the labels' positions), not a set.
at::Tensor block_values(const at::Tensor& values, at::IntArrayRef players) {
  const char* op = "block_values";
  int n;
  at::Tensor table = checked_table(values, op, &n);
  const int64_t m = static_cast<int64_t>(players.size());
  TORCH_CHECK_VALUE(m >= 1 && m <= IP_MAX_PARTITION_PLAYERS_CONTIGUOUS, "interplay.", op, ": players has ", m,
                    " entries; out of range 1..", IP_MAX_PARTITION_PLAYERS_CONTIGUOUS);
  at::Tensor out = at::empty({int64_t{1} << m}, table.options());
  core_call(op, [&](ip_error* e) {
    return ip_block_values(table.data_ptr<double>(), n, players.data(), m, out.data_ptr<double>(), e);
  });
  return out;
}

// Returns (stats [b_max, b_min, T, singles, partitions], max_labels, min_labels).
std::tuple<at::Tensor, at::Tensor, at::Tensor> significance_from_blocks(const at::Tensor& blocks, c10::string_view family) {
  const char* op = "significance_from_blocks";
  const ip_partition_family fam = partition_family(family, op);
  check_tensor(op, "block_values", blocks, at::kDouble, 1, "1-D block values [2^m]");
  check_cpu(op, "block_values", blocks);
  int m = 0;
  core_call(op, [&](ip_error* e) { return ip_block_players(blocks.numel(), fam, &m, e); });
  at::Tensor table = blocks.contiguous();
  at::Tensor max_labels = at::empty({m}, at::TensorOptions().dtype(at::kLong));
  at::Tensor min_labels = at::empty({m}, at::TensorOptions().dtype(at::kLong));
  ip_significance_result result;
  core_call(op, [&](ip_error* e) {
    return ip_significance_from_blocks(table.data_ptr<double>(), table.numel(), fam, &result,
                                       max_labels.data_ptr<int64_t>(), min_labels.data_ptr<int64_t>(), e);
  });
  at::Tensor stats = at::empty({5}, table.options());
  double* s = stats.data_ptr<double>();
  s[0] = result.b_max, s[1] = result.b_min, s[2] = result.significance, s[3] = result.singles, s[4] = result.partitions;
  return {stats, max_labels, min_labels};
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("harsanyi_dividends(Tensor values) -> Tensor");
  m.def("player_values(Tensor values, str index) -> Tensor");
  m.def("pair_interaction_matrix(Tensor values, str index) -> Tensor");
  m.def("pair_interaction(Tensor values, int i, int j, str index) -> Tensor");
  m.def("multi_order_interaction(Tensor values, int i, int j) -> (Tensor, Tensor, Tensor)");
  m.def("coalition_shapley(Tensor values, Tensor coalitions, Tensor absent) -> Tensor");
  m.def("multivariate_interaction(Tensor values, Tensor players) -> Tensor");
  m.def("elementary_interaction(Tensor values, Tensor players, Tensor subsets) -> Tensor");
  m.def("interaction_values(Tensor values, Tensor weights) -> Tensor");
  m.def("low_order_values(Tensor values, Tensor weights) -> Tensor");
  m.def("block_values(Tensor values, int[] players) -> Tensor");
  m.def("significance_from_blocks(Tensor block_values, str family) -> (Tensor, Tensor, Tensor)");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("harsanyi_dividends", &harsanyi_dividends);
  m.impl("player_values", &player_values);
  m.impl("pair_interaction_matrix", &pair_interaction_matrix);
  m.impl("pair_interaction", &pair_interaction);
  m.impl("multi_order_interaction", &multi_order_interaction);
  m.impl("coalition_shapley", &coalition_shapley);
  m.impl("multivariate_interaction", &multivariate_interaction);
  m.impl("elementary_interaction", &elementary_interaction);
  m.impl("interaction_values", &interaction_values);
  m.impl("low_order_values", &low_order_values);
  m.impl("block_values", &block_values);
  m.impl("significance_from_blocks", &significance_from_blocks);
}

}  // namespace interplay
