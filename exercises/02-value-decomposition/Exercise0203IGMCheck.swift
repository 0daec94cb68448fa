import Foundation

/// Exercise 2.3: check the individual-global-max (IGM) condition.
///
/// A factorisation satisfies IGM at a state when the agents, each taking its own greedy action, land on
/// a best joint action of the joint value:
///
///     Q_tot(ū) = max_u Q_tot(u),   ū = (argmax_{u₁} Q₁(u₁), …, argmax_{uₙ} Qₙ(uₙ)).
///
/// Decide it by enumerating *every* joint action u = (u₁, …, uₙ) (all Πₐ |A_a| combinations).
///
/// - Parameters:
///   - utilities: Q_a(u_a) for each agent, shape [n][|A_a|]; agents may have different numbers of actions.
///   - jointValue: Q_tot(u) for a joint action given as n action indices.
///   - tolerance: ties count as agreement: IGM holds when Q_tot(ū) ≥ max_u Q_tot(u) − tolerance.
/// - Returns: whether IGM holds.
///
/// Hint: when an agent has several equally good actions take the first, as `argmax` does. Another
/// joint action tying with ū for the maximum is not a violation, so compare values, not indices.
public func satisfiesIGM(utilities: [[Double]], jointValue: ([Int]) -> Double, tolerance: Double) throws -> Bool {
  // BEGIN SOLUTION
  let own = utilities.map { row in row.indices.reduce(0) { best, u in row[u] > row[best] ? u : best } }
  let atGreedy = jointValue(own)
  // Walk the joint actions like an odometer: the last agent's digit turns fastest.
  var u = [Int](repeating: 0, count: utilities.count)
  while true {
    if jointValue(u) > atGreedy + tolerance { return false }
    var agent = utilities.count - 1
    while agent >= 0 {
      u[agent] += 1
      if u[agent] < utilities[agent].count { break }
      u[agent] = 0
      agent -= 1
    }
    if agent < 0 { return true }
  }
  // END SOLUTION
}
