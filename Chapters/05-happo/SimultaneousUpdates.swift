// Section 5.3: the r = a¹a² game with Gaussian policies and a KL trust region, where updating
// both agents at once lowers the return and updating them in turn raises it.

import Autodiff
import Foundation
import MARL
import Workbook

func simultaneousUpdatesSection(_ page: Page) {
  let toy = GaussianProductGame(std: 1, maxKL: 0.5)
  let start = [-0.25, 0.25]
  let radius = toy.std * (2 * toy.maxKL).squareRoot()
  page.prose(
    #"""
    IPPO and MAPPO update every agent at once, each with a trust-region (or clipped) step that \#
    improves the agent's own surrogate *against the partners' old policies*. Kuba et al. show with a \#
    two-agent toy (their Figure 1) that this can lower the team's return even though every agent \#
    "improved". The game has one state, real actions and the shared reward $r(a^1, a^2) = a^1 a^2$. \#
    Each agent plays a Gaussian $\pi^i = \mathcal{N}(\mu^i, \sigma^2)$ with σ = \#(f3(toy.std)); the \#
    learnable means start at μ¹ = \#(f3(start[0])), μ² = \#(f3(start[1])), and every update must stay \#
    inside the KL ball of radius δ = \#(f3(toy.maxKL)) around the agent's current policy. Every number \#
    below is computed by the library: expectations by Gauss–Hermite quadrature (exact for these \#
    polynomial integrands), KL divergences by the closed form of `DiagonalGaussianDistribution`, and \#
    each agent's update by a numerical search of its trust region, with no formula for the answer.
    """#)
  page.equation(
    #"J(\mu^1, \mu^2) = \mathbb{E}_{a^1 \sim \mathcal{N}(\mu^1, \sigma^2),\, a^2 \sim \mathcal{N}(\mu^2, \sigma^2)}\left[ a^1 a^2 \right] = \mu^1 \mu^2"#
  )
  let j0 = toy.expectedReward(means: start)
  page.check(
    "J at the start vs the published −0.0625 (Kuba et al. 2022, §2.3)", computed: j0, expected: -0.0625, tolerance: 1e-12)

  page.step(
    "Between two Gaussians of equal variance the KL divergence is a scaled squared distance, so each trust region is an interval of half-width $\\sigma\\sqrt{2\\delta}$:",
    #"\mathrm{KL}\left(\mathcal{N}(\mu, \sigma^2) \,\|\, \mathcal{N}(\hat\mu, \sigma^2)\right) = \frac{(\hat\mu - \mu)^2}{2\sigma^2} \le \delta \iff |\hat\mu - \mu| \le \sigma\sqrt{2\delta}"#
  )
  page.check(
    "KL at both edges μ ± σ√(2δ) = μ ± \(f3(radius)) (library closed form) vs δ",
    computed: [toy.klDivergence(from: start[0], to: start[0] + radius), toy.klDivergence(from: start[0], to: start[0] - radius)],
    expected: [toy.maxKL, toy.maxKL], tolerance: 1e-12)

  page.step(
    "Alone, agent 1's surrogate is its expected advantage against the partner's old policy, and it is linear in its own mean:",
    #"L^{1}(\hat\mu^1) = \mathbb{E}_{a^1 \sim \mathcal{N}(\hat\mu^1, \sigma^2)}\left[ A^{1}_{\boldsymbol\pi}(a^1) \right] = \mathbb{E}\left[ a^1 \mu^2 - \mu^1\mu^2 \right] = (\hat\mu^1 - \mu^1)\, \mu^2"#
  )
  page.prose(
    #"""
    So the best move inside the interval is to its edge, in the direction of the partner's mean: \#
    $\hat\mu^1 = \mu^1 + \sigma\sqrt{2\delta}\,\operatorname{sign}(\mu^2)$, and symmetrically for agent 2.
    """#)
  let alone = (0..<2).map { toy.trustRegionUpdate(agent: $0, means: start, updatedPartner: nil) }
  let byHand = [start[0] + radius * (start[1] > 0 ? 1 : -1), start[1] + radius * (start[0] > 0 ? 1 : -1)]
  page.check(
    "each agent's trust-region maximiser (numerical search) vs the edge formula", computed: alone.map(\.mean), expected: byHand,
    tolerance: 1e-9)

  page.step(
    "Simultaneous update (IPPO/MAPPO): both agents take their own best step at once.",
    #"(\mu^1, \mu^2) = (\#(f3(start[0])), \#(f3(start[1]))) \to (\#(f3(alone[0].mean)), \#(f3(alone[1].mean))), \qquad J = \#(f3(alone[0].mean)) \times (\#(f3(alone[1].mean)))"#
  )
  let simultaneous = toy.simultaneousUpdate(means: start)
  let jSimultaneous = toy.expectedReward(means: simultaneous)
  page.check(
    "J after the simultaneous update vs the published −0.5625", computed: jSimultaneous, expected: -0.5625, tolerance: 1e-9)
  let predicted = alone[0].surrogate + alone[1].surrogate
  page.prose(
    #"""
    Each agent's surrogate promised a gain of \#(f4(alone[0].surrogate)) and \#(f4(alone[1].surrogate)): \#
    \#(f4(predicted)) together. The team lost \#(f4(j0 - jSimultaneous)) instead. Each promise was made \#
    against a partner who was about to move the other way.
    """#)

  page.step(
    "Sequential update (HATRPO): agent 1 moves as before; agent 2 then maximises its surrogate given agent 1's new policy $\\bar\\pi^1$ (a bar marks a policy already updated in this iteration, a hat a candidate still being chosen; §5.4 defines this surrogate in general as Kuba et al.'s Definition 2):",
    #"L^{1:2}(\bar\pi^1, \hat\mu^2) = \mathbb{E}_{a^1 \sim \bar\pi^1,\, a^2 \sim \mathcal{N}(\hat\mu^2, \sigma^2)}\left[ A^{2}_{\boldsymbol\pi}(a^1, a^2) \right] = \mathbb{E}\left[ a^1 a^2 - a^1 \mu^2 \right] = \bar\mu^1 (\hat\mu^2 - \mu^2)"#
  )
  let order12 = toy.sequentialUpdate(means: start, order: [0, 1])
  let order21 = toy.sequentialUpdate(means: start, order: [1, 0])
  let afterFirst = toy.expectedReward(means: [order12[0], start[1]])
  page.prose(
    #"""
    Agent 2 now sees a partner at μ̄¹ = \#(f3(order12[0])) and moves *up*, to \#(f3(order12[1])). \#
    In the other order agent 2 moves first and agent 1 follows it down: (\#(f3(order21[0])), \#(f3(order21[1]))).
    """#)
  page.check("J after agent 1's step alone vs the published 0.1875", computed: afterFirst, expected: 0.1875, tolerance: 1e-9)
  page.check(
    "J after the sequential update, orders 1 → 2 and 2 → 1, vs the published 0.9375",
    computed: [toy.expectedReward(means: order12), toy.expectedReward(means: order21)], expected: [0.9375, 0.9375],
    tolerance: 1e-9)

  page.step(
    "Lemma 1 explains the difference. In a one-step game $J(\\bar{\\boldsymbol\\pi}) - J(\\boldsymbol\\pi) = \\mathbb{E}_{\\mathbf{a} \\sim \\bar{\\boldsymbol\\pi}}[A_{\\boldsymbol\\pi}(\\mathbf{a})]$, and the lemma splits that into the sequential surrogates, with the new predecessors:",
    #"J(\bar{\boldsymbol\pi}) - J(\boldsymbol\pi) = L^{i_1}(\bar\pi^{i_1}) + L^{i_{1:2}}(\bar\pi^{i_1}, \bar\pi^{i_2})"#)
  let second12 = toy.surrogate(agent: 1, candidate: order12[1], means: start, updatedPartner: order12[0])
  let second21 = toy.surrogate(agent: 0, candidate: order21[0], means: start, updatedPartner: order21[1])
  let sums = [alone[0].surrogate + second12, alone[1].surrogate + second21]
  let gains = [toy.expectedReward(means: order12) - j0, toy.expectedReward(means: order21) - j0]
  page.check(
    "both orders: sum of the two sequential surrogates vs the true change of J", computed: sums, expected: gains, tolerance: 1e-9)
  page.table(
    ["update", "new (μ¹, μ²)", "predicted gain (Σ surrogates)", "true change of J"],
    rows: [
      ["simultaneous", "(\(f3(simultaneous[0])), \(f3(simultaneous[1])))", f4(predicted), f4(jSimultaneous - j0)],
      ["sequential 1 → 2", "(\(f3(order12[0])), \(f3(order12[1])))", f4(sums[0]), f4(gains[0])],
      ["sequential 2 → 1", "(\(f3(order21[0])), \(f3(order21[1])))", f4(sums[1]), f4(gains[1])],
    ], caption: "One update from (μ¹, μ²) = (−0.25, 0.25) with δ = 0.5.")

  // Trajectories over several iterations.
  let iterations = 5
  var rng = RandomGenerator(seed: page.options.seed &+ 531)
  var runs: [(name: String, values: [Double])] = []
  for rule in ["simultaneous", "sequential 1 → 2", "sequential 2 → 1", "sequential, random order"] {
    var μ = start
    var curve = [toy.expectedReward(means: μ)]
    for _ in 0..<iterations {
      switch rule {
      case "simultaneous": μ = toy.simultaneousUpdate(means: μ)
      case "sequential 1 → 2": μ = toy.sequentialUpdate(means: μ, order: [0, 1])
      case "sequential 2 → 1": μ = toy.sequentialUpdate(means: μ, order: [1, 0])
      default: μ = toy.sequentialUpdate(means: μ, order: randomOrdering(of: 2, using: &rng))
      }
      curve.append(toy.expectedReward(means: μ))
    }
    runs.append((rule, curve))
  }
  page.table(
    ["update"] + (0...iterations).map { "J after \($0)" },
    rows: runs.map { [$0.name] + $0.values.map(f4) }, caption: "The return over \(iterations) iterations from the same start.")
  page.plot(
    Plot(
      title: "r = a¹a²: the return J under repeated trust-region updates (δ = 0.5)", xLabel: "iteration", yLabel: "J",
      series: [
        Series("simultaneous", values: runs[0].values),
        Series("sequential (every order gives the same curve)", values: runs[3].values),
      ]),
    file: "ch05-product-game")
  let sequentialCurves = runs.dropFirst().map(\.values)
  let orderSpread = sequentialCurves.flatMap { curve in zip(curve, sequentialCurves[0]).map { abs($0 - $1) } }.max()!
  page.check(
    "the three sequential runs (1 → 2, 2 → 1, random order) give the same J at every iteration (largest difference)",
    computed: orderSpread, expected: 0, tolerance: 1e-9)
  let sequentialIncrements = runs.dropFirst().flatMap { run in zip(run.values.dropFirst(), run.values).map { $0 - $1 } }
  page.checkAtLeast(
    "all three sequential runs: J rises at every iteration (smallest rise)", value: sequentialIncrements.min()!, bound: 0.1)
  let simultaneousBest = runs[0].values.max()!
  page.prose(
    simultaneousBest <= j0 + 1e-9
      ? "The simultaneous updates never get above the starting return: the agents keep swapping signs, and J cycles between \(f4(runs[0].values.min()!)) and \(f4(simultaneousBest)). The sequential updates improve the return at every iteration, whatever the order. (Their J grows without end because r = a¹a² has no maximum: the game is built to show the direction of each update, not to be solved.)"
      : "The simultaneous updates reach at best \(f4(simultaneousBest)); the sequential updates improve the return at every iteration, whatever the order."
  )
}
