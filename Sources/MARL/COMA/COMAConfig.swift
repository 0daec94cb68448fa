import Autodiff

/// The configuration of COMA, scaled to workbook-sized tasks.
///
/// The settings of Foerster et al., "Counterfactual multi-agent policy gradients" (AAAI 2018): λ = 0.8, γ = 0.99, batches of 30 episodes,
/// RMSprop with step 5·10⁻⁴, a GRU actor, a target critic copied every 150 updates. Here the actor is
/// the reactive MLP of chapter 3 (the tasks are fully described by the current observation), Adam
/// replaces RMSprop, and the other defaults match chapter 3's actor-critics (hidden 64, step 3·10⁻³,
/// advantages standardised, gradient norm 10) so that the three methods of the chapter's experiment
/// differ only in their critic and advantage.
public struct COMAConfig: Sendable {
  /// A label for tables.
  public var name = "COMA"
  /// The actors' parameters: shared with one-hot ids by default. The critic is always one network
  /// shared by all agents (the id is part of its input).
  public var sharing: ParameterSharing = .shared(agentIDs: true)
  /// γ, the discount.
  public var gamma = 0.99
  /// λ of the critic's TD(λ) targets (the paper's 0.8).
  public var lambda = 0.8
  /// Adam step sizes.
  public var actorLearningRate = 3e-3, criticLearningRate = 3e-3
  /// Hidden layer sizes of the actor and of the critic.
  public var actorHidden = [64], criticHidden = [64]
  /// Whole episodes collected per iteration (one per environment copy).
  public var episodesPerIteration = 8
  /// Critic-only gradient steps on the TD(λ) targets before the joint update. The paper trains the
  /// critic first, one step per time step of the batch; 4 is that count for 4-step episodes.
  public var criticSteps = 4
  /// The target critic Q̄ is copied from the critic every this many iterations.
  public var targetUpdateInterval = 4
  /// c_V (weight of the critic's squared error) and c_H (entropy bonus) of the A2C loss.
  public var loss = A2CConfig()
  /// Actor and critic gradients are each clipped to this global norm.
  public var maxGradientNorm = 10.0
  /// Standardise the counterfactual advantages over the batch (as chapter 3's actor-critics do).
  public var standardiseAdvantages = true
  /// Whether the critic's input holds oᵃ_t and u_{t−1} (the reference implementation's choice).
  public var criticIncludesObservation = true, criticIncludesLastActions = true

  /// The defaults above.
  public init() {}
}

/// What one COMA iteration reports.
public struct COMAReport: Sendable {
  /// The undiscounted returns Σ_t r_t of the episodes collected.
  public let episodeReturns: [Double]
  /// The policy loss −mean(A log π), the critic's ½ mean (Q − y)², and the mean entropy, at the update.
  public let policyLoss: Double, criticLoss: Double, entropy: Double
}
