import Autodiff

/// Centralised training of decentralised utilities on a one-step cooperative matrix game.
///
/// With one state and no observations, each agent's network reduces to a table of utilities Q_a(u_a)
/// (the output bias of its Q-network). Every episode is one joint action and ends at once, so the TD
/// target is the reward itself, y = r (the bootstrap term of ``doubleQTarget`` vanishes). The learner
/// regresses the mixer's value(s) on y, or runs QTRAN's three losses, with Adam.
///
/// Two ways to visit joint actions:
/// - ``trainUniform(steps:)``: every update uses all joint actions with equal weight, which is the
///   expected loss under uniform visitation, exactly and without sampling noise;
/// - ``trainSampled(steps:exploration:evaluationInterval:rng:)``: agents act ε-greedily (or uniformly),
///   episodes go into a replay buffer, and each update uses a sampled minibatch, as in pymarl.
public struct MatrixGameLearner {
  /// The game being learned.
  public let game: MatrixGame
  /// The method and its settings.
  public let config: MatrixGameLearnerConfig
  /// Q_a(u_a) for each agent, each a trainable [|A_a|] tensor.
  public private(set) var utilities: [Tensor]
  /// The mixer (IQL: independent; VDN: sum; QMIX: hypernetwork; QTRAN: the sum Σᵢ Qᵢ that its conditions use).
  public private(set) var mixer: any Mixer
  /// QTRAN's Q_jt and V_jt networks (nil for the other methods).
  public private(set) var qtran: QTRAN?
  /// The number of gradient updates so far.
  public private(set) var updates = 0
  /// Adam's current step size α (starts at `config.learningRate`; lower it to settle a run).
  public var learningRate: Double {
    get { optimizer.learningRate }
    set { optimizer.learningRate = newValue }
  }
  private var optimizer: Adam
  private var replay: [Int] = []  // flat joint-action indices; the reward is the game's payoff
  private var replayNext = 0

  /// A learner with fresh random utilities and networks.
  public init(game: MatrixGame, config: MatrixGameLearnerConfig, rng: inout RandomGenerator) {
    self.game = game
    self.config = config
    let n = game.actionCounts.count
    utilities = game.actionCounts.map { count in
      Tensor(shape: [count], scalars: rng.normal([count], std: config.initialUtilityScale).scalars, requiresGradient: true)
    }
    switch config.method {
    case .iql: mixer = IndependentMixer(agentCount: n)
    case .vdn: mixer = VDNMixer(agentCount: n)
    case .qmix: mixer = QMixMixer(agentCount: n, stateSize: config.stateSize, config: config.qmix, rng: &rng)
    case .qtran:
      mixer = VDNMixer(agentCount: n)
      qtran = QTRAN(actionCounts: game.actionCounts, stateSize: config.stateSize, config: config.qtran, rng: &rng)
    }
    optimizer = Adam(learningRate: config.learningRate)
  }

  // MARK: - Acting (decentralised)

  /// Q_a(u_a) for every agent and action, shape [n][|A_a|].
  public var utilityTables: [[Double]] { utilities.map(\.scalars) }

  /// ū: each agent's own greedy action (lowest index on ties).
  public var greedyJointAction: [Int] { utilities.map { $0.argmax()[0] } }

  /// R(ū), the return of the greedy joint policy (the game is deterministic).
  public var greedyReturn: Double { game.payoff(greedyJointAction) }

  /// A joint action where each agent, independently, is ε-greedy on its own utilities.
  public func act(epsilon ε: Double, rng: inout RandomGenerator) -> [Int] {
    utilities.map { epsilonGreedyAction($0.scalars, epsilon: ε, rng: &rng) }
  }

  // MARK: - Reading the learned values

  /// The value the method learns for every joint action, in flat-index order: Q_tot for VDN and QMIX,
  /// Q_jt for QTRAN, and Σₐ Q_a for IQL (whose agents learn no joint value).
  public var jointValueTable: [Double] {
    let all = game.allJointActions
    return withoutGradients {
      if let qtran { return qtran.jointValue(states: states(all.count), actions: all).scalars }
      if config.method == .iql { return utilitySumTable }
      return mixer(chosenUtilities(all), states: states(all.count)).scalars
    }
  }

  /// Σₐ Q_a(u_a) for every joint action, in flat-index order.
  public var utilitySumTable: [Double] {
    game.allJointActions.map { u in u.enumerated().reduce(0) { $0 + utilities[$1.offset].scalars[$1.element] } }
  }

  /// QTRAN's V_jt(s) (nil for the other methods).
  public var stateValue: Double? {
    qtran.map { network in withoutGradients { network.stateValue(states: states(1)).scalar } }
  }

  // MARK: - Learning

