// Chapter 1: Dec-POMDPs. The model every later chapter lives in, solved exactly on the smallest
// classic problem (Dec-Tiger), and the two lessons that drive the rest of the book: decentralised
// policies are doubly exponential in number, and acting on local information costs value.

import Autodiff
import Foundation
import MARL
import Workbook

let chapter = Chapter(number: 1, slug: "decpomdp", title: "Dec-POMDPs and the price of decentralisation")

/// Six and three decimals, for tables.
func f6(_ x: Double) -> String { fixed(x, 6) }
func f3(_ x: Double) -> String { fixed(x, 3) }

/// Dec-Tiger's decentralised optima at h = 2 and 3, by exhaustive best-response search; sections 1.4, 1.5
/// and 1.6 all compare against them.
let decTigerOptima = Dictionary(uniqueKeysWithValues: [2, 3].map { h in (h, DecTiger.model(horizon: h).exhaustiveSearch()) })

// MARK: - 1.1 The model

chapter.section("The Dec-POMDP") { page in
  page.prose(
    """
    A team of n agents acts in a world whose state none of them sees. At every step each agent i \
    receives its own observation oⁱ, picks its own action aⁱ, and the whole team receives one shared \
    reward. Formally, a decentralised partially observable Markov decision process is the tuple
    """)
  page.equation(#"\mathcal{M} = \langle \mathcal{N}, S, \{A^i\}, T, \{O^i\}, \mathcal{O}, R, h, b^0 \rangle"#)
  page.prose(
    """
    - 𝒩 = {1, …, n}: the agents; S: the states; Aⁱ and Oⁱ: agent i's actions and observations, with \
    joint action $\\mathbf{a}$ = (a¹, …, aⁿ) and joint observation $\\mathbf{o}$ = (o¹, …, oⁿ);
    - $T(s' \\mid s, \\mathbf{a})$: the transition function; $\\mathcal{O}(\\mathbf{o} \\mid \\mathbf{a}, s')$: the observation function, \
    the probability of the joint observation after $\\mathbf{a}$ led to s′;
    - $R(s, \\mathbf{a})$: the one reward all agents share; h: the horizon (steps t = 0, …, h − 1); b⁰: the \
    distribution of the initial state.

    This is a partially observable Markov game ⟨𝒩, S, A, O, Z, P, R, γ⟩ in which all agents share one \
    reward, with a finite horizon in place of the discount γ. The objective is the expected sum of rewards,
    """)
  page.equation(
    #"V(\boldsymbol\pi) = \mathbb{E}\left[ \sum_{t=0}^{h-1} R(s_t, \mathbf{a}_t) \;\middle|\; \boldsymbol\pi, b^0 \right]"#)
  page.prose(
    """
    **Dec-Tiger.** Two agents stand before two doors; a tiger is behind one (state TL or TR, equally \
    likely). Each agent may *listen* or open a door. Listening costs 1 per agent and, when both listen, \
    each hears the tiger on the correct side with probability 0.85, independently, and the state stays. \
    Any door opening resets the tiger uniformly and gives uninformative observations. The rewards:
    """)
  let model = DecTiger.model(horizon: 2)
  let names = ["Listen", "OpenLeft", "OpenRight"]
  var rows: [[String]] = []
  for a1 in 0..<3 {
    for a2 in a1..<3 {
      let a = model.jointAction([a1, a2])
      rows.append([
        "\(names[a1]), \(names[a2])", f3(model.reward(DecTiger.tigerLeft, a)), f3(model.reward(DecTiger.tigerRight, a)),
      ])
    }
  }
  page.table(
    ["joint action", "R(TL, a)", "R(TR, a)"], rows: rows, caption: "Dec-Tiger's shared reward (symmetric in the two agents).")

  // The tables are probability distributions: an independent check of the model as built.
  var worstRow = 0.0
  for s in 0..<model.stateCount {
    for a in 0..<model.jointActionCount {
      worstRow = max(worstRow, abs((0..<model.stateCount).map { model.transitionProbability(s, a, $0) }.reduce(0, +) - 1))
      worstRow = max(
        worstRow, abs((0..<model.jointObservationCount).map { model.observationProbability(a, s, $0) }.reduce(0, +) - 1))
    }
  }
  page.check("every row of T and 𝒪 is a probability distribution (Σ = 1)", computed: worstRow, expected: 0, tolerance: 1e-15)

  page.prose(
    """
    **Beliefs.** Whoever saw every joint action and joint observation could track the posterior over \
    states, the belief, by Bayes' rule:
    """)
  page.equation(
    #"b'(s') = \frac{\mathcal{O}(\mathbf{o} \mid \mathbf{a}, s') \sum_{s} T(s' \mid s, \mathbf{a})\, b(s)}{\Pr(\mathbf{o} \mid b, \mathbf{a})}"#
  )
  page.code("belief-update")
  let listen = model.jointAction([DecTiger.listen, DecTiger.listen])
  let bothHearLeft = model.jointObservation([DecTiger.hearLeft, DecTiger.hearLeft])
  let (belief, probability) = model.beliefUpdate(model.initialBelief, jointAction: listen, jointObservation: bothHearLeft)
  // By hand: Pr(hL,hL | TL) = 0.85² = 0.7225, Pr(hL,hL | TR) = 0.15² = 0.0225, prior ½ each.
  page.step(
    "Both agents listen and both hear the tiger on the left",
    #"b'(TL) = \frac{0.85^2 \cdot \tfrac12}{0.85^2 \cdot \tfrac12 + 0.15^2 \cdot \tfrac12} = \frac{0.7225}{0.745} \approx "#
      + f6(0.7225 / 0.745))
  page.check(
    "belief after (hear-left, hear-left) from the uniform prior", computed: belief[DecTiger.tigerLeft], expected: 0.7225 / 0.745,
    tolerance: 1e-15)
  page.check(
    "… and the probability of that joint observation, ½(0.7225 + 0.0225)", computed: probability,
    expected: 0.5 * (0.7225 + 0.0225), tolerance: 1e-15)
  page.prose(
    """
    But no agent sees the joint observation: agent 1 hears only its own side. That is what makes the \
    problem hard, and what the rest of this chapter measures.
    """)
}

// MARK: - 1.2 Policies

chapter.section("Histories, policies, and how many there are") { page in
  page.prose(
    """
    With nothing but its own observations to go on, an agent's deterministic policy maps each of its \
    observation histories ōⁱₜ = (oⁱ₁, …, oⁱₜ) of length t = 0, …, h − 1 to an action: a *policy tree* \
    with one decision node per history. With |Oⁱ| observations that is a geometric number of nodes, \
    and every node may take any of |Aⁱ| actions:
    """)
  page.step("Count agent i's decision nodes", #"\sum_{t=0}^{h-1} |O^i|^t = \frac{|O^i|^h - 1}{|O^i| - 1}"#)
  page.step("Each node chooses an action independently", #"|\Pi^i| = |A^i|^{(|O^i|^h - 1)/(|O^i| - 1)}"#)
  page.step("A joint policy is one tree per agent", #"|\boldsymbol\Pi| = \prod_{i=1}^{n} |A^i|^{(|O^i|^h - 1)/(|O^i| - 1)}"#)
  page.prose("The count is doubly exponential in the horizon. For Dec-Tiger (|Aⁱ| = 3, |Oⁱ| = 2):")
  var rows: [[String]] = []
  var enumerated: [Double] = [], formula: [Double] = []
  for h in 1...6 {
    let model = DecTiger.model(horizon: h)
    let count = model.jointPolicyCount
    var enumeratedText = "—"
    if h <= 3 {
      // Count for real: walk every local policy tree of each agent.
      let local = (0..<2).map { agent in model.localPolicies(of: agent).reduce(0) { n, _ in n + 1 } }
      let joint = Double(local[0] * local[1])
      enumerated.append(joint)
      formula.append(count.double)
      enumeratedText = "\(local[0]) × \(local[1]) = \(local[0] * local[1])"
    }
    rows.append(["\(h)", "\(model.decisionNodeCount(of: 0))", count.description, enumeratedText])
  }
  page.table(["h", "nodes per agent", "joint policies (formula)", "enumerated"], rows: rows)
  page.check(
    "the formula equals an actual enumeration of policy trees, h = 1, 2, 3", computed: formula, expected: enumerated, tolerance: 0
  )
  page.prose(
    """
    Already at h = 4 there are \(DecTiger.model(horizon: 4).jointPolicyCount) joint policies: exhaustive \
    enumeration stops being an option almost at once. (Exercise 1.2 asks you to write this count.)
    """)
}

// MARK: - 1.3 Exact evaluation

chapter.section("Evaluating a joint policy exactly") { page in
  page.prose(
    """
    A joint policy is evaluated exactly by carrying the probability of every pair (state, joint \
    observation history) forward in time. At step t each agent reads its part of the history and acts; \
    the pair earns its reward, then splits over next states and joint observations:
    """)
  page.prose(
    """
    Write $\\bar{\\mathbf{o}}_t$ for the joint observation history up to step t (every agent's own \
    history side by side) and $\\boldsymbol\\pi(\\bar{\\mathbf{o}}_t)$ for the joint action the \
    agents' trees choose on it. Then
    """)
  page.equation(
    #"\Pr(s', \bar{\mathbf{o}}_t \mathbf{o}) = \sum_{s} \Pr(s, \bar{\mathbf{o}}_t)\, T(s' \mid s, \boldsymbol\pi(\bar{\mathbf{o}}_t))\, \mathcal{O}(\mathbf{o} \mid \boldsymbol\pi(\bar{\mathbf{o}}_t), s')"#
  )
  page.equation(
    #"V(\boldsymbol\pi) = \sum_{t=0}^{h-1} \sum_{s,\, \bar{\mathbf{o}}_t} \Pr(s, \bar{\mathbf{o}}_t)\, R(s, \boldsymbol\pi(\bar{\mathbf{o}}_t))"#
  )
  page.code("evaluate-joint-policy")
  page.prose(
    """
    Two policies whose value we can derive by hand. *Always listen* pays −2 per step, so V = −2h. \
    *Listen, then open the door opposite to what you heard* (h = 2): at t = 1 each agent opens the \
    safe door with probability 0.85; both right: +20, both wrong: −50, one each: −100.
    """)
  let h2 = DecTiger.model(horizon: 2)
  var values: [Double] = [], derived: [Double] = []
  for h in 1...4 {
    let model = DecTiger.model(horizon: h)
    let alwaysListen = model.jointPolicy { _, _ in DecTiger.listen }
    values.append(model.evaluate(alwaysListen).value)
    derived.append(-2 * Double(h))
  }
  page.check("always listen: V = −2h for h = 1…4", computed: values, expected: derived, tolerance: 1e-12)
  let opposite = h2.jointPolicy { _, history in
    history.isEmpty ? DecTiger.listen : (history[0] == DecTiger.hearLeft ? DecTiger.openRight : DecTiger.openLeft)
  }
  // By hand: t = 0 pays −2; at t = 1 both agents are right with probability 0.85², both wrong 0.15²,
  // one right and one wrong 2·0.85·0.15.
  let byHand = -2 + 0.85 * 0.85 * 20 + 0.15 * 0.15 * -50 + 2 * 0.85 * 0.15 * -100
  page.step(
    "Listen, then open the opposite door",
    #"V = -2 + 0.85^2 \cdot 20 + 0.15^2 \cdot (-50) + 2 \cdot 0.85 \cdot 0.15 \cdot (-100) = "# + f6(byHand))
  page.check("listen-then-open-opposite, h = 2", computed: h2.evaluate(opposite).value, expected: byHand, tolerance: 1e-12)

  // An independent estimate: sample episodes.
  var rng = RandomGenerator(seed: page.options.seed)
  let h3 = DecTiger.model(horizon: 3)
  let randomPolicy = h3.randomJointPolicy(using: &rng)
  let exact = h3.evaluate(randomPolicy).value
  let episodes = page.options.quick ? 20_000 : 100_000
  let estimate = h3.monteCarloValue(randomPolicy, episodes: episodes, using: &rng)
  page.prose("For an arbitrary policy, sampling \(episodes) episodes gives an independent estimate with a standard error:")
  page.check(
    "a random joint policy at h = 3: exact value vs Monte Carlo (within 4 standard errors)", computed: estimate.mean,
    expected: exact, tolerance: 4 * estimate.standardError)
}

// MARK: - 1.4 Exhaustive search

chapter.section("The optimum, by exhaustive search") { page in
  page.prose(
    """
    Enumerating all joint policies is already costly at h = 3 (millions of evaluations) and hopeless \
    beyond, but one agent's half of the search is easy. Fix every other agent's policy; agent n's \
    problem is then a single-agent one over its own history tree. At each of its histories ōⁿ it \
    carries β(s, ō⁻ⁿ), the joint probability of the state and the others' histories, and picks the \
    action with the best immediate reward plus the best continuation. Each action aⁿ and own \
    observation oⁿ leads to a child history with its own β′ (Bayes' rule again, through T and 𝒪):
    """)
  page.equation(
    #"V(\bar{o}^n, \beta) = \max_{a^n} \Big[ \sum_{s,\, \bar{o}^{-n}} \beta(s, \bar{o}^{-n})\, R\big(s, (\boldsymbol\pi^{-n}(\bar{o}^{-n}), a^n)\big) + \sum_{o^n} V\big(\bar{o}^n o^n, \beta'_{a^n, o^n}\big) \Big]"#
  )
  page.prose("In the code, once the immediate reward of action `ai` is summed, the recursion and the maximum read:")
  page.code("best-response")
  page.prose(
    """
    The exact optimum is therefore: enumerate the policies of agents 1, …, n − 1, and for each take \
    agent n's best response. It is exact because a maximum over pairs can be taken one coordinate at \
    a time,
    """)
  page.equation(#"\max_{\pi^1, \pi^2} V(\pi^1, \pi^2) = \max_{\pi^1} \Big[ \max_{\pi^2} V(\pi^1, \pi^2) \Big],"#)
  page.prose(
    "and it examines |Πⁿ| times fewer candidates than brute force, since each best response replaces a loop over all of agent n's policies."
  )
  page.code("exhaustive-search")
  let h2 = DecTiger.model(horizon: 2)
  let brute = h2.bruteForceSearch()
  let exhaustive = decTigerOptima[2]!
  page.check(
    "h = 2: best-response search equals brute force over all \(brute.candidatesExamined) joint policies",
    computed: exhaustive.value, expected: brute.value, tolerance: 1e-12)
  let h3 = DecTiger.model(horizon: 3)
  let optimum3 = decTigerOptima[3]!
  page.table(
    ["h", "V* (this search)", "published V*", "candidates examined"],
    rows: [
      ["2", f6(exhaustive.value), f6(DecTiger.publishedOptimalValues[2]!), "\(exhaustive.candidatesExamined)"],
      ["3", f6(optimum3.value), f6(DecTiger.publishedOptimalValues[3]!), "\(optimum3.candidatesExamined)"],
    ], caption: "Dec-Tiger optima. Published values: the optimal-values table maintained by Oliehoek et al. (masplan.org).")
  // The published table gives six decimals, so agreement means |Δ| below one unit of the sixth decimal.
  // (The exact h = 3 optimum is 5.1908125, exactly halfway between two six-decimal numbers.)
  for (h, value) in [(2, exhaustive.value), (3, optimum3.value)] {
    let published = DecTiger.publishedOptimalValues[h]!
    page.check(
      "h = \(h) optimum matches the published \(f6(published)) to its six decimals", computed: value, expected: published,
      tolerance: 1e-6)
  }
  page.prose("The optimal h = 3 policy of agent 1 (agent 2's, found by the best response, is the same tree):")
  page.preformatted(h3.describe(optimum3.policy[0], of: 0))
  let responsesAtH4 = DecTiger.model(horizon: 4).localPolicyCount(of: 0)
  page.prose(
    """
    At h = 4 the same search would need \(responsesAtH4) best responses, one per policy of agent 1. A \
    branch-and-bound search (`branchAndBoundSearch`, which prunes agent 1's partial policies with an \
    optimistic bound, the value of a centralised controller that sees everything from then on) proves \
    the h = 4 optimum in about a minute; run the chapter with `--full` to see it.
    """)
  if page.options.full {
    let h4 = DecTiger.model(horizon: 4)
    var rng = RandomGenerator(seed: page.options.seed)
    let incumbent = (0..<200).map { _ in h4.jesp(using: &rng) }.max { $0.value < $1.value }!
    let optimum4 = page.experiment("branch and bound at h = 4", total: 1) { progress in
      defer { progress.advance() }
      return h4.branchAndBoundSearch(incumbent: incumbent.policy)
    }
    let published = DecTiger.publishedOptimalValues[4]!
    page.check(
      "h = 4 optimum (branch and bound) matches the published \(f6(published)) to its six decimals", computed: optimum4.value,
      expected: published, tolerance: 1e-6)
  }
}

// MARK: - 1.5 The price of decentralisation

chapter.section("The price of decentralisation") { page in
  page.prose(
    """
    Suppose instead that the agents shared every observation: a central controller sees the joint \
    history and chooses the joint action. That is a single-agent POMDP, solved exactly by the same \
    depth-first search over *joint* histories. Its value is never lower: every decentralised \
    policy is also a centralised one that happens to ignore the other agent's observations.
    """)
  // Decentralised optima: exhaustive search at h = 2, 3; branch and bound at h = 4 with --full.
  var horizons = [2, 3]
  if page.options.full { horizons.append(4) }
  var rows: [[String]] = []
  var prices: [Int: Double] = [:]
  var rng = RandomGenerator(seed: page.options.seed)
  for h in horizons {
    let model = DecTiger.model(horizon: h)
    let central = model.centralisedSolution().value
    let local: Double
    if let optimum = decTigerOptima[h] {
      local = optimum.value
    } else {
      let incumbent = (0..<200).map { _ in model.jesp(using: &rng) }.max { $0.value < $1.value }!
      local = model.branchAndBoundSearch(incumbent: incumbent.policy).value
    }
    rows.append(["\(h)", f6(local), f6(central), f6(central - local)])
    prices[h] = central - local
    page.checkAtLeast(
      "h = \(h): the centralised optimum is at least the decentralised one", value: central, bound: local, tolerance: 1e-12)
  }
  page.table(["h", "decentralised V*", "centralised V*", "price of decentralisation"], rows: rows)
  let priceAtH2 = prices[2]!
  page.prose(
    """
    Sharing observations is worth \(f3(priceAtH2)) reward units at h = 2: two agents who each heard the \
    tiger once, and knew what the other heard, can open a door after a single round of listening. \
    Centralised training with decentralised execution (chapters 2–5) is the compromise the rest of the \
    book studies: use the joint information while *learning*, but act on local histories.
    """)
}

// MARK: - 1.6 Experiment: JESP

chapter.section("Experiment: alternating best responses") { page in
  page.prose(
    """
    Exhaustive search does not scale; the classic cheap alternative is JESP (Nair et al., 2003): \
    start from a random joint policy and let the agents take turns replacing their policy by a best \
    response to the others, until no one can improve. The end point is an equilibrium in policy \
    space: no single agent can do better alone. Is it the optimum?
    """)
  let starts = page.options.quick ? 60 : 300
  var rng = RandomGenerator(seed: page.options.seed)
  let horizons = [2, 3]
  var endValues: [Int: [Double]] = [:]
  var endPoints: [Int: Set<JointPolicy>] = [:]
  page.experiment("JESP from \(starts) random starts at h = 2 and h = 3", total: starts * horizons.count) { progress in
    for h in horizons {
      let model = DecTiger.model(horizon: h)
      for _ in 0..<starts {
        let result = model.jesp(using: &rng)
        endValues[h, default: []].append(result.value)
        endPoints[h, default: []].insert(result.policy)
        progress.advance()
      }
    }
  }
  // An independent check of every distinct end point: evaluate each agent's every possible deviation
  // (all of its policy trees, by exact evaluation, not by the best-response search JESP itself used).
  for h in horizons {
    let model = DecTiger.model(horizon: h)
    var worstGain = -Double.infinity
    for endPoint in endPoints[h]! {
      let value = model.evaluate(endPoint).value
      for agent in 0..<model.agentCount {
        for deviation in model.localPolicies(of: agent) {
          var policies = endPoint.policies
          policies[agent] = deviation
          worstGain = max(worstGain, model.evaluate(JointPolicy(policies)).value - value)
        }
      }
    }
    page.checkAtMost(
      "h = \(h): no agent gains by deviating alone from any of the \(endPoints[h]!.count) distinct end points (all its trees tried)",
      value: worstGain, bound: 0, tolerance: 1e-9)
  }

  var rows: [[String]] = []
  var curves: [Series] = []
  var successRates: [Double] = []
  for h in horizons {
    let values = endValues[h]!
    let optimum = decTigerOptima[h]!.value
    page.checkAtMost("h = \(h): no end point beats the exhaustive optimum", value: values.max()!, bound: optimum, tolerance: 1e-9)
    let hits = values.filter { abs($0 - optimum) < 1e-9 }.count
    let distinct = Dictionary(grouping: values.map { ($0 * 1e6).rounded() / 1e6 }, by: { $0 }).sorted { $0.key > $1.key }
    let shown = distinct.prefix(4).map { "\(f3($0.key)) ×\($0.value.count)" }.joined(separator: ", ")
    let p = Double(hits) / Double(starts)
    successRates.append(p)
    rows.append([
      "\(h)", "\(starts)", "\(hits) (\(String(format: "%.1f", 100 * p))%)", f3(values.reduce(0, +) / Double(starts)), shown,
    ])
    curves.append(Series("h = \(h)", points: (1...30).map { k in (Double(k), 1 - pow(1 - p, Double(k))) }))
  }
  page.table(["h", "starts", "reached V*", "mean end value", "most valuable end points (value ×count)"], rows: rows)
  page.prose(
    """
    If each restart succeeds independently with the measured rate p, the best of k restarts is optimal \
    with probability 1 − (1 − p)ᵏ. The curves below are that formula, evaluated with each horizon's p:
    """)
  page.plot(
    Plot(
      title: "P(best of k JESP restarts is optimal) = 1 − (1 − p)^k", xLabel: "restarts k", yLabel: "probability", series: curves),
    file: "ch01-jesp-restarts")
  let mostlyLocal = successRates.allSatisfy { $0 < 0.5 }
  page.prose(
    (mostlyLocal
      ? "Most restarts stop at a local equilibrium: "
      : "Many restarts still stop at a local equilibrium: ")
        + """
        each agent's policy is the best reply to the other's, yet both would gain by changing together. \
        This is the coordination problem in its purest form, and it returns in every chapter: \
        independent learners (chapters 2 and 3) and monotonic value factorisations (chapter 2) get stuck \
        in exactly such places.
        """)
  page.prose(
    """
    **Exercises** (`exercises/01-decpomdp/`): the belief update, the number of joint policies, exact \
    evaluation of a joint policy, and a best response by enumeration. `swift test --filter Exercise01` \
    grades them.
    """)
}

chapter.run()
