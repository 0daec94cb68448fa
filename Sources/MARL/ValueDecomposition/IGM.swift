import Autodiff

/// The outcome of checking the individual-global-max (IGM) condition at one state.
public struct IGMCheck: Sendable {
  /// ū = ⟨argmax_{u₁} Q₁(u₁), …, argmax_{uₙ} Qₙ(uₙ)⟩: what the agents pick, each on its own.
  public let decentralisedGreedy: [Int]
  /// u* = argmax_u Q_tot(s, u), found by enumerating every joint action (the first on ties).
  public let jointGreedy: [Int]
  /// Q_tot(s, ū).
  public let valueOfDecentralised: Double
  /// Q_tot(s, u*) = max_u Q_tot(s, u).
  public let valueOfJoint: Double
  /// Q_tot(s, u) for every joint action, in flat-index order (agent 1 most significant).
  public let table: [Double]

  /// Whether IGM holds: the decentralised greedy joint action attains the joint maximum (up to
  /// `tolerance`, so that exact ties between joint actions do not count as violations).
  public func holds(tolerance: Double = 1e-9) -> Bool { valueOfDecentralised >= valueOfJoint - tolerance }
}

/// Checks IGM for given per-agent utilities and a mixer at one state,
///
///     argmax_u Q_tot(s, u) = ( argmax_{u₁} Q₁(u₁), …, argmax_{uₙ} Qₙ(uₙ) ),
///
/// by enumerating all Πₐ |A_a| joint actions: each one's utilities [Q₁(u₁), …, Qₙ(uₙ)] go through the
/// mixer together, and the best of them is compared with the tuple of per-agent argmaxes.
///
/// - Parameters:
///   - utilities: Q_a(u_a) for each agent, shape [n][|A_a|].
///   - state: s, shape [S].
///   - mixer: a joint-value mixer (K = 1).
/// Source: Son et al., "QTRAN" (ICML 2019), Definition 1 (IGM); Rashid et al., "QMIX" (ICML 2018), eq. 4.
public func checkIGM<M: Mixer>(utilities: [[Double]], state: [Double], mixer: M) -> IGMCheck {
  ensure(
    utilities.count == mixer.agentCount && utilities.allSatisfy { !$0.isEmpty },
    "checkIGM: expected non-empty utilities for \(mixer.agentCount) agents, got \(utilities.count)")
  ensure(mixer.valueCount == 1, "checkIGM: needs a joint value (K = 1), the mixer has K = \(mixer.valueCount)")
  let game = MatrixGame(
    name: "joint actions", actionCounts: utilities.map(\.count),
    payoff: Array(repeating: 0, count: utilities.map(\.count).reduce(1, *)))
  let joint = game.allJointActions

  // snippet: igm-check
  // MARK: - Every joint action through the mixer at once
  let chosen = Tensor(
    shape: [joint.count, utilities.count], scalars: joint.flatMap { u in u.enumerated().map { utilities[$0.offset][$0.element] } }
  )
  let states = Tensor(shape: [joint.count, state.count], scalars: Array(joint.map { _ in state }.joined()))
  let table = withoutGradients { mixer(chosen, states: states) }.scalars

  // MARK: - Compare the two greedy choices
  let decentralised = utilities.map { Tensor($0).argmax()[0] }
  let best = Tensor(table).argmax()[0]
  return IGMCheck(
    decentralisedGreedy: decentralised, jointGreedy: joint[best],
    valueOfDecentralised: table[game.jointActionIndex(decentralised)], valueOfJoint: table[best], table: table)
  // end snippet
}
