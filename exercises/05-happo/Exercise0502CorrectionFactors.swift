import Foundation  // exp

/// Exercise 5.2: HAPPO's correction factor along an ordering.
///
/// HAPPO updates the agents one after another in the order i_1, i_2, …, i_n drawn for this iteration.
/// Agent i_m optimises its objective with M^{i_{1:m}} = (factor) · Â, where the factor of each sampled
/// joint action b is the product of the probability ratios of the agents updated *before* it:
///
///     factor^{i_{1:m}}_b = Π_{j < m} π^{i_j}_new(a^{i_j}_b | o^{i_j}_b) / π^{i_j}_old(a^{i_j}_b | o^{i_j}_b)
///
/// so the first agent in the order sees factor 1 everywhere. The factor is plain data: never clipped
/// (only an agent's *own* ratio is clipped, inside its loss) and never differentiated.
///
/// - Parameters:
///   - order: i_{1:n}, a permutation of 0..<n (not necessarily 0, 1, …, n − 1).
///   - oldLogProbabilities: `[i][b]` = log πⁱ_old(aⁱ_b|oⁱ_b), before agent i's update. Shape [n][B].
///   - newLogProbabilities: `[i][b]` = log πⁱ_new(aⁱ_b|oⁱ_b), after agent i's update. Shape [n][B].
/// - Returns: `[m][b]`, the factor that the m-th agent *of the order* (position m, 0-based) uses. Shape [n][B].
///
/// Hint: keep a running product, hand a copy to the agent at position m, then multiply in that
/// agent's ratio exp(new − old). Kuba et al. (ICLR 2022), Algorithm 3, lines 9 and 12.
public func correctionFactors(order: [Int], oldLogProbabilities: [[Double]], newLogProbabilities: [[Double]]) throws -> [[Double]]
{
  // BEGIN SOLUTION
  let batchSize = oldLogProbabilities.first?.count ?? 0
  var running = Array(repeating: 1.0, count: batchSize)
  var perPosition: [[Double]] = []
  for agent in order {
    perPosition.append(running)
    for b in 0..<batchSize {
      running[b] *= exp(newLogProbabilities[agent][b] - oldLogProbabilities[agent][b])
    }
  }
  return perPosition
  // END SOLUTION
}
