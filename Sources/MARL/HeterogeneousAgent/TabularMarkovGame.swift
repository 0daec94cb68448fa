import Autodiff
import Foundation  // log

/// A fully observed, discounted, cooperative Markov game with finitely many states and actions:
/// ⟨𝒩, S, A = Πᵢ Aⁱ, P, r, γ, ρ⁰⟩, the setting of Kuba et al.'s theory.
///
/// Every agent sees the state s and draws aⁱ ∼ πⁱ(·|s); the team receives r(s, a) and the state moves
/// to s′ ∼ P(·|s, a). The objective is the expected discounted return
///
///     J(π) = E_{s₀∼ρ⁰, aₜ∼π(·|sₜ), sₜ₊₁∼P}[ Σₜ γᵗ r(sₜ, aₜ) ]
///
/// Shapes (flat, row-major): P [|S|, |A|, |S|], r [|S|, |A|], ρ⁰ [|S|]; joint actions are numbered by
/// ``JointActionSpace``.
///
/// Source: Kuba et al., "Trust Region Policy Optimisation in Multi-Agent Reinforcement Learning"
/// (ICLR 2022), §2 (the cooperative Markov game); Littman (ICML 1994) for Markov games.
public struct TabularMarkovGame: Sendable {
  /// |S|.
  public let stateCount: Int
  /// The agents' joint actions.
  public let space: JointActionSpace
  /// P(s′|s, a) at [(s·|A| + a)·|S| + s′].
  public let transition: [Double]
  /// r(s, a) at [s·|A| + a].
  public let reward: [Double]
  /// γ ∈ [0, 1).
  public let gamma: Double
  /// ρ⁰(s), the distribution of the first state.
  public let initialDistribution: [Double]

  /// A game from its tables; every P(·|s, a) and ρ⁰ must be a probability distribution.
  public init(
    stateCount: Int, actionCounts: [Int], transition: [Double], reward: [Double], gamma: Double, initialDistribution: [Double]
  ) {
    let space = JointActionSpace(actionCounts: actionCounts)
    let S = stateCount, A = space.count
    ensure(
      S >= 1 && transition.count == S * A * S && reward.count == S * A && initialDistribution.count == S,
      "TabularMarkovGame: expected P [\(S)·\(A)·\(S)], r [\(S)·\(A)], ρ⁰ [\(S)], got \(transition.count), \(reward.count), \(initialDistribution.count)"
    )
    ensure(gamma >= 0 && gamma < 1, "TabularMarkovGame: γ must be in [0, 1), got \(gamma)")
    for row in 0..<(S * A) {
      let total = transition[(row * S)..<((row + 1) * S)].reduce(0, +)
      ensure(abs(total - 1) < 1e-9, "TabularMarkovGame: P(·|s, a) of row \(row) sums to \(total), not 1")
    }
    ensure(abs(initialDistribution.reduce(0, +) - 1) < 1e-9, "TabularMarkovGame: ρ⁰ must sum to 1")
    self.stateCount = S
    self.space = space
    self.transition = transition
    self.reward = reward
    self.gamma = gamma
    self.initialDistribution = initialDistribution
  }

  /// n, the number of agents.
  public var agentCount: Int { space.agentCount }
  /// |Aⁱ| for every agent.
  public var actionCounts: [Int] { space.actionCounts }

  /// P(s′|s, a) for joint action index a.
  public func transitionProbability(_ s: Int, _ a: Int, _ sNext: Int) -> Double {
    transition[(s * space.count + a) * stateCount + sNext]
  }

  /// r(s, a) for joint action index a.
  public func reward(_ s: Int, _ a: Int) -> Double { reward[s * space.count + a] }

  /// A random game: rewards uniform in [−1, 1], every P(·|s, a) and ρ⁰ a normalised vector of
  /// uniforms (so every state is reachable from every state).
  public static func random(states: Int, actionCounts: [Int], gamma: Double, using rng: inout RandomGenerator)
    -> TabularMarkovGame
  {
    let A = actionCounts.reduce(1, *)
    func distribution(_ k: Int) -> [Double] {
      let u = (0..<k).map { _ in rng.uniform(0.05, 1) }
      let total = u.reduce(0, +)
      return u.map { $0 / total }
    }
    let transition = (0..<(states * A)).flatMap { _ in distribution(states) }
    let reward = (0..<(states * A)).map { _ in rng.uniform(-1, 1) }
    return TabularMarkovGame(
      stateCount: states, actionCounts: actionCounts, transition: transition, reward: reward, gamma: gamma,
      initialDistribution: distribution(states))
  }
}

/// A product policy of a tabular Markov game: each agent i draws aⁱ ∼ πⁱ(·|s) independently,
/// so π(a|s) = Πᵢ πⁱ(aⁱ|s).
///
/// Shape: `probabilities[i][s]` is πⁱ(·|s), [n][|S|][|Aⁱ|].
/// Source: Kuba et al. (ICLR 2022), §2 (joint policies are products of the agents' policies).
public struct ProductPolicy: Sendable, Equatable {
  /// πⁱ(·|s) for every agent i and state s.
  public var probabilities: [[[Double]]]

  /// A policy from its tables, [n][|S|][|Aⁱ|]; every row must be a distribution.
  public init(_ probabilities: [[[Double]]]) {
    ensure(
      probabilities.allSatisfy { agent in agent.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-9 && $0.allSatisfy { $0 >= 0 } } },
      "ProductPolicy: every πⁱ(·|s) must be a probability distribution")
    self.probabilities = probabilities
  }

  /// π(a|s) = Πᵢ πⁱ(aⁱ|s) for the joint action (a¹, …, aⁿ).
  public func jointProbability(state s: Int, actions: [Int]) -> Double {
    var p = 1.0
    for (i, a) in actions.enumerated() { p *= probabilities[i][s][a] }
    return p
  }

  /// The agents' policies at state s, [n][|Aⁱ|].
  public func policies(at s: Int) -> [[Double]] { probabilities.map { $0[s] } }

  /// The joint policy in which the listed agents follow `other` and the rest keep this policy:
  /// π̄^{i_{1:m}} × π^{−i_{1:m}}.
  public func replacing(agents: [Int], from other: ProductPolicy) -> ProductPolicy {
    var copy = self
    for i in agents { copy.probabilities[i] = other.probabilities[i] }
    return copy
  }

  /// A random policy: each row softmax(z) with z ∼ N(0, scale²).
  public static func random(states: Int, actionCounts: [Int], scale: Double = 1, using rng: inout RandomGenerator)
    -> ProductPolicy
  {
    ProductPolicy(
      actionCounts.map { k in (0..<states).map { _ in softmaxProbabilities((0..<k).map { _ in rng.normal(std: scale) }) } })
  }

  /// A nearby policy: every row's logits moved by N(0, step²) noise, πⁱ(·|s) ∝ πⁱ(·|s) e^{step·z}.
  public func perturbed(step: Double, using rng: inout RandomGenerator) -> ProductPolicy {
    ProductPolicy(
      probabilities.map { agent in
        agent.map { row in softmaxProbabilities(row.map { log($0) + step * rng.normal() }) }
      })
  }
}
