// Benefit-of-the-doubt LPs on COIN-OR Clp. One model holds every constraint;
// per unit only the objective (and the share rows, whose coefficients depend
// on the evaluated unit) change, and the primal simplex restarts from the
// previous unit's basis, so hundreds of units take a few milliseconds.
#include "parkscore/methods/bod.hpp"

#include <ClpSimplex.hpp>
#include <CoinFinite.hpp>
#include <fmt/format.h>

#include <cmath>

#include "methods/mcda_names.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

std::string label(const std::vector<std::string>& ids, std::size_t i, const char* kind) {
  return i < ids.size() ? fmt::format("{} '{}'", kind, ids[i]) : fmt::format("{} {}", kind, i + 1);
}

void check_data(const Eigen::Ref<const Eigen::MatrixXd>& y, const std::vector<std::string>& units,
                const std::vector<std::string>& indicators) {
  if (y.rows() == 0 || y.cols() == 0) throw data_error("benefit of the doubt: no units or no indicators");
  if ((y.array().isFinite() && y.array() >= 0.0).all()) return;
  for (Eigen::Index i = 0; i < y.rows(); ++i)
    for (Eigen::Index j = 0; j < y.cols(); ++j)
      if (!std::isfinite(y(i, j)) || y(i, j) < 0.0)
        throw data_error(fmt::format(
            "benefit of the doubt: {}, {}: value {} (BoD needs normalised values that are present and >= 0; "
            "impute missing values and use a normalisation without negative values)",
            label(units, static_cast<std::size_t>(i), "unit"), label(indicators, static_cast<std::size_t>(j), "indicator"),
            y(i, j)));
}

void check_restrictions(const bod_options& o, Eigen::Index m, const std::vector<std::string>& names) {
  const auto count = static_cast<std::size_t>(m);
  auto where = [&](std::size_t j) { return label(names, j, "indicator"); };
  auto check_index = [&](std::size_t j, const char* what) {
    if (j >= count) throw schema_error(fmt::format("BoD {}: indicator column {} out of range (M = {})", what, j, count));
  };
  for (const bod_weight_bound& b : o.restrictions.weights) {
    check_index(b.indicator, "weight bound");
    if (!(b.lo >= 0.0) || !(b.hi >= b.lo))
      throw schema_error(fmt::format("BoD weight bound of {}: need 0 <= min <= max, got [{}, {}]", where(b.indicator),
                                     b.lo, b.hi));
  }
  for (const bod_share_bound& s : o.restrictions.shares) {
    check_index(s.indicator, "share bound");
    if (!(s.lo >= 0.0) || !(s.hi <= 1.0) || !(s.lo <= s.hi))
      throw schema_error(fmt::format("BoD share bound of {}: need 0 <= min <= max <= 1, got [{}, {}]",
                                     where(s.indicator), s.lo, s.hi));
  }
  if (o.restrictions.assurance_factor != 0.0 && !(o.restrictions.assurance_factor >= 1.0))
    throw schema_error(fmt::format("BoD assurance factor must be >= 1 (or 0 for none), got {}",
                                   o.restrictions.assurance_factor));
  for (const bod_assurance_pair& p : o.restrictions.assurance_pairs) {
    check_index(p.first, "assurance pair");
    check_index(p.second, "assurance pair");
    if (p.first == p.second || !(p.lo > 0.0) || !(p.hi >= p.lo) || !std::isfinite(p.hi))
      throw schema_error(fmt::format("BoD assurance pair {} / {}: need two different indicators and 0 < min <= max, "
                                     "got [{}, {}]", where(p.first), where(p.second), p.lo, p.hi));
  }
  if (o.restrictions.uses_nominal()) {
    if (o.nominal.size() != m)
      throw schema_error(fmt::format("BoD assurance regions need {} nominal weights, got {}", m, o.nominal.size()));
    for (Eigen::Index j = 0; j < m; ++j)
      if (!(o.nominal[j] > 0.0) || !std::isfinite(o.nominal[j]))
        throw schema_error(fmt::format("BoD assurance regions: nominal weight of {} must be > 0, got {}",
                                       where(static_cast<std::size_t>(j)), o.nominal[j]));
  }
  if (o.variant == bod_variant::robust && (o.peers == 0 || o.replicates == 0))
    throw schema_error("robust BoD: peers and replicates must be >= 1");
}

