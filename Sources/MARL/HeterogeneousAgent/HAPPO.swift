import Autodiff

/// HAPPO's configuration: the shared training settings plus PPO-clip's.
///
/// Defaults follow HARL's `happo.yaml` where it matters (ε 0.2, 5 epochs, entropy 0.01, one minibatch),
/// with an Adam step of 3·10⁻³ for a workbook-sized task (chapter 5 sets chapter 3's step where it
/// compares the two).
public struct HAPPOConfig: Sendable {
  /// Rollouts, GAE, critic, order.
  public var training = SequentialTrainingConfig()
  /// ε: each agent's *own* ratio is clipped to [1 − ε, 1 + ε].
  public var clipEpsilon = 0.2
  /// Passes over the batch per agent.
  public var epochs = 5
  /// Adam step size of every actor.
  public var actorLearningRate = 3e-3
  /// c_H, the entropy bonus.
  public var entropyCoefficient = 0.01

  /// The defaults.
  public init() {}
}

/// What one iteration of HATRPO or HAPPO reports.
public struct SequentialUpdateReport: Sendable {
  /// The undiscounted returns of the episodes that ended during the rollout.
  public let episodeReturns: [Double]
  /// i_{1:n}, the order the agents updated in.
  public let order: [Int]
  /// The mean of M/Â (the product of earlier agents' ratios) each agent saw, in update order.
  public let meanFactor: [Double]
  /// HATRPO only: whether each agent's line search accepted a step, in update order (empty for HAPPO).
  public let accepted: [Bool]
}

/// Heterogeneous-Agent PPO on any ``CooperativeEnvironment`` with discrete actions.
///
/// Each ``iterate(using:)`` follows Algorithm 3: collect a rollout with the joint policy, compute the
/// joint advantage Â by GAE from the centralised critic, draw a random permutation i_{1:n}, and set
/// M = Â. Then, agent after agent, maximise the PPO-clip objective with M in place of the advantage
/// (``happoSurrogate(logProbabilities:oldLogProbabilities:factor:advantages:epsilon:)``) and multiply
/// the agent's new-to-old probability ratio into M for the agents after it. Last, fit the critic.
///
/// Source: Kuba et al., "Trust Region Policy Optimisation in Multi-Agent Reinforcement Learning"
/// (ICLR 2022), §4.2, eq. (11) and Algorithm 3; HARL `on_policy_ha_runner.py`, `happo.py`.
public struct HAPPO<Environment: CooperativeEnvironment> {
  /// The configuration.
  public let config: HAPPOConfig
  /// The actors and the critic.
  public private(set) var networks: HeterogeneousActorCritic
  /// The E environments, each mid-episode.
  public private(set) var environments: [Environment]
  private var actorOptimizers: [Adam]
  private var criticOptimizer: Adam
  private var runningReturns: [Double]

  /// A learner with fresh networks and E copies of `environment`, each reset with `rng`.
  public init(config: HAPPOConfig, environment: Environment, rng: inout RandomGenerator) {
    self.config = config
    networks = HeterogeneousActorCritic(for: environment, hidden: config.training.hidden, rng: &rng)
    environments = environment.freshCopies(config.training.environments, using: &rng)
    actorOptimizers = (0..<environment.agentCount).map { _ in Adam(learningRate: config.actorLearningRate, epsilon: 1e-5) }
    criticOptimizer = Adam(learningRate: config.training.criticLearningRate, epsilon: 1e-5)
    runningReturns = [Double](repeating: 0, count: config.training.environments)
  }

  /// One iteration of Algorithm 3.
  public mutating func iterate(using rng: inout RandomGenerator) -> SequentialUpdateReport {
    let n = networks.agentCount
    // MARK: - Collect rollouts and compute Â (lines 4–7)
    let rollout = collectSequentialRollout(
      networks: networks, environments: &environments, runningReturns: &runningReturns, config: config.training, rng: &rng)
    let Â = Tensor(rollout.advantages)
    // MARK: - Draw a permutation; M^{i_1} = Â (lines 8–9)
    let order = config.training.order.agents(n, using: &rng)
    var factor = [Double](repeating: 1, count: rollout.advantages.count)  // M / Â
    var meanFactor: [Double] = []
    // snippet: happo-sequential-update
    for i in order {
      meanFactor.append(factor.reduce(0, +) / Double(factor.count))
      updateActor(i, on: rollout.agents[i], factor: factor, advantages: Â)  // PPO-clip on M (line 11)
      if config.training.order.carriesFactor {  // M ← (π̄^{i_m} / π^{i_m}) M (line 12)
        let batch = rollout.agents[i]
        factor = updatedCorrectionFactor(
          factor, newLogProbabilities: networks.logProbabilities(of: i, batch),
          oldLogProbabilities: batch.oldLogProbabilities.scalars)
      }
    }
    // end snippet
    // MARK: - Update the critic (line 14)
    updateCritic(
      &networks, optimizer: &criticOptimizer, states: rollout.states, returns: rollout.returns, config: config.training)
    return SequentialUpdateReport(episodeReturns: rollout.episodeReturns, order: order, meanFactor: meanFactor, accepted: [])
  }

  // MARK: - One agent's update

  /// `epochs` Adam steps of agent i on −(HAPPO objective) − c_H · entropy, with the factor held fixed.
  private mutating func updateActor(_ i: Int, on batch: AgentBatch, factor: [Double], advantages Â: Tensor) {
    let M = Tensor(factor)
    for _ in 0..<config.epochs {
      let (_, gradients) = networks.actors[i].valueWithGradients { actor in
        let π = maskedDistribution(actor(batch.observations), available: batch.available)
        let objective = happoSurrogate(
          logProbabilities: π.logProbability(of: batch.actions), oldLogProbabilities: batch.oldLogProbabilities,
          factor: M, advantages: Â, epsilon: config.clipEpsilon)
        return -objective - config.entropyCoefficient * π.entropy().mean()
      }
      var θ = networks.actors[i].parameters
      actorOptimizers[i].update(&θ, along: clipByGlobalNorm(gradients, maxNorm: config.training.maxGradientNorm).clipped)
      networks.actors[i].parameters = θ
    }
  }

  // MARK: - Evaluation

  /// The mean undiscounted return of `episodes` fresh episodes with the current (stochastic) actors,
  /// and its standard error: the measure ``MultiAgentPPO/evaluate(episodes:using:)`` reports.
  public func evaluate(episodes m: Int, using rng: inout RandomGenerator) -> (mean: Double, standardError: Double) {
    evaluateActors(networks, on: environments[0], episodes: m, using: &rng)
  }
}
