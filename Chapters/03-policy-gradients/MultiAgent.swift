// Sections 3.5–3.7: many agents (independent and centralised critics, parameter sharing with agent
// ids, the rollout buffer), Kuba et al.'s Proposition 1, and MADDPG on a continuous team game.

import Autodiff
import Foundation
import MARL
import Workbook

// MARK: - 3.5 Many agents

func multiAgentSection(_ page: Page) {
  page.prose(
    """
    With n agents, agent i acts on its own observation oⁱ with its own policy πⁱ(aⁱ|oⁱ): execution is \
    decentralised. Training need not be. The course's four on-policy actor-critics differ in two \
    switches, what the critic sees and which loss the actor follows:
    """)
  page.table(
    ["algorithm", "critic", "actor loss", "source"],
    rows: [
      ["IA2C", "Vⁱ(oⁱ), local", "A2C", "Papoudakis et al. (2021)"],
      ["IPPO", "Vⁱ(oⁱ), local", "PPO-clip", "de Witt et al. (2020)"],
      ["MAA2C", "V(s), centralised", "A2C", "Papoudakis et al. (2021)"],
      ["MAPPO", "V(s), centralised", "PPO-clip", "Yu et al. (2022)"],
    ])
  page.prose(
    """
    In the library the four are presets of one configuration (`MultiAgentPPOConfig.ia2c`, `.ippo`, \
    `.maa2c`, `.mappo`, each with separate or shared networks) run by one learner, `MultiAgentPPO`, whose \
    iteration has the papers' three phases: collect rollouts, compute advantages, update. Independent \
    learners treat the other agents as part of the environment; CTDE methods (centralised \
    training, decentralised execution) give the critic the global state s, which it only needs while \
    learning. Both use one ratio per agent and the shared advantage, here in MAPPO's form (as restated \
    by Kuba et al., 2022, eq. 5):
    """)
  page.equation(
    #"L(\theta) = \sum_{i=1}^{n} \mathbb{E}\left[\min\left(r^i \hat A,\ \operatorname{clip}(r^i, 1 \pm \epsilon)\, \hat A\right)\right], \qquad r^i = \frac{\pi^i_\theta(a^i \mid o^i)}{\pi^i_{\mathrm{old}}(a^i \mid o^i)}"#
  )
  page.prose(
    """
    **Parameter sharing.** MAPPO's reference implementation, and most value-based methods, use *one* \
    network for all agents (θⁱ = θ). That divides the parameter count by n and pools every agent's \
    experience into one set of weights. The gradient of a shared weight is the sum of what each \
    agent's copy would receive (the chain rule for a reused variable). But agents with the same \
    observation would then act alike, so each input carries a one-hot agent id. A batch of B joint \
    steps is laid out agent-minor, row b·n + i for agent i:
    """)
  page.code("agent-ids")
  var rng = RandomGenerator(seed: page.options.seed &+ 5)
  let n = 3
  let shared = MultiAgentActorCritic(
    agentCount: n, observationSize: 4, criticInputSize: 4, actionCount: 3, hidden: [8], sharing: .shared(agentIDs: true),
    rng: &rng)
  var copies = MultiAgentActorCritic(
    agentCount: n, observationSize: 4 + n, criticInputSize: 4, actionCount: 3, hidden: [8], sharing: .separate, rng: &rng)
  // n copies holding θ's values as separate variables (the same tensor reused would be one variable).
  copies.actorParameters = (0..<n).flatMap { _ in
    shared.actorParameters.map { Tensor(shape: $0.shape, scalars: $0.scalars, requiresGradient: true) }
  }
  let observations = rng.normal([2 * n, 4])
  let actions = (0..<(2 * n)).map { _ in rng.integer(below: 3) }
  let sharedGradient = valueWithGradients(at: shared.actorParameters) { θ in
    var net = shared
    net.actorParameters = θ
    return net.policy(observations).logProbability(of: actions).sum()
  }.gradients
  let copyGradients = valueWithGradients(at: copies.actorParameters) { θ in
    var net = copies
    net.actorParameters = θ
    return net.policy(appendingAgentIDs(observations, agentCount: n)).logProbability(of: actions).sum()
  }.gradients
  let k = shared.actorParameters.count
  let summed = (0..<k).map { p in (0..<n).map { copyGradients[p + $0 * k] }.dropFirst().reduce(copyGradients[p], +) }
  page.check(
    "∇θ of a shared actor = Σᵢ ∇θⁱ of \(n) separate copies tied to θ (inputs with ids, \(shared.actorParameters.reduce(0) { $0 + $1.count }) weights)",
    computed: sharedGradient.flatMap(\.scalars), expected: summed.flatMap(\.scalars), tolerance: 1e-12)
  // The id is what lets a shared network tell agents apart.
  let sameObservation = Tensor(shape: [n, 4], scalars: Array(repeating: rng.normal([4]).scalars, count: n).flatMap { $0 })
  let withIDs = shared.policy(sameObservation).probabilities.rows
  let noIDs = MultiAgentActorCritic(
    agentCount: n, observationSize: 4, criticInputSize: 4, actionCount: 3, hidden: [8], sharing: .shared(agentIDs: false),
    rng: &rng
  )
  .policy(sameObservation).probabilities.rows
  let spreadWith = (1..<n).map { i in zip(withIDs[i], withIDs[0]).map { abs($0 - $1) }.max()! }.max()!
  page.checkTrue(
    "\(n) agents, one observation: a shared actor with ids gives them different policies",
    holds: withIDs.joined().allSatisfy(\.isFinite) && spreadWith > 0, detail: "max |Δπ| \(sci(spreadWith))")
  page.check(
    "… and without ids identical ones", computed: noIDs[1...].flatMap { $0 },
    expected: Array(repeating: noIDs[0], count: n - 1).flatMap { $0 }, tolerance: 0)

  let environment = GridSpread()
  // A real rollout through the buffer: E environments × n agents, episodes ending and restarting inside it.
  page.prose(
    """
    **The rollout buffer** stores T steps of E environments with n agents, row (t·E + e)·n + i, and \
    computes GAE separately for every (environment, agent) sequence: the shared reward of its \
    environment with that agent's own values. A rollout of the experiment's grid task (section 8) with \
    untrained networks, 3 environments × 2 agents × 10 steps, episodes of \(environment.config.horizon) steps ending inside it:
    """)
  let E = 3, T = 10
  let net = MultiAgentActorCritic(
    agentCount: 2, observationSize: environment.observationSize, criticInputSize: environment.stateSize,
    actionCount: environment.actionCount,
    hidden: [16], sharing: .separate, rng: &rng)
  var environments = (0..<E).map { _ in
    var copy = environment
    copy.reset(using: &rng)
    return copy
  }
  var buffer = MultiAgentRolloutBuffer(
    agentCount: 2, environmentCount: E, observationSize: environment.observationSize, criticInputSize: environment.stateSize,
    actionCount: 5)
  func criticInputs() -> [Double] { environments.flatMap { env in env.state + env.state } }
  for _ in 0..<T {
    let o = environments.flatMap(\.jointObservation), c = criticInputs()
    let π = withoutGradients { net.policy(Tensor(shape: [E * 2, environment.observationSize], scalars: o)) }
    let v = withoutGradients { net.values(Tensor(shape: [E * 2, environment.stateSize], scalars: c)) }.scalars
    let a = π.sample(using: &rng)
    var rewards: [Double] = [], ends: [StepEnd] = []
    for e in 0..<E {
      let step = environments[e].step(Array(a[(2 * e)..<(2 * e + 2)]), using: &rng)
      rewards.append(step.reward)
      ends.append(step.end)
      if step.end.endsEpisode { environments[e].reset(using: &rng) }
    }
    buffer.append(
      RolloutStep(
        observations: o, criticInputs: c, availableActions: Array(repeating: true, count: E * 2 * 5), actions: a,
        logProbabilities: π.logProbability(of: a).scalars, values: v, rewards: rewards, ends: ends))
  }
  buffer.finish(
    lastValues: withoutGradients { net.values(Tensor(shape: [E * 2, environment.stateSize], scalars: criticInputs())) }.scalars)
  let (advantages, _) = buffer.advantagesAndReturns(gamma: 0.99, lambda: 0.95)
  // Independently: read each column out of the steps and take the direct sum of TD errors.
  var fromBuffer: [Double] = [], byColumn: [Double] = []
  for e in 0..<E {
    for i in 0..<2 {
      let column = e * 2 + i
      let values = buffer.steps.map { $0.values[column] }, ends = buffer.steps.map { $0.ends[e] }
      let next = (0..<T).map { t in ends[t] == .terminated ? 0 : (t + 1 < T ? values[t + 1] : buffer.lastValues![column]) }
      byColumn += generalizedAdvantagesByDirectSum(
        rewards: buffer.steps.map { $0.rewards[e] }, values: values, nextValues: next, ends: ends, gamma: 0.99, lambda: 0.95)
      fromBuffer += (0..<T).map { t in advantages[(t * E + e) * 2 + i] }
    }
  }
  let episodeEnds = buffer.steps.reduce(0) { $0 + $1.ends.filter(\.endsEpisode).count }
  page.check(
    "buffer GAE = direct-sum GAE of each (environment, agent) column, \(E * 2 * T) rows, \(episodeEnds) episode ends inside",
    computed: fromBuffer, expected: byColumn, tolerance: 1e-12)
}