// splitmix64: a tiny, fully specified generator, so draws are the same bits on every platform.
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) {   // uniform in [0, n) up to 2^-53
    const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;
    return std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)));
  }
};

// The LP in multiplier form. Columns: w_1..w_M, then t if an assurance factor
// is set. Rows: N unit rows (sum_j y_kj w_j <= 1), two per share bound, two
// per indicator for the assurance factor, two per assurance pair.
class bod_lp {
 public:
  bod_lp(const Eigen::Ref<const Eigen::MatrixXd>& y, const bod_options& o) : y_(y), o_(o) {
    const int n = static_cast<int>(y.rows());
    const int m = static_cast<int>(y.cols());
    const bool factor = o.restrictions.assurance_factor > 0.0;
    n_cols_ = m + (factor ? 1 : 0);
    const double inf = COIN_DBL_MAX;
    model_.setLogLevel(0);
    model_.resize(0, n_cols_);
    for (int j = 0; j < n_cols_; ++j) {
      model_.setColumnLower(j, 0.0);
      model_.setColumnUpper(j, inf);
    }
    for (const bod_weight_bound& b : o.restrictions.weights) {
      const int j = static_cast<int>(b.indicator);
      model_.setColumnLower(j, std::max(model_.getColLower()[j], b.lo));
      model_.setColumnUpper(j, std::isfinite(b.hi) ? std::min(model_.getColUpper()[j], b.hi) : model_.getColUpper()[j]);
    }
    std::vector<int> index(static_cast<std::size_t>(n_cols_));
    for (int j = 0; j < n_cols_; ++j) index[static_cast<std::size_t>(j)] = j;
    // Unit rows: dense, so that every coefficient keeps its place in the matrix.
    std::vector<double> row(static_cast<std::size_t>(n_cols_), 0.0);
    for (int k = 0; k < n; ++k) {
      for (int j = 0; j < m; ++j) row[static_cast<std::size_t>(j)] = y(k, j);
      model_.addRow(n_cols_, index.data(), row.data(), -inf, 1.0);
    }
    // Share rows: coefficients set per evaluated unit (set_profile); dense for the same reason.
    share_row_ = model_.numberRows();
    std::fill(row.begin(), row.end(), 1.0);
    if (factor) row.back() = 0.0;
    for (std::size_t s = 0; s < o.restrictions.shares.size(); ++s) {
      model_.addRow(n_cols_, index.data(), row.data(), 0.0, inf);    // (1 - lo) y_j w_j - lo sum_{k != j} y_k w_k >= 0
      model_.addRow(n_cols_, index.data(), row.data(), -inf, 0.0);   // (1 - hi) y_j w_j - hi sum_{k != j} y_k w_k <= 0
    }
    // Assurance factor f: n_j t <= w_j <= f n_j t for all j, i.e. max_j w_j/n_j <= f min_j w_j/n_j.
    if (factor) {
      const double f = o.restrictions.assurance_factor;
      for (int j = 0; j < m; ++j) {
        const int cols[2] = {j, m};
        const double lo_row[2] = {1.0, -o.nominal[j]};
        const double hi_row[2] = {1.0, -f * o.nominal[j]};
        model_.addRow(2, cols, lo_row, 0.0, inf);
        model_.addRow(2, cols, hi_row, -inf, 0.0);
      }
    }
    // Assurance pairs: lo (n_a / n_b) w_b <= w_a <= hi (n_a / n_b) w_b.
    for (const bod_assurance_pair& p : o.restrictions.assurance_pairs) {
      const double ratio = o.nominal[static_cast<Eigen::Index>(p.first)] / o.nominal[static_cast<Eigen::Index>(p.second)];
      const int cols[2] = {static_cast<int>(p.first), static_cast<int>(p.second)};
      const double lo_row[2] = {1.0, -p.lo * ratio};
      const double hi_row[2] = {1.0, -p.hi * ratio};
      model_.addRow(2, cols, lo_row, 0.0, inf);
      model_.addRow(2, cols, hi_row, -inf, 0.0);
    }
    model_.setOptimizationDirection(-1.0);   // maximise
  }

