import Autodiff

/// Counterfactual multi-agent policy gradients (COMA) on any ``CooperativeEnvironment``.
///
/// Each ``iterate(using:)`` follows the paper's algorithm: collect a batch of episodes with the
/// decentralised actors; compute TD(λ) targets from the target critic; compute every agent's
/// counterfactual advantage from the critic's K outputs and the agent's own policy; take one A2C step
/// (chapter 3's loss, with the critic regressing Q(s, u) on its targets and the actor weighing its score
/// by the counterfactual advantage); refresh the target critic now and then.
///
/// Source: Foerster et al. (AAAI 2018), Algorithm 1 (App. B) and §4.
public struct COMA<Environment: CooperativeEnvironment> {
  /// The configuration.
  public let config: COMAConfig
  /// The actors: n networks, or one shared.
  public private(set) var actors: [MLP]
  /// The critic Q_φ and the target critic Q̄.
  public private(set) var critic: COMACritic, targetCritic: COMACritic
  private let environment: Environment
  private var actorOptimizer: Adam, criticOptimizer: Adam
  private var iterations = 0

  /// A learner with fresh networks for `environment` (copied and reset for every episode).
  public init(config: COMAConfig, environment: Environment, rng: inout RandomGenerator) {
    let (n, K, d) = (environment.agentCount, environment.actionCount, environment.observationSize)
    let id = config.sharing.appendsAgentIDs ? n : 0
    actors = (0..<config.sharing.networkCount(agents: n)).map { _ in
      MLP(
        sizes: [d + id] + config.actorHidden + [K], activation: .tanh, hiddenInit: .orthogonal(gain: 2.0.squareRoot()),
        outputInit: .orthogonal(gain: 0.01), rng: &rng)
    }
    let input = COMACriticInput(
      agentCount: n, actionCount: K, stateSize: environment.stateSize, observationSize: d,
      includesObservation: config.criticIncludesObservation, includesLastActions: config.criticIncludesLastActions)
    critic = COMACritic(input: input, hidden: config.criticHidden, rng: &rng)
    targetCritic = critic
    self.config = config
    self.environment = environment
    actorOptimizer = Adam(learningRate: config.actorLearningRate, epsilon: 1e-5)
    criticOptimizer = Adam(learningRate: config.criticLearningRate, epsilon: 1e-5)
  }

  /// πᵃ(·|oᵃ) for agent-minor rows of observations [B·n, d], with unavailable actions masked out.
  public func policy(_ observations: Tensor, available: [Bool]? = nil) -> CategoricalDistribution {
    Self.policy(actors, sharing: config.sharing, agentCount: environment.agentCount, observations, available)
  }

  private static func policy(
    _ actors: [MLP], sharing: ParameterSharing, agentCount n: Int, _ observations: Tensor, _ available: [Bool]?
  ) -> CategoricalDistribution {
    let x = sharing.appendsAgentIDs ? appendingAgentIDs(observations, agentCount: n) : observations
    let logits = applyPerAgent(actors, to: x, agentCount: n) { actor, rows in actor(rows) }
    return maskedDistribution(logits, available: available)
  }

