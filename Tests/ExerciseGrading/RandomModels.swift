import Autodiff
import MARL

/// The random games and policies the graders draw their test cases from.
enum RandomModels {
  /// A matrix game with the given action counts and payoffs uniform in [−bound, bound].
  static func game(_ actionCounts: [Int], payoffBound bound: Double, using rng: inout RandomGenerator) -> MatrixGame {
    MatrixGame(
      name: "random", actionCounts: actionCounts, payoff: (0..<actionCounts.reduce(1, *)).map { _ in rng.uniform(-bound, bound) })
  }

  /// A distribution over `count` actions: weights 0.05 + U[0, 1), normalised, so no action is
  /// vanishingly rare (every probability is at least 0.05 / (count · 1.05)).
  static func policy(_ count: Int, using rng: inout RandomGenerator) -> [Double] {
    let w = (0..<count).map { _ in 0.05 + rng.uniform() }
    let total = w.reduce(0, +)
    return w.map { $0 / total }
  }
}
