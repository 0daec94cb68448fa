// Section 5.4: Lemma 2, the monotonic improvement bound, checked step by step on a tabular Markov
// game for many pairs of policies.

import Autodiff
import Foundation
import MARL
import Workbook

/// π̄ⁱ(·|s) ∝ πⁱ(·|s) exp(η Aⁱ_π(s, ·)) for every agent: a small step of each agent towards its own
/// advantage (the natural-gradient direction of a softmax policy).
func improvementStep(_ π: ProductPolicy, _ evaluation: MarkovGameEvaluation, size η: Double) -> ProductPolicy {
  var probabilities = π.probabilities
  for s in probabilities[0].indices {
    let q = evaluation.multiAgentQ(state: s)
    for i in probabilities.indices {
      let logits = probabilities[i][s].indices.map {
        log(π.probabilities[i][s][$0]) + η * q.advantage(agents: [i], actions: [$0])
      }
      probabilities[i][s] = softmaxProbabilities(logits)
    }
  }
  return ProductPolicy(probabilities)
}

func improvementBoundSection(_ page: Page) {
  page.prose(
    #"""
    Lemma 1 is about one state and exact actions. To turn it into an algorithm we need to know how \#
    the *return* changes when every agent changes its policy. For one agent, TRPO's theorem \#
    (Schulman et al., ICML 2015) bounds the new return by a surrogate that only needs the *old* \#
    policy's state visits, minus a penalty for moving far. Kuba et al. carry it over to many agents. \#
    Their ingredients, for an old joint policy $\boldsymbol\pi$, a new one $\bar{\boldsymbol\pi}$ and \#
    an ordering $i_{1:n}$ (with $J(\boldsymbol\pi) = \mathbb{E}[\sum_t \gamma^t r_t]$ from the \#
    initial state distribution):
    """#)
  page.equation(
    #"\rho_{\boldsymbol\pi}(s) = \sum_{t \ge 0} \gamma^t \Pr(s_t = s \mid \boldsymbol\pi), \qquad L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m}) = \mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a}^{i_{1:m-1}} \sim \bar{\boldsymbol\pi}^{i_{1:m-1}},\, a^{i_m} \sim \bar\pi^{i_m}}\left[ A^{i_m}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right]"#
  )
  page.equation(
    #"D^{\max}_{\mathrm{KL}}(\pi^i, \bar\pi^i) = \max_s \mathrm{KL}\left(\pi^i(\cdot \mid s) \,\|\, \bar\pi^i(\cdot \mid s)\right), \qquad C = \frac{4\gamma\, \max_{s, \mathbf{a}} |A_{\boldsymbol\pi}(s, \mathbf{a})|}{(1 - \gamma)^2}"#
  )
  page.prose(
    #"""
    $\rho_{\boldsymbol\pi}$ is the *discounted visitation*: it counts how often, discounted, the \#
    policy visits s. It is not normalised (it sums to $1/(1-\gamma)$), so $s \sim \rho_{\boldsymbol\pi}$ \#
    is shorthand for the weighted sum $\sum_s \rho_{\boldsymbol\pi}(s)\,[\cdot]$. L is Kuba et al.'s \#
    Definition 2, the surrogate of §5.3 with states: agent $i_m$'s multi-agent advantage, with its \#
    predecessors already on their new policies.
    """#)
  page.prose(
    "**Lemma 2** (Kuba et al. 2022). For any joint policies $\\boldsymbol\\pi$, $\\bar{\\boldsymbol\\pi}$ and any ordering of the agents,"
  )
  page.equation(
    #"J(\bar{\boldsymbol\pi}) \ge J(\boldsymbol\pi) + \sum_{m=1}^{n} \left[ L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m}) - C\, D^{\max}_{\mathrm{KL}}(\pi^{i_m}, \bar\pi^{i_m}) \right]"#
  )

  let (markov, _) = exampleMarkovGame(seed: page.options.seed)
  var rng = RandomGenerator(seed: page.options.seed &+ 541)
  let policyCount = page.options.quick ? 4 : 8
  let sizes = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
  let orderings = allOrderings(of: 3)
  var pairs: [(old: ProductPolicy, new: ProductPolicy, size: Double, improving: Bool)] = []
  for _ in 0..<policyCount {
    let π = ProductPolicy.random(states: markov.stateCount, actionCounts: markov.actionCounts, using: &rng)
    let evaluation = markov.evaluate(π)
    for η in sizes {
      pairs.append((π, improvementStep(π, evaluation, size: η), η, true))
      pairs.append((π, π.perturbed(step: η, using: &rng), η, false))
    }
  }
  page.prose(
    #"""
    Each step of the proof is checked below on the Markov game of §5.1 (γ = \#(markov.gamma)) with \#
    \#(pairs.count) pairs of policies: \#(policyCount) random old policies, each moved by steps of \#
    \#(sizes.count) sizes η from \#(sizes.first!) to \#(sizes.last!), once towards every agent's own advantage \#
    ($\bar\pi^i \propto \pi^i e^{\eta A^i_{\boldsymbol\pi}}$) and once in a random direction. Every \#
    quantity is exact: values by linear solves, surrogates by enumeration.
    """#)

  var differenceGap = 0.0, trpoSlack = Double.infinity, lemma1Gap = 0.0, chainGap = 0.0, productSlack = Double.infinity
  var lemma2Slack = Double.infinity, orderGap = 0.0
  var summary: [Double: (gain: [Double], surrogate: [Double], penalty: [Double], certified: Int)] = [:]
  for pair in pairs {
    let old = markov.evaluate(pair.old), new = markov.evaluate(pair.new)
    // Step 1: the performance difference, exact.
    differenceGap = max(
      differenceGap, abs(new.objective - old.objective - markov.expectedAdvantage(of: pair.new, relativeTo: old, statesFrom: new))
    )
    // Step 2: TRPO's bound with the joint policies.
    let expected = markov.expectedAdvantage(of: pair.new, relativeTo: old, statesFrom: old)
    let C = 4 * markov.gamma * old.maxAbsoluteAdvantage / ((1 - markov.gamma) * (1 - markov.gamma))
    let jointKL = markov.jointMaxKLDivergence(from: pair.old, to: pair.new)
    trpoSlack = min(trpoSlack, new.objective - (old.objective + expected - C * jointKL))
    // Step 4: the KL of a product policy.
    for s in 0..<markov.stateCount {
      let jointActions = markov.space.all
      let klJoint = discreteKL(
        jointActions.map { pair.old.jointProbability(state: s, actions: $0) },
        jointActions.map { pair.new.jointProbability(state: s, actions: $0) })
      let klSum = (0..<markov.agentCount).reduce(0.0) {
        $0 + discreteKL(pair.old.probabilities[$1][s], pair.new.probabilities[$1][s])
      }
      chainGap = max(chainGap, abs(klJoint - klSum))
    }
    let perAgent = (0..<markov.agentCount).map { markov.maxKLDivergence(agent: $0, from: pair.old, to: pair.new) }
    productSlack = min(productSlack, perAgent.reduce(0, +) - jointKL)
    // Steps 3 and 5, for every ordering.
    var firstBound: Double? = nil
    for order in orderings {
      let bound = markov.improvementBound(from: pair.old, to: pair.new, order: order)
      lemma1Gap = max(lemma1Gap, abs(bound.surrogates.reduce(0, +) - expected))
      lemma2Slack = min(lemma2Slack, bound.slack)
      if let firstBound { orderGap = max(orderGap, abs(bound.bound - firstBound)) } else { firstBound = bound.bound }
    }
    if pair.improving {
      let bound = markov.improvementBound(from: pair.old, to: pair.new, order: [0, 1, 2])
      var entry = summary[pair.size] ?? ([], [], [], 0)
      entry.gain.append(new.objective - old.objective)
      entry.surrogate.append(bound.surrogates.reduce(0, +))
      entry.penalty.append(bound.penalty * bound.maxKL.reduce(0, +))
      if bound.bound > bound.oldObjective { entry.certified += 1 }
      summary[pair.size] = entry
    }
  }

  page.step(
    "Start from an identity (Kakade & Langford 2002): the new return is the old one plus the old advantage, averaged over the states and actions of the new policy.",
    #"J(\bar{\boldsymbol\pi}) = J(\boldsymbol\pi) + \mathbb{E}_{s \sim \rho_{\bar{\boldsymbol\pi}},\, \mathbf{a} \sim \bar{\boldsymbol\pi}}\left[ A_{\boldsymbol\pi}(s, \mathbf{a}) \right]"#
  )
  page.check(
    "all \(pairs.count) pairs: J(π̄) − J(π) vs the expected advantage under $\\rho_{\\bar{\\boldsymbol\\pi}}$",
    computed: differenceGap, expected: 0, tolerance: 1e-12)

  page.step(
    "TRPO's Theorem 1 (in the KL form Schulman et al. derive from it) replaces the unknown new visits $\\rho_{\\bar{\\boldsymbol\\pi}}$ by the old ones $\\rho_{\\boldsymbol\\pi}$, at a price proportional to the largest KL between the joint policies:",
    #"J(\bar{\boldsymbol\pi}) \ge J(\boldsymbol\pi) + \mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a} \sim \bar{\boldsymbol\pi}}\left[ A_{\boldsymbol\pi}(s, \mathbf{a}) \right] - C\, D^{\max}_{\mathrm{KL}}(\boldsymbol\pi, \bar{\boldsymbol\pi})"#
  )
  page.checkAtLeast("all pairs: the smallest slack of TRPO's bound for the joint policy", value: trpoSlack, bound: 0)

  page.step(
    "Lemma 1, applied in every state and averaged over $\\bar{\\boldsymbol\\pi}$, splits the expected joint advantage into the agents' sequential surrogates:",
    #"\mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a} \sim \bar{\boldsymbol\pi}}\left[ A_{\boldsymbol\pi}(s, \mathbf{a}) \right] = \sum_{m=1}^{n} \mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a}^{i_{1:m}} \sim \bar{\boldsymbol\pi}^{i_{1:m}}}\left[ A^{i_m}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right] = \sum_{m=1}^{n} L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m})"#
  )
  page.prose(
    #"""
    (The m-th term only involves the first m agents: the later ones are averaged out by step 1 of \#
    §5.2.)
    """#)
  page.check(
    "all pairs × 6 orderings: joint enumeration vs the sum of the agents' surrogates", computed: lemma1Gap, expected: 0,
    tolerance: 1e-12)

  page.step(
    "The KL of a product of independent policies is the sum of the agents' KLs in every state, so its maximum over states is at most the sum of the agents' maxima:",
    #"\mathrm{KL}\left(\boldsymbol\pi(\cdot \mid s) \,\|\, \bar{\boldsymbol\pi}(\cdot \mid s)\right) = \sum_{i=1}^{n} \mathrm{KL}\left(\pi^i(\cdot \mid s) \,\|\, \bar\pi^i(\cdot \mid s)\right) \quad\Rightarrow\quad D^{\max}_{\mathrm{KL}}(\boldsymbol\pi, \bar{\boldsymbol\pi}) \le \sum_{i=1}^{n} D^{\max}_{\mathrm{KL}}(\pi^i, \bar\pi^i)"#
  )
  page.check(
    "all pairs and states: KL of the joint policy (enumerated) vs the sum of the agents' KLs", computed: chainGap, expected: 0,
    tolerance: 1e-12)
  page.checkAtLeast("all pairs: Σᵢ D^max(πⁱ, π̄ⁱ) − D^max(π, π̄), smallest value", value: productSlack, bound: 0, tolerance: 1e-12)

  page.step(
    "Put steps 2–4 together: the right-hand side can only shrink, and it becomes Lemma 2, a sum of one term per agent.",
    #"J(\bar{\boldsymbol\pi}) \ge J(\boldsymbol\pi) + \sum_{m=1}^{n} \left[ L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m}) - C\, D^{\max}_{\mathrm{KL}}(\pi^{i_m}, \bar\pi^{i_m}) \right] \qquad \square"#
  )
  page.checkAtLeast("all pairs × 6 orderings: the smallest slack J(π̄) − (right-hand side)", value: lemma2Slack, bound: 0)
  page.prose(
    """
    A consequence of step 3 rather than a new fact: the penalty does not depend on the order, and \
    by step 3 the surrogates add up to the same joint term in every order, so the right-hand side \
    is the same for all six orderings (largest difference here \(sci(orderGap))).
    """)

  var rows: [[String]] = []
  var certifiedSizes: [Double] = []
  for η in sizes {
    let entry = summary[η]!
    let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
    rows.append([
      String(η), f6(mean(entry.gain)), f6(mean(entry.surrogate)), f6(mean(entry.penalty)),
      "\(entry.certified)/\(entry.gain.count)",
    ])
    if entry.certified == entry.gain.count { certifiedSizes.append(η) }
  }
  page.table(
    [
      "step η", "true gain $J(\\bar{\\boldsymbol\\pi}) - J(\\boldsymbol\\pi)$", "$\\sum_m L^{i_{1:m}}$",
      "$C \\sum_m D^{\\max}_{\\mathrm{KL}}$", "bound proves a gain",
    ], rows: rows,
    caption: "Steps towards each agent's advantage, \(policyCount) old policies per size (means).")
  let largestCertified = certifiedSizes.max()
  page.prose(
    #"""
    The surrogates grow in proportion to η and the penalty in proportion to η², so the bound proves \#
    an improvement only for small steps\#(largestCertified.map { ": here for every old policy up to η = \($0)" } ?? ", and here for none of the sizes tried"). \#
    With γ = \#(markov.gamma) the constant C is large (it grows like 1/(1 − γ)²), which is why the \#
    practical algorithms keep the shape of the bound but not its constant: they replace the penalty \#
    by a *trust region* on the average KL. The bound also gives the algorithm's structure. Its \#
    right-hand side is a sum of one term per agent, and term m depends only on agents $i_{1:m}$. \#
    So if agent $i_1$ maximises its term, then $i_2$ maximises its own term *given* $\bar\pi^{i_1}$, \#
    and so on, each term is at least zero (the agent could keep its old policy, which scores zero), \#
    and the return cannot decrease. That is Algorithm 1 of the paper, with a fresh random ordering at \#
    every iteration, and its monotonic improvement (Theorem 2).
    """#)
}
