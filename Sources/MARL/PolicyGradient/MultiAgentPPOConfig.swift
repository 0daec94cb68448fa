import Autodiff

/// One configuration for the four on-policy multi-agent actor-critics of the course, which differ in
/// two switches: what the critic sees and which loss the actor follows.
///
/// | preset | critic input | actor loss |
/// |---|---|---|
/// | ``ia2c(sharing:)`` | local observation oⁱ | A2C |
/// | ``ippo(sharing:)`` | local observation oⁱ | PPO-clip |
/// | ``maa2c(sharing:)`` | global state s | A2C |
/// | ``mappo(sharing:)`` | global state s | PPO-clip |
///
/// Each can have separate or shared parameters (``ParameterSharing``). Defaults follow MAPPO's
/// reference implementation where it matters (γ 0.99, λ 0.95, ε 0.2, gradient norm clipped at 10,
/// advantages standardised, ReLU networks), scaled to a workbook-sized task that must learn in
/// seconds: one hidden layer of 32, 16 environments × 8 steps per rollout, 4 epochs of 4
/// minibatches, Adam step 5·10⁻³, entropy coefficient 0.003.
///
/// Source: Papoudakis et al. (NeurIPS D&B 2021) for IA2C and MAA2C; de Witt et al. (arXiv
/// 2011.09533) for IPPO; Yu et al. (NeurIPS 2022 D&B) for MAPPO.
public struct MultiAgentPPOConfig: Sendable {
  /// What the critic Vⁱ reads.
  public enum CriticInput: Sendable, Equatable {
    /// Vⁱ(oⁱ): independent learners (IA2C, IPPO).
    case localObservation
    /// Vⁱ(s): a centralised critic, used only in training (MAA2C, MAPPO).
    case globalState
  }

  /// The actor's loss.
  public enum Objective: Sendable, Equatable {
    /// The PPO-clip surrogate, several epochs per rollout.
    case ppoClip(PPOClipConfig)
    /// The A2C loss, one gradient step per rollout.
    case a2c(A2CConfig)
  }

  /// A label for tables ("MAPPO, shared + id").
  public var name: String
  /// V(oⁱ) or V(s).
  public var criticInput: CriticInput
  /// Separate or shared networks.
  public var sharing: ParameterSharing
  /// PPO-clip or A2C.
  public var objective: Objective
  /// γ, the discount.
  public var gamma = 0.99
  /// λ of GAE.
  public var lambda = 0.95
  /// Passes over each rollout (A2C: always 1).
  public var epochs = 4
  /// Minibatches per epoch, whole joint steps kept together (A2C: always 1, the whole rollout).
  public var minibatches = 4
  /// Adam step size of the actors.
  public var actorLearningRate = 5e-3
  /// Adam step size of the critics.
  public var criticLearningRate = 5e-3
  /// Hidden layer sizes of every actor and critic.
  public var hidden = [32]
  /// E, environments stepped in parallel.
  public var environments = 16
  /// T, steps per environment per rollout.
  public var rolloutLength = 8
  /// Gradients of the actors and of the critics are each clipped to this global norm.
  public var maxGradientNorm = 10.0
  /// Standardise Â over the batch before the update (MAPPO does).
  public var standardiseAdvantages = true

  /// A configuration from its switches; the other fields take the defaults above.
  public init(name: String, criticInput: CriticInput, sharing: ParameterSharing, objective: Objective) {
    self.name = name
    self.criticInput = criticInput
    self.sharing = sharing
    self.objective = objective
  }

  /// Independent A2C: local critics, A2C loss.
  public static func ia2c(sharing: ParameterSharing) -> Self {
    Self(
      name: "IA2C, \(sharing)", criticInput: .localObservation, sharing: sharing,
      objective: .a2c(A2CConfig(entropyCoefficient: 0.003)))
  }
  /// Independent PPO: local critics, PPO-clip.
  public static func ippo(sharing: ParameterSharing) -> Self {
    Self(
      name: "IPPO, \(sharing)", criticInput: .localObservation, sharing: sharing,
      objective: .ppoClip(PPOClipConfig(entropyCoefficient: 0.003)))
  }
  /// Multi-agent A2C: centralised critics V(s), A2C loss.
  public static func maa2c(sharing: ParameterSharing) -> Self {
    Self(
      name: "MAA2C, \(sharing)", criticInput: .globalState, sharing: sharing,
      objective: .a2c(A2CConfig(entropyCoefficient: 0.003)))
  }
  /// Multi-agent PPO: centralised critics V(s), PPO-clip.
  public static func mappo(sharing: ParameterSharing) -> Self {
    Self(
      name: "MAPPO, \(sharing)", criticInput: .globalState, sharing: sharing,
      objective: .ppoClip(PPOClipConfig(entropyCoefficient: 0.003)))
  }
}
