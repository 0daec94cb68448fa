/// Exercise 0.1: the central-difference gradient.
///
/// Before trusting any derivative, compute one numerically. For a scalar function f of a vector x,
/// estimate every partial derivative by a central difference:
///
///     ∂f/∂xᵢ ≈ (f(x + ε eᵢ) − f(x − ε eᵢ)) / (2ε)
///
/// where eᵢ is the i-th unit vector. Its error is O(ε²): in the Taylor expansions of f(x ± ε eᵢ) the
/// terms in ε² cancel, leaving ε²/6 · ∂³f/∂xᵢ³. (The one-sided difference (f(x + ε eᵢ) − f(x)) / ε is
/// only O(ε) accurate, and the tests can tell.)
///
/// - Parameters:
///   - f: the function, from a vector of n scalars to one scalar.
///   - x: the point, n scalars. Do not change it.
///   - epsilon: the step ε.
/// - Returns: n partial derivatives, in the order of `x`.
///
/// Hint: copy `x`, change one coordinate, evaluate, and move on to the next; 2n calls of `f` in all.
public func centralDifferenceGradient(of f: ([Double]) -> Double, at x: [Double], epsilon: Double) throws -> [Double] {
  // BEGIN SOLUTION
  var gradient = [Double](repeating: 0, count: x.count)
  for i in x.indices {
    var up = x
    var down = x
    up[i] += epsilon
    down[i] -= epsilon
    gradient[i] = (f(up) - f(down)) / (2 * epsilon)
  }
  return gradient
  // END SOLUTION
}
