import Autodiff

/// A ``MatrixGame`` as a sampled ``CooperativeEnvironment``: every episode is one step. Each agent
/// sees the same constant observation (there is nothing to observe), the team receives R(a) and the
/// episode terminates.
///
/// Because the game has one state, the expected return of a joint policy is known exactly, J(π) =
/// Σ_a Πᵢ πⁱ(aⁱ) R(a) (``MatrixGame/expectedPayoff(policies:)``): a learning curve can be drawn with no
/// sampling noise, which is what it takes to see whether an algorithm's return ever really decreases.
///
/// Observation and state: the one-element vector [1]. All agents need the same number of actions
/// (the protocol's ``CooperativeEnvironment/actionCount``).
/// Source: the one-shot cooperative games of Claus & Boutilier (AAAI 1998); Kuba et al. (ICLR 2022),
/// Proposition 1, for the split-teams game used with it in chapter 5.
public struct MatrixGameEnvironment: CooperativeEnvironment, Sendable {
  /// The game.
  public let game: MatrixGame

  /// The environment of a game whose agents all have the same number of actions.
  public init(game: MatrixGame) {
    ensure(
      Set(game.actionCounts).count == 1,
      "MatrixGameEnvironment: every agent needs the same number of actions, got \(game.actionCounts)")
    self.game = game
  }

  /// n, the game's number of agents.
  public var agentCount: Int { game.actionCounts.count }
  /// |Aⁱ|, the same for every agent.
  public var actionCount: Int { game.actionCounts[0] }
  /// 1: the observation is the constant [1].
  public var observationSize: Int { 1 }
  /// 1: the state is the constant [1].
  public var stateSize: Int { 1 }
  /// The constant observation [1].
  public static let observation: [Double] = [1]

  /// Nothing to draw: the game has one state.
  public mutating func reset(using rng: inout RandomGenerator) {}
  /// oⁱ = [1] for every agent.
  public func observation(of agent: Int) -> [Double] { Self.observation }
  /// s = [1].
  public var state: [Double] { Self.observation }
  /// Every action is always available.
  public func availableActions(of agent: Int) -> [Bool] { [Bool](repeating: true, count: actionCount) }

  /// R(a); the episode terminates.
  public mutating func step(_ jointAction: [Int], using rng: inout RandomGenerator) -> (reward: Double, end: StepEnd) {
    (game.payoff(jointAction), .terminated)
  }
}

extension HeterogeneousActorCritic {
  /// πⁱ(·|o) of every agent at one observation o (shared by all agents), [n][K]: in a matrix game these
  /// are the whole policies, and ``MatrixGame/expectedPayoff(policies:)`` gives J exactly.
  public func policies(at observation: [Double]) -> [[Double]] {
    withoutGradients {
      (0..<agentCount).map { policy(of: $0, Tensor(shape: [1, observation.count], scalars: observation)).probabilities.scalars }
    }
  }
}