  /// One iteration: collect episodes, compute targets and counterfactual advantages, update.
  public mutating func iterate(using rng: inout RandomGenerator) -> COMAReport {
    let n = environment.agentCount

    // MARK: - Collect episodes
    let batch = collectEpisodes(using: &rng)
    let B = batch.rewards.count
    let rows = critic.input.rows(
      states: batch.states, observations: batch.observations, jointActions: batch.actions, lastJointActions: batch.lastActions)

    // MARK: - TD(λ) targets from the target critic, one sequence per agent
    let targetTaken = withoutGradients { targetCritic(rows).gathering(batch.actions) }.scalars  // Q̄(s_t, u_t) per row
    let bootstrap = batch.bootstrapRows.map { entry in
      withoutGradients { targetCritic(entry.rows).gathering(entry.actions) }.scalars
    }
    var targets = [Double](repeating: 0, count: B * n)
    for a in 0..<n {
      let values = (0..<B).map { targetTaken[$0 * n + a] }
      var finals: [Int: Double] = [:]
      for (k, row) in batch.truncatedRows.enumerated() { finals[row] = bootstrap[k][a] }
      let next = nextValues(values: values, ends: batch.ends, lastValue: 0, finalValues: finals)
      let y = tdLambdaTargets(
        rewards: batch.rewards, nextValues: next, ends: batch.ends, gamma: config.gamma, lambda: config.lambda)
      for b in 0..<B { targets[b * n + a] = y[b] }
    }
    let y = Tensor(targets)

    // MARK: - Train the critic first (optional extra steps)
    for _ in 0..<config.criticSteps {
      let (_, gradients) = critic.valueWithGradients { q in 0.5 * (q(rows).gathering(batch.actions) - y).squared().mean() }
      var φ = critic.parameters
      criticOptimizer.update(&φ, along: clipByGlobalNorm(gradients, maxNorm: config.maxGradientNorm).clipped)
      critic.parameters = φ
    }

    // MARK: - Counterfactual advantages, every agent in one critic pass
    let observations = Tensor(shape: [B * n, environment.observationSize], scalars: batch.observations)
    let available = batch.available.allSatisfy { $0 } ? nil : batch.available
    var advantages = withoutGradients {
      counterfactualAdvantages(
        qValues: critic(rows), policies: policy(observations, available: available).probabilities, actions: batch.actions)
    }.scalars
    if config.standardiseAdvantages { advantages = standardised(advantages) }
    let A = Tensor(advantages)

    // MARK: - Update actors and critic with the A2C loss
    let actorCount = actors.reduce(0) { $0 + $1.parameters.count }
    let (sharing, lossConfig) = (config.sharing, config.loss)
    var loss: ActorCriticLoss? = nil
    let (_, gradients) = Autodiff.valueWithGradients(at: actors.flatMap(\.parameters) + critic.parameters) { θ in
      let actorsNow = Self.rebuild(actors, from: Array(θ[..<actorCount]))
      let criticNow = critic.with(parameters: Array(θ[actorCount...]))
      let π = Self.policy(actorsNow, sharing: sharing, agentCount: n, observations, available)
      loss = a2cLoss(
        logProbabilities: π.logProbability(of: batch.actions), advantages: A,
        values: criticNow(rows).gathering(batch.actions), returns: y, entropy: π.entropy(), config: lossConfig)
      return loss!.total
    }
    var θ = actors.flatMap(\.parameters)
    actorOptimizer.update(&θ, along: clipByGlobalNorm(Array(gradients[..<actorCount]), maxNorm: config.maxGradientNorm).clipped)
    actors = Self.rebuild(actors, from: θ)
    var φ = critic.parameters
    criticOptimizer.update(&φ, along: clipByGlobalNorm(Array(gradients[actorCount...]), maxNorm: config.maxGradientNorm).clipped)
    critic.parameters = φ

    // MARK: - Refresh the target critic
    iterations += 1
    if iterations % config.targetUpdateInterval == 0 { targetCritic = critic }
    return COMAReport(
      episodeReturns: batch.episodeReturns, policyLoss: loss!.policy.scalar, criticLoss: loss!.value.scalar,
      entropy: loss!.entropy.scalar)
  }

  // MARK: - Evaluation

  /// The mean undiscounted return of m fresh episodes with the current (stochastic) policies, and its
  /// standard error. The episodes run side by side, one batched forward pass per step.
  public func evaluate(episodes m: Int, using rng: inout RandomGenerator) -> (mean: Double, standardError: Double) {
    ensure(m >= 2, "COMA.evaluate: needs at least 2 episodes, got \(m)")
    let returns = collectEpisodes(count: m, using: &rng).episodeReturns  // all m side by side
    return meanAndStandardError(returns)
  }

  // MARK: - Plumbing

