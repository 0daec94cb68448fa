import Autodiff
import Foundation  // exp, log

// The policy-gradient theorem on the smallest possible example: a matrix game in which every agent i
// plays its own softmax policy πⁱ = softmax(θⁱ). The gradient of J(θ) = E_{a∼π}[R(a)] is known exactly
// (by enumerating joint actions), so the score-function (REINFORCE) estimator can be checked against it.

/// A Monte-Carlo gradient estimate: the mean of m per-sample gradients and its uncertainty.
public struct GradientEstimate: Sendable {
  /// ĝ = (1/m) Σ_k g_k, one entry per parameter (all agents' logits, agent 1 first), shape [D].
  public let mean: [Double]
  /// The standard error of each entry, √(s²_d / m) with s²_d the sample variance, shape [D].
  public let standardError: [Double]
  /// The sample estimate of tr Cov[g] = Σ_d Var[g_d], the total variance of one per-sample gradient.
  public let totalVariance: Double
  /// m, the number of samples.
  public let sampleCount: Int
}

/// πᵢ = exp(θᵢ) / Σⱼ exp(θⱼ), computed stably (the maximum is subtracted first). Shape [K] → [K].
public func softmaxProbabilities(_ logits: [Double]) -> [Double] {
  ensure(!logits.isEmpty, "softmaxProbabilities: needs at least one logit")
  let m = logits.max()!
  let e = logits.map { exp($0 - m) }
  let z = e.reduce(0, +)
  return e.map { $0 / z }
}

extension MatrixGame {
  // MARK: - Exact quantities, by enumeration

  /// J(π) = Σ_a Πᵢ πⁱ(aⁱ) R(a): the expected payoff of independent mixed strategies.
  /// `policies[i]` has |Aⁱ| probabilities. Cost O(Πᵢ |Aⁱ| · n).
  public func expectedPayoff(policies: [[Double]]) -> Double {
    checkPolicies(policies, "expectedPayoff")
    var total = 0.0
    forEachJointActionOfGame { index, actions in
      total += jointProbability(policies, actions) * payoff[index]
    }
    return total
  }

  /// The exact policy gradient of J with respect to each agent's logits θⁱ, by the score-function
  /// identity summed over every joint action:
  ///
  ///     ∂J/∂θⁱ_k = Σ_a π(a) R(a) ∂log πⁱ(aⁱ)/∂θⁱ_k = Σ_a π(a) R(a) (𝟙[aⁱ = k] − πⁱ_k)
  ///
  /// - Parameter logits: θⁱ for each agent, `logits[i]` of length |Aⁱ|.
  /// - Returns: ∂J/∂θⁱ, with the shape of `logits`.
  /// Source: Williams (1992), eq. (11) (REINFORCE); Sutton, McAllester, Singh & Mansour (NeurIPS 1999),
  /// Theorem 1, in the one-step case.
  public func exactPolicyGradient(logits: [[Double]]) -> [[Double]] {
    let policies = logits.map(softmaxProbabilities)
    checkPolicies(policies, "exactPolicyGradient")
    var gradient = policies.map { [Double](repeating: 0, count: $0.count) }
    forEachJointActionOfGame { index, actions in
      let weight = jointProbability(policies, actions) * payoff[index]
      for i in actions.indices {
        for k in policies[i].indices { gradient[i][k] += weight * ((actions[i] == k ? 1 : 0) - policies[i][k]) }
      }
    }
    return gradient
  }

  /// The exact mean and total variance of the per-sample estimator g(a) = (R(a) − b) ∇_θ log π(a),
  /// by enumeration: E[g] = Σ_a π(a) g(a) and tr Cov[g] = Σ_a π(a) ‖g(a)‖² − ‖E[g]‖².
  ///
  /// For every constant b, E[g] = ∇J, because E[∇ log π] = ∇ Σ_a π(a) = ∇1 = 0.
  /// - Returns: the mean, flattened over agents (agent 1 first), shape [D = Σᵢ |Aⁱ|], and the variance.
  public func exactScoreFunctionMoments(logits: [[Double]], baseline b: Double) -> (mean: [Double], totalVariance: Double) {
    let policies = logits.map(softmaxProbabilities)
    checkPolicies(policies, "exactScoreFunctionMoments")
    let D = policies.reduce(0) { $0 + $1.count }
    var mean = [Double](repeating: 0, count: D)
    var secondMoment = 0.0
    forEachJointActionOfGame { index, actions in
      let p = jointProbability(policies, actions)
      let g = Self.scoreFunctionGradient(policies, actions, payoff[index] - b)
      for d in 0..<D { mean[d] += p * g[d] }
      secondMoment += p * g.reduce(0) { $0 + $1 * $1 }
    }
    return (mean, secondMoment - mean.reduce(0) { $0 + $1 * $1 })
  }

