import Autodiff

/// The deterministic policy gradient of agent i through a centralised action-value function:
///
///     ∇_θⁱ J ≈ Σ_s w_s ∇_θⁱ μⁱ(oⁱ_s) ∇_{aⁱ} Q(x_s, a¹_s, …, aⁿ_s) |_{aⁱ = μⁱ(oⁱ_s)}
///
/// computed by differentiating Σ_s w_s Q(x_s, a_s) with respect to θⁱ after replacing column i of the
/// actions by μⁱ(oⁱ) (the chain rule does the rest). The other agents' actions are taken as given:
/// from the replay buffer in MADDPG, or the current policies' actions for the exact gradient.
///
/// - Parameters:
///   - agent: i.
///   - actor: μⁱ, a `Linear` layer from agent i's observation [S, 1] to its action [S, 1].
///   - observations: x [S, n], column j holding agent j's (scalar) observation oʲ.
///   - actions: a [S, n]; column i is replaced by μⁱ(oⁱ).
///   - weights: w [S], e.g. 1/S for a sample mean, or quadrature weights.
///   - q: Q(x [S, n], a [S, n]) → [S], differentiable in a.
/// - Returns: the gradient for each of μⁱ's parameters (its weight and bias).
///
/// Source: Silver et al., "Deterministic Policy Gradient Algorithms" (ICML 2014), Theorem 1; Lowe et
/// al., "Multi-Agent Actor-Critic for Mixed Cooperative-Competitive Environments" (NeurIPS 2017), eq. (6).
public func deterministicPolicyGradient(
  of agent: Int, actor: Linear, observations x: Tensor, actions a: Tensor, weights w: Tensor, q: (Tensor, Tensor) -> Tensor
) -> [Tensor] {
  let (S, n) = (x.shape[0], x.shape[1])
  ensure(
    x.rank == 2 && a.shape == [S, n] && w.shape == [S] && agent >= 0 && agent < n,
    "deterministicPolicyGradient: expects x [S, n], a [S, n], w [S], 0 ≤ agent < n, got \(x.shape), \(a.shape), \(w.shape), agent \(agent)"
  )
  return actor.valueWithGradients { μ in
    // snippet: maddpg-actor-gradient
    let ownAction = μ(x.slice(agent..<(agent + 1), alongAxis: 1))  // aⁱ = μⁱ(oⁱ), [S, 1]
    let columns = (0..<n).map { j in j == agent ? ownAction : a.slice(j..<(j + 1), alongAxis: 1).detached }
    let joint = Tensor(concatenating: columns, alongAxis: 1)  // (a¹, …, μⁱ(oⁱ), …, aⁿ)
    return (q(x, joint) * w).sum()  // its gradient in θⁱ is Σ_s w_s ∇μⁱ ∇_{aⁱ}Q
    // end snippet
  }.gradients
}

/// MADDPG's settings for the one-step ``QuadraticTeamGame``.
///
/// Every episode is one step, so the critic's target is the reward itself, y = r: the target networks
/// and the discount of Algorithm 1 have nothing to do and are left out.
public struct MADDPGConfig: Sendable {
  /// One-step episodes played (and stored) per iteration.
  public var episodesPerIteration = 32
  /// The replay buffer keeps the most recent this many transitions.
  public var replayCapacity = 2048
  /// Minibatch size for each critic and actor step.
  public var batchSize = 64
  /// Critic steps per iteration (each agent's critic).
  public var criticSteps = 4
  /// Iterations at the start in which only the critics learn (the actors wait for a useful Q),
  /// like the `learning_starts` of DDPG implementations.
  public var warmupIterations = 20
  /// Hidden layer sizes of each critic Qᵢ(o¹, o², a¹, a²).
  public var criticHidden = [32, 32]
  /// Adam step sizes.
  public var actorLearningRate = 1.5e-2, criticLearningRate = 1e-2
  /// The standard deviation of the Gaussian exploration noise added to μⁱ(oⁱ).
  public var explorationStd = 0.3
  /// The actors' initial (w, b) per agent: aⁱ = wⁱoⁱ + bⁱ.
  public var initialWeights = [-0.5, 1.2], initialBiases = [0.4, -0.3]

  /// The defaults above.
  public init() {}
}

