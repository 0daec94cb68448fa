import Autodiff
import Foundation  // sqrt

/// What one iteration (collect, estimate, update) reports.
public struct MultiAgentPPOReport: Sendable {
  /// The undiscounted returns Σ_t r_t of the episodes that ended during the rollout.
  public let episodeReturns: [Double]
  /// L^π, L^V and H̄ of the last update step.
  public let policyLoss: Double, valueLoss: Double, entropy: Double
  /// The clip fraction and mean(r − 1 − log r) of the last update step (0 for A2C).
  public let clipFraction: Double, approximateKL: Double
}

/// IA2C, IPPO, MAA2C and MAPPO on any ``CooperativeEnvironment`` with discrete actions.
///
/// Each ``iterate(using:)`` runs the three phases of the papers' pseudocode: collect T steps of E
/// environments with the current policies (decentralised: agent i samples from πⁱ(·|oⁱ)); compute
/// GAE advantages and λ-returns per agent; update actors and critics on the batch.
///
/// Source: Yu et al. (NeurIPS 2022 D&B), Algorithm 1 (MAPPO); IPPO is the same loop with local critics.
public struct MultiAgentPPO<Environment: CooperativeEnvironment> {
  /// The configuration.
  public let config: MultiAgentPPOConfig
  /// The actors and critics.
  public private(set) var networks: MultiAgentActorCritic
  /// The E environments, each mid-episode.
  public private(set) var environments: [Environment]
  private var actorOptimizer: Adam
  private var criticOptimizer: Adam
  private var buffer: MultiAgentRolloutBuffer
  private var runningReturns: [Double]

  /// A learner with fresh networks and E copies of `environment`, each reset with `rng`.
  public init(config: MultiAgentPPOConfig, environment: Environment, rng: inout RandomGenerator) {
    let n = environment.agentCount
    let criticSize = config.criticInput == .globalState ? environment.stateSize : environment.observationSize
    self.config = config
    networks = MultiAgentActorCritic(
      agentCount: n, observationSize: environment.observationSize, criticInputSize: criticSize,
      actionCount: environment.actionCount, hidden: config.hidden, sharing: config.sharing, rng: &rng)
    environments = environment.freshCopies(config.environments, using: &rng)
    actorOptimizer = Adam(learningRate: config.actorLearningRate, epsilon: 1e-5)
    criticOptimizer = Adam(learningRate: config.criticLearningRate, epsilon: 1e-5)
    buffer = MultiAgentRolloutBuffer(
      agentCount: n, environmentCount: config.environments, observationSize: environment.observationSize,
      criticInputSize: criticSize, actionCount: environment.actionCount)
    runningReturns = [Double](repeating: 0, count: config.environments)
  }

