import Autodiff

/// What one step of E parallel environments with n agents adds to a rollout.
///
/// Per-agent arrays are agent-minor within each environment: entry e·n + i is agent i of environment e.
public struct RolloutStep {
  /// oⁱ_t, flattened: [E·n·d].
  public var observations: [Double]
  /// The critic inputs (oⁱ_t or s_t), flattened: [E·n·c].
  public var criticInputs: [Double]
  /// Which actions were available, flattened: [E·n·K] (all true without constraints).
  public var availableActions: [Bool]
  /// aⁱ_t: [E·n].
  public var actions: [Int]
  /// log π_old(aⁱ_t|oⁱ_t) at collection: [E·n].
  public var logProbabilities: [Double]
  /// Vⁱ(cⁱ_t) at collection: [E·n].
  public var values: [Double]
  /// The shared reward r_t of each environment: [E].
  public var rewards: [Double]
  /// How each environment's step ended: [E].
  public var ends: [StepEnd]
  /// Vⁱ(cⁱ_{t+1}) of the state an episode was *truncated* at, [E·n]; read only for truncated
  /// environments (nil when no environment was truncated).
  public var finalValues: [Double]?

  /// A step's records; see the properties for the shapes.
  public init(
    observations: [Double], criticInputs: [Double], availableActions: [Bool], actions: [Int], logProbabilities: [Double],
    values: [Double], rewards: [Double], ends: [StepEnd], finalValues: [Double]? = nil
  ) {
    self.observations = observations
    self.criticInputs = criticInputs
    self.availableActions = availableActions
    self.actions = actions
    self.logProbabilities = logProbabilities
    self.values = values
    self.rewards = rewards
    self.ends = ends
    self.finalValues = finalValues
  }
}

/// The on-policy storage of IA2C, IPPO, MAA2C and MAPPO: T steps of E environments with n agents.
///
/// Rows are laid out time-major, then environment, then agent: row r = (t·E + e)·n + i. So the flat
/// batch of T·E·n rows is agent-minor, the layout of ``appendingAgentIDs(_:agentCount:)`` and
/// ``applyPerAgent(_:to:agentCount:_:)``. Each (environment, agent) pair is one sequence for GAE: the
/// shared reward r_t and end of its environment, with that agent's own values Vⁱ.
///
/// Source: the `SharedReplayBuffer` of marlbenchmark/on-policy (Yu et al., NeurIPS 2022), laid out
/// [T, E, n, ·]; its `compute_returns` is GAE per agent.
public struct MultiAgentRolloutBuffer {
  /// n, E, d, c, K.
  public let agentCount: Int, environmentCount: Int, observationSize: Int, criticInputSize: Int, actionCount: Int
  /// The records, in the order they were appended.
  public private(set) var steps: [RolloutStep] = []
  /// Vⁱ(cⁱ_T), the value of the state after the last step, [E·n] (set by ``finish(lastValues:)``).
  public private(set) var lastValues: [Double]?

  /// An empty buffer for n agents in E environments.
  public init(agentCount n: Int, environmentCount E: Int, observationSize d: Int, criticInputSize c: Int, actionCount K: Int) {
    agentCount = n
    environmentCount = E
    observationSize = d
    criticInputSize = c
    actionCount = K
  }

  /// T, the number of steps stored.
  public var length: Int { steps.count }
  /// T·E·n, the number of rows.
  public var rowCount: Int { steps.count * environmentCount * agentCount }