  /// One Adam step on the loss over the given joint actions (flat indices, repeats allowed), with
  /// targets y = R(u). Returns the loss before the step.
  @discardableResult
  public mutating func update(on jointActions: [Int]) -> Double {
    let actions = jointActions.map(game.jointActionComponents)
    let targets = Tensor(jointActions.map { game.payoff[$0] })
    let parameterCounts = [utilities.count, mixer.parameters.count, qtran?.parameters.count ?? 0]
    let θ = utilities + mixer.parameters + (qtran?.parameters ?? [])
    let (loss, gradients) = valueWithGradients(at: θ) { θ in
      var copy = self
      copy.setParameters(θ, counts: parameterCounts)
      return copy.loss(actions: actions, targets: targets)
    }
    // Adam is elementwise, so one step on θ laid end to end as a vector is the same step as one per
    // tensor, with a dozen tensor ops instead of a dozen per tensor.
    var vector = [Tensor(flattenScalars(θ))]
    optimizer.update(&vector, along: [Tensor(flattenScalars(gradients))])
    var offset = 0
    let next = θ.map { t in
      defer { offset += t.count }
      return Tensor(shape: t.shape, scalars: Array(vector[0].scalars[offset..<(offset + t.count)]), requiresGradient: true)
    }
    setParameters(next, counts: parameterCounts)
    updates += 1
    return loss.scalar
  }

  /// `steps` updates, each on every joint action once: the exact expected loss of uniform visitation.
  /// Returns the last loss.
  @discardableResult
  public mutating func trainUniform(steps: Int) -> Double {
    let all = Array(game.payoff.indices)
    var last = 0.0
    for _ in 0..<steps { last = update(on: all) }
    return last
  }

  /// Sampled training: at each of `steps` steps, play one episode with the exploration rule, store it,
  /// and (once the buffer holds a batch) update on a minibatch drawn uniformly from the buffer.
  ///
  /// - Returns: the greedy return R(ū) after every `evaluationInterval` steps (and at step 0).
  @discardableResult
  public mutating func trainSampled(
    steps: Int, exploration: Exploration, evaluationInterval: Int, rng: inout RandomGenerator
  ) -> [Double] {
    ensure(evaluationInterval >= 1, "trainSampled: evaluationInterval must be ≥ 1, got \(evaluationInterval)")
    var curve = [greedyReturn]
    for t in 0..<steps {
      // MARK: Collect one episode
      let u = act(epsilon: exploration.epsilon(at: t), rng: &rng)
      // MARK: Store it
      if replay.count < config.bufferSize {
        replay.append(game.jointActionIndex(u))
      } else {
        replay[replayNext] = game.jointActionIndex(u)
      }
      replayNext = (replayNext + 1) % config.bufferSize
      // MARK: Update on a minibatch
      if replay.count >= config.batchSize {
        update(on: (0..<config.batchSize).map { _ in replay[rng.integer(below: replay.count)] })
      }
      if (t + 1) % evaluationInterval == 0 { curve.append(greedyReturn) }
    }
    return curve
  }

  // MARK: - The loss

  /// The regression loss of the mixer's values on y, or QTRAN's L_td + λ_opt L_opt + λ_nopt L_nopt.
  ///
  /// The game has one state, so the state-conditioned networks run once, on a single row, and their
  /// outputs are shared by the whole batch (the same values as on B identical rows, for less work).
  private func loss(actions: [[Int]], targets: Tensor) -> Tensor {
    let batch = actions.count
    let chosen = chosenUtilities(actions)  // [B, n]
    guard let qtran else {
      let values = mixer(chosen, states: states(1))  // [B, K]
      return (values - targets.reshaped([batch, 1])).squared().mean()
    }
    // ū is the same for every sample (one state): Q_jt at the B taken actions and at ū in one pass.
    let greedy = greedyJointAction
    let joint = qtran.jointValue(states: states(batch + 1), actions: actions + [greedy])  // [B + 1]
    let shared = [batch]
    return QTRAN.losses(
      utilitySum: chosen.sum(alongAxes: [1]),
      greedyUtilitySum: chosenUtilities([greedy]).sum().broadcast(to: shared),
      jointValue: joint.slice(0..<batch), greedyJointValue: joint.slice(batch..<(batch + 1)).broadcast(to: shared),
      stateValue: qtran.stateValue(states: states(1)).broadcast(to: shared), targets: targets, config: qtran.config
    ).total
  }

  /// [Q₁(u₁), …, Qₙ(uₙ)] for each joint action: [B, n], differentiable in the utilities.
  private func chosenUtilities(_ actions: [[Int]]) -> Tensor {
    let columns = utilities.indices.map { a in
      Tensor.oneHot(actions.map { $0[a] }, depth: utilities[a].count).matmul(utilities[a].reshaped([utilities[a].count, 1]))
    }
    return Tensor(concatenating: columns, alongAxis: 1)
  }

  /// B copies of the constant state, ones(S): [B, S].
  private func states(_ batch: Int) -> Tensor { Tensor.ones([batch, config.stateSize]) }

  /// Splits a flat parameter list back into utilities, mixer and QTRAN parameters.
  private mutating func setParameters(_ θ: [Tensor], counts: [Int]) {
    utilities = Array(θ[0..<counts[0]])
    mixer.parameters = Array(θ[counts[0]..<(counts[0] + counts[1])])
    if counts[2] > 0 { qtran!.parameters = Array(θ[(counts[0] + counts[1])...]) }
  }
}