  /// The constant baseline that minimises tr Cov[g]: b* = E[R(a) ‖∇ log π(a)‖²] / E[‖∇ log π(a)‖²],
  /// by enumeration. (Setting the derivative of Σ_a π(a) (R(a) − b)² ‖∇ log π(a)‖² in b to zero.)
  /// Source: Greensmith, Bartlett & Baxter, "Variance Reduction Techniques for Gradient Estimates in
  /// Reinforcement Learning" (JMLR 2004), Theorem 8.
  public func optimalConstantBaseline(logits: [[Double]]) -> Double {
    let policies = logits.map(softmaxProbabilities)
    checkPolicies(policies, "optimalConstantBaseline")
    var numerator = 0.0, denominator = 0.0
    forEachJointActionOfGame { index, actions in
      let p = jointProbability(policies, actions)
      let squaredNorm = Self.scoreFunctionGradient(policies, actions, 1).reduce(0) { $0 + $1 * $1 }
      numerator += p * payoff[index] * squaredNorm
      denominator += p * squaredNorm
    }
    return numerator / denominator
  }

  // MARK: - The sampled estimator

  /// The score-function (REINFORCE) estimate of ∇_θ J from m sampled joint actions:
  ///
  ///     ĝ = (1/m) Σ_{k=1}^{m} (R(a_k) − b) ∇_θ log π(a_k),   a_k ∼ π = Πᵢ softmax(θⁱ)
  ///
  /// where ∂ log π(a)/∂θⁱ_j = 𝟙[aⁱ = j] − πⁱ_j (only agent i's own factor depends on θⁱ).
  ///
  /// - Parameters:
  ///   - logits: θⁱ per agent.
  ///   - samples: m ≥ 2.
  ///   - baseline: b, a constant (it may not depend on the sampled action, or the estimate is biased).
  /// - Returns: the mean, standard errors and sample total variance, flattened over agents (agent 1 first).
  /// Source: Williams, "Simple statistical gradient-following algorithms for connectionist
  /// reinforcement learning" (Machine Learning 1992), eq. (11), with reinforcement baseline b.
  public func scoreFunctionEstimate(
    logits: [[Double]], samples m: Int, baseline b: Double, using rng: inout RandomGenerator
  ) -> GradientEstimate {
    ensure(m >= 2, "scoreFunctionEstimate: needs at least 2 samples, got \(m)")
    let policies = logits.map(softmaxProbabilities)
    checkPolicies(policies, "scoreFunctionEstimate")
    let D = policies.reduce(0) { $0 + $1.count }
    var sum = [Double](repeating: 0, count: D), sumOfSquares = [Double](repeating: 0, count: D)
    // snippet: score-function-estimator
    for _ in 0..<m {
      let actions = policies.map { rng.categorical($0) }  // aⁱ ∼ πⁱ, independently
      let g = Self.scoreFunctionGradient(policies, actions, payoff(actions) - b)  // (R − b) ∇ log π(a)
      for d in 0..<D {
        sum[d] += g[d]
        sumOfSquares[d] += g[d] * g[d]
      }
    }
    // end snippet
    let mean = sum.map { $0 / Double(m) }
    let variances = (0..<D).map { d in max(0, (sumOfSquares[d] - Double(m) * mean[d] * mean[d]) / Double(m - 1)) }
    return GradientEstimate(
      mean: mean, standardError: variances.map { ($0 / Double(m)).squareRoot() },
      totalVariance: variances.reduce(0, +), sampleCount: m)
  }

  // MARK: - Helpers

  /// (R(a) − b) ∇_θ log π(a), flattened: entry (i, j) is `weight` · (𝟙[aⁱ = j] − πⁱ_j).
  static func scoreFunctionGradient(_ policies: [[Double]], _ actions: [Int], _ weight: Double) -> [Double] {
    var g: [Double] = []
    for (i, π) in policies.enumerated() {
      for j in π.indices { g.append(weight * ((actions[i] == j ? 1 : 0) - π[j])) }
    }
    return g
  }

  /// Πᵢ πⁱ(aⁱ).
  private func jointProbability(_ policies: [[Double]], _ actions: [Int]) -> Double {
    var p = 1.0
    for (i, a) in actions.enumerated() { p *= policies[i][a] }
    return p
  }

  /// Calls `body(index, actions)` for every joint action, in index order (agent 1 most significant).
  func forEachJointActionOfGame(_ body: (Int, [Int]) -> Void) {
    var actions = [Int](repeating: 0, count: actionCounts.count)
    for index in payoff.indices {
      body(index, actions)
      // Increment the mixed-radix counter, last agent fastest.
      var i = actions.count - 1
      while i >= 0 {
        actions[i] += 1
        if actions[i] < actionCounts[i] { break }
        actions[i] = 0
        i -= 1
      }
    }
  }

  private func checkPolicies(_ policies: [[Double]], _ op: String) {
    ensure(
      policies.map(\.count) == actionCounts,
      "\(op): expected one policy per agent with sizes \(actionCounts), got sizes \(policies.map(\.count))")
  }
}
