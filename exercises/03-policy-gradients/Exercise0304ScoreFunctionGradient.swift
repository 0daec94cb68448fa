import MARL

/// Exercise 3.4: the score-function (REINFORCE) gradient on a matrix game.
///
/// Every agent i plays πⁱ = softmax(θⁱ) over its actions. From m sampled joint actions a_1, …, a_m
/// (each a list of one action per agent) and a constant baseline b, estimate the gradient of
/// J(θ) = E[R(a)] with respect to every agent's logits:
///
///     ĝⁱ_k = (1/m) Σ_j (R(a_j) − b) (𝟙[aⁱ_j = k] − πⁱ_k)
///
/// (the score of a softmax is the one-hot action minus the probabilities; only agent i's own factor
/// of the joint policy depends on θⁱ).
///
/// - Parameters:
///   - game: the matrix game; `game.payoff(_:)` gives R of a joint action given as a list of actions.
///   - logits: θⁱ for each agent, `logits[i]` of length |Aⁱ|.
///   - samples: the m sampled joint actions, each `[a¹, …, aⁿ]`.
///   - baseline: b.
/// - Returns: ĝ with the shape of `logits`.
///
/// Hint: `softmaxProbabilities(_:)` (from MARL) turns logits into πⁱ.
public func scoreFunctionGradientEstimate(in game: MatrixGame, logits: [[Double]], samples: [[Int]], baseline: Double) throws
  -> [[Double]]
{
  // BEGIN SOLUTION
  let probabilities = logits.map { softmaxProbabilities($0) }
  var estimate = logits.map { row in row.map { _ in 0.0 } }
  for joint in samples {
    let weight = (game.payoff(joint) - baseline) / Double(samples.count)
    for (agent, own) in joint.enumerated() {
      for k in probabilities[agent].indices {
        let score = (k == own ? 1.0 : 0.0) - probabilities[agent][k]
        estimate[agent][k] += weight * score
      }
    }
  }
  return estimate
  // END SOLUTION
}