  /// The evaluated profile: the objective sum_j profile_j w_j and the share rows' coefficients.
  void set_profile(const Eigen::Ref<const Eigen::VectorXd>& profile) {
    const auto m = static_cast<int>(profile.size());
    for (int j = 0; j < m; ++j) model_.setObjectiveCoefficient(j, profile[j]);
    int r = share_row_;
    for (const bod_share_bound& s : o_.restrictions.shares) {
      const int own = static_cast<int>(s.indicator);
      for (int j = 0; j < m; ++j) {
        const double yj = profile[j];
        model_.modifyCoefficient(r, j, j == own ? (1.0 - s.lo) * yj : -s.lo * yj, true);
        model_.modifyCoefficient(r + 1, j, j == own ? (1.0 - s.hi) * yj : -s.hi * yj, true);
      }
      r += 2;
    }
    if (!o_.restrictions.shares.empty()) {
      // modifyCoefficient edits the column-ordered matrix only: drop the row-ordered and
      // scaled copies Clp keeps between solves, so the next solve rebuilds them.
      model_.setNewRowCopy(nullptr);
      model_.setClpScaledMatrix(nullptr);
      model_.setWhatsChanged(0);
    }
  }

  /// Unit rows outside `active` are switched off (upper bound +inf).
  void set_reference(const std::vector<char>& active) {
    for (std::size_t k = 0; k < active.size(); ++k)
      model_.setRowUpper(static_cast<int>(k), active[k] ? 1.0 : COIN_DBL_MAX);
  }

  /// Solves; returns false if infeasible.
  bool solve() {
    // Without share rows the matrix never changes: keep Clp's work areas and factorisation between
    // solves (startFinishOptions 1 | 2 | 4); objective and row bounds go through ClpSimplex's setters,
    // which update them in place. Share rows rewrite coefficients, so those solves start afresh.
    model_.primal(0, o_.restrictions.shares.empty() ? 7 : 0);
    ++solves_;
    if (model_.status() == 0) return true;
    // Infeasible or numerical trouble after many warm starts: confirm once more from scratch.
    model_.allSlackBasis(true);
    model_.primal();
    if (model_.status() == 0) return true;
    if (model_.status() == 1) return false;
    throw method_error(fmt::format("benefit of the doubt: the LP solver stopped with status {} (secondary {})",
                                   model_.status(), model_.secondaryStatus()));
  }

  Eigen::VectorXd weights() const {
    const auto m = y_.cols();
    Eigen::VectorXd w(m);
    const double* x = model_.getColSolution();
    for (Eigen::Index j = 0; j < m; ++j) w[j] = std::max(0.0, x[j]);
    return w;
  }

  std::size_t solves() const { return solves_; }

 private:
  Eigen::Ref<const Eigen::MatrixXd> y_;
  const bod_options& o_;
  ClpSimplex model_;
  int n_cols_ = 0;
  int share_row_ = 0;
  std::size_t solves_ = 0;
};

std::vector<std::size_t> peers_of(const Eigen::VectorXd& scores, double tolerance, const std::vector<char>* active) {
  std::vector<std::size_t> out;
  for (Eigen::Index k = 0; k < scores.size(); ++k)
    if (scores[k] >= 1.0 - tolerance && (!active || (*active)[static_cast<std::size_t>(k)]))
      out.push_back(static_cast<std::size_t>(k));
  return out;
}

