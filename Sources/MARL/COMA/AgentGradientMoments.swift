import Autodiff

// One agent's policy-gradient estimator in a matrix game, g(u) = w(u) ∇_θᵃ log πᵃ(uᵃ), for three
// choices of the weight w: the joint value Q itself, the advantage Q − V, and COMA's counterfactual
// advantage. All three have the same mean (the baselines add no bias); they differ in variance, which
// is computed here exactly, by enumerating the joint actions, and by sampling.

/// The weight an agent's policy-gradient estimator multiplies its score ∇ log πᵃ(uᵃ) by.
public enum AgentGradientWeight: Sendable, CaseIterable, CustomStringConvertible {
  /// w(u) = Q(s, u): no baseline (REINFORCE with the true action value).
  case jointValue
  /// w(u) = Q(s, u) − V(s): the state-value baseline of actor-critic methods (central V).
  case stateAdvantage
  /// w(u) = Q(s, u) − Σ_{u′ᵃ} πᵃ(u′ᵃ) Q(s, (u⁻ᵃ, u′ᵃ)): COMA's counterfactual advantage.
  case counterfactual

  /// "Q", "Q − V", "COMA".
  public var description: String {
    switch self {
    case .jointValue: "Q"
    case .stateAdvantage: "Q − V"
    case .counterfactual: "COMA"
    }
  }
}

/// The exact first moments of one agent's per-sample gradient g(u) = w(u)(e_{uᵃ} − πᵃ), u ∼ π.
public struct AgentGradientMoments: Sendable {
  /// E[g], shape [K] (K = |Aᵃ|).
  public let mean: [Double]
  /// tr Cov[g] = E‖g − E g‖², the total variance of one sample.
  public let totalVariance: Double
  /// Var[‖g − E g‖²] = E‖g − E g‖⁴ − (tr Cov[g])²: how much the squared deviation of one sample varies.
  public let varianceOfSquaredDeviation: Double
  /// ‖Cov[g]‖²_F = Σ_jk Cov[g]²_jk.
  public let covarianceSquaredNorm: Double

  /// The standard error of the sample total variance tr S = (1/(m−1)) Σ_k ‖g_k − ḡ‖² from m samples,
  /// exactly (for the unbiased sample covariance S):
  ///
  ///     Var[tr S] = (E‖g − E g‖⁴ − (tr Σ)²) / m + 2 ‖Σ‖²_F / (m(m − 1)).
  ///
  /// Source: the covariance of sample covariances, Cov(S_ij, S_kl) = (μ_ijkl − σ_ij σ_kl)/m +
  /// (σ_ik σ_jl + σ_il σ_jk)/(m(m − 1)); e.g. Anderson, "An Introduction to Multivariate Statistical
  /// Analysis" (3rd ed., 2003), §3.4, summed over j = i, l = k.
  public func standardErrorOfSampledVariance(samples m: Int) -> Double {
    ensure(m >= 2, "standardErrorOfSampledVariance: needs m ≥ 2, got \(m)")
    let M = Double(m)
    return (max(0, varianceOfSquaredDeviation) / M + 2 * covarianceSquaredNorm / (M * (M - 1))).squareRoot()
  }
}

extension MatrixGame {
  /// The weight w(u) of an estimator for agent a under the independent policies π (one distribution
  /// per agent), as a function of the joint action: Q(u) = R(u), R(u) − J(π), or Aᵃ(u).
  public func gradientWeight(_ kind: AgentGradientWeight, agent: Int, policies: [[Double]]) -> ([Int]) -> Double {
    ensure(
      policies.map(\.count) == actionCounts,
      "gradientWeight: policy sizes \(policies.map(\.count)) differ from action counts \(actionCounts)")
    switch kind {
    case .jointValue:
      return { u in self.payoff(u) }
    case .stateAdvantage:
      let V = expectedPayoff(policies: policies)  // V = J(π) = Σ_u π(u) R(u)
      return { u in self.payoff(u) - V }
    case .counterfactual:
      return { u in self.counterfactualAdvantage(of: agent, jointAction: u, policy: policies[agent]) }
    }
  }