  /// Appends one step of every environment, checking every array's length.
  public mutating func append(_ step: RolloutStep) {
    let (n, E) = (agentCount, environmentCount)
    ensure(
      step.observations.count == E * n * observationSize,
      "MultiAgentRolloutBuffer.append: observations has \(step.observations.count) values, expected E·n·d = \(E * n * observationSize)"
    )
    ensure(
      step.criticInputs.count == E * n * criticInputSize,
      "MultiAgentRolloutBuffer.append: criticInputs has \(step.criticInputs.count) values, expected E·n·c = \(E * n * criticInputSize)"
    )
    ensure(
      step.availableActions.count == E * n * actionCount,
      "MultiAgentRolloutBuffer.append: availableActions has \(step.availableActions.count) values, expected E·n·K = \(E * n * actionCount)"
    )
    ensure(
      [step.actions.count, step.logProbabilities.count, step.values.count].allSatisfy { $0 == E * n },
      "MultiAgentRolloutBuffer.append: actions, logProbabilities, values need E·n = \(E * n) entries, got \(step.actions.count), \(step.logProbabilities.count), \(step.values.count)"
    )
    ensure(
      step.rewards.count == E && step.ends.count == E,
      "MultiAgentRolloutBuffer.append: rewards and ends need E = \(E) entries, got \(step.rewards.count), \(step.ends.count)")
    ensure(
      !step.ends.contains(.truncated) || step.finalValues?.count == E * n,
      "MultiAgentRolloutBuffer.append: a truncated environment needs finalValues with E·n = \(E * n) entries")
    ensure(lastValues == nil, "MultiAgentRolloutBuffer.append: the rollout is finished; call reset() first")
    steps.append(step)
  }

  /// Closes the rollout with Vⁱ(cⁱ_T) for every environment and agent, [E·n].
  public mutating func finish(lastValues: [Double]) {
    ensure(
      lastValues.count == environmentCount * agentCount,
      "MultiAgentRolloutBuffer.finish: lastValues needs E·n = \(environmentCount * agentCount) entries, got \(lastValues.count)")
    self.lastValues = lastValues
  }

  /// Empties the buffer for the next rollout.
  public mutating func reset() {
    steps.removeAll(keepingCapacity: true)
    lastValues = nil
  }

  // MARK: - Advantages

  /// GAE(γ, λ) advantages Â and λ-returns Â + V for every row, each [T·E·n], computed per
  /// (environment, agent) sequence with ``generalizedAdvantages(rewards:values:nextValues:ends:gamma:lambda:)``.
  public func advantagesAndReturns(gamma γ: Double, lambda λ: Double) -> (advantages: [Double], returns: [Double]) {
    guard let lastValues else { fatalError("MultiAgentRolloutBuffer.advantagesAndReturns: call finish(lastValues:) first") }
    let (T, E, n) = (length, environmentCount, agentCount)
    var advantages = [Double](repeating: 0, count: T * E * n)
    for e in 0..<E {
      let rewards = steps.map { $0.rewards[e] }
      let ends = steps.map { $0.ends[e] }
      for i in 0..<n {
        let column = e * n + i
        let values = steps.map { $0.values[column] }
        var finals: [Int: Double] = [:]
        for t in 0..<T where ends[t] == .truncated { finals[t] = steps[t].finalValues![column] }
        let next = nextValues(values: values, ends: ends, lastValue: lastValues[column], finalValues: finals)
        let Â = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: λ)
        for t in 0..<T { advantages[(t * E) * n + column] = Â[t] }
      }
    }
    let values = steps.flatMap(\.values)
    return (advantages, zip(advantages, values).map { $0 + $1 })
  }

  // MARK: - The batch as tensors

  /// oⁱ_t for every row, [T·E·n, d].
  public var observationBatch: Tensor { Tensor(shape: [rowCount, observationSize], scalars: steps.flatMap(\.observations)) }
  /// cⁱ_t for every row, [T·E·n, c].
  public var criticInputBatch: Tensor { Tensor(shape: [rowCount, criticInputSize], scalars: steps.flatMap(\.criticInputs)) }
  /// The availability masks, [T·E·n·K] (row-major over [T·E·n, K]).
  public var availableActionBatch: [Bool] { steps.flatMap(\.availableActions) }
  /// aⁱ_t for every row, [T·E·n].
  public var actionBatch: [Int] { steps.flatMap(\.actions) }
  /// log π_old(aⁱ_t|oⁱ_t) for every row, [T·E·n].
  public var logProbabilityBatch: Tensor { Tensor(steps.flatMap(\.logProbabilities)) }
  /// Vⁱ at collection for every row, [T·E·n].
  public var valueBatch: Tensor { Tensor(steps.flatMap(\.values)) }
}