[[noreturn]] void infeasible(const std::string& who) {
  throw method_error(fmt::format(
      "benefit of the doubt: no weights satisfy the restrictions for {} (e.g. lower weight bounds that push "
      "some unit above 1, or share and assurance bounds that contradict each other)",
      who));
}

}  // namespace

std::string to_string(bod_variant v) { return std::string(detail::name_of(detail::bod_variant_names, v)); }

bod_result benefit_of_the_doubt(const Eigen::Ref<const Eigen::MatrixXd>& y, const bod_options& options,
                                const std::vector<std::string>& unit_ids, const std::vector<std::string>& indicator_ids) {
  check_data(y, unit_ids, indicator_ids);
  check_restrictions(options, y.cols(), indicator_ids);
  const Eigen::Index n = y.rows();
  const Eigen::Index m = y.cols();
  bod_result out;
  out.variant = options.variant;
  out.scores.resize(n);
  out.weights.resize(n, m);
  out.peers.resize(static_cast<std::size_t>(n));
  bod_lp lp(y, options);
  constexpr double zero_score = 1e-7;   // Clp's primal feasibility tolerance

  if (options.variant == bod_variant::common_weights) {
    // One LP: maximise sum_i sum_j w_j y_ij = sum_j w_j (column sum); share bounds act on the pooled score.
    lp.set_profile(y.colwise().sum().transpose());
    if (!lp.solve()) infeasible("the common weight vector");
    const Eigen::VectorXd w = lp.weights();
    out.scores = y * w;
    out.weights = w.transpose().replicate(n, 1);
    const std::vector<std::size_t> frontier = peers_of(out.scores, options.peer_tolerance, nullptr);
    for (auto& p : out.peers) p = frontier;
    out.lp_solves = lp.solves();
    return out;
  }

  for (Eigen::Index i = 0; i < n; ++i) {
    lp.set_profile(y.row(i).transpose());
    if (!lp.solve()) infeasible(label(unit_ids, static_cast<std::size_t>(i), "unit"));
    Eigen::VectorXd w = lp.weights();
    // Homogeneous restrictions (shares, assurance regions) may admit only w = 0 for a unit; the
    // simplex then stops at round-off: report exactly 0 rather than noise.
    if (y.row(i).dot(w) < zero_score) w.setZero();
    out.weights.row(i) = w.transpose();
    out.scores[i] = y.row(i).dot(w);
    if (out.scores[i] > 0.0) out.peers[static_cast<std::size_t>(i)] = peers_of(y * w, options.peer_tolerance, nullptr);
  }

  if (options.variant == bod_variant::robust) {
    // Order-m (Daraio & Simar 2005) on the BoD LP: unit i against itself plus m units drawn with
    // replacement, averaged over B replicates. Unit i stays in its reference set so each LP is bounded.
    out.full_scores = out.scores;
    std::vector<char> active(static_cast<std::size_t>(n), 0);
    for (Eigen::Index i = 0; i < n; ++i) {
      splitmix64 rng{options.seed ^ (0xd1b54a32d192ed03ULL * static_cast<std::uint64_t>(i + 1))};
      lp.set_profile(y.row(i).transpose());
      double total = 0.0;
      for (std::size_t b = 0; b < options.replicates; ++b) {
        std::fill(active.begin(), active.end(), 0);
        active[static_cast<std::size_t>(i)] = 1;
        for (std::size_t d = 0; d < options.peers; ++d) active[rng.below(static_cast<std::size_t>(n))] = 1;
        lp.set_reference(active);
        if (!lp.solve()) infeasible(label(unit_ids, static_cast<std::size_t>(i), "unit"));
        const double score = y.row(i).dot(lp.weights());
        total += score < zero_score ? 0.0 : score;
      }
      out.scores[i] = total / static_cast<double>(options.replicates);
    }
  }
  out.lp_solves = lp.solves();
  return out;
}

}  // namespace parkscore