/// MADDPG on the two-agent ``QuadraticTeamGame``: decentralised linear actors μⁱ(oⁱ) = wⁱoⁱ + bⁱ and,
/// for each agent, a centralised critic Qᵢ(o¹, o², a¹, a²) learned from a replay buffer.
///
/// Source: Lowe et al. (NeurIPS 2017), Algorithm 1.
public struct MADDPG {
  /// The configuration.
  public let config: MADDPGConfig
  /// The game.
  public let game: QuadraticTeamGame
  /// μⁱ, one `Linear(1 → 1)` per agent.
  public private(set) var actors: [Linear]
  /// Qᵢ, one MLP [4 → hidden → 1] per agent.
  public private(set) var critics: [MLP]
  private var actorOptimizers: [Adam], criticOptimizers: [Adam]
  private var replay: [(o: [Double], a: [Double], r: Double)] = []
  private var nextSlot = 0
  /// The iterations done so far.
  public private(set) var iterations = 0

  /// Fresh actors at the configured start and fresh critics drawn from `rng`.
  public init(config: MADDPGConfig = MADDPGConfig(), game: QuadraticTeamGame = QuadraticTeamGame(), rng: inout RandomGenerator) {
    self.config = config
    self.game = game
    actors = (0..<2).map { i in
      var μ = Linear(inputSize: 1, outputSize: 1, rng: &rng)
      μ.parameters = [Tensor(shape: [1, 1], scalars: [config.initialWeights[i]]), Tensor([config.initialBiases[i]])]
      return μ
    }
    critics = (0..<2).map { _ in MLP(sizes: [4] + config.criticHidden + [1], activation: .tanh, rng: &rng) }
    actorOptimizers = (0..<2).map { _ in Adam(learningRate: config.actorLearningRate) }
    criticOptimizers = (0..<2).map { _ in Adam(learningRate: config.criticLearningRate) }
  }

  /// The actors' current (w, b), each [2].
  public var policy: (weights: [Double], biases: [Double]) {
    (actors.map { $0.parameters[0].scalar }, actors.map { $0.parameters[1].scalar })
  }

  /// J(w, b) of the current actors, exactly (closed form).
  public var expectedReward: Double { game.expectedReward(weights: policy.weights, biases: policy.biases) }

  /// Qᵢ(x, a) for a batch: x [S, 2], a [S, 2] → [S].
  public func criticValue(of i: Int, observations x: Tensor, actions a: Tensor) -> Tensor {
    critics[i](Tensor(concatenating: [x, a], alongAxis: 1)).reshaped([-1])
  }

  /// One iteration of Algorithm 1: act with exploration and store, then update every critic and
  /// every actor on minibatches from the replay buffer.
  public mutating func iterate(using rng: inout RandomGenerator) {
    // MARK: - Act with exploration noise, store in the replay buffer
    for _ in 0..<config.episodesPerIteration {
      let o = game.sampleSignals(using: &rng)
      let a = (0..<2).map { i in policy.weights[i] * o[i] + policy.biases[i] + rng.normal(std: config.explorationStd) }
      let transition = (o: o, a: a, r: game.reward(signals: o, actions: a))
      if replay.count < config.replayCapacity { replay.append(transition) } else { replay[nextSlot] = transition }
      nextSlot = (nextSlot + 1) % config.replayCapacity
    }
    for i in 0..<2 {
      // MARK: - Update the centralised critic Qᵢ: minimise (Qᵢ(x, a) − y)², y = r
      for _ in 0..<config.criticSteps {
        let (x, a, y) = minibatch(using: &rng)
        let (_, gradients) = critics[i].valueWithGradients { q in
          (q(Tensor(concatenating: [x, a], alongAxis: 1)).reshaped([-1]) - y).squared().mean()
        }
        criticOptimizers[i].update(&critics[i], along: gradients)
      }
      // MARK: - Update the actor μⁱ along the sampled deterministic policy gradient (ascent)
      if iterations < config.warmupIterations { continue }
      let (x, a, _) = minibatch(using: &rng)
      let S = x.shape[0]
      let critic = critics[i]
      let ascent = deterministicPolicyGradient(
        of: i, actor: actors[i], observations: x, actions: a, weights: Tensor(repeating: 1 / Double(S), shape: [S])
      ) { x, a in critic(Tensor(concatenating: [x, a], alongAxis: 1)).reshaped([-1]) }
      actorOptimizers[i].update(&actors[i], along: ascent.map { -$0 })  // descent on −J
    }
    iterations += 1
  }

  /// A minibatch (x [S, 2], a [S, 2], r [S]) drawn uniformly with replacement from the replay buffer.
  private func minibatch(using rng: inout RandomGenerator) -> (Tensor, Tensor, Tensor) {
    let picks = (0..<config.batchSize).map { _ in replay[rng.integer(below: replay.count)] }
    return (
      Tensor(shape: [picks.count, 2], scalars: picks.flatMap(\.o)), Tensor(shape: [picks.count, 2], scalars: picks.flatMap(\.a)),
      Tensor(picks.map(\.r))
    )
  }
}
