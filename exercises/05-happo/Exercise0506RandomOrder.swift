import Autodiff

/// Exercise 5.6: the random order of the agents.
///
/// At the start of every iteration HAPPO and HATRPO draw the order i_{1:n} in which the agents will
/// update, uniformly among all n! orderings (Kuba et al., ICLR 2022, Algorithms 2–3, line 8). A fixed
/// order would let the same agent always adapt to everyone else; Theorem 3's convergence to a Nash
/// equilibrium assumes every ordering keeps a positive probability.
///
/// Draw one ordering of 0..<n, uniformly, using only `rng` (the book's generator: `rng.integer(below: k)`
/// is uniform in 0..<k).
///
/// - Parameters:
///   - agentCount: n ≥ 1.
///   - rng: the random generator.
/// - Returns: a permutation of 0..<n.
///
/// Hint: the Fisher–Yates shuffle. Beware of the famous near miss that swaps position k with a
/// uniformly random position of the *whole* array: it is not uniform (for n = 3 it has 27 equally
/// likely paths onto 6 orderings).
public func randomAgentOrder(agentCount: Int, using rng: inout RandomGenerator) throws -> [Int] {
  // BEGIN SOLUTION
  var shuffled = Array(0..<agentCount)
  var unplaced = agentCount
  while unplaced > 1 {
    let pick = rng.integer(below: unplaced)
    unplaced -= 1
    shuffled.swapAt(pick, unplaced)
  }
  return shuffled
  // END SOLUTION
}
