// Chapter 4: COMA. A team shares one reward, so each agent's policy gradient carries every teammate's
// luck as noise. Difference rewards subtract what the team would have earned had the agent acted
// otherwise; COMA learns a critic that makes that subtraction possible without a simulator, proves it
// adds no bias, and removes most of the variance. All three claims are checked on numbers here.

import Autodiff
import Foundation
import MARL
import Workbook

let chapter = Chapter(number: 4, slug: "coma", title: "COMA: counterfactual baselines for multi-agent credit assignment")

// MARK: - 4.1 Credit assignment

chapter.section("One reward for the whole team") { page in
  page.prose(
    """
    In a cooperative game every agent receives the same reward r(s, $\\mathbf{u}$). Agent a's part of \
    the policy gradient weighs the score of its own action by the value of the *joint* action:
    """)
  page.equation(
    #"g^a = Q(s, \mathbf{u}) \, \nabla_{\theta^a} \log \pi^a(u^a \mid \tau^a), \qquad \mathbb{E}[g^a] = \nabla_{\theta^a} J"#)
  page.prose(
    """
    Q(s, $\\mathbf{u}$) moves with every teammate's action. When a teammate blunders, agent a's good \
    choice is scored low; when a teammate shines, a poor choice is scored high. On average this washes \
    out, which is why gᵃ is unbiased, but it washes out slowly: this is the *credit assignment* problem. \
    The classic fix is the **difference reward**: compare the reward with the reward the team would \
    have received had agent a played some default action cᵃ, everyone else unchanged,
    """)
  page.equation(#"D^a = r(s, \mathbf{u}) - r\big(s, (\mathbf{u}^{-a}, c^a)\big)"#)
  page.code("difference-reward")

  // Additive games: the difference reward is exactly the agent's own term.
  var rng = RandomGenerator(seed: page.options.seed)
  let weights = (0..<4).map { _ in rng.uniform(-5, 5) }
  let additive = MatrixGame.weightedSum(weights: weights)
  var worst = 0.0
  for u in additive.allJointActions {
    for a in 0..<4 {
      for c in 0..<2 {
        let byFormula = weights[a] * Double(u[a] - c)
        worst = max(worst, abs(additive.differenceReward(of: a, jointAction: u, defaultAction: c) - byFormula))
      }
    }
  }
  page.prose(
    """
    When the reward is a sum of individual terms, $R(\\mathbf{u}) = \\sum_j w_j u^j$, the subtraction \
    removes every teammate's term and leaves Dᵃ = wₐ(uᵃ − cᵃ): agent a's own contribution, nothing else.
    """)
  page.check(
    "Dᵃ = wₐ(uᵃ − cᵃ) on a random 4-agent additive game: every joint action, agent and default",
    computed: worst, expected: 0, tolerance: 1e-12)

  page.step(
    "The subtracted term does not depend on uᵃ, so its score-weighted mean vanishes (§4.3 proves it):",
    #"\mathbb{E}\big[D^a \nabla \log \pi^a\big] = \mathbb{E}\big[r \, \nabla \log \pi^a\big] - \mathbb{E}\big[r(s, (\mathbf{u}^{-a}, c^a)) \, \nabla \log \pi^a\big] = \nabla_{\theta^a} J - 0"#
  )
  let game = MatrixGame(name: "random", actionCounts: [2, 3, 2], payoff: (0..<12).map { _ in rng.uniform(-10, 10) })
  let policies = game.actionCounts.map { randomPolicy($0, using: &rng) }
  let exact = game.exactPolicyGradient(logits: policies.map { $0.map { Foundation.log($0) } })
  var differenceGradients: [Double] = [], exactGradients: [Double] = []
  for a in 0..<3 {
    let moments = game.exactAgentGradientMoments(agent: a, policies: policies) { u in
      game.differenceReward(of: a, jointAction: u, defaultAction: 0)
    }
    differenceGradients += moments.mean
    exactGradients += exact[a]
  }
  page.check(
    "E[Dᵃ ∇ log πᵃ] equals the exact policy gradient ∇J (chapter 3) on a random 2×3×2 game, every agent",
    computed: differenceGradients, expected: exactGradients, tolerance: 1e-12)

  page.prose(
    """
    Averaging the default action over agent a's own policy, cᵃ ∼ πᵃ, gives the *aristocrat utility*, \
    the form COMA will use:
    """)
  page.equation(
    #"\mathbb{E}_{c^a \sim \pi^a}\big[D^a\big] = r(s, \mathbf{u}) - \sum_{c^a} \pi^a(c^a \mid \tau^a)\, r\big(s, (\mathbf{u}^{-a}, c^a)\big)"#
  )
  var worstAristocrat = 0.0
  for u in game.allJointActions {
    for a in 0..<3 {
      let byDefaults = game.aristocratUtility(of: a, jointAction: u, policy: policies[a])
      let byBaseline = game.counterfactualAdvantage(of: a, jointAction: u, policy: policies[a])
      worstAristocrat = max(worstAristocrat, abs(byDefaults - byBaseline))
    }
  }
  page.check(
    "the πᵃ-average of the difference rewards equals COMA's advantage with Q = R, all 12 joint actions × 3 agents",
    computed: worstAristocrat, expected: 0, tolerance: 1e-12)
  page.prose(
    """
    The catch: r(s, ($\\mathbf{u}^{-a}$, cᵃ)) is the reward of a joint action that *never happened*. \
    Computing it needs a simulator that can be rewound, or a model of the reward, one extra query per \
    agent per step. COMA replaces both by a learned critic.
    """)
}

// MARK: - 4.2 The counterfactual baseline

chapter.section("COMA's counterfactual baseline and its critic") { page in
  page.prose(
    """
    COMA (Foerster et al., AAAI 2018) learns a centralised critic Q(s, $\\mathbf{u}$) and gives each \
    agent the advantage of its action over what it would have earned, on average, by redrawing that \
    action from *its own* policy while every teammate keeps its action:
    """)
  page.equation(
    #"A^a(s, \mathbf{u}) = Q(s, \mathbf{u}) - \sum_{u'^a} \pi^a(u'^a \mid \tau^a)\, Q\big(s, (\mathbf{u}^{-a}, u'^a)\big)"#)
  page.prose(
    """
    The subtracted sum is the counterfactual baseline bᵃ(s, $\\mathbf{u}^{-a}$). It is the \
    ordinary state-value baseline V(s) = Σ_u π(u) Q(s, u) of single-agent actor-critics, except that \
    only agent a's action is averaged out: the teammates' actual actions stay in, and so does their \
    luck, on both sides of the minus sign.

    **The critic.** Evaluating the baseline needs Q for every action of agent a with u⁻ᵃ held fixed. A \
    critic of the full joint action would need Kⁿ outputs (or K forward passes per agent). COMA's \
    critic instead leaves agent a's own action *out of its input* and returns K outputs, \
    Q(s, ($\\mathbf{u}^{-a}$, k)) for k = 1…K, in one pass. One network serves every agent; its \
    input row for agent a at step t holds the parts the reference implementation uses:
    """)
  let task = EchoTeam(config: .init(agentCount: 8, signalCount: 3, horizon: 4))
  let layout = COMACriticInput(
    agentCount: task.agentCount, actionCount: task.actionCount, stateSize: task.stateSize, observationSize: task.observationSize)
  let (n, K) = (task.agentCount, task.actionCount)
  page.table(
    ["part", "what it holds", "length (n = \(n), K = \(K))"],
    rows: [
      ["sₜ", "the global state", "\(task.stateSize)"],
      ["oᵃₜ", "agent a's own observation", "\(task.observationSize)"],
      ["u⁻ᵃₜ", "one-hot joint action, agent a's block zeroed", "n·K = \(n * K)"],
      ["uₜ₋₁", "one-hot previous joint action (zeros at t = 0)", "n·K = \(n * K)"],
      ["a", "one-hot agent id", "n = \(n)"],
      ["total", "", "\(layout.size)"],
    ], caption: "The critic's input for the experiment's task (§4.6); its output has K = \(K) entries.")
  page.code("coma-critic-mask")

  // The mask at work: a random critic cannot see agent a's own action in agent a's row.
  var rng = RandomGenerator(seed: page.options.seed)
  let critic = COMACritic(input: layout, hidden: [32], rng: &rng)
  var env = task
  var states: [Double] = [], observations: [Double] = [], actions: [Int] = [], last: [Int] = []
  let B = 16
  for _ in 0..<B {
    env.reset(using: &rng)
    states += env.state
    observations += env.jointObservation
    actions += (0..<n).map { _ in rng.integer(below: K) }
    last += (0..<n).map { _ in rng.integer(below: K) }
  }
  let q = critic(layout.rows(states: states, observations: observations, jointActions: actions, lastJointActions: last)).scalars
  var ownChange = 0.0, teammateChange = Double.infinity
  for a in 0..<n {
    var changed = actions
    for b in 0..<B { changed[b * n + a] = (actions[b * n + a] + 1) % K }  // only agent a's action changes
    let q2 = critic(layout.rows(states: states, observations: observations, jointActions: changed, lastJointActions: last))
      .scalars
    var own = 0.0, others = 0.0
    for b in 0..<B {
      for row in 0..<n {
        for k in 0..<K {
          let d = abs(q2[(b * n + row) * K + k] - q[(b * n + row) * K + k])
          if row == a { own = max(own, d) } else { others = max(others, d) }
        }
      }
    }
    ownChange = max(ownChange, own)
    teammateChange = min(teammateChange, others)
  }
  page.check(
    "agent a's K outputs do not move when only uᵃ changes (a random critic, \(B) steps, every agent)",
    computed: ownChange, expected: 0, tolerance: 0)
  page.checkAtLeast(
    "… while every teammate's outputs do move (smallest change over the \(n) agents)", value: teammateChange, bound: 1e-6)
  page.prose(
    """
    So output k of agent a's row can only mean "agent a played k": the one pass gives the whole \
    counterfactual column. Given that column and agent a's policy, the advantage of every agent is \
    two tensor operations:
    """)
  page.code("coma-advantage")

  // A perfect critic on a matrix game: the batched advantage against the scalar formula.
  let game = MatrixGame(name: "random", actionCounts: [3, 3, 3], payoff: (0..<27).map { _ in rng.uniform(-10, 10) })
  let policies = (0..<3).map { _ in randomPolicy(3, using: &rng) }
  var qRows: [Double] = [], πRows: [Double] = [], taken: [Int] = [], byFormula: [Double] = []
  var zeroMean = 0.0
  for u in game.allJointActions {
    for a in 0..<3 {
      let column = game.counterfactualPayoffs(of: a, jointAction: u)
      qRows += column
      πRows += policies[a]
      taken.append(u[a])
      // The formula, term by term: R(u) minus the πᵃ-weighted column.
      var baseline = 0.0
      for k in 0..<3 { baseline += policies[a][k] * column[k] }
      byFormula.append(game.payoff(u) - baseline)
      // Σ_k πᵃ(k) Aᵃ((u⁻ᵃ, k)) over agent a's own redraws.
      var average = 0.0
      for k in 0..<3 {
        var v = u
        v[a] = k
        average += policies[a][k] * game.counterfactualAdvantage(of: a, jointAction: v, policy: policies[a])
      }
      zeroMean = max(zeroMean, abs(average))
    }
  }
  let rows = game.payoff.count * 3
  let batched = counterfactualAdvantages(
    qValues: Tensor(shape: [rows, 3], scalars: qRows), policies: Tensor(shape: [rows, 3], scalars: πRows), actions: taken)
  page.check(
    "batched advantages (one [81, 3] pass) equal R(u) − Σ_k πᵃ(k) R(u⁻ᵃ, k) term by term, 3-agent 3×3×3 game",
    computed: batched.scalars, expected: byFormula, tolerance: 1e-12)
  page.check(
    "the advantage averages to zero over agent a's own policy, Σ_k πᵃ(k) Aᵃ(u⁻ᵃ, k) = 0, for every u⁻ᵃ and a",
    computed: zeroMean, expected: 0, tolerance: 1e-12)

  // The erratum.
  page.prose(
    """
    **The erratum.** The conference paper writes the critic as Q(s, $\\mathbf{u}$). Its revised arXiv \
    version adds an errata section explaining that this critic conditioned on the state but not on the \
    joint history τ, which invalidates the convergence proof; the corrected critic is \
    Q(s, $\\boldsymbol{\\tau}$, $\\mathbf{u}$). \
    The proof reads the game as a single-agent problem whose state is (s, $\\boldsymbol{\\tau}$): the \
    agents act on their histories, so what happens next depends on the histories, not on s alone. A \
    critic of s alone averages over the histories, and the average is the wrong weight for a score \
    ∇ log πᵃ(uᵃ|τᵃ) that itself depends on τᵃ. The smallest example: one agent sees a coin o at t = 0 \
    (the state does not record it), plays u₀ ∼ π₀(·|o), and at t = 1, remembering o, plays \
    u₁ ∼ π₁(·|o); the reward is 𝟙[u₁ = u₀]. Then
    """)
  page.equation(#"Q(s_0, \tau, u_0) = \pi_1(u_0 \mid o), \qquad Q(s_0, u_0) = \sum_{o} \Pr(o \mid u_0)\, \pi_1(u_0 \mid o)"#)
  let example = MemoryExample()
  let θ: [[Double]] = [[0.4, -0.3], [-0.5, 0.6]]
  let trueGradient = example.finiteDifferenceGradient(θ)
  let withHistory = example.criticGradient(θ, critic: example.historyCritic(θ))
  let withState = example.criticGradient(θ, critic: example.stateCritic(θ))
  let bias = maxAbs(zip(withState, trueGradient).map { $0 - $1 })
  page.check(
    "with the history critic Q(s, τ, u), E[Q ∇ log π₀] equals ∂J/∂θ by central differences",
    computed: withHistory, expected: trueGradient, tolerance: 1e-8)
  page.checkAtLeast(
    "with the state critic Q(s, u), it does not: max|bias| = \(fmt(bias, 4)) on the four logits", value: bias, bound: 1e-3)
  page.prose(
    """
    True gradient \(fmt(trueGradient, 4)); state-only critic \(fmt(withState, 4)). No baseline changes \
    this: the baseline adds nothing in expectation, the bias sits in Q itself.

    **Which form this chapter uses.** In a matrix game (§4.3, §4.4) there is one state and no history, \
    so the two forms coincide. In the experiment (§4.6) the policies are reactive, πᵃ(·|oᵃₜ), and oᵃₜ \
    is a function of sₜ; the state is Markov, so the future given (sₜ, $\\mathbf{u}_t$) does not \
    depend on the past at all, and Q(s, $\\boldsymbol{\\tau}$, $\\mathbf{u}$) = Q(s, $\\mathbf{u}$). We \
    therefore use the conference form, with the reference implementation's extra inputs oᵃₜ and \
    uₜ₋₁ (a piece of τ, harmless here), and it is exact. With recurrent actors on partially \
    observed tasks, the critic should read the joint history, e.g. through a recurrent network.
    """)
}

// MARK: - 4.3 No bias

chapter.section("The baseline adds no bias") { page in
  page.prose(
    "Write b for any function of the state and the *other* agents' actions. Agent a's actions are drawn from its own policy, independently of the others given the histories, so"
  )
  page.step(
    "Split the expectation over uᵃ from the one over u⁻ᵃ",
    #"\mathbb{E}\big[\nabla \log \pi^a(u^a \mid \tau^a)\, b(s, \mathbf{u}^{-a})\big] = \sum_{s, \boldsymbol\tau} d(s, \boldsymbol\tau) \sum_{\mathbf{u}^{-a}} \boldsymbol\pi^{-a}(\mathbf{u}^{-a} \mid \boldsymbol\tau^{-a})\, b(s, \mathbf{u}^{-a}) \sum_{u^a} \pi^a(u^a \mid \tau^a)\, \nabla \log \pi^a(u^a \mid \tau^a)"#
  )
  page.step(
    "π ∇ log π = ∇π, and the probabilities sum to one whatever θ is",
    #"\sum_{u^a} \pi^a(u^a \mid \tau^a)\, \nabla \log \pi^a(u^a \mid \tau^a) = \nabla \sum_{u^a} \pi^a(u^a \mid \tau^a) = \nabla 1 = 0"#
  )
  page.prose(
    """
    COMA's bᵃ is such a function: it averages agent a's action out. The proof needs nothing else, and \
    it fails for a baseline that looks at uᵃ. Checked by enumeration on a random game with random \
    stochastic policies, where E[g] = Σ_u π(u) g(u) over every joint action:
    """)
  var rng = RandomGenerator(seed: page.options.seed)
  let game = MatrixGame(name: "random", actionCounts: [2, 3, 2], payoff: (0..<12).map { _ in rng.uniform(-10, 10) })
  let policies = game.actionCounts.map { randomPolicy($0, using: &rng) }
  var baselineTerm: [Double] = [], teammateTerm: [Double] = []
  var comaMean: [Double] = [], exactGradient: [Double] = []
  let exact = game.exactPolicyGradient(logits: policies.map { $0.map { Foundation.log($0) } })
  for a in 0..<3 {
    let b = (a + 1) % 3
    baselineTerm +=
      game.exactAgentGradientMoments(agent: a, policies: policies) { u in
        counterfactualBaseline(qValues: game.counterfactualPayoffs(of: a, jointAction: u), policy: policies[a])
      }.mean
    // A mistake: agent b's counterfactual baseline (it averages out uᵇ but keeps uᵃ) used for agent a.
    teammateTerm +=
      game.exactAgentGradientMoments(agent: a, policies: policies) { u in
        counterfactualBaseline(qValues: game.counterfactualPayoffs(of: b, jointAction: u), policy: policies[b])
      }.mean
    comaMean +=
      game.exactAgentGradientMoments(
        agent: a, policies: policies, weight: game.gradientWeight(.counterfactual, agent: a, policies: policies)
      ).mean
    exactGradient += exact[a]
  }
  page.check(
    "E[∇ log πᵃ · bᵃ] = 0 for every agent and logit (2×3×2 game, random policies)", computed: maxAbs(baselineTerm), expected: 0,
    tolerance: 1e-13)
  page.checkAtLeast(
    "a baseline that keeps uᵃ (a teammate's counterfactual) is biased: max|E[∇ log πᵃ · bᵇ]| = \(fmt(maxAbs(teammateTerm), 3))",
    value: maxAbs(teammateTerm), bound: 1e-3)
  page.check(
    "so E[Aᵃ ∇ log πᵃ] is the exact policy gradient of chapter 3, every agent",
    computed: comaMean, expected: exactGradient, tolerance: 1e-12)
  // An independent oracle: central differences of J(θ) = Σ_u Πᵢ softmax(θⁱ)(uⁱ) R(u).
  let logits = policies.map { $0.map { Foundation.log($0) } }
  var differences: [Double] = []
  for a in 0..<3 {
    for k in logits[a].indices {
      var plus = logits, minus = logits
      plus[a][k] += 1e-5
      minus[a][k] -= 1e-5
      let Jplus = game.expectedPayoff(policies: plus.map(softmaxProbabilities))
      let Jminus = game.expectedPayoff(policies: minus.map(softmaxProbabilities))
      differences.append((Jplus - Jminus) / 2e-5)
    }
  }
  page.check("… and the central differences of J(θ)", computed: comaMean, expected: differences, tolerance: 1e-8)

  let samples = page.options.quick ? 4_000 : 20_000
  var worstGradient = 0.0, worstBaseline = 0.0
  for a in 0..<3 {
    let estimate = game.sampledAgentGradient(
      agent: a, policies: policies, samples: samples, weight: game.gradientWeight(.counterfactual, agent: a, policies: policies),
      using: &rng)
    for k in estimate.mean.indices where estimate.standardError[k] > 0 {
      worstGradient = max(worstGradient, abs(estimate.mean[k] - exact[a][k]) / estimate.standardError[k])
    }
    let baselineOnly = game.sampledAgentGradient(
      agent: a, policies: policies, samples: samples,
      weight: { u in
        counterfactualBaseline(qValues: game.counterfactualPayoffs(of: a, jointAction: u), policy: policies[a])
      }, using: &rng)
    for k in baselineOnly.mean.indices where baselineOnly.standardError[k] > 0 {
      worstBaseline = max(worstBaseline, abs(baselineOnly.mean[k]) / baselineOnly.standardError[k])
    }
  }
  page.prose("By sampling, \(samples) joint actions per agent, measured in standard errors (|estimate − exact| / SE):")
  page.checkAtMost("the sampled COMA gradient is within 4 standard errors of ∇J, every entry", value: worstGradient, bound: 4)
  page.checkAtMost(
    "the sampled baseline term ∇ log πᵃ · bᵃ is within 4 standard errors of 0, every entry", value: worstBaseline, bound: 4)
}

// MARK: - 4.4 Variance

chapter.section("How much variance each baseline removes") { page in
  page.prose(
    """
    Same mean, then; the baselines differ in variance. Take the two-agent game \
    R($\\mathbf{u}$) = u¹ + 10u² (two actions each, one state, so Q = R exactly) and agent 1's \
    per-sample gradient on its two logits, gᵃ = w($\\mathbf{u}$) ∇ log π¹(u¹), with three weights: \
    the joint value Q, the advantage Q − V with V = E[R], and COMA's A¹. Agent 1's own effect on R \
    is 1; agent 2's coin flip moves R by 10. We measure tr Cov[g] = E‖g − E g‖², exactly by \
    enumeration and by sampling:
    """)
  let game = MatrixGame.weightedSum(weights: [1, 10])
  var rng = RandomGenerator(seed: page.options.seed)
  let samples = page.options.quick ? 4_000 : 20_000
  let settings: [(name: String, policies: [[Double]])] = [
    ("uniform", [[0.5, 0.5], [0.5, 0.5]]),
    ("π¹ = (0.7, 0.3)", [[0.7, 0.3], [0.5, 0.5]]),
  ]
  var rows: [[String]] = []
  var worstMean = 0.0, worstZ = 0.0
  var exactVariance: [String: [Double]] = [:]
  for setting in settings {
    let gradient = game.exactPolicyGradient(logits: setting.policies.map { $0.map { Foundation.log($0) } })[0]
    for kind in AgentGradientWeight.allCases {
      let weight = game.gradientWeight(kind, agent: 0, policies: setting.policies)
      let exact = game.exactAgentGradientMoments(agent: 0, policies: setting.policies, weight: weight)
      let sampled = game.sampledAgentGradient(agent: 0, policies: setting.policies, samples: samples, weight: weight, using: &rng)
      let se = exact.standardErrorOfSampledVariance(samples: samples)
      worstMean = max(worstMean, maxAbs(zip(exact.mean, gradient).map { $0 - $1 }))
      if se > 0 {
        worstZ = max(worstZ, abs(sampled.totalVariance - exact.totalVariance) / se)
      } else {
        worstZ = max(worstZ, abs(sampled.totalVariance - exact.totalVariance) > 1e-12 ? .infinity : 0)
      }
      exactVariance[setting.name, default: []].append(exact.totalVariance)
      rows.append([
        setting.name, kind.description, fmt(exact.mean), fmt(exact.totalVariance, 4),
        "\(fmt(sampled.totalVariance, 4)) ± \(fmt(se, 4))",
      ])
    }
  }
  page.table(
    ["policy", "weight", "E[g] (exact)", "tr Cov[g] (exact)", "tr Cov[g] (\(samples) samples) ± SE"], rows: rows,
    caption: "Agent 1's gradient estimator on R = u¹ + 10u²; agent 2 plays uniformly. Our construction.")
  page.check(
    "all six estimators have the mean ∇_θ¹ J (chapter 3's exact gradient)", computed: worstMean, expected: 0, tolerance: 1e-13)
  page.checkAtMost("every sampled variance is within 5 standard errors of its exact value", value: worstZ, bound: 5)
  let uniform = exactVariance["uniform"]!, skewed = exactVariance["π¹ = (0.7, 0.3)"]!
  page.prose(
    """
    At the uniform policy the total variance falls from \(fmt(uniform[0], 3)) (Q) to \(fmt(uniform[1], 3)) \
    (Q − V) to \(fmt(uniform[2], 3)) (COMA); at π¹ = (0.7, 0.3), from \(fmt(skewed[0], 3)) to \
    \(fmt(skewed[1], 3)) to \(fmt(skewed[2], 3)). Subtracting V removes the *mean* of R; only the \
    counterfactual baseline removes agent 2's coin flip. The numbers follow in closed form, which \
    also shows where they come from.
    """)

  // The closed forms, derived for R = Σⱼ wⱼ uʲ with π¹ = (p₀, p₁) and teammates j playing 1 with probability qⱼ.
  page.step(
    "A two-action softmax has score ∇ log π¹(u¹) = s(u¹)(1, −1), with s(0) = p₁ and s(1) = −p₀, so",
    #"\mathrm{tr}\,\mathrm{Cov}[g] = 2\,\mathrm{Var}\big[w(\mathbf{u})\, s(u^1)\big], \qquad \mathbb{E}[s] = 0, \quad \mathbb{E}[s^2] = p_0 p_1"#
  )
  page.step(
    "COMA's advantage is agent 1's own centred term, A¹ = w₁(u¹ − p₁); the products take the values −p₁² and −p₀²",
    #"\mathrm{tr}\,\mathrm{Cov}_{\text{COMA}} = 2 w_1^2\, p_0 p_1 (p_0 - p_1)^2"#)
  func closedForms(_ w: [Double], _ p: [Double], _ q: [Double]) -> [Double] {
    let (p0, p1) = (p[0], p[1])
    let coma = 2 * w[0] * w[0] * p0 * p1 * (p0 - p1) * (p0 - p1)
    var others = 0.0
    for b in 1..<w.count { others += w[b] * w[b] * q[b] * (1 - q[b]) }
    let advantage = coma + 2 * p0 * p1 * others
    var V = w[0] * p1
    for b in 1..<w.count { V += w[b] * q[b] }
    let raw = advantage + 2 * p0 * p1 * (V * V + 2 * V * w[0] * (p0 - p1))
    return [raw, advantage, coma]
  }
  let derivedUniform = closedForms([1, 10], [0.5, 0.5], [0, 0.5])
  let derivedSkewed = closedForms([1, 10], [0.7, 0.3], [0, 0.5])
  page.check(
    "closed form vs enumeration, COMA, both policies", computed: [derivedUniform[2], derivedSkewed[2]],
    expected: [uniform[2], skewed[2]], tolerance: 1e-12)
  page.step(
    "Q − V adds every teammate's centred term $w_j (u^j - q_j)$, independent of u¹ and of mean zero",
    #"\mathrm{tr}\,\mathrm{Cov}_{Q-V} = \mathrm{tr}\,\mathrm{Cov}_{\text{COMA}} + 2 p_0 p_1 \sum_{j \ne 1} w_j^2\, q_j (1 - q_j)"#
  )
  page.check(
    "closed form vs enumeration, Q − V, both policies", computed: [derivedUniform[1], derivedSkewed[1]],
    expected: [uniform[1], skewed[1]], tolerance: 1e-12)
  page.step(
    "Raw Q adds the constant $V = w_1 p_1 + \\sum_j w_j q_j$, which correlates with s through E[(u¹ − p₁)s²] = p₀p₁(p₀ − p₁)",
    #"\mathrm{tr}\,\mathrm{Cov}_{Q} = \mathrm{tr}\,\mathrm{Cov}_{Q-V} + 2 p_0 p_1 \big(V^2 + 2 V w_1 (p_0 - p_1)\big)"#)
  page.check(
    "closed form vs enumeration, Q, both policies", computed: [derivedUniform[0], derivedSkewed[0]],
    expected: [uniform[0], skewed[0]], tolerance: 1e-12)
  page.prose(
    """
    The uniform policy is a special case where COMA's variance is exactly zero: (u¹ − ½) s(u¹) = −¼ \
    whatever u¹ is. The teammates' term, $2 p_0 p_1 \\sum_j w_j^2 q_j (1 - q_j)$, is what COMA removes and what \
    grows with the team.

    **More agents.** Take $R = \\sum_j u^j$ for n agents, every one playing (0.7, 0.3), and look at agent 1 \
    again:
    """)
  var sweepRows: [[String]] = []
  var series: [[(x: Double, y: Double)]] = [[], [], []]
  var worstClosed = 0.0
  var comaValues: [Double] = []
  var largest: (game: MatrixGame, policies: [[Double]])? = nil
  for n in [2, 3, 4, 6, 8, 10] {
    let team = MatrixGame.weightedSum(weights: [Double](repeating: 1, count: n))
    let teamPolicies = [[Double]](repeating: [0.7, 0.3], count: n)
    let values = AgentGradientWeight.allCases.map { kind in
      team.exactAgentGradientMoments(
        agent: 0, policies: teamPolicies, weight: team.gradientWeight(kind, agent: 0, policies: teamPolicies)
      ).totalVariance
    }
    let derived = closedForms([Double](repeating: 1, count: n), [0.7, 0.3], [Double](repeating: 0.3, count: n))
    worstClosed = max(worstClosed, maxAbs(zip(values, derived).map { $0 - $1 }))
    comaValues.append(values[2])
    for i in 0..<3 { series[i].append((Double(n), values[i])) }
    sweepRows.append([
      "\(n)", "\(team.payoff.count)", fmt(values[0], 4), fmt(values[1], 4), fmt(values[2], 4), fmt(values[1] / values[2], 1),
    ])
    largest = (team, teamPolicies)
  }
  page.table(
    ["n", "joint actions", "tr Cov (Q)", "tr Cov (Q − V)", "tr Cov (COMA)", "(Q − V) / COMA"], rows: sweepRows,
    caption: "Agent 1's gradient variance on R = u¹ + … + uⁿ with every agent at (0.7, 0.3), exact by enumeration.")
  page.check("closed forms vs enumeration for every n", computed: worstClosed, expected: 0, tolerance: 1e-11)
  page.check(
    "COMA's variance does not depend on n (max − min over n)", computed: comaValues.max()! - comaValues.min()!, expected: 0,
    tolerance: 1e-13)
  if let (team, teamPolicies) = largest {
    var worst = 0.0
    for kind in AgentGradientWeight.allCases {
      let weight = team.gradientWeight(kind, agent: 0, policies: teamPolicies)
      let exact = team.exactAgentGradientMoments(agent: 0, policies: teamPolicies, weight: weight)
      let sampled = team.sampledAgentGradient(agent: 0, policies: teamPolicies, samples: samples, weight: weight, using: &rng)
      worst = max(
        worst, abs(sampled.totalVariance - exact.totalVariance) / exact.standardErrorOfSampledVariance(samples: samples))
    }
    page.checkAtMost(
      "n = \(team.actionCounts.count): the sampled variances of all three estimators are within 5 standard errors of the exact ones",
      value: worst, bound: 5)
  }
  page.plot(
    Plot(
      title: "Agent 1's gradient variance as the team grows", xLabel: "agents n", yLabel: "tr Cov[g]",
      series: [Series("Q", points: series[0]), Series("Q − V", points: series[1]), Series("COMA", points: series[2])]),
    file: "ch04-variance-vs-agents")
  page.prose(
    """
    Q − V grows linearly in n (one teammate's term per agent), raw Q quadratically (V itself grows), \
    and COMA's stays at \(fmt(comaValues[0], 4)): only agent 1's own coin flip is left. At \
    n = \(Int(series[1].last!.x)) an estimator with the Q − V weight needs about \(fmt(series[1].last!.y / series[2].last!.y, 0)) times as \
    many samples as COMA's for the same precision, if the critic is exact. In practice the \
    critic is learned, and its errors add back some variance and some bias; §4.6 measures the net effect.
    """)
}

// MARK: - 4.5 TD(λ) targets

chapter.section("The critic's targets: TD(λ)") { page in
  page.prose(
    """
    COMA's critic regresses Q(sₜ, $\\mathbf{u}_t$) on TD(λ) targets built from a target network's \
    value of the next joint action actually taken, qₜ₊₁ = Q̄(sₜ₊₁, $\\mathbf{u}_{t+1}$). By \
    definition the target is a geometric mixture of n-step returns (the forward view), \
    with mₜ = 0 after a terminal step:
    """)
  page.equation(
    #"G_t^{(k)} = \sum_{l=0}^{k-1} \gamma^l r_{t+l} + \gamma^k m\, q_{t+k}, \qquad y_t = (1-\lambda)\sum_{k=1}^{N-1} \lambda^{k-1} G_t^{(k)} + \lambda^{N-1} G_t^{(N)}"#
  )
  page.prose("where N counts the rows left in t's episode. A learner computes it backwards in one pass instead:")
  page.equation(#"y_t = r_t + \gamma\, m_t \big[(1-\lambda)\, q_{t+1} + \lambda\, y_{t+1}\big]"#)
  page.code("td-lambda-recursive")
  // A segment with every kind of boundary: two terminations, a truncation, and a cut at the end.
  var rng = RandomGenerator(seed: page.options.seed)
  let ends: [StepEnd] = [
    .continues, .continues, .terminated, .continues, .continues, .continues, .truncated,
    .continues, .terminated, .continues, .continues, .continues,
  ]
  let T = ends.count
  let rewards = (0..<T).map { _ in rng.uniform(-1, 1) }
  let qTaken = (0..<T).map { _ in rng.uniform(-2, 2) }  // Q̄(s_t, u_t) of every row
  let finals: [Int: Double] = [6: rng.uniform(-2, 2)]  // Q̄ at the state the truncated episode was cut at
  let next = nextValues(values: qTaken, ends: ends, lastValue: rng.uniform(-2, 2), finalValues: finals)
  let γ = 0.95
  var worstViews = 0.0, worstGAE = 0.0
  for λ in [0.0, 0.5, 0.8, 1.0] {
    let recursive = tdLambdaTargets(rewards: rewards, nextValues: next, ends: ends, gamma: γ, lambda: λ)
    let forward = tdLambdaTargetsForwardView(rewards: rewards, nextValues: next, ends: ends, gamma: γ, lambda: λ)
    worstViews = max(worstViews, maxAbs(zip(recursive, forward).map { $0 - $1 }))
    // Chapter 3's λ-return, Â_t + V(s_t) with GAE, read with V := Q̄ of the taken action.
    let viaGAE = lambdaReturns(rewards: rewards, values: qTaken, nextValues: next, ends: ends, gamma: γ, lambda: λ)
    worstGAE = max(worstGAE, maxAbs(zip(recursive, viaGAE).map { $0 - $1 }))
  }
  page.check(
    "recursive = forward view on a 12-row segment (terminations, a truncation, a cut), λ ∈ {0, 0.5, 0.8, 1}",
    computed: worstViews, expected: 0, tolerance: 1e-12)
  let oneStep = (0..<T).map { t in rewards[t] + γ * ends[t].bootstrapMask * next[t] }
  page.check(
    "λ = 0 gives the one-step target rₜ + γ mₜ qₜ₊₁",
    computed: tdLambdaTargets(rewards: rewards, nextValues: next, ends: ends, gamma: γ, lambda: 0), expected: oneStep,
    tolerance: 1e-12)
  page.check(
    "λ = 1 gives the discounted return of chapter 3 (bootstrapped only where the data stops)",
    computed: tdLambdaTargets(rewards: rewards, nextValues: next, ends: ends, gamma: γ, lambda: 1),
    expected: discountedReturns(rewards: rewards, ends: ends, nextValues: next, gamma: γ), tolerance: 1e-12)
  page.check(
    "every λ: equal to chapter 3's GAE λ-return Âₜ + Vₜ with V := Q̄(sₜ, uₜ)",
    computed: worstGAE, expected: 0, tolerance: 1e-12)
  page.prose(
    """
    The last check is the identity $\\hat A_t + V_t = r_t + \\gamma[(1-\\lambda) V_{t+1} + \\lambda(\\hat A_{t+1} + V_{t+1})]$: the \
    GAE advantage and the TD(λ) target are the same sum, one centred on Vₜ and one not. COMA uses \
    λ = \(COMAConfig().lambda), which its authors found the most sensitive of its settings.
    """)
}

// MARK: - 4.6 Experiment

chapter.section("Experiment: COMA against independent and central-V actor-critics") { page in
  let task = EchoTeam(config: .init(agentCount: 8, signalCount: 3, horizon: 4))
  let (n, K, H) = (task.agentCount, task.actionCount, task.config.horizon)
  page.prose(
    """
    **The task (EchoTeam).** \(n) agents; at every one of \(H) steps each privately sees a signal \
    cᵃ ∈ {0, 1, 2} and is right if it plays it back; the team is paid r = (1/n) Σₐ 𝟙[uᵃ = cᵃ]. \
    Nothing couples the agents: the task is trivial for anyone told their own score. Told only the \
    team's, agent a's choice moves r by 1/\(n) while its teammates' guesses move it with a standard \
    deviation of √((n − 1)p(1 − p))/n, about \(fmt((Double(n - 1) * (1.0 / 3) * (2.0 / 3)).squareRoot(), 2))/\(n) \
    early on: §4.4's situation, in a sequential task. Optimum \(fmt(task.optimalReturn, 1)); \
    uniform play \(fmt(task.uniformRandomReturn, 3)).
    """)
  // The task as built: uniform play by simulation against the exact value.
  var rng = RandomGenerator(seed: page.options.seed)
  let episodes = page.options.quick ? 2_000 : 10_000
  var returns: [Double] = []
  for _ in 0..<episodes {
    var env = task
    env.reset(using: &rng)
    var total = 0.0
    while true {
      let (r, end) = env.step((0..<n).map { _ in rng.integer(below: K) }, using: &rng)
      total += r
      if end.endsEpisode { break }
    }
    returns.append(total)
  }
  let mean = returns.reduce(0, +) / Double(episodes)
  let se = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(episodes - 1) / Double(episodes)).squareRoot()
  page.check(
    "uniform play: Monte Carlo over \(episodes) episodes vs the exact H/K (within 4 standard errors)",
    computed: mean, expected: task.uniformRandomReturn, tolerance: 4 * se)

  page.prose(
    """
    **The methods.** All three share everything but the critic and the advantage: one actor network \
    shared by the agents with one-hot ids (one hidden layer of \(ExperimentSettings.hidden[0]) tanh \
    units), Adam with step \(ExperimentSettings.learningRate), \(ExperimentSettings.episodes) episodes \
    per iteration, advantages standardised, the A2C loss of chapter 3 (entropy bonus \(ExperimentSettings.loss.entropyCoefficient)).

    - **IA2C**: each agent's critic V(oᵃ) sees only its own observation; advantage GAE(\(ExperimentSettings.actorCritic(.independent, horizon: H).lambda)).
    - **Central-V A2C** (MAA2C): the critic V(s) sees the global state; advantage GAE(\(ExperimentSettings.actorCritic(.centralV, horizon: H).lambda)).
    - **COMA**: the critic Q(s, $\\mathbf{u}^{-a}$, ·) of §4.2, trained on TD(\(ExperimentSettings.coma().lambda)) targets with a \
    target network (\(ExperimentSettings.coma().criticSteps) critic steps per batch, as the paper takes one per time step); advantage Aᵃ.

    Chapter 3's `MultiAgentPPO` runs the first two (its A2C presets); `COMA` runs the third.
    """)
  let seeds = page.options.full ? 5 : (page.options.quick ? 2 : 3)
  let iterations = page.options.full ? 150 : (page.options.quick ? 30 : 80)
  let evaluationEpisodes = page.options.quick ? 100 : 200
  var runs: [Method: [Run]] = [:]
  let jobs = Method.allCases.flatMap { method in (0..<seeds).map { (method, page.options.seed &* 1_000 &+ UInt64($0)) } }
  page.experiment("3 methods × \(seeds) seeds × \(iterations) iterations on EchoTeam (n = \(n))", total: jobs.count * iterations)
  { progress in
    // The runs are independent (each owns its generator and networks): chapter 3's runner spreads
    // them over the cores, and the results come back in job order whatever the scheduling.
    let results = runIndependentJobs(jobs.count, ticksPerJob: iterations, onTick: { progress.advance() }) { k, tick in
      train(jobs[k].0, on: task, iterations: iterations, seed: jobs[k].1, evaluationEpisodes: evaluationEpisodes, tick: tick)
    }
    for (job, run) in zip(jobs, results) { runs[job.0, default: []].append(run) }
  }

  // Curves: the mean over seeds of a 5-iteration moving average, with the min–max band.
  func average(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
  var plotted: [Series] = []
  var rows: [[String]] = []
  let threshold = 0.75 * task.optimalReturn
  var finals: [Method: Double] = [:], halfway: [Method: Double] = [:]
  for method in Method.allCases {
    let curves = runs[method]!.map { smoothed($0.curve, window: 5) }
    let meanCurve = (0..<iterations).map { i in average(curves.map { $0[i] }) }
    plotted.append(
      Series(
        method == .coma ? "COMA" : (method == .independent ? "IA2C" : "central V"),
        points: meanCurve.enumerated().map { (Double($0.offset + 1), $0.element) },
        band: (0..<iterations).map { i in (Double(i + 1), curves.map { $0[i] }.min()!, curves.map { $0[i] }.max()!) }))
    let finalReturns = runs[method]!.map(\.finalReturn)
    let finalMean = average(finalReturns)
    let finalSE =
      finalReturns.count > 1
      ? (finalReturns.reduce(0) { $0 + ($1 - finalMean) * ($1 - finalMean) } / Double(finalReturns.count - 1)
        / Double(finalReturns.count)).squareRoot() : 0
    let reached = curves.map { curve in curve.firstIndex { $0 >= threshold }.map { "\($0 + 1)" } ?? "—" }
    finals[method] = finalMean
    halfway[method] = meanCurve[iterations / 2 - 1]
    rows.append([
      method.name, method.critic, fmt(meanCurve[iterations / 2 - 1], 3), "\(fmt(finalMean, 3)) ± \(fmt(finalSE, 3))",
      reached.joined(separator: ", "),
    ])
  }
  page.table(
    [
      "method", "critic", "return at iteration \(iterations / 2)", "final return ± SE (seeds)",
      "first iteration ≥ \(fmt(threshold, 1)), per seed",
    ],
    rows: rows,
    caption:
      "EchoTeam, n = \(n), K = \(K), \(H) steps (optimum \(fmt(task.optimalReturn, 1)), uniform \(fmt(task.uniformRandomReturn, 3))). Training returns smoothed over 5 iterations and averaged over \(seeds) seeds; final return: \(evaluationEpisodes) evaluation episodes per seed with the stochastic policies."
  )
  page.plot(
    Plot(
      title: "EchoTeam (n = \(n)): mean training return, min–max over seeds", xLabel: "iteration", yLabel: "return",
      series: plotted),
    file: "ch04-echo-team")

  // What COMA's critic learned: its advantages against the exact ones on fresh steps.
  let diagnostics = runs[.coma]!.compactMap(\.critic)
  let rmse = diagnostics.map(\.rmse).reduce(0, +) / Double(diagnostics.count)
  let scale = diagnostics.map(\.scale).reduce(0, +) / Double(diagnostics.count)
  let agreement = diagnostics.map(\.agreement).reduce(0, +) / Double(diagnostics.count)
  page.prose(
    """
    How good is the learned critic? On \(diagnostics[0].count / n) fresh first steps per seed, with joint \
    actions drawn from the trained policies, COMA's advantages differ from the exact ones, \
    (1/n)(𝟙[uᵃ = cᵃ] − πᵃ(cᵃ)), by \(fmt(rmse, 4)) (root mean square, averaged over seeds) against a \
    typical exact size of \(fmt(scale, 4)), and have the same sign in \(fmt(100 * agreement, 1))% of the \
    agent-steps.
    """)

  let comaFinal = finals[.coma]!, best = Method.allCases.max { finals[$0]! < finals[$1]! }!
  let comaAhead = halfway[.coma]! > max(halfway[.independent]!, halfway[.centralV]!)
  var verdict =
    comaAhead
    ? "Halfway through training COMA is ahead of both actor-critics (\(fmt(halfway[.coma]!, 2)) against \(fmt(halfway[.independent]!, 2)) for IA2C and \(fmt(halfway[.centralV]!, 2)) for central V). "
    : "In this run COMA is not ahead halfway through training (\(fmt(halfway[.coma]!, 2)) against \(fmt(halfway[.independent]!, 2)) for IA2C and \(fmt(halfway[.centralV]!, 2)) for central V). "
  verdict +=
    best == .coma
    ? "\(comaAhead ? "It also ends" : "It ends") highest, at \(fmt(comaFinal, 2)) of \(fmt(task.optimalReturn, 1)). "
    : "At the end \(best == .independent ? "IA2C" : "central V") is highest (\(fmt(finals[best]!, 2)), COMA \(fmt(comaFinal, 2))). "
  let centralGain = finals[.centralV]! - finals[.independent]!
  verdict +=
    centralGain > 0.1
    ? "The central critic V(s) ends above V(oᵃ) (\(fmt(finals[.centralV]!, 2)) against \(fmt(finals[.independent]!, 2))), yet it keeps a limit: "
    : "The central critic V(s) does not help over V(oᵃ) here (\(fmt(finals[.centralV]!, 2)) against \(fmt(finals[.independent]!, 2))): "
  verdict += """
    knowing everyone's signal does not tell it what the teammates will *play*, so the noise of their \
    guesses stays in r − V(s), exactly the Q − V term of §4.4. COMA's critic sees those guesses in its \
    input and differences them away. The price is a harder critic, a function of the whole joint \
    action (\(COMACriticInput(agentCount: n, actionCount: K, stateSize: task.stateSize, observationSize: task.observationSize).size) \
    inputs against \(task.stateSize + n) for V(s) with its id), whose errors do not average out: a \
    critic that is still wrong pushes every agent the same wrong way. The paper therefore trains the \
    critic first, one step per time step of each batch, and so does this experiment.
    """
  page.prose(verdict)

  if page.options.full {
    // How the gap depends on the team size: §4.4 predicts it grows with n.
    let sizes = [2, 4, 8, 12], sweepSeeds = 2, sweepIterations = 80
    let sweepJobs = sizes.flatMap { size in
      [Method.coma, .independent].flatMap { m in
        (0..<sweepSeeds).map { (size, m, page.options.seed &* 1_000 &+ 500 &+ UInt64($0)) }
      }
    }
    var sweep: [Int: [Method: [Run]]] = [:]
    page.experiment(
      "COMA and IA2C for n ∈ \(sizes), \(sweepSeeds) seeds × \(sweepIterations) iterations",
      total: sweepJobs.count * sweepIterations
    ) { progress in
      let results = runIndependentJobs(sweepJobs.count, ticksPerJob: sweepIterations, onTick: { progress.advance() }) { k, tick in
        let (size, method, seed) = sweepJobs[k]
        return train(
          method, on: EchoTeam(config: .init(agentCount: size, signalCount: K, horizon: H)), iterations: sweepIterations,
          seed: seed, evaluationEpisodes: evaluationEpisodes, tick: tick)
      }
      for (job, run) in zip(sweepJobs, results) { sweep[job.0, default: [:]][job.1, default: []].append(run) }
    }
    var sweepRows: [[String]] = []
    var gaps: [Double] = []
    for size in sizes {
      let at = sweepIterations / 2 - 1
      let coma = average(sweep[size]![.coma]!.map { smoothed($0.curve, window: 5)[at] })
      let independent = average(sweep[size]![.independent]!.map { smoothed($0.curve, window: 5)[at] })
      gaps.append(coma - independent)
      sweepRows.append([
        "\(size)", fmt(coma, 3), fmt(independent, 3), fmt(coma - independent, 3),
        fmt(average(sweep[size]![.coma]!.map(\.finalReturn)), 3), fmt(average(sweep[size]![.independent]!.map(\.finalReturn)), 3),
      ])
    }
    page.table(
      [
        "n", "COMA at iteration \(sweepIterations / 2)", "IA2C at iteration \(sweepIterations / 2)", "gap", "COMA final",
        "IA2C final",
      ],
      rows: sweepRows, caption: "EchoTeam with K = \(K), \(H) steps, for several team sizes; means over \(sweepSeeds) seeds.")
    let growing = zip(gaps, gaps.dropFirst()).allSatisfy { $0.0 < $0.1 }
    let peak = gaps.indices.max { gaps[$0] < gaps[$1] }!
    func inputs(_ size: Int) -> Int {
      let team = EchoTeam(config: .init(agentCount: size, signalCount: K, horizon: H))
      return COMACriticInput(agentCount: size, actionCount: K, stateSize: team.stateSize, observationSize: team.observationSize)
        .size
    }
    let caveat = """
       §4.4's prediction assumes an exact critic. COMA's critic is learned, and its input grows with \
      the team (\(inputs(sizes.first!)) numbers at n = \(sizes.first!), \(inputs(sizes.last!)) at n = \(sizes.last!)) while the \
      data per iteration does not; with \(sweepSeeds) seeds per size these numbers are also noisy.
      """
    if growing {
      page.prose(
        "The gap halfway through training grows with every step in team size, from \(fmt(gaps.first!, 3)) at n = \(sizes.first!) to \(fmt(gaps.last!, 3)) at n = \(sizes.last!), as §4.4's variance analysis predicts."
      )
    } else if peak > 0 && peak < sizes.count - 1 {
      page.prose(
        "The gap halfway through training rises from \(fmt(gaps.first!, 3)) at n = \(sizes.first!) to \(fmt(gaps[peak], 3)) at n = \(sizes[peak]), then falls to \(fmt(gaps.last!, 3)) at n = \(sizes.last!)."
          + caveat)
    } else {
      page.prose(
        "The gap halfway through training does not grow steadily with the team: \(gaps.map { fmt($0, 3) }.joined(separator: ", ")) for n = \(sizes.map(String.init).joined(separator: ", "))."
          + caveat)
    }
  }
  page.prose(
    """
    **Exercises** (`exercises/04-coma/`): the counterfactual baseline in a matrix game, the advantages \
    of a whole batch from the critic's outputs, the critic's masked input, and TD(λ) targets, plus the \
    exact variance of COMA's estimator. `swift test --filter Exercise04` grades them.
    """)
}

chapter.run()
