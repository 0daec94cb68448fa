import Autodiff

/// The actors and critics of n agents, separate or shared, for discrete actions.
///
/// - Actor i: logits zⁱ = f_θⁱ(oⁱ) (with the one-hot id appended to oⁱ when shared with ids), giving
///   πⁱ(·|oⁱ) = softmax(zⁱ). Execution is decentralised: an actor sees only its own observation.
/// - Critic i: V_φⁱ(cⁱ), where the critic input cⁱ is the local observation oⁱ (independent learners:
///   IA2C, IPPO) or the global state s (centralised critics: MAA2C, MAPPO), id appended when shared.
///
/// Parameters, in order: every actor's MLP parameters (one actor when shared), then every critic's.
///
/// Source: Yu et al., "The Surprising Effectiveness of PPO in Cooperative Multi-Agent Games"
/// (NeurIPS 2022 D&B), §4 and App. C (shared actor and centralised critic); de Witt et al., "Is
/// Independent Learning All You Need in the StarCraft Multi-Agent Challenge?" (arXiv 2011.09533), §3.
public struct MultiAgentActorCritic: Module {
  /// n.
  public let agentCount: Int
  /// |Aⁱ| (equal for all agents).
  public let actionCount: Int
  /// Separate or shared parameters.
  public let sharing: ParameterSharing
  /// The actor networks: n, or 1 when shared.
  public private(set) var actors: [MLP]
  /// The critic networks: n, or 1 when shared.
  public private(set) var critics: [MLP]

  /// Networks with ReLU hidden layers of sizes `hidden` (orthogonal, gain √2; MAPPO's `use_ReLU`
  /// default), a policy head initialised small (orthogonal, gain 0.01, so every policy starts near
  /// uniform) and a value head with gain 1.
  ///
  /// - Parameters:
  ///   - observationSize: d, the length of oⁱ (before any id).
  ///   - criticInputSize: c, the length of the critic input (oⁱ or s, before any id).
  public init(
    agentCount n: Int, observationSize d: Int, criticInputSize c: Int, actionCount K: Int,
    hidden: [Int], sharing: ParameterSharing, rng: inout RandomGenerator
  ) {
    ensure(
      n >= 1 && d >= 1 && c >= 1 && K >= 1, "MultiAgentActorCritic: sizes must be positive, got n \(n), d \(d), c \(c), K \(K)")
    let id = sharing.appendsAgentIDs ? n : 0
    let copies = sharing.networkCount(agents: n)
    actors = (0..<copies).map { _ in
      MLP(
        sizes: [d + id] + hidden + [K], activation: .relu, hiddenInit: .orthogonal(gain: 2.0.squareRoot()),
        outputInit: .orthogonal(gain: 0.01), rng: &rng)
    }
    critics = (0..<copies).map { _ in
      MLP(
        sizes: [c + id] + hidden + [1], activation: .relu, hiddenInit: .orthogonal(gain: 2.0.squareRoot()),
        outputInit: .orthogonal(gain: 1), rng: &rng)
    }
    agentCount = n
    actionCount = K
    self.sharing = sharing
  }

  /// Actors' parameters, then critics'.
  public var parameters: [Tensor] {
    get { actorParameters + criticParameters }
    set {
      let a = actorParameters.count
      actorParameters = Array(newValue[..<a])
      criticParameters = Array(newValue[a...])
    }
  }

  /// Every actor's parameters, in order.
  public var actorParameters: [Tensor] {
    get { actors.flatMap(\.parameters) }
    set {
      let pieces = splitByCounts(newValue, actors.map { $0.parameters.count }, "actorParameters")
      for i in actors.indices { actors[i].parameters = pieces[i] }
    }
  }

  /// Every critic's parameters, in order.
  public var criticParameters: [Tensor] {
    get { critics.flatMap(\.parameters) }
    set {
      let pieces = splitByCounts(newValue, critics.map { $0.parameters.count }, "criticParameters")
      for i in critics.indices { critics[i].parameters = pieces[i] }
    }
  }

  /// zⁱ for every agent-minor row of observations [B·n, d]: logits [B·n, K].
  public func logits(_ observations: Tensor) -> Tensor {
    let x = sharing.appendsAgentIDs ? appendingAgentIDs(observations, agentCount: agentCount) : observations
    return applyPerAgent(actors, to: x, agentCount: agentCount) { actor, rows in actor(rows) }
  }

  /// πⁱ(·|oⁱ) for every row: the categorical distributions of observations [B·n, d].
  public func policy(_ observations: Tensor) -> CategoricalDistribution {
    CategoricalDistribution(logits: logits(observations))
  }

  /// Vⁱ(cⁱ) for every agent-minor row of critic inputs [B·n, c]: values [B·n].
  public func values(_ criticInputs: Tensor) -> Tensor {
    let x = sharing.appendsAgentIDs ? appendingAgentIDs(criticInputs, agentCount: agentCount) : criticInputs
    let v = applyPerAgent(critics, to: x, agentCount: agentCount) { critic, rows in critic(rows) }
    return v.reshaped([-1])
  }

  private func splitByCounts(_ all: [Tensor], _ counts: [Int], _ what: String) -> [[Tensor]] {
    ensure(
      all.count == counts.reduce(0, +), "MultiAgentActorCritic.\(what): expected \(counts.reduce(0, +)) tensors, got \(all.count)"
    )
    var pieces: [[Tensor]] = [], start = 0
    for count in counts {
      pieces.append(Array(all[start..<(start + count)]))
      start += count
    }
    return pieces
  }
}
