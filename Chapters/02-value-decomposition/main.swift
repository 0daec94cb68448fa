// Chapter 2: value decomposition. Independent learners, the IGM condition, VDN's sum, QMIX's monotonic
// hypernetwork mixer and QTRAN's transformed joint value, each checked on numbers; then the limit of
// monotonic mixing, shown exactly on matrix games, and an experiment with sampled exploration.

import Autodiff
import Foundation
import MARL
import Workbook

let chapter = Chapter(number: 2, slug: "value-decomposition", title: "Value decomposition: IQL, VDN, QMIX, QTRAN")

// MARK: - 2.1 Independent learners

chapter.section("Independent learners and their moving target") { page in
  page.prose(
    """
    Chapter 1 ended with centralised training and decentralised execution. Value-based methods do it \
    like this: each agent a keeps a *utility* Q_a(τ_a, u_a), a value for each of its actions given its \
    own action-observation history τ_a, and acts greedily on it, alone. Training may use everything: \
    the state, every agent's action, the team reward. The question of this chapter is how the one team \
    reward should train n separate utilities.

    The simplest answer ignores the question. In *independent Q-learning* (IQL), each agent runs \
    ordinary Q-learning on the shared reward, and the other agents are simply part of its environment:
    """)
  page.equation(
    #"Q_a(\tau_a, u_a) \leftarrow Q_a(\tau_a, u_a) + \alpha \big( r + \gamma \max_{u'} Q_a(\tau'_a, u') - Q_a(\tau_a, u_a) \big)"#
  )
  page.prose(
    """
    A cooperative matrix game is the smallest place to watch this: one state, one step (so the target \
    is just r), n agents choosing at once, one shared payoff R(u₁, …, uₙ). Rows are agent 1's actions \
    A, B, C and columns agent 2's. While agent 2 follows a fixed policy π₂, agent 1's update is \
    ordinary single-agent learning, and it settles where its expected change is zero:
    """)
  page.step(
    "Agent 1's reward after playing u₁ is R(u₁, u₂) with u₂ ~ π₂",
    #"\mathbb{E}[\Delta Q_1(u_1)] = \alpha \Big( \sum_{u_2} \pi_2(u_2)\, R(u_1, u_2) - Q_1(u_1) \Big)"#)
  page.step("Set it to zero", #"Q_1(u_1) = \sum_{u_2} \pi_2(u_2)\, R(u_1, u_2)"#)

  let game = MatrixGame.climbing
  let names = ["A", "B", "C"]
  page.prose("On the climbing game of Claus & Boutilier (1998), whose optimum (A, A) = 11 is guarded by two −30s,")
  page.table(["", "A", "B", "C"], rows: (0..<3).map { i in [names[i]] + (0..<3).map { j in fixed(game.payoff([i, j]), 0) } })

  // Agent 2's ε-greedy policy (ε = 0.3) around each of its actions, and uniform.
  func epsilonGreedy(around b: Int?) -> [Double] {
    (0..<3).map { v in b.map { v == $0 ? 0.7 + 0.1 : 0.1 } ?? 1.0 / 3 }
  }
  let partners: [(String, [Double])] =
    [("uniform", epsilonGreedy(around: nil))] + (0..<3).map { ("ε-greedy on \(names[$0]) (ε = 0.3)", epsilonGreedy(around: $0)) }
  var rows: [[String]] = []
  var bestReplies: [Int] = []
  var rng = RandomGenerator(seed: page.options.seed)
  let episodes = page.options.quick ? 30_000 : 90_000
  var worstZ = 0.0
  for (name, π2) in partners {
    let target = game.independentTarget(of: 0, partnerPolicies: [[1, 0, 0], π2])
    let sampled = game.sampledIndependentQ(of: 0, partnerPolicies: [[1, 0, 0], π2], episodes: episodes, rng: &rng)
    for v in 0..<3 { worstZ = max(worstZ, abs(sampled.values[v] - target[v]) / sampled.standardErrors[v]) }
    let best = Tensor(target).argmax()[0]
    bestReplies.append(best)
    rows.append([name] + target.map { fixed($0, 3) } + sampled.values.map { fixed($0, 2) } + [names[best]])
  }
  page.table(
    ["agent 2 plays", "Q₁(A)", "Q₁(B)", "Q₁(C)", "learned A", "learned B", "learned C", "agent 1's best"], rows: rows,
    caption:
      "Agent 1's fixed point for four policies of agent 2: exact, and learned by tabular IQL from \(episodes) sampled episodes each."
  )
  page.check(
    "tabular IQL (step 1/N) matches the fixed point Σ π₂(u₂) R(u₁, u₂) for all 4 partner policies (in standard errors)",
    computed: worstZ, expected: 0, tolerance: 4)
  let distinctReplies = Set(bestReplies).count
  page.prose(
    """
    The target of agent 1 is not a property of the game but of agent 2's current behaviour: as agent 2 \
    moves, agent 1's best reply takes \(distinctReplies) different values in the table above. When both \
    agents learn at once, each chases a target that the other keeps moving: the environment each \
    independent learner sees is *non-stationary*, and Q-learning's convergence guarantee, which \
    assumes a fixed environment, no longer applies.

    With uniform exploration by both agents, each utility converges to its marginal mean, the row \
    mean for agent 1 and the column mean for agent 2. Trained exactly (every joint action once per \
    update, section 2.5 explains why that is uniform visitation), IQL gets there:
    """)
  var learner = MatrixGameLearner(game: game, config: MatrixGameLearnerConfig(method: .iql, learningRate: 0.1), rng: &rng)
  learner.trainUniform(steps: 600)
  page.check(
    "IQL under uniform visitation: learned utilities = row and column means of R", computed: learner.utilityTables.flatMap { $0 },
    expected: game.marginalMeans.flatMap { $0 }, tolerance: 1e-6)
  page.prose(
    """
    Its greedy joint action is \(jointName(learner.greedyJointAction)), worth \(fixed(learner.greedyReturn, 0)), against \
    the optimum \(fixed(game.optimum.value, 0)): the −30s drag the means of the optimal row and column \
    down. Independent learners evaluate each action against what the partner does *on average*, and \
    a high-risk optimum loses that comparison (relative overgeneralisation).
    """)
}

// MARK: - 2.2 IGM

chapter.section("IGM: when every agent's greedy choice is the team's") { page in
  page.prose(
    """
    The centralised alternative learns a joint value Q_tot(s, u) from the team reward, and builds it \
    from the utilities so that decentralised greedy action selection stays correct. The property \
    that makes this work is *individual-global-max* (IGM): the greedy joint action of Q_tot is the \
    tuple of each agent's own greedy action,
    """)
  page.equation(
    #"\arg\max_{\mathbf{u}} Q_{tot}(s, \mathbf{u}) = \Big( \arg\max_{u_1} Q_1(\tau_1, u_1),\; \dots,\; \arg\max_{u_n} Q_n(\tau_n, u_n) \Big)"#
  )
  page.prose(
    """
    Two things depend on it. At execution, the agents can act greedily on their own utilities and \
    still take the joint action the centralised value prefers. In training, the TD target needs \
    max over u′ of Q_tot(s′, u′), a maximum over |A|ⁿ joint actions, and IGM turns it into n \
    maximisations over |A| actions (section 2.7). QTRAN's authors named the property; QMIX's \
    consistency condition is the same thing.

    The check, for given utilities and a mixer: push every joint action's utilities through the \
    mixer, find the best joint action by enumeration, and compare with the agents' own argmaxes:
    """)
  page.code("igm-check")
  let trials = page.options.quick ? 60 : 200
  let (n, actions, stateSize) = (3, 4, 6)
  var rng = RandomGenerator(seed: page.options.seed &+ 22)
  var holds: [String: Int] = ["VDN": 0, "QMIX": 0, "unconstrained": 0]
  var counterexample: (utilities: [[Double]], state: [Double], mixer: QMixMixer, check: IGMCheck)?
  let vdn = VDNMixer(agentCount: n)
  for _ in 0..<trials {
    let utilities = (0..<n).map { _ in (0..<actions).map { _ in rng.normal(std: 3) } }
    let state = (0..<stateSize).map { _ in rng.normal() }
    let qmix = QMixMixer(agentCount: n, stateSize: stateSize, config: .pymarl, rng: &rng)
    let free = QMixMixer(agentCount: n, stateSize: stateSize, config: .unconstrained, rng: &rng)
    if checkIGM(utilities: utilities, state: state, mixer: vdn).holds() { holds["VDN"]! += 1 }
    if checkIGM(utilities: utilities, state: state, mixer: qmix).holds() { holds["QMIX"]! += 1 }
    let freeCheck = checkIGM(utilities: utilities, state: state, mixer: free)
    if freeCheck.holds() {
      holds["unconstrained"]! += 1
    } else if counterexample == nil {
      counterexample = (utilities, state, free, freeCheck)
    }
  }
  page.prose(
    """
    \(trials) random trials, each with n = \(n) agents of \(actions) actions (utilities ~ N(0, 3²)), a random \
    state, and freshly initialised mixers: VDN's sum, QMIX's mixer (pymarl's sizes), and the same mixer \
    without its absolute values (the *unconstrained* mixer):
    """)
  page.table(
    ["mixer", "IGM held", "violated"],
    rows: ["VDN", "QMIX", "unconstrained"].map { [$0, "\(holds[$0]!)", "\(trials - holds[$0]!)"] })
  page.checkTrue("IGM holds for VDN in every trial", holds: holds["VDN"] == trials, detail: "\(holds["VDN"]!)/\(trials)")
  page.checkTrue("IGM holds for QMIX in every trial", holds: holds["QMIX"] == trials, detail: "\(holds["QMIX"]!)/\(trials)")
  page.checkAtLeast(
    "the unconstrained mixer violates IGM in some trials", value: Double(trials - holds["unconstrained"]!), bound: 1)
  if let example = counterexample {
    let check = example.check
    // Recompute both values directly, one joint action at a time, independently of the enumeration.
    func qTotal(_ u: [Int]) -> Double {
      let chosen = Tensor(shape: [1, n], scalars: u.enumerated().map { example.utilities[$0.offset][$0.element] })
      return withoutGradients { example.mixer(chosen, states: Tensor(shape: [1, stateSize], scalars: example.state)) }.scalar
    }
    page.prose(
      """
      A counterexample from the unconstrained mixer. The agents' own greedy actions are \
      \(jointName(check.decentralisedGreedy)) (utilities \(example.utilities.map { row in "[" + row.map { fixed($0, 2) }.joined(separator: ", ") + "]" }.joined(separator: ", "))), \
      and Q_tot there is \(fixed(check.valueOfDecentralised, 4)); but the joint action \(jointName(check.jointGreedy)) \
      has Q_tot = \(fixed(check.valueOfJoint, 4)). Acting on their utilities, the agents would not take the \
      joint action their own centralised value prefers.
      """)
    page.checkAtLeast(
      "counterexample, recomputed directly: Q_tot(u*) − Q_tot(ū) > 0",
      value: qTotal(check.jointGreedy) - qTotal(check.decentralisedGreedy),
      bound: 1e-9)
  }
}

// MARK: - 2.3 VDN

chapter.section("VDN: the sum") { page in
  page.prose(
    """
    Value-decomposition networks (Sunehag et al., 2018) take the simplest joint value that satisfies \
    IGM, the sum of the utilities:
    """)
  page.equation(
    #"Q_{tot}(\boldsymbol\tau, \mathbf{u}) = \sum_{a=1}^{n} Q_a(\tau_a, u_a), \qquad \frac{\partial Q_{tot}}{\partial Q_a} = 1"#)
  page.code("vdn-mixer")
  page.prose(
    """
    A sum is maximised by maximising every term, so IGM holds whatever the utilities. The team's \
    TD error reaches every agent unchanged, so each utility learns *its share* of the team's value \
    rather than the whole reward, as IQL's did. The price is the class of joint values: only \
    additive ones, where an agent's best action never depends on what the others do.
    """)
  var rng = RandomGenerator(seed: page.options.seed &+ 23)
  let gradient = utilityGradients(
    of: VDNMixer(agentCount: 4), utilities: rng.normal([64, 4], std: 5), states: Tensor.zeros([64, 1]))
  page.check(
    "∂Q_tot/∂Q_a by autodiff = 1 for 64 random samples × 4 agents", computed: gradient.scalars,
    expected: Array(repeating: 1, count: 256), tolerance: 0)
}

// MARK: - 2.4 QMIX

chapter.section("QMIX: a monotonic mixer conditioned on the state") { page in
  page.prose(
    """
    QMIX (Rashid et al., 2018) keeps IGM and widens the class from sums to every joint value that is \
    *monotonic* in each utility:
    """)
  page.equation(#"\frac{\partial Q_{tot}}{\partial Q_a} \ge 0 \quad \text{for every agent } a"#)
  page.prose(
    """
    If raising an agent's utility can never lower Q_tot, then every agent choosing its highest \
    utility maximises Q_tot, which is IGM again. The mixing network is a two-layer network over the \
    utilities, whose weights are not parameters but outputs of *hypernetworks* that read the global \
    state s. Since s enters only through the hypernetworks, Q_tot can use the state in any way while \
    staying monotonic in the utilities:
    """)
  page.equation(
    #"Q_{tot} = \mathbf{w}_2(s)^{\top} \,\mathrm{ELU}\big( W_1(s)^{\top} \mathbf{Q} + \mathbf{b}_1(s) \big) + V(s), \qquad W_1 = |\mathrm{hyper}_{W_1}(s)|,\; \mathbf{w}_2 = |\mathrm{hyper}_{w_2}(s)|"#
  )
  page.prose(
    """
    The absolute value keeps W₁ ∈ ℝⁿˣᴱ and w₂ ∈ ℝᴱ non-negative; the biases b₁(s) and V(s) are left \
    free (V is a two-layer network with a ReLU), since a constant shift cannot change a ranking. The \
    hypernetworks, then the mixing network:
    """)
  page.code("qmix-hypernetworks")
  page.code("qmix-mixing")
  page.prose("Why this is monotonic, by the chain rule through h = W₁ᵀQ + b₁:")
  page.step(
    "Differentiate the output layer, then the hidden layer",
    #"\frac{\partial Q_{tot}}{\partial Q_a} = \sum_{k=1}^{E} w_{2,k} \,\mathrm{ELU}'(h_k)\, W_{1,ak}"#)
  page.step(
    "ELU′(h) = 1 for h > 0 and eʰ > 0 otherwise; both weights are absolute values",
    #"w_{2,k} \ge 0,\quad \mathrm{ELU}'(h_k) > 0,\quad W_{1,ak} \ge 0 \;\Rightarrow\; \frac{\partial Q_{tot}}{\partial Q_a} \ge 0"#
  )

  var rng = RandomGenerator(seed: page.options.seed &+ 24)
  let (n, stateSize) = (3, 6)
  let samples = page.options.quick ? 400 : 1000
  let mixer = QMixMixer(agentCount: n, stateSize: stateSize, config: .pymarl, rng: &rng)
  let states = rng.normal([samples, stateSize]), utilities = rng.normal([samples, n], std: 10)
  let byAutodiff = utilityGradients(of: mixer, utilities: utilities, states: states)
  page.check(
    "∂Q_tot/∂Q_a: reverse mode vs the chain-rule formula of step 1, \(samples) random (s, Q) × \(n) agents",
    computed: byAutodiff.scalars, expected: mixer.utilityGradient(utilities, states: states).scalars, tolerance: 1e-12)
  let few = 4
  let differences = checkGradients(at: [utilities.slice(0..<few)]) { q in mixer(q[0], states: states.slice(0..<few)).sum() }
  page.check(
    "… and vs central differences on \(few) samples", computed: differences.maxAbsoluteError, expected: 0, tolerance: 1e-6)

  let mixers = page.options.quick ? 4 : 10
  var probes: [(String, MonotonicityProbe)] = []
  for (name, config) in [
    ("QMIX", QMixConfig.pymarl), ("QMIX (ICML 2018, one-layer hypernetworks)", .icml2018), ("unconstrained", .unconstrained),
  ] {
    let merged = (0..<mixers).map { _ in
      let m = QMixMixer(agentCount: n, stateSize: stateSize, config: config, rng: &rng)
      return probeMonotonicity(of: m, stateSize: stateSize, samples: samples / 4, rng: &rng)
    }.reduce(nil) { (all: MonotonicityProbe?, probe) in all?.merging(probe) ?? probe }!
    probes.append((name, merged))
  }
  page.table(
    ["mixer", "partials", "min ∂Q_tot/∂Q_a", "max", "negative"],
    rows: probes.map { [$0.0, "\($0.1.count)", fixed($0.1.minimum, 6), fixed($0.1.maximum, 4), "\($0.1.negativeCount)"] },
    caption: "\(mixers) random mixers of each kind, each probed at \(samples / 4) random states and utilities (autodiff).")
  page.checkAtLeast("QMIX: min ∂Q_tot/∂Q_a ≥ 0 over every probe", value: probes[0].1.minimum, bound: 0)
  page.checkAtLeast("QMIX (one-layer hypernetworks): min ∂Q_tot/∂Q_a ≥ 0", value: probes[1].1.minimum, bound: 0)
  page.checkAtMost("the unconstrained mixer: min ∂Q_tot/∂Q_a < 0", value: probes[2].1.minimum, bound: -1e-6)
  page.prose(
    """
    What monotonicity costs is easy to state. In QTRAN's *non-monotonic* game below, the best joint \
    action (A, A) pays 8, but either agent switching alone lands on −12, while (B, B) pays 0 and a \
    lone switch to A also lands on −12. Suppose some monotonic Q_tot reproduced this payoff. From \
    Q_tot(A, A) = 8 > −12 = Q_tot(B, A), monotonicity in agent 1's utility forces Q₁(A) > Q₁(B); from \
    Q_tot(B, B) = 0 > −12 = Q_tot(A, B) it forces Q₁(B) > Q₁(A). Both cannot hold, so no monotonic \
    mixer, QMIX's included, can represent the game: the value of agent 1's action depends on agent 2's \
    action with a sign that changes. What it learns instead is the subject of the next section.
    """)
}

// MARK: - 2.5 The projection result

chapter.section("What VDN and QMIX converge to: the projection result") { page in
  page.prose(
    """
    On a one-step matrix game the TD target is the reward, so centralised training is regression: \
    minimise the squared error between Q_tot(u) and R(u), averaged over the joint actions visited. \
    Under *uniform visitation* every joint action carries the same weight, and the expected loss is \
    exactly the full-batch loss over all joint actions, so the learner below updates on all |U| = 9 \
    joint actions at every step: no sampling noise, fully deterministic. For VDN the minimiser has a \
    closed form. Write r̄ᵢ for the mean of row i, c̄ⱼ for the mean of column j and ḡ for the mean of \
    all entries:
    """)
  page.step("The loss, over the 3 × 3 joint actions", #"L = \frac{1}{9} \sum_{i,j} \big( Q_1(i) + Q_2(j) - R(i,j) \big)^2"#)
  page.step(
    "Set ∂L/∂Q₁(i) = 0 and ∂L/∂Q₂(j) = 0",
    #"Q_1(i) + \tfrac13 \textstyle\sum_j Q_2(j) = \bar r_i, \qquad \tfrac13 \textstyle\sum_i Q_1(i) + Q_2(j) = \bar c_j"#)
  page.step(
    "Average either equation: the two means add up to the grand mean",
    #"\tfrac13 \textstyle\sum_i Q_1(i) + \tfrac13 \textstyle\sum_j Q_2(j) = \bar g"#)
  page.step(
    "Add the two equations of step 2 and subtract step 3", #"Q_{tot}(i, j) = Q_1(i) + Q_2(j) = \bar r_i + \bar c_j - \bar g"#)
  page.prose(
    """
    VDN's fixed point is the *projection* of the payoff onto additive functions: the main effects of a \
    two-way analysis of variance, with every interaction thrown away. (With n agents it is \
    Σₐ mₐ(uₐ) − (n − 1)ḡ, each mₐ the mean payoff over the joint actions in which agent a plays uₐ.)
    """)
  page.code("additive-projection")

  let game = MatrixGame.nonMonotonic
  let means = game.marginalMeans
  page.prose(
    """
    On the non-monotonic game the row means are \(means[0].map { fixed($0, 4) }.joined(separator: ", ")), the \
    column means \(means[1].map { fixed($0, 4) }.joined(separator: ", ")) and the grand mean \(fixed(game.grandMean, 4)). \
    The payoff, the closed form, and VDN trained on it:
    """)
  var rng = RandomGenerator(seed: page.options.seed &+ 25)
  let vdnSteps = page.options.quick ? 800 : 1000
  var vdn = MatrixGameLearner(game: game, config: MatrixGameLearnerConfig(method: .vdn, learningRate: 0.2), rng: &rng)
  vdn.trainUniform(steps: vdnSteps)
  page.table(
    matrixHeader,
    rows: sideBySide([("payoff R", game.payoff), ("closed form", game.additiveProjection), ("VDN, trained", vdn.jointValueTable)])
  )
  page.check(
    "VDN trained \(vdnSteps) full-batch steps = row mean + column mean − grand mean", computed: vdn.jointValueTable,
    expected: game.additiveProjection, tolerance: 1e-6)
  let greedy = vdn.greedyJointAction
  page.checkTrue(
    "VDN's greedy joint action is in the {B, C} × {B, C} block, not on the optimum (A, A)",
    holds: greedy[0] != 0 && greedy[1] != 0,
    detail: "greedy \(jointName(greedy)) worth \(fixed(vdn.greedyReturn, 0)); optimum \(fixed(game.optimum.value, 0))")
  let lowest = game.additiveProjection.min()! == game.additiveProjection[0]
  page.prose(
    """
    The −12s around (A, A) drag its row and column means down, and the fit values (A, A) at \
    \(fixed(game.additiveProjection[0], 3))\(lowest ? ", the lowest of all nine cells" : ""). The same projection on the other games:
    """)
  var rows: [[String]] = []
  var trainedTables: [Double] = [], closedForms: [Double] = []
  for other in [MatrixGame.climbing, .penalty(k: -100), game, mavenTable1Game] {
    var learner = MatrixGameLearner(game: other, config: MatrixGameLearnerConfig(method: .vdn, learningRate: 0.2), rng: &rng)
    learner.trainUniform(steps: vdnSteps)
    trainedTables += learner.jointValueTable
    closedForms += other.additiveProjection
    let fitGreedy = Tensor(other.additiveProjection).argmax()[0]
    let u = other.jointActionComponents(fitGreedy)
    rows.append([
      other.name, jointName(u), fixed(other.payoff[fitGreedy], 1),
      jointName(other.jointActionComponents(other.optimum.jointAction)), fixed(other.optimum.value, 1),
    ])
  }
  page.table(
    ["game", "fit's greedy action", "its payoff", "optimum", "optimal payoff"], rows: rows,
    caption: "The least-squares additive fit under uniform visitation (our computation).")
  page.check("VDN trained = closed form on all four games", computed: trainedTables, expected: closedForms, tolerance: 1e-6)

  // MARK: QMIX
  page.prose(
    """
    **QMIX under uniform visitation.** Monotonic functions include the additive ones, so QMIX's best \
    fit is at least as good as VDN's; but section 2.4 showed it cannot fit the non-monotonic game exactly. Trained \
    the same way (the matrix-game mixer: E = 8, one-layer hypernetworks, the constant state \
    s = (1, 1, 1, 1, 1)):
    """)
  let qmixSteps = page.options.quick ? 300 : 500
  let qmixSeeds = page.options.quick ? 2 : 3
  var qmixRuns: [MatrixGameLearner] = []
  for _ in 0..<qmixSeeds {
    var learner = MatrixGameLearner(game: game, config: MatrixGameLearnerConfig(method: .qmix, learningRate: 0.03), rng: &rng)
    learner.trainUniform(steps: qmixSteps)
    qmixRuns.append(learner)
  }
  let qmix = qmixRuns[0]
  page.table(matrixHeader, rows: sideBySide([("payoff R", game.payoff), ("QMIX, trained", qmix.jointValueTable)]))
  let mse = { (learner: MatrixGameLearner) in meanSquaredError(learner.jointValueTable, learner.game.payoff) }
  page.table(
    ["run", "greedy action", "its payoff", "mean squared error"],
    rows: qmixRuns.enumerated().map {
      ["\($0.offset + 1)", jointName($0.element.greedyJointAction), fixed($0.element.greedyReturn, 0), fixed(mse($0.element), 4)]
    }
      + [
        [
          "VDN (closed form)", jointName(greedy), fixed(vdn.greedyReturn, 0),
          fixed(meanSquaredError(game.additiveProjection, game.payoff), 4),
        ]
      ],
    caption: "QMIX from \(qmixSeeds) initialisations, \(qmixSteps) full-batch steps each.")
  page.checkAtMost(
    "QMIX's fit is at least as good as VDN's (every run)", value: qmixRuns.map(mse).max()!,
    bound: meanSquaredError(game.additiveProjection, game.payoff), tolerance: 1e-6)
  let igmAll = qmixRuns.allSatisfy { learner in
    learner.jointValueTable.max()! <= learner.jointValueTable[game.jointActionIndex(learner.greedyJointAction)] + 1e-9
  }
  page.checkTrue("IGM on every trained QMIX: the agents' greedy tuple attains the max of its Q_tot table", holds: igmAll)
  let missed = qmixRuns.filter { $0.greedyReturn < game.optimum.value }.count
  // The five cells of row A and column A, where the first run's Q_tot is read off.
  let crossCells = [0, 1, 2, 3, 6].map { qmix.jointValueTable[$0] }
  let crossIsFlat = crossCells.max()! - crossCells.min()! < 0.1
  page.prose(
    """
    In \(missed) of \(qmixSeeds) runs QMIX's greedy joint action misses the optimum. \
    \(crossIsFlat
      ? "In the first run QMIX lowers the error by giving up on the A row and column entirely (Q_tot ≈ \(fixed(crossCells[0], 2)) on all five of their cells, the optimum included) and fitting the 0 block."
      : "In the first run its values on the A row and column range from \(fixed(crossCells.min()!, 2)) to \(fixed(crossCells.max()!, 2)), the optimum's cell included.")
    """)

  // A monotonic mixer that does rank (A, A) first, built by hand: an AND gate.
  // The AND gate's two levels: the optimum's payoff, and the mean payoff of the other eight cells.
  let otherCellsMean = game.payoff.dropFirst().reduce(0, +) / Double(game.payoff.count - 1)
  let and = andGateMixer(high: game.payoff[0], low: otherCellsMean, sharpness: 40)
  let andTable = and.table
  page.prose(
    """
    Is that the best a monotonic mixer can do? No. Give both agents utility 1 for A and 0 for B and C, and \
    let the mixer be a steep AND: one hidden unit h = k(Q₁ + Q₂) − 1.5k with large k, so ELU(h) is \
    about k/2 at (A, A) and about −1 everywhere else. It is monotonic (W₁ = k > 0, w₂ > 0), ranks (A, A) \
    first, and scores every other cell \(fixed(otherCellsMean, 0)), the mean of their targets. Built from QMIX's own mixer with \
    k = 40 (its table, greedy action \(jointName(and.greedy)) and error):
    """)
  page.table(matrixHeader, rows: sideBySide([("steep AND mixer", andTable)]))
  page.checkAtMost(
    "the hand-built monotonic mixer fits better than every trained QMIX run", value: meanSquaredError(andTable, game.payoff),
    bound: qmixRuns.map(mse).min()!)
  page.checkTrue(
    "… and IGM holds for it, with the optimum (A, A) as greedy action", holds: and.igmHolds && and.greedy == [0, 0],
    detail: "MSE \(fixed(meanSquaredError(andTable, game.payoff), 4))")
  page.prose(
    """
    So on this game a monotonic function exists that fits better than what QMIX learned *and* picks \
    the optimum; the constraint alone does not force the 0 block. But that function is a saturated \
    step, flat almost everywhere, so its gradient gives no guidance toward it, and gradient descent from \
    a small initialisation took the smooth route to the 0 block \(missed == qmixSeeds ? "in every run above" : "in \(missed) of the \(qmixSeeds) runs above"). Representation \
    alone decides VDN's failure; QMIX's comes from the representation and the optimisation together.
    """)

  // MARK: MAVEN Table 1
  page.prose(
    """
    **The MAVEN example.** Mahajan et al. (2019, Table 1) give a payoff where the optimum (A, A) = \(fixed(mavenTable1Game.optimum.value, 1)) \
    sits beside zeros, and QMIX's values under uniform visitation. Their published table, and ours:
    """)
  var mavenRuns: [MatrixGameLearner] = []
  for _ in 0..<qmixSeeds {
    var learner = MatrixGameLearner(
      game: mavenTable1Game, config: MatrixGameLearnerConfig(method: .qmix, learningRate: 0.03), rng: &rng)
    learner.trainUniform(steps: qmixSteps)
    mavenRuns.append(learner)
  }
  page.table(
    matrixHeader,
    rows: sideBySide([
      ("payoff R", mavenTable1Game.payoff), ("QMIX, MAVEN Table 1", mavenPublishedQMIX),
      ("QMIX, ours (run 1)", mavenRuns[0].jointValueTable),
    ]))
  let publishedGreedy = mavenTable1Game.jointActionComponents(Tensor(mavenPublishedQMIX).argmax()[0])
  page.prose(
    """
    Training details differ (network sizes, optimiser, steps), so the digits do not match (they differ \
    by up to \(fixed(zip(mavenRuns[0].jointValueTable, mavenPublishedQMIX).map { abs($0 - $1) }.max()!, 2)) in run 1); the point does. In the published table the largest value is at \(jointName(publishedGreedy)), which pays \
    \(fixed(mavenTable1Game.payoff(publishedGreedy), 1)) instead of the optimal \(fixed(mavenTable1Game.optimum.value, 1)). Our runs' \
    greedy actions: \(mavenRuns.map { jointName($0.greedyJointAction) + " (worth " + fixed($0.greedyReturn, 1) + ")" }.joined(separator: ", ")).
    """)
  page.checkTrue(
    "our QMIX's greedy action equals the published table's argmax, in every run",
    holds: mavenRuns.allSatisfy { $0.greedyJointAction == publishedGreedy },
    detail: "published argmax \(jointName(publishedGreedy))")
  page.checkAtMost(
    "… and it is worth less than the optimum (mean over runs minus \(fixed(mavenTable1Game.optimum.value, 1)))",
    value: mavenRuns.map(\.greedyReturn).reduce(0, +) / Double(mavenRuns.count) - mavenTable1Game.optimum.value, bound: -1e-9)
}

// MARK: - 2.6 QTRAN

chapter.section("QTRAN: factorise a transformed value") { page in
  page.prose(
    """
    QTRAN (Son et al., 2019) stops asking Σᵢ Qᵢ to *be* the joint value. It learns an unrestricted \
    joint value Q_jt(s, u) on the team's returns, and asks the sum of utilities only to agree with \
    it where it matters. Let ū be the tuple of the agents' greedy actions and define the state value
    """)
  page.equation(#"V_{jt}(s) = \max_{\mathbf{u}} Q_{jt}(s, \mathbf{u}) - \sum_i Q_i(\tau_i, \bar u_i)"#)
  page.prose("The utilities factorise Q_jt (IGM holds for Q_jt) if")
  page.equation(
    #"\sum_i Q_i(\tau_i, \bar u_i) - Q_{jt}(s, \bar{\mathbf{u}}) + V_{jt}(s) = 0 \quad \text{and} \quad \sum_i Q_i(\tau_i, u_i) - Q_{jt}(s, \mathbf{u}) + V_{jt}(s) \ge 0 \;\text{ for every other } \mathbf{u}"#
  )
  page.step(
    "For any u, the second condition, then the greediness of each ūᵢ, then the first condition",
    #"Q_{jt}(\mathbf{u}) - V_{jt} \;\le\; \sum_i Q_i(u_i) \;\le\; \sum_i Q_i(\bar u_i) \;=\; Q_{jt}(\bar{\mathbf{u}}) - V_{jt}"#)
  page.prose(
    """
    so no joint action beats ū under Q_jt. QTRAN-base turns the conditions into losses, beside the \
    TD loss of Q_jt; Q_jt is held constant inside them, so they shape only the utilities and V_jt:
    """)
  page.equation(
    #"L_{td} = \big( Q_{jt}(\mathbf{u}) - y \big)^2, \qquad L_{opt} = \Big( \sum_i Q_i(\bar u_i) - Q_{jt}(\bar{\mathbf{u}}) + V_{jt} \Big)^2, \qquad L_{nopt} = \min\Big( \sum_i Q_i(u_i) - Q_{jt}(\mathbf{u}) + V_{jt},\; 0 \Big)^2"#
  )
  page.equation(#"L = L_{td} + \lambda_{opt} L_{opt} + \lambda_{nopt} L_{nopt}"#)
  page.code("qtran-losses")
  let game = MatrixGame.nonMonotonic
  let (steps, settleSteps) = (300, 100)
  var rng = RandomGenerator(seed: page.options.seed &+ 26)
  var qtran = MatrixGameLearner(
    game: game, config: MatrixGameLearnerConfig(method: .qtran, qtran: qtranMatrixConfig, learningRate: 0.03), rng: &rng)
  qtran.trainUniform(steps: steps)
  qtran.learningRate = 0.003  // then settle with smaller steps
  qtran.trainUniform(steps: settleSteps)
  let jointTable = qtran.jointValueTable, sums = qtran.utilitySumTable, v = qtran.stateValue!
  let gaps = zip(sums, jointTable).map { $0 - $1 + v }
  page.prose(
    """
    Here Q_jt is a network on the state and the agents' one-hot actions (two hidden layers of \
    \(qtranMatrixConfig.hiddenSize)) and V_jt one on the state. pymarl's default weights are λ_opt = 1 and \
    λ_nopt = 0.1; we use λ_nopt = \(fixed(qtranMatrixConfig.noptWeight, 1)), because on this game the weak push \
    of L_nopt makes the utilities crawl out of the 0 block (run with `--full` for the comparison). \
    After \(steps) full-batch steps with Adam's α = 0.03 and \(settleSteps) more with α = 0.003, on the \
    non-monotonic game (V_jt = \(fixed(v, 3))):
    """)
  page.table(matrixHeader, rows: sideBySide([("Q_jt", jointTable), ("Σᵢ Qᵢ", sums), ("Σᵢ Qᵢ − Q_jt + V_jt", gaps)]))
  let ubar = qtran.greedyJointAction
  let ubarIndex = game.jointActionIndex(ubar)
  page.check("Q_jt has learned the payoff", computed: jointTable, expected: game.payoff, tolerance: 0.05)
  page.check(
    "greedy return of the decentralised utilities = the optimum", computed: qtran.greedyReturn, expected: game.optimum.value,
    tolerance: 0)
  page.check(
    "condition at ū = \(jointName(ubar)): Σᵢ Qᵢ(ūᵢ) − Q_jt(ū) + V_jt = 0", computed: gaps[ubarIndex], expected: 0, tolerance: 0.05
  )
  page.checkAtLeast(
    "condition elsewhere: min over u ≠ ū of Σᵢ Qᵢ − Q_jt + V_jt ≥ 0",
    value: gaps.enumerated().filter { $0.offset != ubarIndex }.map(\.element).min()!,
    bound: 0, tolerance: 0.05)
  page.checkTrue(
    "IGM for Q_jt: ū is the argmax of Q_jt over all joint actions (enumerated)",
    holds: Tensor(jointTable).argmax()[0] == ubarIndex,
    detail: "argmax \(jointName(game.jointActionComponents(Tensor(jointTable).argmax()[0])))")
  page.prose(
    """
    The sum of utilities is not the payoff (it is far from it off the greedy action), but it ranks \
    the joint actions the way Q_jt does at the top, which is all that decentralised execution needs.
    """)

  if page.options.full {
    var rows: [[String]] = []
    for weight in [0.1, 1.0] {
      var results: [String] = []
      for seed in 0..<5 {
        var seedRng = RandomGenerator(seed: page.options.seed &+ 260 &+ UInt64(seed))
        var learner = MatrixGameLearner(
          game: game,
          config: MatrixGameLearnerConfig(
            method: .qtran, qtran: QTRANConfig(hiddenSize: qtranMatrixConfig.hiddenSize, noptWeight: weight), learningRate: 0.03),
          rng: &seedRng)
        learner.trainUniform(steps: steps)
        results.append(fixed(learner.greedyReturn, 0))
      }
      rows.append([fixed(weight, 1), results.joined(separator: ", ")])
    }
    page.table(["λ_nopt", "greedy return after \(steps) steps, 5 seeds"], rows: rows)
  }
}

// MARK: - 2.7 The TD target

chapter.section("Beyond one step: the double-Q target") { page in
  page.prose(
    """
    With more than one step the target bootstraps from the next state. pymarl's learners use a *target \
    network* Q̄ (a frozen copy of the agents and the mixer, refreshed every 200 episodes; \
    `TargetNetwork` in the library) and *double Q-learning*: the live network chooses the next joint \
    action, the target network evaluates it,
    """)
  page.equation(
    #"\bar u'_a = \arg\max_{u} Q_a(\tau'_a, u), \qquad y = r + \gamma\,(1 - \text{terminated})\; \bar Q_{tot}\big(s', \bar{\mathbf{u}}'\big)"#
  )
  page.prose(
    """
    Choosing ū′ agent by agent is IGM at work: it stands for argmax over |A|ⁿ joint actions of the \
    live Q_tot. Later chapters (MAVEN, MNMPG) train QMIX with exactly this function:
    """)
  page.code("double-q-target")
  // A hand example: B = 1, two agents with two actions, VDN.
  let live = Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 0]), target = Tensor(shape: [1, 2, 2], scalars: [5, -1, 0, 4])
  let y = doubleQTarget(
    rewards: Tensor([1]), terminated: [false], discount: 0.9, liveNextUtilities: live, targetNextUtilities: target,
    nextStates: Tensor.zeros([1, 1]), targetMixer: VDNMixer(agentCount: 2)
  ).scalar
  page.step(
    "Live utilities (1, 2) and (3, 0) choose ū′ = (2nd, 1st); the target utilities (5, −1) and (0, 4) value it at −1 + 0",
    #"y = 1 + 0.9 \cdot (-1 + 0) = 0.1 \qquad (\text{a plain } \max \text{ of the target would give } 1 + 0.9 \cdot (5 + 4) = 9.1)"#
  )
  page.check("doubleQTarget on the hand example", computed: y, expected: 0.1, tolerance: 1e-12)
  let terminal = doubleQTarget(
    rewards: Tensor([1]), terminated: [true], discount: 0.9, liveNextUtilities: live, targetNextUtilities: target,
    nextStates: Tensor.zeros([1, 1]), targetMixer: VDNMixer(agentCount: 2)
  ).scalar
  page.check("… and at a terminal transition y = r", computed: terminal, expected: 1, tolerance: 0)

  // The per-agent argmax against the joint argmax, for QMIX and for the unconstrained mixer.
  var rng = RandomGenerator(seed: page.options.seed &+ 27)
  let (batch, n, actions, stateSize) = (page.options.quick ? 40 : 100, 3, 3, 4)
  let liveQ = rng.normal([batch, n, actions], std: 2), targetQ = rng.normal([batch, n, actions], std: 2)
  let nextStates = rng.normal([batch, stateSize]), rewards = rng.normal([batch])
  var rows: [[String]] = []
  var mismatches: [Int] = []
  var qmixFast: [Double] = [], qmixSlow: [Double] = []
  for config in [QMixConfig.pymarl, .unconstrained] {
    let liveMixer = QMixMixer(agentCount: n, stateSize: stateSize, config: config, rng: &rng)
    let targetMixer = QMixMixer(agentCount: n, stateSize: stateSize, config: config, rng: &rng)
    let fast = doubleQTarget(
      rewards: rewards, terminated: Array(repeating: false, count: batch), discount: 0.99, liveNextUtilities: liveQ,
      targetNextUtilities: targetQ, nextStates: nextStates, targetMixer: targetMixer
    ).scalars
    let slow = jointArgmaxTarget(
      rewards: rewards, discount: 0.99, live: liveQ, target: targetQ, nextStates: nextStates, liveMixer: liveMixer,
      targetMixer: targetMixer)
    let differing = zip(fast, slow).filter { abs($0 - $1) > 1e-9 }.count
    mismatches.append(differing)
    if config.monotonic { (qmixFast, qmixSlow) = (fast, slow) }
    rows.append([config.monotonic ? "QMIX" : "unconstrained", "\(batch)", "\(differing)"])
  }
  page.table(
    ["mixer", "transitions", "targets that differ"], rows: rows,
    caption:
      "y with ū′ from the per-agent argmaxes, against y with ū′ = argmax of the live Q_tot over all \(actions)^\(n) joint actions."
  )
  page.check("QMIX: per-agent argmax target = joint-argmax target", computed: qmixFast, expected: qmixSlow, tolerance: 1e-12)
  page.checkAtLeast(
    "unconstrained mixer: the per-agent shortcut picks a different ū′ for some transitions", value: Double(mismatches[1]),
    bound: 1)
}

// MARK: - 2.8 Experiment

chapter.section("Experiment: four methods, three games, ε-greedy exploration") { page in
  page.prose(
    """
    So far the agents visited every joint action equally. Real agents explore ε-greedily: each agent, \
    independently, takes a random action with probability ε and its own greedy action otherwise, \
    with ε decaying linearly from 1 to 0.05 as in pymarl. Data then concentrates on the joint actions \
    the agents currently prefer, which changes the fixed points: the weighted projection now favours \
    whatever the agents already do. Every method below is trained from a replay buffer of one-step \
    episodes (one episode collected and one minibatch update of 32 per step, Adam), on the climbing \
    game, the penalty game with k = −100 and the non-monotonic game, from several seeds.
    """)
  let games = [MatrixGame.climbing, .penalty(k: -100), .nonMonotonic]
  let seeds = page.options.quick ? 2 : (page.options.full ? 10 : 4)
  let steps = page.options.quick ? 200 : 300
  let anneal = steps / 2
  let interval = 20
  let exploration = Exploration.epsilonGreedy(EpsilonSchedule(start: 1, finish: 0.05, annealSteps: anneal))
  var finals: [String: [Double]] = [:]
  var curves: [String: [[Double]]] = [:]
  var igmHolds = true, igmChecked = 0
  page.experiment(
    "\(ValueMethod.allCases.count) methods × \(games.count) games × \(seeds) seeds, \(steps) steps each",
    total: games.count * seeds
  ) { progress in
    for game in games {
      for seed in 0..<seeds {
        for method in ValueMethod.allCases {
          var rng = RandomGenerator(
            seed: page.options.seed &* 1000 &+ UInt64(seed) &* 7 &+ UInt64(games.firstIndex { $0.name == game.name }!))
          var learner = MatrixGameLearner(
            game: game, config: MatrixGameLearnerConfig(method: method, qtran: qtranMatrixConfig, learningRate: 0.03), rng: &rng)
          let curve = learner.trainSampled(steps: steps, exploration: exploration, evaluationInterval: interval, rng: &rng)
          let key = game.name + "|" + method.rawValue
          finals[key, default: []].append(learner.greedyReturn)
          curves[key, default: []].append(curve)
          if method == .vdn || method == .qmix {
            igmChecked += 1
            let table = learner.jointValueTable
            if table.max()! > table[game.jointActionIndex(learner.greedyJointAction)] + 1e-9 { igmHolds = false }
          }
        }
        progress.advance()
      }
    }
  }
  var rows: [[String]] = []
  for game in games {
    for method in ValueMethod.allCases {
      let values = finals[game.name + "|" + method.rawValue]!
      let found = values.filter { $0 == game.optimum.value }.count
      let counts = Dictionary(grouping: values, by: { $0 }).sorted {
        $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key)
      }
      rows.append([
        game.name, fixed(game.optimum.value, 0), method.rawValue, fixed(values.reduce(0, +) / Double(values.count), 2),
        "\(found)/\(values.count)",
        counts.map { "\(fixed($0.key, 0)) ×\($0.value.count)" }.joined(separator: ", "),
      ])
    }
  }
  page.table(
    ["game", "optimum", "method", "mean greedy return", "found optimum", "greedy returns (×runs)"], rows: rows,
    caption:
      "Greedy return R(ū) of the decentralised greedy policy after \(steps) steps (ε: 1 → 0.05 over \(anneal) steps), \(seeds) seeds."
  )
  page.checkTrue(
    "IGM holds on every trained VDN and QMIX learner (greedy tuple = argmax of its Q_tot table)", holds: igmHolds,
    detail: "\(igmChecked) learners")

  let focus = MatrixGame.nonMonotonic
  let series = ValueMethod.allCases.map { method -> Series in
    let runs = curves[focus.name + "|" + method.rawValue]!
    return Series(
      method.rawValue,
      points: runs[0].indices.map { k in (Double(k * interval), runs.map { $0[k] }.reduce(0, +) / Double(runs.count)) })
  }
  page.plot(
    Plot(
      title: "Greedy return on the non-monotonic game (mean over \(seeds) seeds)", xLabel: "training step", yLabel: "R(ū)",
      series: series),
    file: "ch02-learning-curves")

  // The prose reports what this run found, method by method.
  func summary(_ method: ValueMethod) -> String {
    games.map { game in
      let values = finals[game.name + "|" + method.rawValue]!
      return "\(values.filter { $0 == game.optimum.value }.count)/\(values.count) on \(game.name)"
    }.joined(separator: ", ")
  }
  let totalFound = { (method: ValueMethod) in
    games.map { g in finals[g.name + "|" + method.rawValue]!.filter { $0 == g.optimum.value }.count }.reduce(0, +)
  }
  // Where uniform visitation points: the payoff of the additive fit's greedy joint action (section 2.5).
  let projectionPayoff = { (game: MatrixGame) in game.payoff[Tensor(game.additiveProjection).argmax()[0]] }
  let factorised: [ValueMethod] = [.iql, .vdn, .qmix]
  let atProjection = factorised.map { m in
    games.map { g in finals[g.name + "|" + m.rawValue]!.filter { $0 == projectionPayoff(g) }.count }.reduce(0, +)
  }.reduce(0, +)
  let factorisedRuns = factorised.count * games.count * seeds
  let factorisedFound = factorised.map(totalFound).reduce(0, +)
  page.prose(
    """
    What this run shows, as counts of runs whose greedy policy is optimal: IQL \(summary(.iql)); VDN \
    \(summary(.vdn)); QMIX \(summary(.qmix)); QTRAN \(summary(.qtran)).

    IQL, VDN and QMIX ended exactly where uniform visitation points (the greedy action of the additive \
    fit of section 2.5, worth \(games.map { fixed(projectionPayoff($0), 0) }.joined(separator: ", ")) on the three \
    games) in \(atProjection) of their \(factorisedRuns) runs, and found the optimum in \(factorisedFound). QTRAN \
    found it in \(totalFound(.qtran)) of \(games.count * seeds). With ε-greedy data the projection argument \
    no longer fixes the outcome: while ε is near 1 visitation is nearly uniform, and it pulls the \
    utilities toward the low-risk actions of section 2.5; once ε has decayed, the data concentrates on \
    whatever the agents then prefer, so where a run ends depends on where it was when exploration \
    faded. These are one-step games with a deterministic payoff; on longer tasks the same trap is \
    harder to see and costlier to escape, which is where MAVEN (chapter 6) starts.
    """)
}

// MARK: - 2.9 Exercises

chapter.section("Exercises") { page in
  page.prose(
    """
    The exercises in `exercises/02-value-decomposition/` ask you to write the pieces of this chapter \
    yourself; `swift test --filter Exercise02` grades them.

    - **2.1** The QMIX mixing network's forward pass from raw hypernetwork outputs (absolute-value \
    weights, ELU, free biases), differentiable so that the mixer can be trained.
    - **2.2** The least-squares additive fit of a payoff matrix under uniform visitation.
    - **2.3** An IGM check for any factorisation, by enumerating joint actions.
    - **2.4** The double-Q TD target with a target network.
    - **2.5** QTRAN-base's three losses, with the right terms held constant.
    """)
}

chapter.run()