  /// One iteration: collect a rollout, compute advantages, update. Returns what it saw.
  public mutating func iterate(using rng: inout RandomGenerator) -> MultiAgentPPOReport {
    let n = networks.agentCount, E = environments.count
    buffer.reset()
    var finished: [Double] = []

    // MARK: - Collect rollouts
    for _ in 0..<config.rolloutLength {
      let observations = environments.flatMap(\.jointObservation)
      let criticInputs = environments.flatMap(criticInputsOf)
      let available = environments.flatMap { env in (0..<n).flatMap { env.availableActions(of: $0) } }
      let (policy, values) = withoutGradients {
        (
          maskedPolicy(networks, Tensor(shape: [E * n, buffer.observationSize], scalars: observations), available),
          networks.values(Tensor(shape: [E * n, buffer.criticInputSize], scalars: criticInputs)).scalars
        )
      }
      let actions = policy.sample(using: &rng)  // aⁱ ∼ πⁱ(·|oⁱ), decentralised
      let logProbabilities = policy.logProbability(of: actions).scalars
      var rewards: [Double] = [], ends: [StepEnd] = []
      var finalInputs: [Double]? = nil
      for e in 0..<E {
        let (r, end) = environments[e].step(Array(actions[(e * n)..<((e + 1) * n)]), using: &rng)
        rewards.append(r)
        ends.append(end)
        runningReturns[e] += r
        if end == .truncated {  // bootstrap from the state the episode was cut at, before the reset
          if finalInputs == nil { finalInputs = [Double](repeating: 0, count: E * n * buffer.criticInputSize) }
          let c = criticInputsOf(environments[e])
          finalInputs!.replaceSubrange((e * c.count)..<((e + 1) * c.count), with: c)
        }
        if end.endsEpisode {
          finished.append(runningReturns[e])
          runningReturns[e] = 0
          environments[e].reset(using: &rng)
        }
      }
      let finalValues = finalInputs.map { inputs in
        withoutGradients { networks.values(Tensor(shape: [E * n, buffer.criticInputSize], scalars: inputs)).scalars }
      }
      buffer.append(
        RolloutStep(
          observations: observations, criticInputs: criticInputs, availableActions: available, actions: actions,
          logProbabilities: logProbabilities, values: values, rewards: rewards, ends: ends, finalValues: finalValues))
    }
    let lastInputs = Tensor(shape: [E * n, buffer.criticInputSize], scalars: environments.flatMap(criticInputsOf))
    buffer.finish(lastValues: withoutGradients { networks.values(lastInputs).scalars })

    // MARK: - Compute advantages
    var (advantages, returns) = buffer.advantagesAndReturns(gamma: config.gamma, lambda: config.lambda)
    if config.standardiseAdvantages { advantages = standardised(advantages) }

    // MARK: - Update
    let observations = buffer.observationBatch, criticInputs = buffer.criticInputBatch
    let available = buffer.availableActionBatch, actions = buffer.actionBatch
    let oldLogProbabilities = buffer.logProbabilityBatch, oldValues = buffer.valueBatch
    // A2C takes one gradient step on the whole rollout; PPO several epochs of minibatches.
    var (epochs, minibatches) = (config.epochs, config.minibatches)
    if case .a2c = config.objective { (epochs, minibatches) = (1, 1) }
    let groups = buffer.length * E  // joint steps; a minibatch holds whole ones
    var last: ActorCriticLoss? = nil
    for _ in 0..<epochs {
      var order = Array(0..<groups)
      if minibatches > 1 { order.shuffle(using: &rng) }
      for m in 0..<minibatches {
        let chosen = order[(m * groups / minibatches)..<((m + 1) * groups / minibatches)].sorted()
        let rows = chosen.flatMap { g in (g * n)..<((g + 1) * n) }
        let batch = (
          observations: selectRows(observations, rows), criticInputs: selectRows(criticInputs, rows),
          available: rows.flatMap { r in available[(r * networks.actionCount)..<((r + 1) * networks.actionCount)] },
          actions: rows.map { actions[$0] }, oldLogProbabilities: Tensor(rows.map { oldLogProbabilities.scalars[$0] }),
          oldValues: Tensor(rows.map { oldValues.scalars[$0] }), advantages: Tensor(rows.map { advantages[$0] }),
          returns: Tensor(rows.map { returns[$0] })
        )
        let objective = config.objective
        var loss: ActorCriticLoss? = nil
        let (_, gradients) = networks.valueWithGradients { net in
          let policy = maskedPolicy(net, batch.observations, batch.available)
          let logProbabilities = policy.logProbability(of: batch.actions)
          let values = net.values(batch.criticInputs)
          switch objective {
          case .ppoClip(let ppo):
            loss = ppoClipLoss(
              logProbabilities: logProbabilities, oldLogProbabilities: batch.oldLogProbabilities, advantages: batch.advantages,
              values: values, oldValues: batch.oldValues, returns: batch.returns, entropy: policy.entropy(), config: ppo)
          case .a2c(let a2c):
            loss = a2cLoss(
              logProbabilities: logProbabilities, advantages: batch.advantages, values: values, returns: batch.returns,
              entropy: policy.entropy(), config: a2c)
          }
          return loss!.total
        }
        let actorCount = networks.actorParameters.count
        let actorGradients = clipByGlobalNorm(Array(gradients[..<actorCount]), maxNorm: config.maxGradientNorm).clipped
        let criticGradients = clipByGlobalNorm(Array(gradients[actorCount...]), maxNorm: config.maxGradientNorm).clipped
        var θ = networks.actorParameters
        actorOptimizer.update(&θ, along: actorGradients)
        networks.actorParameters = θ
        var φ = networks.criticParameters
        criticOptimizer.update(&φ, along: criticGradients)
        networks.criticParameters = φ
        last = loss
      }
    }
    return MultiAgentPPOReport(
      episodeReturns: finished, policyLoss: last!.policy.scalar, valueLoss: last!.value.scalar, entropy: last!.entropy.scalar,
      clipFraction: last!.clipFraction, approximateKL: last!.approximateKL)
  }

  // MARK: - Evaluation

  /// The mean undiscounted return of `episodes` fresh episodes with the current (stochastic) policies,
  /// and its standard error. The episodes run side by side, one batched forward pass per step.
  public func evaluate(episodes m: Int, using rng: inout RandomGenerator) -> (mean: Double, standardError: Double) {
    ensure(m >= 2, "MultiAgentPPO.evaluate: needs at least 2 episodes, got \(m)")
    let n = networks.agentCount
    return evaluateSideBySide(environments[0], episodes: m, using: &rng) { envs, running, rng in
      let observations = running.flatMap { envs[$0].jointObservation }
      let available = running.flatMap { e in (0..<n).flatMap { envs[e].availableActions(of: $0) } }
      let policy = withoutGradients {
        maskedPolicy(networks, Tensor(shape: [running.count * n, buffer.observationSize], scalars: observations), available)
      }
      let actions = policy.sample(using: &rng)
      return running.indices.map { k in Array(actions[(k * n)..<((k + 1) * n)]) }
    }
  }

  // MARK: - Plumbing

  /// cⁱ for each agent of one environment, concatenated: oⁱ or s.
  private func criticInputsOf(_ env: Environment) -> [Double] {
    switch config.criticInput {
    case .localObservation: env.jointObservation
    case .globalState: (0..<env.agentCount).flatMap { _ in env.state }
    }
  }
}

/// The policies with unavailable actions given probability zero: their logits replaced by −10⁹.
/// `available` is [N·K] over rows of observations [N, d].
private func maskedPolicy(_ networks: MultiAgentActorCritic, _ observations: Tensor, _ available: [Bool])
  -> CategoricalDistribution
{
  maskedDistribution(networks.logits(observations), available: available)
}

/// The rows `rows` of a constant matrix x [N, k], as a constant [rows.count, k].
private func selectRows(_ x: Tensor, _ rows: [Int]) -> Tensor {
  let k = x.shape[1]
  return Tensor(shape: [rows.count, k], scalars: rows.flatMap { r in x.scalars[(r * k)..<((r + 1) * k)] })
}
