import Autodiff

// COMA's critic answers K questions in one forward pass: "what would the team's return be if agent a
// played k, the others playing what they played?", for k = 1…K. It can, because agent a's own action
// is *not* in its input: the input names the state, the agent, and the other agents' actions; the K
// outputs are then Q(s, (u⁻ᵃ, k)) for every k. A critic of the full joint action would need K^n
// outputs, or K forward passes per agent.

/// The input row of a COMA critic for agent a at step t, in this order:
///
///     [ s_t  |  oᵃ_t  |  one-hot(u_t) with agent a's block zeroed  |  one-hot(u_{t−1})  |  e_a ]
///        S        d              n·K (masked)                          n·K                 n
///
/// The observation and the previous joint action are optional (pymarl includes both, EPyMARL the
/// observation only on request). The one-hot id e_a lets one shared network serve every agent.
///
/// Rows are agent-minor: row b·n + a is agent a at step b, the layout of the rollout buffer.
///
/// Source: Foerster et al. (AAAI 2018), §4 and Fig. 1c (critic inputs u⁻ᵃ_t, s_t, oᵃ_t, a, u_{t−1});
/// pymarl `modules/critics/coma.py` (`_build_inputs`: the joint action times 1 − eye(n), repeated over K).
public struct COMACriticInput: Sendable, Equatable {
  /// n, |Aᵃ| = K (equal for all agents), S = |s|, d = |oᵃ|.
  public let agentCount: Int, actionCount: Int, stateSize: Int, observationSize: Int
  /// Whether oᵃ_t and u_{t−1} are part of the row.
  public let includesObservation: Bool, includesLastActions: Bool

  /// A layout; the defaults include every part, as the reference implementation does.
  public init(
    agentCount n: Int, actionCount K: Int, stateSize S: Int, observationSize d: Int,
    includesObservation: Bool = true, includesLastActions: Bool = true
  ) {
    ensure(n >= 1 && K >= 1 && S >= 0 && d >= 0, "COMACriticInput: invalid sizes n \(n), K \(K), S \(S), d \(d)")
    agentCount = n
    actionCount = K
    stateSize = S
    observationSize = d
    self.includesObservation = includesObservation
    self.includesLastActions = includesLastActions
  }

  /// The length of one row: S + d + n·K + n·K + n (without the optional parts when excluded).
  public var size: Int {
    let joint = agentCount * actionCount
    return stateSize + (includesObservation ? observationSize : 0) + joint + (includesLastActions ? joint : 0) + agentCount
  }

  /// The input rows of B steps, agent-minor.
  ///
  /// - Parameters:
  ///   - states: s_b for each step, flattened [B·S].
  ///   - observations: oᵃ_b, flattened agent-minor [B·n·d] (ignored unless included).
  ///   - jointActions: uᵃ_b, agent-minor [B·n].
  ///   - lastJointActions: uᵃ_{b−1}, agent-minor [B·n] (ignored unless included); −1 at the first
  ///     step of an episode, which gives an all-zero block.
  /// - Returns: a constant tensor [B·n, size].
  public func rows(states: [Double], observations: [Double], jointActions: [Int], lastJointActions: [Int]) -> Tensor {
    let (n, K, S, d) = (agentCount, actionCount, stateSize, observationSize)
    ensure(
      states.count % max(S, 1) == 0 && jointActions.count % n == 0,
      "COMACriticInput.rows: states [\(states.count)] or jointActions [\(jointActions.count)] is not a whole number of steps")
    let B = jointActions.count / n
    ensure(S == 0 || states.count == B * S, "COMACriticInput.rows: states has \(states.count) values, expected B·S = \(B * S)")
    ensure(
      !includesObservation || observations.count == B * n * d,
      "COMACriticInput.rows: observations has \(observations.count) values, expected B·n·d = \(B * n * d)")
    ensure(
      !includesLastActions || lastJointActions.count == B * n,
      "COMACriticInput.rows: lastJointActions has \(lastJointActions.count) entries, expected B·n = \(B * n)")
    ensure(
      jointActions.allSatisfy { $0 >= 0 && $0 < K }
        && (!includesLastActions || lastJointActions.allSatisfy { $0 >= -1 && $0 < K }),
      "COMACriticInput.rows: an action is outside 0..<\(K) (or −1 for no previous action)")
    var out: [Double] = []
    out.reserveCapacity(B * n * size)
    for b in 0..<B {
      for a in 0..<n {
        out += states[(b * S)..<((b + 1) * S)]
        if includesObservation { out += observations[((b * n + a) * d)..<((b * n + a + 1) * d)] }
        // snippet: coma-critic-mask
        for other in 0..<n {  // u⁻ᵃ: every agent's one-hot action, except agent a's block, left at zero
          var block = [Double](repeating: 0, count: K)
          if other != a { block[jointActions[b * n + other]] = 1 }
          out += block
        }
        // end snippet
        if includesLastActions {
          for other in 0..<n {
            var block = [Double](repeating: 0, count: K)
            let previous = lastJointActions[b * n + other]
            if previous >= 0 { block[previous] = 1 }  // −1 at an episode's first step: no previous action
            out += block
          }
        }
        for other in 0..<n { out.append(other == a ? 1 : 0) }
      }
    }
    return Tensor(shape: [B * n, size], scalars: out)
  }
}

/// COMA's centralised critic: one network, shared by all agents, from the input row of agent a to K
/// values, Q(s, (u⁻ᵃ, k)) for k = 0…K−1.
///
///     Q = f_φ(input row)   [B·n, size] → [B·n, K]
///
/// Source: Foerster et al. (AAAI 2018), §4 and Fig. 1c; pymarl `COMACritic` (MLP 128-128 → K).
public struct COMACritic: Module {
  /// What a row contains.
  public let input: COMACriticInput
  /// f_φ: tanh hidden layers, a linear head of K outputs.
  public private(set) var network: MLP

  /// A critic with hidden layers of the given sizes (orthogonal initialisation, gain √2; head gain 1).
  public init(input: COMACriticInput, hidden: [Int], rng: inout RandomGenerator) {
    self.input = input
    network = MLP(
      sizes: [input.size] + hidden + [input.actionCount], activation: .tanh,
      hiddenInit: .orthogonal(gain: 2.0.squareRoot()), outputInit: .orthogonal(gain: 1), rng: &rng)
  }

  /// The network's parameters.
  public var parameters: [Tensor] {
    get { network.parameters }
    set { network.parameters = newValue }
  }

  /// Q(s, (u⁻ᵃ, ·)) for every row: rows [B·n, size] → [B·n, K].
  public func callAsFunction(_ rows: Tensor) -> Tensor {
    ensure(rows.rank == 2 && rows.shape[1] == input.size, "COMACritic: expects rows [B·n, \(input.size)], got \(rows.shape)")
    return network(rows)
  }
}
