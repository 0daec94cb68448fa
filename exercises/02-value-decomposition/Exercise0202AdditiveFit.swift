import Foundation

/// Exercise 2.2: the least-squares additive fit of a payoff matrix (VDN's fixed point).
///
/// Under uniform visitation, VDN minimises (1/(m·k)) Σᵢⱼ (Q₁(i) + Q₂(j) − R(i, j))² over the utilities.
/// The minimiser's joint value is the sum of the main effects,
///
///     Q_tot(i, j) = r̄ᵢ + c̄ⱼ − ḡ,
///
/// with r̄ᵢ the mean of row i (agent 1 plays i), c̄ⱼ the mean of column j (agent 2 plays j), and ḡ the
/// mean of all m·k entries.
///
/// - Parameter payoff: R, an m × k matrix (rows: agent 1's actions, columns: agent 2's); m and k may differ.
/// - Returns: Q_tot, the same m × k shape.
///
/// Hint: on the non-monotonic game [[8, −12, −12], [−12, 0, 0], [−12, 0, 0]] the fit's corner is
/// −16/3 − 16/3 + 40/9 = −56/9 ≈ −6.22: the optimum of 8 becomes the *lowest* value.
public func additiveFit(payoff: [[Double]]) throws -> [[Double]] {
  // BEGIN SOLUTION
  let m = payoff.count, k = payoff[0].count
  let rowMean = payoff.map { $0.reduce(0, +) / Double(k) }
  let columnMean = (0..<k).map { j in payoff.reduce(0) { $0 + $1[j] } / Double(m) }
  let overall = rowMean.reduce(0, +) / Double(m)
  return rowMean.map { r in columnMean.map { c in r + c - overall } }
  // END SOLUTION
}
