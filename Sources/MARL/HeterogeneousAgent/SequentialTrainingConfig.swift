import Autodiff

/// The order in which the agents update within one iteration.
public enum UpdateOrder: Sendable, Equatable, CustomStringConvertible {
  /// A fresh uniformly random permutation i_{1:n} every iteration (Kuba et al., Algorithms 1–3; the
  /// condition of their Proposition 2: in one-shot games, with every order possible, the limit points
  /// of Algorithm 1 are Nash equilibria).
  case randomPermutation
  /// Always 1, 2, …, n (HARL's `fixed_order: true`; an ablation).
  case fixed
  /// No sequence at all: every agent updates against the *old* joint policy, M = Â for all of them,
  /// as in IPPO/MAPPO with separate parameters (the ablation that removes the factor).
  case simultaneous

  /// "random order", "fixed order" or "simultaneous".
  public var description: String {
    switch self {
    case .randomPermutation: "random order"
    case .fixed: "fixed order"
    case .simultaneous: "simultaneous"
    }
  }

  /// The agents in the order they update this iteration (a fresh permutation for `.randomPermutation`).
  func agents(_ n: Int, using rng: inout RandomGenerator) -> [Int] {
    self == .randomPermutation ? randomOrdering(of: n, using: &rng) : Array(0..<n)
  }

  /// Whether each agent's ratio is multiplied into M for the agents after it.
  var carriesFactor: Bool { self != .simultaneous }
}

/// The settings HATRPO and HAPPO share: data collection, advantage estimation, the critic and the order.
///
/// Defaults follow HARL (`happo.yaml`, `hatrpo.yaml`: γ 0.99, λ 0.95, critic epochs 5, gradient norm
/// 10, random order) scaled to a workbook-sized task (8 environments × 8 steps, hidden [64]).
public struct SequentialTrainingConfig: Sendable {
  /// γ.
  public var gamma = 0.99
  /// λ of GAE.
  public var lambda = 0.95
  /// E, environments stepped in parallel.
  public var environments = 8
  /// T, steps per environment per rollout.
  public var rolloutLength = 8
  /// The hidden layer sizes of every actor and of the critic.
  public var hidden = [64]
  /// Adam step size of the critic.
  public var criticLearningRate = 3e-3
  /// Passes of the critic over each batch.
  public var criticEpochs = 5
  /// Gradients are clipped to this global norm.
  public var maxGradientNorm = 10.0
  /// Standardise Â over the batch once per iteration.
  public var standardiseAdvantages = true
  /// Random permutation or fixed order.
  public var order = UpdateOrder.randomPermutation

  /// The defaults.
  public init() {}
}
