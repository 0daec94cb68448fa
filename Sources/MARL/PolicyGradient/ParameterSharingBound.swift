import Autodiff
import Foundation  // pow

// Kuba et al.'s Proposition 1: sharing parameters can cost all but an exponentially small fraction of
// the optimum. Agents that share parameters and see the same input play the same mixed strategy, and
// on the game below every such symmetric strategy is bad.

extension MatrixGame {
  /// The n-agent game of Proposition 1 (n even, actions {0, 1}): the payoff is 1 on the two joint
  /// actions 0^{n/2}1^{n/2} (the first half plays 0, the second half 1) and 1^{n/2}0^{n/2}, else 0.
  /// The optimum is 1; it needs the two halves of the team to act differently.
  ///
  /// Source: Kuba, Chen, Wen, Wen, Sun, Wang & Yang, "Trust Region Policy Optimisation in Multi-Agent
  /// Reinforcement Learning" (ICLR 2022), §2.3, Proposition 1.
  public static func splitTeams(agents n: Int) -> MatrixGame {
    ensure(n >= 2 && n % 2 == 0, "MatrixGame.splitTeams: n must be even and at least 2, got \(n)")
    var payoff = [Double](repeating: 0, count: 1 << n)
    let half = (1 << (n / 2)) - 1  // n/2 ones
    payoff[half] = 1  // agents 1…n/2 play 0, agents n/2+1…n play 1 (agent 1 is the most significant bit)
    payoff[half << (n / 2)] = 1  // the mirror image
    return MatrixGame(name: "split teams (n = \(n))", actionCounts: [Int](repeating: 2, count: n), payoff: payoff)
  }

  /// J(p) when every agent plays action 1 with the same probability p: the best a shared policy
  /// without agent ids can do is the maximum of this over p. Computed by enumerating joint actions.
  /// Requires two actions per agent.
  public func sharedPolicyValue(probabilityOfAction1 p: Double) -> Double {
    ensure(actionCounts.allSatisfy { $0 == 2 }, "MatrixGame.sharedPolicyValue: every agent needs 2 actions, got \(actionCounts)")
    return expectedPayoff(policies: actionCounts.map { _ in [1 - p, p] })
  }

  /// max_p J(p) over symmetric (shared) mixed strategies of a two-action game, and the maximiser:
  /// a grid of 2001 points locates the best bracket, then golden-section search refines it to
  /// |Δp| < 10⁻¹². (J(p) is a polynomial in p; the grid guards against several local maxima.)
  public func bestSharedPolicy() -> (p: Double, value: Double) {
    let grid = (0...2000).map { Double($0) / 2000 }
    let values = grid.map(sharedPolicyValue(probabilityOfAction1:))
    let k = values.indices.max { values[$0] < values[$1] }!
    var (a, b) = (grid[max(k - 1, 0)], grid[min(k + 1, grid.count - 1)])
    let φ = (5.0.squareRoot() - 1) / 2
    while b - a > 1e-12 {
      let (x1, x2) = (b - φ * (b - a), a + φ * (b - a))
      if sharedPolicyValue(probabilityOfAction1: x1) < sharedPolicyValue(probabilityOfAction1: x2) { a = x1 } else { b = x2 }
    }
    let p = (a + b) / 2
    return (p, sharedPolicyValue(probabilityOfAction1: p))
  }
}
