import Autodiff

/// The networks of HATRPO and HAPPO: one actor per agent, never shared, and one centralised critic.
///
/// - Actor i: logits zⁱ = f_{θⁱ}(oⁱ), πⁱ(·|oⁱ) = softmax(zⁱ). The agents may be heterogeneous: each has
///   its own parameters θⁱ, so nothing forces θⁱ = θʲ (Kuba et al.'s point against parameter sharing).
/// - Critic: one value network V_φ(s) of the global state, used only in training to compute the joint
///   advantage Â(s, a) by GAE.
///
/// Source: Kuba et al. (ICLR 2022), Algorithms 2–3, line 2 ("actor networks {θⁱ}, global V-value
/// network φ"); HARL `share_param: false`.
public struct HeterogeneousActorCritic {
  /// The n actors, one per agent.
  public var actors: [MLP]
  /// V_φ(s).
  public var critic: MLP

  /// Networks with tanh hidden layers of sizes `hidden`; policy heads start small (orthogonal gain
  /// 0.01, so every policy starts near uniform), the value head with gain 1.
  public init(
    agentCount n: Int, observationSize d: Int, stateSize c: Int, actionCount K: Int, hidden: [Int], rng: inout RandomGenerator
  ) {
    ensure(
      n >= 1 && d >= 1 && c >= 1 && K >= 1, "HeterogeneousActorCritic: sizes must be positive, got n \(n), d \(d), c \(c), K \(K)"
    )
    actors = (0..<n).map { _ in
      MLP(
        sizes: [d] + hidden + [K], activation: .tanh, hiddenInit: .orthogonal(gain: 2.0.squareRoot()),
        outputInit: .orthogonal(gain: 0.01), rng: &rng)
    }
    critic = MLP(
      sizes: [c] + hidden + [1], activation: .tanh, hiddenInit: .orthogonal(gain: 2.0.squareRoot()),
      outputInit: .orthogonal(gain: 1), rng: &rng)
  }

  /// The networks sized for `environment`: its n agents, observation size d, state size c and K actions.
  public init(for environment: some CooperativeEnvironment, hidden: [Int], rng: inout RandomGenerator) {
    self.init(
      agentCount: environment.agentCount, observationSize: environment.observationSize, stateSize: environment.stateSize,
      actionCount: environment.actionCount, hidden: hidden, rng: &rng)
  }

  /// n.
  public var agentCount: Int { actors.count }

  /// πⁱ(·|oⁱ) for a batch of agent i's observations [B, d], with unavailable actions (mask [B·K], row-major;
  /// nil: all available) given probability zero.
  public func policy(of i: Int, _ observations: Tensor, available: [Bool]? = nil) -> CategoricalDistribution {
    maskedDistribution(actors[i](observations), available: available)
  }

  /// V_φ(s) for a batch of states [B, c]: [B].
  public func values(_ states: Tensor) -> Tensor { critic(states).reshaped([-1]) }

  /// log πⁱ(aⁱ|oⁱ) of the batch's actions under agent i's current actor, as constants: [B]. HAPPO and
  /// HATRPO divide by π^i_old with it when they carry the correction factor M (Kuba et al., ICLR 2022,
  /// Algorithm 1, line 12, and Algorithm 2, line 14).
  func logProbabilities(of i: Int, _ batch: AgentBatch) -> [Double] {
    withoutGradients { policy(of: i, batch.observations, available: batch.available).logProbability(of: batch.actions).scalars }
  }
}

/// softmax over the available actions: logits of unavailable ones replaced by −10⁹.
func maskedDistribution(_ logits: Tensor, available: [Bool]?) -> CategoricalDistribution {
  guard let available, !available.allSatisfy({ $0 }) else { return CategoricalDistribution(logits: logits) }
  return CategoricalDistribution(logits: Tensor.where(available, shape: logits.shape, logits, Tensor(-1e9)))
}
