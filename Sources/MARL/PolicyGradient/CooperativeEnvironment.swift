import Autodiff

/// A sampled cooperative multi-agent environment: n agents, one shared reward, per-agent observations,
/// a global state for centralised critics, and discrete actions.
///
/// One step of the loop every on-policy learner runs:
///
///     env.reset(using: &rng)
///     while true {
///       let o = (0..<env.agentCount).map { env.observation(of: $0) }    // decentralised inputs oⁱ
///       let s = env.state                                               // centralised critic input
///       let a = …one action per agent, from πⁱ(·|oⁱ), among availableActions(of: i)…
///       let (r, end) = env.step(a, using: &rng)                         // shared reward r
///       if end.endsEpisode { break }
///     }
///
/// It is the sampled counterpart of the exact ``DecPOMDP`` (whose states, observations and rewards it
/// exposes one draw at a time) in the fully cooperative case of the course's partially observable
/// Markov game ⟨𝒩, S, A, O, Z, P, R, γ⟩.
public protocol CooperativeEnvironment {
  /// n, the number of agents.
  var agentCount: Int { get }
  /// |Aⁱ|, the number of actions of every agent (equal for all, so that one shared actor fits all).
  var actionCount: Int { get }
  /// The length of every agent's observation vector oⁱ.
  var observationSize: Int { get }
  /// The length of the global state vector s.
  var stateSize: Int { get }

  /// Starts a new episode: draws s₀ from the initial distribution.
  mutating func reset(using rng: inout RandomGenerator)
  /// oⁱ_t = Z(s_t; i), agent i's view of the current state, of length ``observationSize``.
  func observation(of agent: Int) -> [Double]
  /// s_t, the current global state, of length ``stateSize`` (for centralised critics only).
  var state: [Double] { get }
  /// Which of agent i's actions are allowed now (all true when the environment has no constraint).
  func availableActions(of agent: Int) -> [Bool]
  /// Applies the joint action a_t = (a¹, …, aⁿ): returns the shared reward R(s_t, a_t) and how the
  /// step ended. After an end, call ``reset(using:)`` before stepping again.
  mutating func step(_ jointAction: [Int], using rng: inout RandomGenerator) -> (reward: Double, end: StepEnd)
}

extension CooperativeEnvironment {
  /// Every agent's observation, concatenated agent after agent: [n · observationSize].
  public var jointObservation: [Double] { (0..<agentCount).flatMap { observation(of: $0) } }

  /// `count` copies of this environment, each reset with the next draws of `rng` (so each starts
  /// its own episode): the E environments an on-policy learner steps side by side.
  public func freshCopies(_ count: Int, using rng: inout RandomGenerator) -> [Self] {
    (0..<count).map { _ in
      var copy = self
      copy.reset(using: &rng)
      return copy
    }
  }
}
