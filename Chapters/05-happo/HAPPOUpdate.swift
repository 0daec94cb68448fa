// Section 5.6: HAPPO: the factor M, the clipped objective on the agent's own ratio, the random
// order, and an exact check of HAPPO's objective against Definition 2.

import Autodiff
import Foundation
import MARL
import Workbook

func happoSection(_ page: Page) {
  page.prose(
    #"""
    HAPPO makes the same sequential update cheaper, as PPO does for TRPO: instead of a constrained \#
    natural-gradient step, agent $i_m$ takes a few epochs of gradient ascent on a clipped objective \#
    (eq. 11), with its *own* probability ratio $r^{i_m} = \pi_{\theta^{i_m}} / \pi_{\theta^{i_m}_k}$:
    """#)
  page.equation(
    #"\max_{\theta^{i_m}}\; \mathbb{E}_{s \sim \rho_{\boldsymbol\pi_k},\, \mathbf{a} \sim \boldsymbol\pi_k}\left[ \min\left( r^{i_m} M^{i_{1:m}}(s, \mathbf{a}),\; \operatorname{clip}(r^{i_m}, 1 - \epsilon, 1 + \epsilon)\, M^{i_{1:m}}(s, \mathbf{a}) \right) \right]"#
  )
  page.prose(
    #"""
    Three details make it HAPPO rather than MAPPO, and each is an easy one to get wrong:

    - **M carries the predecessors' ratios.** It starts as the joint advantage estimate, \#
    $M^{i_1} = \hat A$, and after each agent's update it is multiplied by that agent's new-to-old \#
    probability ratio of the sampled action: $M^{i_{1:m+1}} = (\pi_{\theta^{i_m}_{k+1}} / \pi_{\theta^{i_m}_k}) M^{i_{1:m}}$.
    - **M is data.** It is computed from the earlier agents' finished policies, so it is a constant \#
    for agent $i_m$: no gradient flows through it, and it is *not* clipped (only the agent's own \#
    ratio is). Clipping M would bias eq. 9, not regularise it.
    - **The order is a fresh random permutation at every iteration** (Algorithm 3, line 8), so no \#
    agent is always first or always last. The paper's Proposition 2 needs it: in one-shot games, \#
    when every order has a positive probability, the limit points of Algorithm 1 are Nash \#
    equilibria. The price is time: the n agents update one after another, not in parallel.

    Two remarks for reading real implementations. HARL writes the loss as \#
    $\text{factor} \cdot \min(r \hat A, \operatorname{clip}(r) \hat A)$ with \#
    $\text{factor} = M / \hat A$, the product of the earlier ratios; since that product is positive, \#
    it is eq. 11. And like chapter 3's PPO, each agent's loss also carries an entropy bonus \#
    $c_H \mathcal{H}(\pi^{i_m})$ (here $c_H = 0.01$), which keeps every policy a little random. \#
    Note also what the clip does *not* do: it holds each agent's own ratio near [1 − ε, 1 + ε], \#
    but the ratio of the whole joint policy is a product of n such ratios and can approach \#
    $(1 + \epsilon)^n$: the trust region is per agent.
    """#)
  page.code("happo-surrogate")
  page.code("happo-factor-update")

  let (game, policies) = exampleGame(seed: page.options.seed)
  let values = game.multiAgentQ(policies: policies)
  var rng = RandomGenerator(seed: page.options.seed &+ 561)
  let ε = 0.2
  // Exact HAPPO objective vs Definition 2, on the 3-agent game and on the Markov game.
  var gameGap = 0.0, gradientGap = 0.0, clippedGap = 0.0
  for order in allOrderings(of: 3) {
    for m in 1...3 {
      let agent = order[m - 1]
      let updated = order[..<(m - 1)].map { nudged(policies[$0], step: 0.4, using: &rng) }
      let candidate = nudgedWithin(policies[agent], size: 0.05, using: &rng)  // every ratio within e^{±0.1}
      let logits = Tensor([candidate.map { log($0) }])
      let stay = Tensor([policies[agent].map { log($0) }])
      let states = [(values: values, weight: 1.0)]
      let objective = withoutGradients {
        exactHAPPOObjective(states: states, order: order, updated: [updated], candidateLogits: logits, epsilon: ε).scalar
      }
      let atOld = withoutGradients {
        exactHAPPOObjective(states: states, order: order, updated: [updated], candidateLogits: stay, epsilon: ε).scalar
      }
      let definition = values.sequentialSurrogate(order: Array(order[..<m]), updated: updated, candidate: candidate)
      gameGap = max(gameGap, abs((objective - atOld) - definition))
      // The gradient with respect to the agent's logits, against central differences of Definition 2.
      let autodiff = valueWithGradients(at: [logits]) { z in
        exactHAPPOObjective(states: states, order: order, updated: [updated], candidateLogits: z[0], epsilon: ε)
      }.gradients[0].scalars
      for k in candidate.indices {
        var up = candidate.map { log($0) }, down = up
        up[k] += 1e-5
        down[k] -= 1e-5
        let difference =
          (values.sequentialSurrogate(order: Array(order[..<m]), updated: updated, candidate: softmaxProbabilities(up))
            - values.sequentialSurrogate(order: Array(order[..<m]), updated: updated, candidate: softmaxProbabilities(down)))
          / 2e-5
        gradientGap = max(gradientGap, abs(autodiff[k] - difference))
      }
      if m == 3 {
        // The wrong variant, with predecessors that moved further (logit noise of size 1): the gradient
        // at the old policy, which is what a learner follows, against Definition 2's.
        let far = order[..<2].map { nudged(policies[$0], step: 1, using: &rng) }
        let wrong = valueWithGradients(at: [stay]) { z in
          exactHAPPOObjective(states: states, order: order, updated: [far], candidateLogits: z[0], epsilon: ε, clipFactor: true)
        }.gradients[0].scalars
        for k in candidate.indices {
          var up = policies[agent].map { log($0) }, down = up
          up[k] += 1e-5
          down[k] -= 1e-5
          let right =
            (values.sequentialSurrogate(order: order, updated: far, candidate: softmaxProbabilities(up))
              - values.sequentialSurrogate(order: order, updated: far, candidate: softmaxProbabilities(down))) / 2e-5
          clippedGap = max(clippedGap, abs(wrong[k] - right))
        }
      }
    }
  }
  page.prose(
    #"""
    **Checking HAPPO against the theory.** On the 3-agent game, take any ordering, let the first m − 1 \#
    agents move to new policies (logits nudged by noise of size 0.4), and give agent $i_m$ a candidate \#
    within $e^{\pm 0.1}$ of its old policy, so that its ratio stays inside the clip range and HAPPO's objective is \#
    $\mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}[r^{i_m} M^{i_{1:m}}]$. Evaluate that objective \#
    *exactly*, with the library's own `updatedCorrectionFactor` and `happoSurrogate` on a batch of all \#
    \#(values.space.count) joint actions weighted by their probabilities. Subtracting its value at \#
    $\hat\pi^{i_m} = \pi^{i_m}$ (the "−1" of eq. 9) must give Definition 2's surrogate:
    """#)
  page.check(
    "all 6 orders × m = 1, 2, 3: HAPPO's objective minus its value at π̂ = π vs $L^{i_{1:m}}(\\bar{\\boldsymbol\\pi}^{i_{1:m-1}}, \\hat\\pi^{i_m})$",
    computed: gameGap, expected: 0, tolerance: 1e-12)
  page.check(
    "its gradient in agent $i_m$'s logits (autodiff through `happoSurrogate`) vs central differences of Definition 2",
    computed: gradientGap, expected: 0, tolerance: 1e-8)

  // The Markov game, ρ-weighted.
  let (markov, π) = exampleMarkovGame(seed: page.options.seed)
  let evaluation = markov.evaluate(π)
  let states = (0..<markov.stateCount).map { (values: evaluation.multiAgentQ(state: $0), weight: evaluation.visitation[$0]) }
  var markovGap = 0.0
  for order in allOrderings(of: 3) {
    let m = 3
    let updated = (0..<markov.stateCount).map { s in
      order[..<(m - 1)].map { nudged(π.probabilities[$0][s], step: 0.4, using: &rng) }
    }
    let candidates = (0..<markov.stateCount).map { nudgedWithin(π.probabilities[order[m - 1]][$0], size: 0.05, using: &rng) }
    let logits = Tensor(candidates.map { $0.map { log($0) } })
    let stay = Tensor((0..<markov.stateCount).map { s in π.probabilities[order[m - 1]][s].map { log($0) } })
    let objective = withoutGradients {
      exactHAPPOObjective(states: states, order: order, updated: updated, candidateLogits: logits, epsilon: ε).scalar
        - exactHAPPOObjective(states: states, order: order, updated: updated, candidateLogits: stay, epsilon: ε).scalar
    }
    var definition = 0.0
    for s in 0..<markov.stateCount {
      definition +=
        evaluation.visitation[s]
        * states[s].values.sequentialSurrogate(order: order, updated: updated[s], candidate: candidates[s])
    }
    markovGap = max(markovGap, abs(objective - definition))
  }
  page.check(
    "Markov game, states weighted by $\\rho_{\\boldsymbol\\pi}$, last agent of all 6 orders: HAPPO's objective vs Definition 2",
    computed: markovGap, expected: 0, tolerance: 1e-12)

  page.prose(
    #"""
    A tempting variant fails this test. Clipping the factor, \#
    $\operatorname{clip}(\bar\pi^{i_{1:m-1}}/\pi^{i_{1:m-1}}, 1 \pm \epsilon)$, changes the objective \#
    wherever the predecessors moved more than ε, and with it the gradient agent $i_m$ follows. \#
    (Exercise 5.3's grader also rejects it, together with a factor that lets gradients through.)
    """#)
  page.checkAtLeast(
    "the wrong variant with M's ratio clipped (predecessors moved by logit noise of size 1): largest gradient error over the 6 orders",
    value: clippedGap, bound: 1e-2)
  let factor = Tensor([1.3, 0.6, 2.0], requiresGradient: true)
  let probe = Tensor([-0.2, -1.1, -0.7], requiresGradient: true)
  let objective = happoSurrogate(
    logProbabilities: probe, oldLogProbabilities: Tensor([-0.3, -1.0, -0.9]), factor: factor,
    advantages: Tensor([0.5, -1.0, 2.0]), epsilon: ε)
  let (ownGradient, factorGradient) = {
    let all = gradients(of: objective, withRespectTo: [probe, factor])
    return (all[0].scalars, all[1].scalars)
  }()
  page.checkTrue(
    "`happoSurrogate` sends gradient to the agent's log-probabilities and none to M",
    holds: factorGradient.allSatisfy { $0 == 0 } && ownGradient.contains { $0 != 0 },
    detail:
      "∂/∂M = (\(factorGradient.map(f3).joined(separator: ", "))), ∂/∂log π = (\(ownGradient.map(f3).joined(separator: ", ")))")
  page.prose(
    #"""
    (A zero in the second list is PPO's own clip at work: in that row the ratio has already left \#
    [1 − ε, 1 + ε] in the direction M rewards, so the row stops pulling.)
    """#)

  // The random permutation.
  let draws = page.options.quick ? 6_000 : 30_000
  var counts = [[Int]: Int]()
  for _ in 0..<draws { counts[randomOrdering(of: 3, using: &rng), default: 0] += 1 }
  let expectedCount = Double(draws) / 6
  let chiSquare = allOrderings(of: 3).reduce(0.0) { total, order in
    let observed = Double(counts[order] ?? 0)
    return total + (observed - expectedCount) * (observed - expectedCount) / expectedCount
  }
  page.prose(
    #"""
    Finally, the order. `randomOrdering` is a Fisher–Yates shuffle driven by the book's generator; \#
    over \#(draws) draws each of the 6 orderings of 3 agents should appear about \#(Int(expectedCount)) times.
    """#)
  page.checkAtMost(
    "χ² statistic of the 6 ordering counts (5 degrees of freedom; 25.7 is the 10⁻⁴ critical value)", value: chiSquare, bound: 25.7
  )
  page.prose("The whole update, as the library runs it for each agent in the drawn order:")
  page.code("happo-sequential-update")
}
