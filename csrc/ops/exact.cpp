// torch.ops.interplay exact operators over a game's table of 2^n float64 values.
// Argument checks and dispatch only; the algorithms live in csrc/core.
#include <torch/library.h>
#include <ATen/ATen.h>

#include <vector>

#include "ops/core_status.h"

extern "C" {
#include "core/coalition_value.h"
#include "core/game_indices.h"
#include "core/pair_orders.h"
#include "core/significance.h"
#include "core/subset_transform.h"
}

namespace interplay {
namespace {

at::Tensor contiguous_table(const at::Tensor& values, const char* op, int* n) {
  *n = players_of_table(values, op);
  at::Tensor table = values.contiguous();
  check_status(ip_check_finite(table.data_ptr<double>(), *n), op);
  return table;
}

ip_index_kind index_kind(int64_t kind, const char* op) {
  TORCH_CHECK_VALUE(kind == IP_SHAPLEY || kind == IP_BANZHAF, "interplay.", op, ": kind must be 0 (Shapley) or 1 (Banzhaf)");
  return static_cast<ip_index_kind>(kind);
}

at::Tensor harsanyi_dividends(const at::Tensor& values) {
  int n;
  at::Tensor table = contiguous_table(values, "harsanyi_dividends", &n);
  at::Tensor out = at::empty_like(table);
  check_status(ip_harsanyi_dividends(table.data_ptr<double>(), n, out.data_ptr<double>()), "harsanyi_dividends");
  return out;
}

at::Tensor player_values(const at::Tensor& values, int64_t kind) {
  int n;
  at::Tensor table = contiguous_table(values, "player_values", &n);
  at::Tensor out = at::empty({n}, table.options());
  check_status(ip_player_values(table.data_ptr<double>(), n, index_kind(kind, "player_values"), out.data_ptr<double>()),
               "player_values");
  return out;
}

at::Tensor pair_interaction_matrix(const at::Tensor& values, int64_t kind) {
  int n;
  at::Tensor table = contiguous_table(values, "pair_interaction_matrix", &n);
  at::Tensor out = at::empty({n, n}, table.options());
  check_status(ip_pair_interaction_matrix(table.data_ptr<double>(), n, index_kind(kind, "pair_interaction_matrix"),
                                          out.data_ptr<double>()),
               "pair_interaction_matrix");
  return out;
}

at::Tensor pair_interaction(const at::Tensor& values, int64_t i, int64_t j, int64_t kind) {
  int n;
  at::Tensor table = contiguous_table(values, "pair_interaction", &n);
  at::Tensor out = at::empty({}, table.options());
  check_status(ip_pair_interaction(table.data_ptr<double>(), n, static_cast<int>(i), static_cast<int>(j),
                                   index_kind(kind, "pair_interaction"), out.data_ptr<double>()),
               "pair_interaction");
  return out;
}

std::tuple<at::Tensor, at::Tensor, at::Tensor> multi_order_interaction(const at::Tensor& values, int64_t i, int64_t j) {
  int n;
  at::Tensor table = contiguous_table(values, "multi_order_interaction", &n);
  TORCH_CHECK_VALUE(n >= 2, "interplay.multi_order_interaction: needs at least 2 players");
  at::Tensor orders = at::empty({n - 1}, table.options());
  at::Tensor marginal = at::empty({n - 1}, table.options());
  at::Tensor rewards = at::empty({int64_t{1} << (n - 2)}, table.options());
  check_status(ip_multi_order_interaction(table.data_ptr<double>(), n, static_cast<int>(i), static_cast<int>(j),
                                          orders.data_ptr<double>(), marginal.data_ptr<double>(),
                                          rewards.data_ptr<double>()),
               "multi_order_interaction");
  return {orders, marginal, rewards};
}

at::Tensor coalition_shapley(const at::Tensor& values, const at::Tensor& coalitions, const at::Tensor& absent) {
  int n;
  at::Tensor table = contiguous_table(values, "coalition_shapley", &n);
  TORCH_CHECK_VALUE(coalitions.scalar_type() == at::kLong && absent.scalar_type() == at::kLong,
                    "interplay.coalition_shapley: coalition masks must be int64");
  TORCH_CHECK_VALUE(coalitions.dim() == 1 && coalitions.sizes() == absent.sizes(),
                    "interplay.coalition_shapley: coalitions and absent must be 1-D of the same length");
  at::Tensor c = coalitions.contiguous(), a = absent.contiguous();
  at::Tensor out = at::empty({c.numel()}, table.options());
  check_status(ip_coalition_shapley_many(table.data_ptr<double>(), n, reinterpret_cast<const uint64_t*>(c.data_ptr<int64_t>()),
                                         reinterpret_cast<const uint64_t*>(a.data_ptr<int64_t>()), c.numel(),
                                         out.data_ptr<double>()),
               "coalition_shapley");
  return out;
}

at::Tensor multivariate_interaction(const at::Tensor& values, int64_t players) {
  int n;
  at::Tensor table = contiguous_table(values, "multivariate_interaction", &n);
  at::Tensor out = at::empty({}, table.options());
  check_status(ip_multivariate_interaction(table.data_ptr<double>(), n, static_cast<uint64_t>(players), out.data_ptr<double>()),
               "multivariate_interaction");
  return out;
}

at::Tensor elementary_interaction(const at::Tensor& values, int64_t players, int64_t subset) {
  int n;
  at::Tensor table = contiguous_table(values, "elementary_interaction", &n);
  at::Tensor out = at::empty({}, table.options());
  check_status(ip_elementary_interaction(table.data_ptr<double>(), n, static_cast<uint64_t>(players),
                                         static_cast<uint64_t>(subset), out.data_ptr<double>()),
               "elementary_interaction");
  return out;
}

at::Tensor block_values(const at::Tensor& values, at::IntArrayRef players) {
  int n;
  at::Tensor table = contiguous_table(values, "block_values", &n);
  const int m = static_cast<int>(players.size());
  TORCH_CHECK_VALUE(m >= 1 && m <= IP_MAX_PARTITION_PLAYERS_CONTIGUOUS, "interplay.block_values: A must hold 1 to ",
                    IP_MAX_PARTITION_PLAYERS_CONTIGUOUS, " players, got ", m);
  std::vector<int> idx(players.begin(), players.end());
  at::Tensor out = at::empty({int64_t{1} << m}, table.options());
  check_status(ip_block_values(table.data_ptr<double>(), n, idx.data(), m, out.data_ptr<double>()), "block_values");
  return out;
}

// Returns (stats [b_max, b_min, T, singles, partitions], max_labels, min_labels).
std::tuple<at::Tensor, at::Tensor, at::Tensor> significance_from_blocks(const at::Tensor& blocks, int64_t family) {
  TORCH_CHECK_VALUE(blocks.dim() == 1 && blocks.scalar_type() == at::kDouble && blocks.device().is_cpu(),
                    "interplay.significance_from_blocks: block values must be a 1-D float64 CPU tensor");
  const int64_t size = blocks.numel();
  TORCH_CHECK_VALUE(size >= 2 && (size & (size - 1)) == 0, "interplay.significance_from_blocks: length must be 2^m");
  TORCH_CHECK_VALUE(family == IP_PARTITIONS_CONTIGUOUS || family == IP_PARTITIONS_ALL,
                    "interplay.significance_from_blocks: family must be 0 (contiguous) or 1 (all)");
  int m = 0;
  while ((int64_t{1} << m) < size) ++m;
  at::Tensor table = blocks.contiguous();
  std::vector<int> max_labels(m), min_labels(m);
  ip_significance_result result;
  check_status(ip_significance_from_blocks(table.data_ptr<double>(), m, static_cast<ip_partition_family>(family), &result,
                                           max_labels.data(), min_labels.data()),
               "significance_from_blocks");
  at::Tensor stats = at::tensor({result.b_max, result.b_min, result.significance, result.singles, result.partitions},
                                table.options());
  auto labels = [&](const std::vector<int>& v) {
    return at::tensor(std::vector<int64_t>(v.begin(), v.end()), at::TensorOptions().dtype(at::kLong));
  };
  return {stats, labels(max_labels), labels(min_labels)};
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("harsanyi_dividends(Tensor values) -> Tensor");
  m.def("player_values(Tensor values, int kind) -> Tensor");
  m.def("pair_interaction_matrix(Tensor values, int kind) -> Tensor");
  m.def("pair_interaction(Tensor values, int i, int j, int kind) -> Tensor");
  m.def("multi_order_interaction(Tensor values, int i, int j) -> (Tensor, Tensor, Tensor)");
  m.def("coalition_shapley(Tensor values, Tensor coalitions, Tensor absent) -> Tensor");
  m.def("multivariate_interaction(Tensor values, int players) -> Tensor");
  m.def("elementary_interaction(Tensor values, int players, int subset) -> Tensor");
  m.def("block_values(Tensor values, int[] players) -> Tensor");
  m.def("significance_from_blocks(Tensor block_values, int family) -> (Tensor, Tensor, Tensor)");
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
  m.impl("block_values", &block_values);
  m.impl("significance_from_blocks", &significance_from_blocks);
}

}  // namespace interplay
