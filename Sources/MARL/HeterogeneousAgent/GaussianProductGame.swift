import Autodiff
import Foundation  // sqrt

/// The two-agent game of Kuba et al.'s Figure 1: one state, real actions, shared reward r(a¹, a²) = a¹a²,
/// and Gaussian policies πⁱ = N(μⁱ, σ²) whose means are the parameters.
///
/// Every expectation is a Gauss–Hermite sum (``gaussHermiteRule(points:)``), exact here because the
/// integrands are low-degree polynomials in each action; the KL divergence is the closed form of
/// ``DiagonalGaussianDistribution``. The trust-region update of one agent maximises its surrogate
/// over the KL ball {μ̂ : KL(N(μ, σ²) ‖ N(μ̂, σ²)) ≤ δ}, found numerically (``trustRegionUpdate(agent:means:updatedPartner:)``).
///
/// Source: Kuba et al., "Trust Region Policy Optimisation in Multi-Agent Reinforcement Learning"
/// (ICLR 2022), §2.3 and Figure 1 (μ = (−0.25, 0.25), σ = 1, δ = 0.5).
public struct GaussianProductGame: Sendable {
  /// σ, the policies' fixed standard deviation.
  public let std: Double
  /// δ, the radius of each agent's KL trust region.
  public let maxKL: Double
  /// The 6-point Gauss–Hermite rule for N(0, 1): exact for the polynomial integrands of J, Q and L.
  private let rule: (nodes: [Double], weights: [Double])
  /// A 30-point rule for the importance-weighted surrogate, whose integrand (a density ratio) is not a polynomial.
  private let fineRule: (nodes: [Double], weights: [Double])

  /// The game with policies N(μⁱ, σ²) and trust regions of radius δ (the paper's σ = 1, δ = 0.5 by default).
  public init(std: Double = 1, maxKL: Double = 0.5) {
    ensure(std > 0 && maxKL > 0, "GaussianProductGame: σ and δ must be positive, got \(std), \(maxKL)")
    self.std = std
    self.maxKL = maxKL
    rule = gaussHermiteRule(points: 6)
    fineRule = gaussHermiteRule(points: 30)
  }

  /// n = 2.
  public var agentCount: Int { 2 }

  /// r(a¹, a²) = a¹a².
  public func reward(_ actions: [Double]) -> Double { actions[0] * actions[1] }

  // MARK: - Values by quadrature

  /// The quadrature points of N(μ, σ²): μ + σxⱼ, with weights wⱼ.
  private func points(_ μ: Double) -> [(a: Double, w: Double)] {
    zip(rule.nodes, rule.weights).map { (μ + std * $0, $1) }
  }

  /// J(μ) = E_{a∼π}[a¹a²] (= μ¹μ², whatever σ), as a double quadrature sum.
  public func expectedReward(means: [Double]) -> Double {
    ensure(means.count == 2, "GaussianProductGame.expectedReward: expected 2 means, got \(means.count)")
    var total = 0.0
    for (a1, w1) in points(means[0]) {
      for (a2, w2) in points(means[1]) { total += w1 * w2 * reward([a1, a2]) }
    }
    return total
  }

  /// Q^{i}_π(aⁱ) = E_{a^{−i}∼π^{−i}}[r(a)]: agent i plays aⁱ, its partner draws from N(μ^{−i}, σ²).
  public func multiAgentQ(agent i: Int, action: Double, means: [Double]) -> Double {
    points(means[1 - i]).reduce(0.0) { total, point in
      total + point.w * reward(i == 0 ? [action, point.a] : [point.a, action])
    }
  }

  /// Agent i's surrogate, given that its partner (if `updatedPartner` is not nil) has already moved to
  /// the new mean μ̄ and agent i considers the mean μ̂:
  ///
  ///     no predecessor:  L(μ̂) = E_{aⁱ ∼ N(μ̂, σ²)}[ Aⁱ_π(aⁱ) ],                  Aⁱ_π = Qⁱ_π − V_π
  ///     predecessor j:   L(μ̂) = E_{aʲ ∼ N(μ̄, σ²), aⁱ ∼ N(μ̂, σ²)}[ Aⁱ_π(aʲ, aⁱ) ],  Aⁱ_π(aʲ, aⁱ) = r(a) − Qʲ_π(aʲ)
  ///
  /// with π the old policies (means `means`). The first is what each agent of IPPO/MAPPO maximises; the
  /// second is HATRPO's Definition 2 for the agent updated second.
  public func surrogate(agent i: Int, candidate μ̂: Double, means: [Double], updatedPartner μ̄: Double?) -> Double {
    var total = 0.0
    if let μ̄ {
      let j = 1 - i
      for (aj, wj) in points(μ̄) {
        let baseline = multiAgentQ(agent: j, action: aj, means: means)  // Qʲ_π(aʲ)
        for (ai, wi) in points(μ̂) { total += wj * wi * (reward(i == 0 ? [ai, aj] : [aj, ai]) - baseline) }
      }
    } else {
      let V = expectedReward(means: means)
      for (ai, wi) in points(μ̂) { total += wi * (multiAgentQ(agent: i, action: ai, means: means) - V) }
    }
    return total
  }