  /// Actors with their parameters replaced by consecutive pieces of θ.
  private static func rebuild(_ actors: [MLP], from θ: [Tensor]) -> [MLP] {
    var start = 0
    return actors.map { actor in
      let count = actor.parameters.count
      defer { start += count }
      return actor.with(parameters: Array(θ[start..<(start + count)]))
    }
  }

  /// A batch of whole episodes, laid out episode after episode, step after step, agent-minor.
  private struct EpisodeBatch {
    var states: [Double] = [], observations: [Double] = [], available: [Bool] = []
    var actions: [Int] = [], lastActions: [Int] = []
    var rewards: [Double] = [], ends: [StepEnd] = []
    var episodeReturns: [Double] = []
    /// The rows (steps) at which an episode was truncated, and for each the critic rows of the state
    /// it was cut at with a freshly sampled joint action, to bootstrap Q̄(s_T, u_T).
    var truncatedRows: [Int] = []
    var bootstrapRows: [(rows: Tensor, actions: [Int])] = []
  }

  /// Runs `count` episodes (default: ``COMAConfig/episodesPerIteration``) side by side to their ends.
  private func collectEpisodes(count: Int? = nil, using rng: inout RandomGenerator) -> EpisodeBatch {
    let n = environment.agentCount, E = count ?? config.episodesPerIteration
    var envs = environment.freshCopies(E, using: &rng)
    // Per episode: its steps' records, in order.
    var perEpisode = [EpisodeBatch](repeating: EpisodeBatch(), count: E)
    var last = [[Int]](repeating: [Int](repeating: -1, count: n), count: E)
    var running = Array(0..<E)
    var returns = [Double](repeating: 0, count: E)
    while !running.isEmpty {
      let observations = running.flatMap { envs[$0].jointObservation }
      let available = running.flatMap { e in (0..<n).flatMap { envs[e].availableActions(of: $0) } }
      let π = withoutGradients {
        policy(Tensor(shape: [running.count * n, environment.observationSize], scalars: observations), available: available)
      }
      let actions = π.sample(using: &rng)  // uᵃ ∼ πᵃ(·|oᵃ), decentralised
      var still: [Int] = []
      for (k, e) in running.enumerated() {
        let u = Array(actions[(k * n)..<((k + 1) * n)])
        perEpisode[e].states += envs[e].state
        perEpisode[e].observations +=
          observations[(k * n * environment.observationSize)..<((k + 1) * n * environment.observationSize)]
        perEpisode[e].available += available[(k * n * environment.actionCount)..<((k + 1) * n * environment.actionCount)]
        perEpisode[e].actions += u
        perEpisode[e].lastActions += last[e]
        let (r, end) = envs[e].step(u, using: &rng)
        perEpisode[e].rewards.append(r)
        perEpisode[e].ends.append(end)
        returns[e] += r
        last[e] = u
        if end.endsEpisode { perEpisode[e].episodeReturns = [returns[e]] } else { still.append(e) }
      }
      running = still
    }
    // Concatenate the episodes; for truncated ones, sample the next joint action at the cut state.
    var batch = EpisodeBatch()
    for e in 0..<E {
      let episode = perEpisode[e]
      batch.states += episode.states
      batch.observations += episode.observations
      batch.available += episode.available
      batch.actions += episode.actions
      batch.lastActions += episode.lastActions
      batch.rewards += episode.rewards
      batch.ends += episode.ends
      batch.episodeReturns += episode.episodeReturns
      if episode.ends.last == .truncated {
        batch.truncatedRows.append(batch.rewards.count - 1)
        let o = envs[e].jointObservation
        let available = (0..<n).flatMap { envs[e].availableActions(of: $0) }
        let u = withoutGradients { policy(Tensor(shape: [n, environment.observationSize], scalars: o), available: available) }
          .sample(using: &rng)
        let rows = critic.input.rows(states: envs[e].state, observations: o, jointActions: u, lastJointActions: last[e])
        batch.bootstrapRows.append((rows, u))
      }
    }
    return batch
  }
}
