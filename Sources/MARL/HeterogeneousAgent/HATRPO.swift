import Autodiff

/// HATRPO's configuration: the shared training settings plus the trust region's.
public struct HATRPOConfig: Sendable {
  /// Rollouts, GAE, critic, order.
  public var training = SequentialTrainingConfig()
  /// δ, conjugate gradient, damping, line search.
  public var trustRegion = TrustRegionConfig()

  /// The defaults.
  public init() {}
}

/// Heterogeneous-Agent TRPO on any ``CooperativeEnvironment`` with discrete actions.
///
/// Each ``iterate(using:)`` follows Algorithm 2: collect, compute Â by GAE, draw a random permutation,
/// set M = Â; then for each agent in turn take one trust-region step (``trustRegionStep(at:surrogate:meanKL:config:)``)
/// on the surrogate (1/B) Σ (π_θ(a|o)/π_old(a|o)) M under the constraint KL̄(π_old ‖ π_θ) ≤ δ, and
/// multiply the agent's ratio into M. Last, fit the critic.
///
/// Source: Kuba et al. (ICLR 2022), §4.1, eqs. (7)–(10) and Algorithm 2; HARL `hatrpo.py`.
public struct HATRPO<Environment: CooperativeEnvironment> {
  /// The configuration.
  public let config: HATRPOConfig
  /// The actors and the critic.
  public private(set) var networks: HeterogeneousActorCritic
  /// The E environments, each mid-episode.
  public private(set) var environments: [Environment]
  private var criticOptimizer: Adam
  private var runningReturns: [Double]

  /// A learner with fresh networks and E copies of `environment`, each reset with `rng`.
  public init(config: HATRPOConfig, environment: Environment, rng: inout RandomGenerator) {
    self.config = config
    networks = HeterogeneousActorCritic(for: environment, hidden: config.training.hidden, rng: &rng)
    environments = environment.freshCopies(config.training.environments, using: &rng)
    criticOptimizer = Adam(learningRate: config.training.criticLearningRate, epsilon: 1e-5)
    runningReturns = [Double](repeating: 0, count: config.training.environments)
  }

  /// One iteration of Algorithm 2.
  public mutating func iterate(using rng: inout RandomGenerator) -> SequentialUpdateReport {
    let n = networks.agentCount
    // MARK: - Collect rollouts and compute Â (lines 4–7)
    let rollout = collectSequentialRollout(
      networks: networks, environments: &environments, runningReturns: &runningReturns, config: config.training, rng: &rng)
    // MARK: - Draw a permutation; M^{i_1} = Â (lines 8–9)
    let order = config.training.order.agents(n, using: &rng)
    var factor = [Double](repeating: 1, count: rollout.advantages.count)
    var meanFactor: [Double] = [], accepted: [Bool] = []
    for i in order {
      let batch = rollout.agents[i]
      meanFactor.append(factor.reduce(0, +) / Double(factor.count))
      let shapes = networks.actors[i].parameterShapes
      let actor = networks.actors[i]
      let M = Tensor(zip(factor, rollout.advantages).map { $0 * $1 })
      let oldLogits = withoutGradients { actor(batch.observations) }
      let oldPolicy = maskedDistribution(oldLogits, available: batch.available)
      func policy(_ θ: Tensor) -> CategoricalDistribution {
        maskedDistribution(actor.with(parameters: unflatten(θ, like: shapes))(batch.observations), available: batch.available)
      }
      // MARK: - Trust-region step on (1/B) Σ r M subject to KL̄ ≤ δ (lines 11–13)
      let step = trustRegionStep(
        at: flatten(actor.parameters).detached,
        surrogate: { θ in ((policy(θ).logProbability(of: batch.actions) - batch.oldLogProbabilities).exp() * M).mean() },
        meanKL: { θ in oldPolicy.klDivergence(to: policy(θ)).mean() },
        config: config.trustRegion)
      accepted.append(step.lineSearch.accepted)
      networks.actors[i].parameters = unflatten(step.lineSearch.parameters, like: shapes)
      // MARK: - M^{i_{1:m+1}} = (π̄^{i_m} / π^{i_m}) M^{i_{1:m}} (line 14)
      if config.training.order.carriesFactor {
        factor = updatedCorrectionFactor(
          factor, newLogProbabilities: networks.logProbabilities(of: i, batch),
          oldLogProbabilities: batch.oldLogProbabilities.scalars)
      }
    }
    // MARK: - Update the critic (line 16)
    updateCritic(
      &networks, optimizer: &criticOptimizer, states: rollout.states, returns: rollout.returns, config: config.training)
    return SequentialUpdateReport(
      episodeReturns: rollout.episodeReturns, order: order, meanFactor: meanFactor, accepted: accepted)
  }

  // MARK: - Evaluation

  /// The mean undiscounted return of `episodes` fresh episodes with the current (stochastic) actors,
  /// and its standard error: the measure ``MultiAgentPPO/evaluate(episodes:using:)`` reports.
  public func evaluate(episodes m: Int, using rng: inout RandomGenerator) -> (mean: Double, standardError: Double) {
    evaluateActors(networks, on: environments[0], episodes: m, using: &rng)
  }
}
