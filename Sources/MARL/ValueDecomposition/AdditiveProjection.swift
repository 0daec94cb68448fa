import Autodiff

/// The least-squares additive fit of a matrix game's payoff under uniform visitation: where VDN's
/// regression converges when every joint action is trained on equally often.
///
/// VDN minimises L = (1/|U|) Σ_u (Σₐ Q_a(u_a) − R(u))². Setting ∂L/∂Q_a(v) = 0 for every agent a and
/// action v says that, averaged over the joint actions in which agent a plays v, the fit equals the
/// payoff. For a product of action sets the solution is the sum of main effects (a balanced
/// two-way analysis of variance):
///
///     Q_tot(u) = Σₐ m_a(u_a) − (n − 1) ḡ,   m_a(v) = mean of R over {u : u_a = v},   ḡ = mean of R,
///
/// which for two agents is row mean + column mean − grand mean. Only Q_tot is determined: the split
/// into utilities is unique up to constants c_a with Σₐ c_a = 0; ``additiveUtilities`` picks the one
/// that shares ḡ equally.
///
/// Source: the normal equations of least squares (the fit as a projection); Rashid et al., "Weighted QMIX" (NeurIPS 2020), which studies the same projection.
extension MatrixGame {
  /// m_a(v) for each agent a and action v: the mean payoff over joint actions where agent a plays v.
  /// Shape [n][|A_a|].
  public var marginalMeans: [[Double]] {
    var sums = actionCounts.map { [Double](repeating: 0, count: $0) }
    for (index, r) in payoff.enumerated() {
      for (a, v) in jointActionComponents(index).enumerated() { sums[a][v] += r }
    }
    return zip(sums, actionCounts).map { sum, count in
      let share = Double(payoff.count / count)  // joint actions in which a given action of this agent appears
      return sum.map { $0 / share }
    }
  }

  /// ḡ, the mean payoff over all joint actions.
  public var grandMean: Double { payoff.reduce(0, +) / Double(payoff.count) }

  /// Q_tot(u) = Σₐ m_a(u_a) − (n − 1) ḡ for every joint action u, in flat-index order.
  public var additiveProjection: [Double] {
    // snippet: additive-projection
    let means = marginalMeans, g = grandMean, n = Double(actionCounts.count)
    return payoff.indices.map { index in
      let u = jointActionComponents(index)
      return u.enumerated().reduce(0) { $0 + means[$1.offset][$1.element] } - (n - 1) * g  // Σₐ mₐ(uₐ) − (n−1)ḡ
    }
    // end snippet
  }

  /// Utilities Q_a(v) = m_a(v) − ḡ + ḡ/n whose sum is ``additiveProjection``. Shape [n][|A_a|].
  public var additiveUtilities: [[Double]] {
    let g = grandMean, n = Double(actionCounts.count)
    return marginalMeans.map { row in row.map { $0 - g + g / n } }
  }
}
