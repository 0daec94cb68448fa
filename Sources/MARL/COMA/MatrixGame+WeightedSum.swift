import Autodiff

extension MatrixGame {
  /// The additive game with two actions per agent,
  ///
  ///     R(u) = Σ_a wₐ uᵃ,   uᵃ ∈ {0, 1},
  ///
  /// in which each agent's contribution is independent of the others': the cleanest setting for
  /// credit assignment, since agent a's own effect on R is exactly wₐ uᵃ. With weights (1, 10) it is
  /// the two-agent game R = u¹ + 10u², where agent 1's small effect is drowned by agent 2's large one.
  ///
  /// - Parameter weights: wₐ for each of the n agents, [n].
  /// Source: our construction.
  public static func weightedSum(weights: [Double]) -> MatrixGame {
    ensure(!weights.isEmpty, "MatrixGame.weightedSum: needs at least one weight")
    let n = weights.count
    let payoff = (0..<(1 << n)).map { index -> Double in
      // Agent 1 is the most significant bit of the flat index.
      var total = 0.0
      for a in 0..<n where (index >> (n - 1 - a)) & 1 == 1 { total += weights[a] }
      return total
    }
    let shown = weights.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ", ")
    return MatrixGame(name: "weighted sum (\(shown))", actionCounts: [Int](repeating: 2, count: n), payoff: payoff)
  }
}
