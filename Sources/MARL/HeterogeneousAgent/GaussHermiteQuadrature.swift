import Autodiff
import Foundation  // sqrt

/// The k-point Gauss–Hermite rule for the standard normal: nodes xⱼ and weights wⱼ with
///
///     E_{x∼N(0,1)}[f(x)] ≈ Σⱼ wⱼ f(xⱼ),   exact when f is a polynomial of degree ≤ 2k − 1.
///
/// The nodes are the roots of the probabilists' Hermite polynomial He_k (He₀ = 1, He₁ = x,
/// He_{j+1} = x He_j − j He_{j−1}), located by sign changes on a fine grid and polished by Newton's
/// method (He_k′ = k He_{k−1}); the weights are wⱼ = k! / (k² He_{k−1}(xⱼ)²).
/// So E[g(μ + σx)] = Σⱼ wⱼ g(μ + σxⱼ) integrates against N(μ, σ²).
///
/// Shapes: nodes [k], weights [k] (summing to 1). Requires 1 ≤ k ≤ 40.
/// Source: Abramowitz & Stegun, "Handbook of Mathematical Functions" (1964), 25.4.46 (Gauss–Hermite
/// weights), rescaled to the weight e^{−x²/2}/√(2π).
public func gaussHermiteRule(points k: Int) -> (nodes: [Double], weights: [Double]) {
  ensure(k >= 1 && k <= 40, "gaussHermiteRule: points must be in 1…40, got \(k)")
  /// (He_k(x), He_{k−1}(x)) by the three-term recurrence.
  func hermite(_ x: Double) -> (Double, Double) {
    var previous = 1.0, current = x  // He₀, He₁
    if k == 1 { return (current, previous) }
    for j in 1..<k {
      let next = x * current - Double(j) * previous
      previous = current
      current = next
    }
    return (current, previous)
  }
  // MARK: - Bracket the k roots, which lie inside ±(√(4k + 2) + 1)
  let edge = sqrt(4 * Double(k) + 2) + 1
  let steps = 20_001  // odd, so that x = 0 (a root when k is odd) is never a grid point
  var nodes: [Double] = []
  var left = -edge, valueLeft = hermite(left).0
  for step in 1...steps {
    let right = -edge + 2 * edge * Double(step) / Double(steps)
    let valueRight = hermite(right).0
    if valueLeft.sign != valueRight.sign {
      // MARK: - Polish each root: bisection, then Newton
      var (a, b) = (left, right)
      for _ in 0..<60 {
        let mid = (a + b) / 2
        if hermite(mid).0.sign == hermite(a).0.sign { a = mid } else { b = mid }
      }
      var x = (a + b) / 2
      for _ in 0..<3 {
        let (value, lower) = hermite(x)
        let derivative = Double(k) * lower
        if derivative != 0 { x -= value / derivative }
      }
      nodes.append(x)
    }
    (left, valueLeft) = (right, valueRight)
  }
  ensure(nodes.count == k, "gaussHermiteRule: found \(nodes.count) roots of He_\(k), expected \(k)")
  let factorial = (1...k).reduce(1.0) { $0 * Double($1) }
  let weights = nodes.map { x in
    let lower = hermite(x).1
    return factorial / (Double(k * k) * lower * lower)
  }
  return (nodes, weights)
}