  /// KL(N(μ, σ²) ‖ N(μ̂, σ²)), from ``DiagonalGaussianDistribution/klDivergence(to:)``.
  public func klDivergence(from μ: Double, to μ̂: Double) -> Double {
    let logStd = Tensor([log(std)])
    let old = DiagonalGaussianDistribution(mean: Tensor([[μ]]), logStd: logStd)
    let new = DiagonalGaussianDistribution(mean: Tensor([[μ̂]]), logStd: logStd)
    return old.klDivergence(to: new).scalars[0]
  }

  // MARK: - The trust-region update

  /// The maximiser of agent i's ``surrogate(agent:candidate:means:updatedPartner:)`` over its KL ball, found
  /// without using the closed forms: the edges of the ball by bisection on the KL (which grows with
  /// |μ̂ − μ|), then a grid of 401 candidates and a golden-section search in the best bracket.
  public func trustRegionUpdate(agent i: Int, means: [Double], updatedPartner: Double?) -> (
    mean: Double, surrogate: Double, kl: Double
  ) {
    let μ = means[i]
    // MARK: - The edges of the KL ball
    func edge(_ direction: Double) -> Double {
      var reach = 1.0
      while klDivergence(from: μ, to: μ + direction * reach) <= maxKL { reach *= 2 }
      var (inside, outside) = (0.0, reach)
      for _ in 0..<100 {
        let mid = (inside + outside) / 2
        if klDivergence(from: μ, to: μ + direction * mid) <= maxKL { inside = mid } else { outside = mid }
      }
      return μ + direction * inside
    }
    let (low, high) = (edge(-1), edge(1))
    // MARK: - Maximise the surrogate over [low, high]
    let L = { (μ̂: Double) in surrogate(agent: i, candidate: μ̂, means: means, updatedPartner: updatedPartner) }
    let grid = (0...400).map { low + (high - low) * Double($0) / 400 }
    let values = grid.map(L)
    let k = values.indices.max { values[$0] < values[$1] }!
    var (a, b) = (grid[max(k - 1, 0)], grid[min(k + 1, grid.count - 1)])
    let φ = (sqrt(5.0) - 1) / 2
    while b - a > 1e-13 {
      let (x1, x2) = (b - φ * (b - a), a + φ * (b - a))
      if L(x1) < L(x2) { a = x1 } else { b = x2 }
    }
    let best = (a + b) / 2
    return (best, L(best), klDivergence(from: μ, to: best))
  }

  /// IPPO/MAPPO-style: every agent maximises its own surrogate against the *old* partner, and all
  /// move at once. Returns the new means.
  public func simultaneousUpdate(means: [Double]) -> [Double] {
    (0..<agentCount).map { trustRegionUpdate(agent: $0, means: means, updatedPartner: nil).mean }
  }

  /// HATRPO-style: the agents update one after another in `order`, each maximising its surrogate given
  /// the *new* policies of the agents before it (Kuba et al., Algorithm 1). Returns the new means.
  public func sequentialUpdate(means: [Double], order: [Int]) -> [Double] {
    ensure(order.sorted() == [0, 1], "GaussianProductGame.sequentialUpdate: \(order) is not an ordering of 2 agents")
    var new = means
    let first = trustRegionUpdate(agent: order[0], means: means, updatedPartner: nil).mean
    new[order[0]] = first
    new[order[1]] = trustRegionUpdate(agent: order[1], means: means, updatedPartner: first).mean
    return new
  }

  /// The surrogate of eq. (9) as a differentiable function of agent i's candidate mean μ̂ [1]: an
  /// expectation over the *old* joint policy, by quadrature, of (π̂ⁱ/πⁱ − 1)(π̄^{prev}/π^{prev}) A_π(a),
  /// with A_π(a) = a¹a² − J(π). This is what HATRPO's gradient and line search see.
  public func importanceWeightedSurrogate(agent i: Int, candidate μ̂: Tensor, means: [Double], updatedPartner μ̄: Double?) -> Tensor
  {
    ensure(μ̂.shape == [1], "GaussianProductGame.importanceWeightedSurrogate: candidate must be [1], got \(μ̂.shape)")
    let J = expectedReward(means: means)
    var actions: [Double] = [], weights: [Double] = []
    for (x1, w1) in zip(fineRule.nodes, fineRule.weights) {
      for (x2, w2) in zip(fineRule.nodes, fineRule.weights) {
        let a = [means[0] + std * x1, means[1] + std * x2]
        let previousRatio = μ̄.map { gaussianDensityRatio(a[1 - i], new: $0, old: means[1 - i]) } ?? 1
        actions.append(a[i])
        weights.append(w1 * w2 * previousRatio * (reward(a) - J))
      }
    }
    let logStd = Tensor([log(std)])
    let count = actions.count
    let new = DiagonalGaussianDistribution(mean: μ̂.reshaped([1, 1]).broadcast(to: [count, 1]), logStd: logStd)
    let old = DiagonalGaussianDistribution(
      mean: Tensor(shape: [count, 1], scalars: [Double](repeating: means[i], count: count)), logStd: logStd)
    let a = Tensor(shape: [count, 1], scalars: actions)
    let ratio = (new.logProbability(of: a) - old.logProbability(of: a)).exp()
    return ((ratio - 1) * Tensor(weights)).sum()
  }

  /// N(a; μ̄, σ²) / N(a; μ, σ²).
  private func gaussianDensityRatio(_ a: Double, new μ̄: Double, old μ: Double) -> Double {
    exp(((a - μ) * (a - μ) - (a - μ̄) * (a - μ̄)) / (2 * std * std))
  }
}