  /// The exact mean, total variance and fourth-moment spread of agent a's per-sample gradient
  ///
  ///     g(u) = w(u) ∇_θᵃ log πᵃ(uᵃ) = w(u) (e_{uᵃ} − πᵃ),   u ∼ π = Π_b πᵇ,
  ///
  /// (the gradient with respect to agent a's softmax logits θᵃ, at πᵃ = softmax(θᵃ)), by enumerating
  /// every joint action: E[g] = Σ_u π(u) g(u), tr Cov[g] = Σ_u π(u) ‖g(u) − E g‖².
  ///
  /// - Parameters: agent a; policies, one distribution per agent; the weight w.
  /// - Complexity: O(Π_b |Aᵇ| · K).
  /// Source: Williams (1992), eq. (11); Foerster et al. (AAAI 2018), eq. (4) and Lemma 1.
  public func exactAgentGradientMoments(agent a: Int, policies: [[Double]], weight: ([Int]) -> Double) -> AgentGradientMoments {
    ensure(
      a >= 0 && a < actionCounts.count && policies.map(\.count) == actionCounts,
      "exactAgentGradientMoments: agent \(a), policy sizes \(policies.map(\.count)), action counts \(actionCounts)")
    let K = actionCounts[a]
    var probability: [Double] = [], samples: [[Double]] = []
    forEachJointActionOfGame { _, u in
      var p = 1.0
      for b in u.indices { p *= policies[b][u[b]] }
      probability.append(p)
      samples.append(Self.agentScore(policies[a], action: u[a], weight: weight(u)))
    }
    var mean = [Double](repeating: 0, count: K)
    for (p, g) in zip(probability, samples) { for k in 0..<K { mean[k] += p * g[k] } }
    var second = 0.0, fourth = 0.0
    var covariance = [Double](repeating: 0, count: K * K)
    for (p, g) in zip(probability, samples) {
      var d2 = 0.0
      for k in 0..<K { d2 += (g[k] - mean[k]) * (g[k] - mean[k]) }
      second += p * d2
      fourth += p * d2 * d2
      for j in 0..<K { for k in 0..<K { covariance[j * K + k] += p * (g[j] - mean[j]) * (g[k] - mean[k]) } }
    }
    return AgentGradientMoments(
      mean: mean, totalVariance: second, varianceOfSquaredDeviation: fourth - second * second,
      covarianceSquaredNorm: covariance.reduce(0) { $0 + $1 * $1 })
  }

  /// The Monte-Carlo estimate of agent a's gradient from m sampled joint actions u_k ∼ π:
  ///
  ///     ĝ = (1/m) Σ_k w(u_k) (e_{uᵃ_k} − πᵃ)
  ///
  /// with its per-entry standard errors and the sample total variance (1/(m−1)) Σ_k ‖g_k − ĝ‖².
  ///
  /// - Parameters: agent a, policies, m ≥ 2 samples, the weight w, the generator.
  /// - Returns: a ``GradientEstimate`` over agent a's K logits.
  public func sampledAgentGradient(
    agent a: Int, policies: [[Double]], samples m: Int, weight: ([Int]) -> Double, using rng: inout RandomGenerator
  ) -> GradientEstimate {
    ensure(
      m >= 2 && a >= 0 && a < actionCounts.count && policies.map(\.count) == actionCounts,
      "sampledAgentGradient: needs m ≥ 2 (got \(m)), agent in range (got \(a)), policy sizes matching \(actionCounts)")
    let K = actionCounts[a]
    var sum = [Double](repeating: 0, count: K), sumOfSquares = [Double](repeating: 0, count: K)
    for _ in 0..<m {
      let u = policies.map { rng.categorical($0) }  // each agent draws from its own policy
      let g = Self.agentScore(policies[a], action: u[a], weight: weight(u))
      for k in 0..<K {
        sum[k] += g[k]
        sumOfSquares[k] += g[k] * g[k]
      }
    }
    let mean = sum.map { $0 / Double(m) }
    let variances = (0..<K).map { k in max(0, (sumOfSquares[k] - Double(m) * mean[k] * mean[k]) / Double(m - 1)) }
    return GradientEstimate(
      mean: mean, standardError: variances.map { ($0 / Double(m)).squareRoot() },
      totalVariance: variances.reduce(0, +), sampleCount: m)
  }

  /// w · (e_u − π): the weighted score of a softmax policy with respect to its logits. Shape [K].
  static func agentScore(_ policy: [Double], action u: Int, weight w: Double) -> [Double] {
    policy.indices.map { k in w * ((k == u ? 1 : 0) - policy[k]) }
  }
}
