import MARL

/// Exercise 4.1: COMA's counterfactual baseline in a matrix game.
///
/// In a matrix game the critic is exact, Q(s, u) = R(u), so COMA's baseline for agent a is
///
///     bᵃ(u⁻ᵃ) = Σ_{k} πᵃ(k) · R(u¹, …, uᵃ⁻¹, k, uᵃ⁺¹, …, uⁿ)
///
/// the payoff agent a would expect if it redrew *its own* action from *its own* policy πᵃ while
/// every other agent kept the action it played in u. It must not depend on uᵃ (that is what makes it
/// unbiased), and it uses only agent a's policy: the teammates' actions are held, not averaged.
///
/// - Parameters:
///   - game: the matrix game; `game.payoff(_:)` gives R of a joint action given by its components,
///     `game.actionCounts[a]` is |Aᵃ|.
///   - a: the agent, 0-based.
///   - u: the joint action that was played, one action per agent, [n].
///   - policies: every agent's policy, `policies[b][k]` = πᵇ(k).
/// - Returns: bᵃ(u⁻ᵃ).
///
/// Hint: copy u, overwrite entry a with each of agent a's actions in turn, and weigh the payoffs.
/// Sanity check: for R = u¹ + 10u² and uniform policies, b¹ at u = (1, 1) is 10.5.
public func comaBaseline(in game: MatrixGame, agent a: Int, jointAction u: [Int], policies: [[Double]]) throws -> Double {
  // BEGIN SOLUTION
  var redrawn = u
  var expectedPayoff = 0.0
  for (choice, probability) in policies[a].enumerated() {
    redrawn[a] = choice
    expectedPayoff += probability * game.payoff(redrawn)
  }
  return expectedPayoff
  // END SOLUTION
}
