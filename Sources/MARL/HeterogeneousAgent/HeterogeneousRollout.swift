import Autodiff

/// One agent's rows of a rollout: what its sequential update needs.
struct AgentBatch {
  /// oⁱ for the agent's rows, [B, d].
  let observations: Tensor
  /// Availability masks [B·K], or nil when every action was available.
  let available: [Bool]?
  /// aⁱ, [B].
  let actions: [Int]
  /// log π_old(aⁱ|oⁱ), [B].
  let oldLogProbabilities: Tensor
}

/// A collected rollout, laid out by joint step: Â and the λ-returns once per joint step, and each
/// agent's own rows.
struct SequentialRollout {
  /// Per agent: its rows.
  let agents: [AgentBatch]
  /// Â(s, a) per joint step, [B] (standardised if asked).
  let advantages: [Double]
  /// λ-returns per joint step (the critic's targets), [B].
  let returns: [Double]
  /// s per joint step, [B, c].
  let states: Tensor
  /// The undiscounted returns of episodes that ended during the rollout.
  let episodeReturns: [Double]
}

/// Runs T steps of E environments with the current policies (each agent samples from its own actor)
/// and computes the joint advantages with GAE from the centralised critic.
///
/// Source: Kuba et al. (ICLR 2022), Algorithms 2–3, lines 4–7.
func collectSequentialRollout<Environment: CooperativeEnvironment>(
  networks: HeterogeneousActorCritic, environments: inout [Environment], runningReturns: inout [Double],
  config: SequentialTrainingConfig, rng: inout RandomGenerator
) -> SequentialRollout {
  let n = networks.agentCount, E = environments.count
  let d = environments[0].observationSize, c = environments[0].stateSize, K = environments[0].actionCount
  var buffer = MultiAgentRolloutBuffer(agentCount: n, environmentCount: E, observationSize: d, criticInputSize: c, actionCount: K)
  var finished: [Double] = []
  // MARK: - Collect rollouts
  for _ in 0..<config.rolloutLength {
    let observations = environments.flatMap(\.jointObservation)  // [E·n·d], agent-minor
    let states = environments.flatMap(\.state)  // [E·c]
    let available = environments.flatMap { env in (0..<n).flatMap { env.availableActions(of: $0) } }
    var actions = [Int](repeating: 0, count: E * n), logProbabilities = [Double](repeating: 0, count: E * n)
    withoutGradients {
      for i in 0..<n {
        let rows = (0..<E).map { $0 * n + i }
        let o = Tensor(shape: [E, d], scalars: rows.flatMap { observations[($0 * d)..<(($0 + 1) * d)] })
        let mask = rows.flatMap { available[($0 * K)..<(($0 + 1) * K)] }
        let π = networks.policy(of: i, o, available: mask)
        let a = π.sample(using: &rng)  // aⁱ ∼ πⁱ(·|oⁱ), decentralised
        let logπ = π.logProbability(of: a).scalars
        for e in 0..<E {
          actions[e * n + i] = a[e]
          logProbabilities[e * n + i] = logπ[e]
        }
      }
    }
    let V = withoutGradients { networks.values(Tensor(shape: [E, c], scalars: states)).scalars }
    var rewards: [Double] = [], ends: [StepEnd] = []
    var finalValues: [Double]? = nil
    for e in 0..<E {
      let (r, end) = environments[e].step(Array(actions[(e * n)..<((e + 1) * n)]), using: &rng)
      rewards.append(r)
      ends.append(end)
      runningReturns[e] += r
      if end == .truncated {  // bootstrap from the state the episode was cut at
        if finalValues == nil { finalValues = [Double](repeating: 0, count: E * n) }
        let v = withoutGradients { networks.values(Tensor(shape: [1, c], scalars: environments[e].state)).scalars[0] }
        for i in 0..<n { finalValues![e * n + i] = v }
      }
      if end.endsEpisode {
        finished.append(runningReturns[e])
        runningReturns[e] = 0
        environments[e].reset(using: &rng)
      }
    }
    buffer.append(
      RolloutStep(
        observations: observations,
        criticInputs: (0..<E).flatMap { e in (0..<n).flatMap { _ in states[(e * c)..<((e + 1) * c)] } },
        availableActions: available, actions: actions, logProbabilities: logProbabilities,
        values: (0..<E).flatMap { e in [Double](repeating: V[e], count: n) }, rewards: rewards, ends: ends,
        finalValues: finalValues))
  }
  let lastStates = Tensor(shape: [E, c], scalars: environments.flatMap(\.state))
  let lastV = withoutGradients { networks.values(lastStates).scalars }
  buffer.finish(lastValues: (0..<E).flatMap { e in [Double](repeating: lastV[e], count: n) })

  // MARK: - Compute advantages (one joint Â per step: every agent's column holds the same V(s))
  let (advantagesPerRow, returnsPerRow) = buffer.advantagesAndReturns(gamma: config.gamma, lambda: config.lambda)
  let B = buffer.length * E
  var advantages = (0..<B).map { advantagesPerRow[$0 * n] }
  let returns = (0..<B).map { returnsPerRow[$0 * n] }
  if config.standardiseAdvantages { advantages = standardised(advantages) }
  let observationBatch = buffer.observationBatch.scalars, allAvailable = buffer.availableActionBatch
  let actionBatch = buffer.actionBatch, logProbabilityBatch = buffer.logProbabilityBatch.scalars
  let agents = (0..<n).map { i in
    let rows = (0..<B).map { $0 * n + i }
    let mask = rows.flatMap { allAvailable[($0 * K)..<(($0 + 1) * K)] }
    return AgentBatch(
      observations: Tensor(shape: [B, d], scalars: rows.flatMap { observationBatch[($0 * d)..<(($0 + 1) * d)] }),
      available: mask.allSatisfy { $0 } ? nil : mask, actions: rows.map { actionBatch[$0] },
      oldLogProbabilities: Tensor(rows.map { logProbabilityBatch[$0] }))
  }
  let states = Tensor(
    shape: [B, c],
    scalars: buffer.steps.flatMap { step in
      (0..<E).flatMap { e in step.criticInputs[(e * n * c)..<(e * n * c + c)] }
    })
  return SequentialRollout(agents: agents, advantages: advantages, returns: returns, states: states, episodeReturns: finished)
}

/// The critic's regression on the λ-returns, φ ← argmin (1/B) Σ (V_φ(s) − R̂)², a few Adam steps.
/// Source: Kuba et al. (ICLR 2022), Algorithms 2–3, the last line of the loop.
func updateCritic(
  _ networks: inout HeterogeneousActorCritic, optimizer: inout Adam, states: Tensor, returns: [Double],
  config: SequentialTrainingConfig
) {
  // MARK: - Update the critic
  for _ in 0..<config.criticEpochs {
    let (_, gradients) = networks.critic.valueWithGradients { critic in
      clippedValueLoss(values: critic(states).reshaped([-1]), oldValues: Tensor(returns), returns: Tensor(returns), clip: nil)
    }
    var φ = networks.critic.parameters
    optimizer.update(&φ, along: clipByGlobalNorm(gradients, maxNorm: config.maxGradientNorm).clipped)
    networks.critic.parameters = φ
  }
}