// MARK: - 3.6 Proposition 1

func sharingBoundSection(_ page: Page) {
  page.prose(
    """
    Sharing without ids is a constraint θ¹ = … = θⁿ on policies that see the same input, and Kuba et \
    al. (2022, Proposition 1) show how much it can cost. Take n agents (n even) with actions {0, 1} \
    and the payoff 1 on exactly two joint actions, 0^{n/2}1^{n/2} and 1^{n/2}0^{n/2} (one half of the \
    team plays 0, the other 1), and 0 elsewhere. The optimum is 1. A shared policy without ids gives \
    every agent the same probability p of playing 1:
    """)
  page.step(
    "Each rewarded joint action needs n/2 agents on 0 and n/2 on 1",
    #"J(p) = p^{n/2}(1 - p)^{n/2} + (1 - p)^{n/2} p^{n/2} = 2\left(p(1 - p)\right)^{n/2}"#)
  page.step("p(1 − p) is at most ¼, reached at p = ½", #"\max_p J(p) = 2 \cdot 4^{-n/2} = \frac{2}{2^n}"#)
  page.step(
    "Hence the ratio to the optimum shrinks exponentially with the team", #"\frac{J^*_{\mathrm{share}}}{J^*} = \frac{2}{2^n}"#)
  page.prose(
    """
    Computed: the payoff tensor is built and enumerated over its 2ⁿ joint actions, J(p) is maximised \
    numerically (a grid, then golden-section search), and the optimum is the largest payoff. A shared \
    policy *with* ids can give the two halves different actions:
    """)
  var rows: [[String]] = []
  var ratios: [Double] = [], predicted: [Double] = []
  for n in [2, 4, 6] {
    let game = MatrixGame.splitTeams(agents: n)
    let optimum = game.optimum.value
    let best = game.bestSharedPolicy()
    // π(a = 1 | id i) = 𝟙[i > n/2]: a deterministic policy of the id alone, evaluated by enumeration.
    let idPolicy = (0..<n).map { i in i < n / 2 ? [1.0, 0.0] : [0.0, 1.0] }
    let idValue = game.expectedPayoff(policies: idPolicy)
    ratios.append(best.value / optimum)
    predicted.append(2 / pow(2, Double(n)))
    rows.append(["\(n)", "\(game.payoff.count)", f6(best.p), f6(best.value), f6(2 / pow(2, Double(n))), f3(optimum), f3(idValue)])
  }
  page.table(["n", "joint actions", "best shared p", "J*_share (search)", "2/2ⁿ", "J* (max payoff)", "shared + ids"], rows: rows)
  for (k, n) in [2, 4, 6].enumerated() {
    page.check("n = \(n): J*_share / J* = 2/2ⁿ", computed: ratios[k], expected: predicted[k], tolerance: 1e-12)
  }
  page.prose(
    """
    Ids repair this particular game, but the lesson stands: sharing is a constraint on the policy \
    class, and heterogeneous agents may need a different network each (Christianos et al., 2021, \
    study selective sharing; HAPPO in chapter 5 drops sharing altogether).
    """)
}

// MARK: - 3.7 MADDPG

func maddpgSection(_ page: Page) {
  page.prose(
    """
    With continuous actions the policy can be deterministic, aⁱ = μⁱ(oⁱ), and its gradient flows \
    through a learned action value instead of a score: the deterministic policy gradient (Silver et \
    al., 2014). MADDPG (Lowe et al., 2017) gives each agent a *centralised* critic Qᵢ(x, a¹, …, aⁿ) \
    that sees every observation x and every action, trained by regression on a replay buffer, while \
    each actor stays decentralised:
    """)
  page.equation(
    #"\nabla_{\theta^i} J \approx \frac{1}{S} \sum_{s} \nabla_{\theta^i} \mu^i(o^i_s)\; \nabla_{a^i} Q_i(\mathbf{x}_s, a^1_s, \dots, a^n_s) \Big|_{a^i = \mu^i(o^i_s)}"#
  )
  page.code("maddpg-actor-gradient")
  page.prose(
    """
    **A quadratic team game** (our construction) to try it on: two agents each observe a private \
    signal oⁱ ∼ Uniform[−1, 1], act with a real number aⁱ, and share
    """)
  page.equation(#"r(\mathbf{o}, \mathbf{a}) = -(a^1 - a^2)^2 - (a^1 + a^2 - o^1 - o^2)^2"#)
  page.prose("They should agree, and their sum should match the sum of the signals; but each sees only half of it.")
  page.step(
    "Agent 1's expected reward given o¹, differentiated in a¹ (σ² = Var oⁱ = ⅓, E o² = 0)",
    #"\frac{\partial}{\partial a^1} \mathbb{E}\left[r \mid o^1\right] = -2\left(a^1 - \mathbb{E} a^2\right) - 2\left(a^1 + \mathbb{E} a^2 - o^1\right) = -4 a^1 + 2 o^1"#
  )
  page.step(
    "So each agent's best reply is aⁱ = oⁱ/2, whatever the partner does; its value",
    #"J^* = -\mathbb{E}\left[\tfrac14 (o^1 - o^2)^2\right] - \mathbb{E}\left[\tfrac14 (o^1 + o^2)^2\right] = -\sigma^2 = -\tfrac13"#
  )
  page.prose(
    """
    A central controller seeing both signals would play aⁱ = (o¹ + o²)/2 and get 0: the price of \
    decentralisation here is ⅓ (chapter 1's lesson, in one line). For linear actors aⁱ = wⁱoⁱ + bⁱ the \
    expected reward has the closed form J = −σ²(w₁² + w₂²) − (b₁ − b₂)² − σ²((w₁ − 1)² + (w₂ − 1)²) − (b₁ + b₂)², \
    with ∂J/∂wⁱ = −2σ²(2wⁱ − 1) and ∂J/∂bⁱ = −4bⁱ.
    """)
  let game = QuadraticTeamGame()
  let config = MADDPGConfig()
  let (w0, b0) = (config.initialWeights, config.initialBiases)
  var rng = RandomGenerator(seed: page.options.seed &+ 6)
  let episodes = page.options.quick ? 20_000 : 100_000
  let sampledRewards = (0..<episodes).map { _ in
    let o = game.sampleSignals(using: &rng)
    return game.reward(signals: o, actions: [w0[0] * o[0] + b0[0], w0[1] * o[1] + b0[1]])
  }
  page.check(
    "closed-form J at the start (w = (\(w0[0]), \(w0[1])), b = (\(b0[0]), \(b0[1]))) = Monte Carlo over \(episodes) episodes (4 SE)",
    computed: mean(sampledRewards), expected: game.expectedReward(weights: w0, biases: b0),
    tolerance: 4 * sampleStd(sampledRewards) / Double(episodes).squareRoot())
  // The deterministic policy gradient with the true Q = r: exact by 3-point Gauss–Legendre quadrature
  // in each signal (the integrand is a polynomial of degree 2 in each).
  let nodes = [-(0.6).squareRoot(), 0, (0.6).squareRoot()], nodeWeights = [5.0 / 18, 8.0 / 18, 5.0 / 18]
  var grid: [Double] = [], weights: [Double] = []
  for (x1, v1) in zip(nodes, nodeWeights) {
    for (x2, v2) in zip(nodes, nodeWeights) {
      grid += [x1, x2]
      weights.append(v1 * v2)
    }
  }
  let x = Tensor(shape: [9, 2], scalars: grid)
  let onPolicy = Tensor(shape: [9, 2], scalars: (0..<9).flatMap { s in (0..<2).map { i in w0[i] * grid[2 * s + i] + b0[i] } })
  var dpg: [Double] = []
  for i in 0..<2 {
    var actor = Linear(inputSize: 1, outputSize: 1, rng: &rng)
    actor.parameters = [Tensor(shape: [1, 1], scalars: [w0[i]]), Tensor([b0[i]])]
    let g = deterministicPolicyGradient(of: i, actor: actor, observations: x, actions: onPolicy, weights: Tensor(weights)) {
      x, a in
      game.reward(signals: x, actions: a)
    }
    dpg += [g[0].scalar, g[1].scalar]
  }
  let closedForm = game.expectedRewardGradient(weights: w0, biases: b0)
  page.check(
    "the deterministic policy gradient through the true Q (quadrature) = ∇J in closed form, both agents' (w, b)",
    computed: dpg, expected: [closedForm.weights[0], closedForm.biases[0], closedForm.weights[1], closedForm.biases[1]],
    tolerance: 1e-13)

  // MADDPG proper: learned critics from a replay buffer.
  let iterations = page.options.quick ? 100 : (page.options.full ? 400 : 120)
  page.prose(
    """
    Now MADDPG proper: each agent's critic Qᵢ(o¹, o², a¹, a²) is an MLP with hidden layers of \
    \(config.criticHidden.map(String.init).joined(separator: " and ")) tanh units, fitted to \
    rewards from a replay buffer of the last \(config.replayCapacity) episodes, played with Gaussian \
    exploration noise (σ = \(config.explorationStd)); the actors follow the sampled gradient above, with the \
    other agent's action taken from the buffer; the critics learn alone for the first \
    \(config.warmupIterations) iterations. Each episode is one step, so the target is the reward itself.
    """)
  var maddpg = MADDPG(config: config, game: game, rng: &rng)
  var curve: [(x: Double, y: Double)] = [(0, maddpg.expectedReward)]
  var rows: [[String]] = []
  func record(_ k: Int) {
    let p = maddpg.policy
    rows.append(["\(k)", f3(p.weights[0]), f3(p.weights[1]), f3(p.biases[0]), f3(p.biases[1]), f4(maddpg.expectedReward)])
  }
  record(0)
  page.experiment("MADDPG, \(iterations) iterations of \(config.episodesPerIteration) episodes", total: iterations) { progress in
    for k in 1...iterations {
      maddpg.iterate(using: &rng)
      curve.append((Double(k), maddpg.expectedReward))
      if k % (iterations / 5) == 0 { record(k) }
      progress.advance()
    }
  }
  page.table(
    ["iteration", "w¹", "w²", "b¹", "b²", "J (exact)"], rows: rows,
    caption: "The optimum is w = (0.5, 0.5), b = (0, 0), J* = −1/3.")
  page.plot(
    Plot(
      title: "MADDPG on the quadratic team game", xLabel: "iteration", yLabel: "J (exact)",
      series: [
        Series("MADDPG", points: curve),
        Series(
          "J* (decentralised optimum)",
          points: [(0, QuadraticTeamGame.decentralisedOptimum), (Double(iterations), QuadraticTeamGame.decentralisedOptimum)]),
      ]),
    file: "ch03-maddpg")
  let final = maddpg.expectedReward, start = curve[0].y
  page.checkAtLeast(
    "… to within 0.05 of the decentralised optimum −1/3", value: final, bound: QuadraticTeamGame.decentralisedOptimum - 0.05)
  let gap = final - QuadraticTeamGame.decentralisedOptimum
  page.prose(
    """
    From J = \(f3(start)) the actors reach J = \(f4(final)), \(f4(abs(gap))) \(gap <= 0 ? "below" : "above") \
    the best decentralised value. The critic never has to be exact: the actor only reads the slope \
    ∂Q/∂aⁱ near its own actions. But that slope is learned from the partner's *recorded* actions, so \
    when the partner's policy moves, the critic lags behind: the non-stationarity that centralised \
    critics reduce (they see the partner's action) but do not remove.
    """)
}
