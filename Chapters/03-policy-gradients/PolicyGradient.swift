// Sections 3.1–3.2: the policy gradient of a matrix game, the score-function estimator and its
// baseline; discounted returns, TD errors and GAE with every kind of episode end.

import Autodiff
import Foundation
import MARL
import Workbook

// MARK: - 3.1 The policy gradient on a matrix game

func policyGradientSection(_ page: Page) {
  page.prose(
    """
    Every method in this chapter climbs one hill: the expected return J(θ) of a parametrised policy. \
    The smallest setting in which that hill can be computed exactly is a cooperative matrix game: one \
    step, one shared payoff R(**a**), and n agents each playing its own softmax policy \
    πⁱ(aⁱ) = softmax(θⁱ)_{aⁱ}. The joint policy is the product of the agents' policies, and
    """)
  page.equation(
    #"J(\theta) = \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi_\theta}\left[R(\mathbf{a})\right] = \sum_{\mathbf{a}} \prod_{i=1}^{n} \pi^i(a^i)\, R(\mathbf{a})"#
  )
  page.step(
    "Differentiate under the sum and write ∇π = π ∇log π (the log-derivative trick)",
    #"\nabla_\theta J = \sum_{\mathbf{a}} \boldsymbol\pi(\mathbf{a})\, R(\mathbf{a})\, \nabla_\theta \log \boldsymbol\pi(\mathbf{a}) = \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[R(\mathbf{a})\, \nabla_\theta \log \boldsymbol\pi(\mathbf{a})\right]"#
  )
  page.step(
    "The log of the product is a sum, and only agent i's own factor depends on θⁱ",
    #"\nabla_{\theta^i} J = \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[R(\mathbf{a})\, \nabla_{\theta^i} \log \pi^i(a^i)\right]"#
  )
  page.step(
    "For a softmax the score is the one-hot action minus the probabilities",
    #"\frac{\partial \log \pi^i(a^i)}{\partial \theta^i_k} = \mathbb{1}[a^i = k] - \pi^i_k"#)
  page.prose(
    """
    Over many steps the same argument gives the policy-gradient theorem (Sutton, McAllester, Singh \
    and Mansour, 1999), with the action value Q^π in place of R:
    """)
  page.equation(
    #"\nabla_\theta J = \mathbb{E}_{\boldsymbol\pi}\left[\sum_{t} \gamma^t\, Q^{\boldsymbol\pi}(s_t, \mathbf{a}_t)\, \nabla_\theta \log \boldsymbol\pi(\mathbf{a}_t \mid s_t)\right]"#
  )
  page.prose(
    """
    Notice what step 2 says about many agents: agent i's gradient weighs *its own* score by the \
    *team's* reward. Everything the other agents did is noise in that weight. That is the \
    credit-assignment problem, and most of this chapter (and the next two) is about reducing that noise.

    On Claus and Boutilier's climbing game (payoffs from −30 to 11) with arbitrary logits, the \
    gradient by enumeration of step 2 against reverse-mode autodiff of J itself:
    """)
  let game = MatrixGame.climbing
  let logits: [[Double]] = [[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]]
  let exact = game.exactPolicyGradient(logits: logits)
  // Autodiff of J(θ) = Σ π¹(a¹) π²(a²) R(a¹, a²), written as an outer product: an independent route.
  let θ = logits.map { Tensor($0, requiresGradient: true) }
  let p1 = θ[0].softmax(alongAxis: 0).reshaped([3, 1]), p2 = θ[1].softmax(alongAxis: 0).reshaped([1, 3])
  let J = (matmul(p1, p2) * Tensor(shape: [3, 3], scalars: game.payoff)).sum()
  let autodiff = gradients(of: J, withRespectTo: θ).flatMap(\.scalars)
  page.check(
    "∇J by enumerating the 9 joint actions (score-function identity) = autodiff of J", computed: exact.flatMap { $0 },
    expected: autodiff, tolerance: 1e-13)

  // MARK: The sampled estimator
  page.prose(
    """
    A learner cannot enumerate: it samples. The score-function (REINFORCE) estimator averages the \
    quantity inside the expectation over m sampled joint actions, each agent sampling its own action:
    """)
  page.equation(
    #"\hat g = \frac{1}{m} \sum_{k=1}^{m} \left(R(\mathbf{a}_k) - b\right) \nabla_\theta \log \boldsymbol\pi(\mathbf{a}_k), \qquad \mathbf{a}_k \sim \boldsymbol\pi"#
  )
  page.code("score-function-estimator")
  let sizes = page.options.quick ? [500, 4_000] : [1_000, 16_000]
  var rng = RandomGenerator(seed: page.options.seed)
  let exactFlat = exact.flatMap { $0 }
  var rows: [[String]] = []
  var estimates: [GradientEstimate] = []
  var worstRatios: [Double] = []
  for m in sizes {
    let estimate = game.scoreFunctionEstimate(logits: logits, samples: m, baseline: 0, using: &rng)
    estimates.append(estimate)
    let worst = zip(zip(estimate.mean, exactFlat), estimate.standardError).map { abs($0.0 - $0.1) / $1 }.max()!
    worstRatios.append(worst)
    let largestError = zip(estimate.mean, exactFlat).map { abs($0 - $1) }.max()!
    rows.append(["\(m)", sci(largestError), sci(estimate.standardError.max()!), f2(worst)])
  }
  page.table(
    ["samples m", "max |ĝ − ∇J|", "largest standard error", "max |ĝ − ∇J| / SE"], rows: rows,
    caption: "The estimator against the exact gradient, all 6 logits, baseline b = 0.")
  for (m, worst) in zip(sizes, worstRatios) {
    page.checkAtMost("m = \(m): every coordinate of ĝ within 4 standard errors of ∇J", value: worst, bound: 4)
  }
  let shrink = estimates[0].standardError.max()! / estimates[1].standardError.max()!
  page.prose(
    """
    The estimate is unbiased, but only right on average: its standard error shrinks like 1/√m \
    (here by a factor \(f2(shrink)) for \(sizes[1] / sizes[0]) times as many samples, against \
    √\(sizes[1] / sizes[0]) = \(f2(Double(sizes[1] / sizes[0]).squareRoot())) expected).
    """)

  // MARK: Baselines
  page.prose(
    """
    **Baselines.** Subtracting any constant b from the reward leaves the mean unchanged, because the \
    score has mean zero:
    """)
  page.equation(
    #"\mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[b\, \nabla_\theta \log \boldsymbol\pi(\mathbf{a})\right] = b \sum_{\mathbf{a}} \nabla_\theta \boldsymbol\pi(\mathbf{a}) = b\, \nabla_\theta 1 = 0"#
  )
  page.prose(
    """
    but it changes the variance. The natural choice is the average payoff, b = J (a state value V, in \
    the multi-step case); the best constant is b* = E[R‖∇log π‖²] / E[‖∇log π‖²] (Greensmith, \
    Bartlett and Baxter, 2004). The exact mean and total variance tr Cov[g] of one per-sample \
    gradient, by enumeration, next to the variance measured from samples:
    """)
  let Jvalue = game.expectedPayoff(policies: logits.map(softmaxProbabilities))
  let bStar = game.optimalConstantBaseline(logits: logits)
  let m = sizes[1]
  var baselineRows: [[String]] = []
  var exactMeans: [[Double]] = [], exactVariances: [Double] = [], sampled: [GradientEstimate] = []
  for (name, b) in [
    ("none, b = 0", 0.0), ("average payoff, b = J = \(f3(Jvalue))", Jvalue), ("best constant, b* = \(f3(bStar))", bStar),
  ] {
    let moments = game.exactScoreFunctionMoments(logits: logits, baseline: b)
    let estimate = game.scoreFunctionEstimate(logits: logits, samples: m, baseline: b, using: &rng)
    exactMeans.append(moments.mean)
    exactVariances.append(moments.totalVariance)
    sampled.append(estimate)
    baselineRows.append([
      name, sci(zip(moments.mean, exactFlat).map { abs($0 - $1) }.max()!), f3(moments.totalVariance), f3(estimate.totalVariance),
    ])
  }
  page.table(["baseline", "max |E[g] − ∇J| (exact)", "tr Cov[g] (exact)", "tr Cov[g] (\(m) samples)"], rows: baselineRows)
  page.check(
    "with b = J the exact mean of the estimator is still ∇J", computed: exactMeans[1], expected: exactFlat, tolerance: 1e-12)
  page.check("… and with b = b*", computed: exactMeans[2], expected: exactFlat, tolerance: 1e-12)
  let worstWithBaseline = zip(zip(sampled[1].mean, exactFlat), sampled[1].standardError).map { abs($0.0 - $0.1) / $1 }.max()!
  page.checkAtMost("sampled with b = J: every coordinate within 4 standard errors of ∇J", value: worstWithBaseline, bound: 4)
  page.checkAtMost(
    "b = J reduces the exact variance (tr Cov with b = J ≤ without)", value: exactVariances[1], bound: exactVariances[0])
  page.checkAtMost("b* is at least as good as b = J", value: exactVariances[2], bound: exactVariances[1], tolerance: 1e-12)
  let relativeErrors = zip(sampled.map(\.totalVariance), exactVariances).map { abs($0 - $1) / $1 }
  page.checkAtMost(
    "the measured variances agree with the exact ones (largest relative error)", value: relativeErrors.max()!, bound: 0.1)
  let factor = exactVariances[0] / exactVariances[1]
  page.prose(
    """
    The average-payoff baseline divides the variance by \(f2(factor)) here\(factor < 1.5
      ? ": little, because these payoffs are spread far on both sides of their mean, and no constant can follow them. A baseline that depends on the situation can do more: a learned critic V(s) in a Markov game, or COMA's counterfactual baseline in chapter 4"
      : ", for free. In a Markov game the baseline becomes a learned critic V(s) (or V(oⁱ))"). \
    With a baseline, the weight R − b is an estimate of the *advantage*: the next section computes it.
    """)
}

// MARK: - 3.2 Returns, TD errors and GAE

func advantageSection(_ page: Page) {
  page.prose(
    """
    In an episode of many steps the weight of ∇log π(a_t|s_t) is an estimate of the advantage \
    A(s_t, a_t) = Q(s_t, a_t) − V(s_t). A learner stores a *segment* of T rows (r_t, V(s_t)) that \
    rarely lines up with episodes, so every row also records how its step ended: the episode goes \
    on, it *terminated* (s_{t+1} is terminal, its value is 0), or it was *truncated* (a time limit \
    or the end of the data cut it: s_{t+1} still has a future, estimated by V(s_{t+1})). The return:
    """)
  page.equation(
    #"G_t = r_t + \gamma\,(1 - \mathrm{term}_t)\, B_t, \qquad B_t = \begin{cases} G_{t+1} & \text{if row } t \text{ continues and } t + 1 < T, \\ V(s_{t+1}) & \text{at a truncation or the last row} \end{cases}"#
  )
  page.code("discounted-returns")
  page.prose("The one-step temporal-difference error, an advantage estimate with little variance and the critic's bias:")
  page.equation(#"\delta_t = r_t + \gamma\,(1 - \mathrm{term}_t)\, V(s_{t+1}) - V(s_t)"#)
  page.prose(
    """
    and generalised advantage estimation (Schulman, Moritz, Levine, Jordan and Abbeel, 2016), an \
    exponentially weighted sum of TD errors that stops at the end of t's episode:
    """)
  page.equation(
    #"\hat A_t = \sum_{l \ge 0} (\gamma\lambda)^l\, \delta_{t+l} \quad\text{(direct sum)}, \qquad \hat A_t = \delta_t + \gamma\lambda\, (1 - \mathrm{end}_t)\, \hat A_{t+1} \quad\text{(recursion)}"#
  )
  page.code("gae-recursive")
  page.step("λ = 0 keeps only the first term", #"\lambda = 0: \quad \hat A_t = \delta_t"#)
  page.step(
    "λ = 1 telescopes: the V(s_{t+l}) terms cancel in pairs, leaving the return minus the baseline",
    #"\lambda = 1: \quad \hat A_t = \sum_{l} \gamma^l \left(r_{t+l} + \gamma V(s_{t+l+1}) - V(s_{t+l})\right) = G_t - V(s_t)"#)

  // A segment with one episode of each kind: terminated, truncated, and running past the segment.
  var rng = RandomGenerator(seed: page.options.seed &+ 2)
  let γ = 0.9
  let episodes: [(rows: ClosedRange<Int>, end: StepEnd)] = [(0...3, .terminated), (4...7, .truncated), (8...11, .continues)]
  let T = 12
  let rewards = (0..<T).map { _ in (rng.normal() * 100).rounded() / 100 }
  let values = (0..<T).map { _ in (rng.normal() * 100).rounded() / 100 }
  let finalValue = (rng.normal() * 100).rounded() / 100  // V(s₈′), the state episode 2 was cut at
  let lastValue = (rng.normal() * 100).rounded() / 100  // V(s₁₂), after the segment
  var ends = [StepEnd](repeating: .continues, count: T)
  ends[3] = .terminated
  ends[7] = .truncated
  let next = nextValues(values: values, ends: ends, lastValue: lastValue, finalValues: [7: finalValue])
  let G = discountedReturns(rewards: rewards, ends: ends, nextValues: next, gamma: γ)

  // The definition, written forwards and episode by episode: Σ_k γᵏ r_{t+k} + γ^{L−t+1} V_boot.
  func definition(_ t: Int) -> Double {
    let episode = episodes.first { $0.rows.contains(t) }!
    var sum = 0.0
    for k in t...episode.rows.upperBound { sum += pow(γ, Double(k - t)) * rewards[k] }
    let bootstrap: Double
    switch episode.end {
    case .terminated: bootstrap = 0
    case .truncated: bootstrap = finalValue
    case .continues: bootstrap = lastValue
    }
    return sum + pow(γ, Double(episode.rows.upperBound - t + 1)) * bootstrap
  }
  let names = ["terminated", "truncated", "continues"]
  page.prose(
    """
    A segment of \(T) rows, γ = \(γ), holding one episode of each kind: rows 0–3 end in a terminal \
    state; rows 4–7 are cut by a time limit (the state they were cut at has V = \(finalValue)); rows \
    8–11 run past the segment (the next state has V = \(lastValue)). The library's backward recursion \
    against the definition, written forwards for each episode:
    """)
  for (k, episode) in episodes.enumerated() {
    let rows = Array(episode.rows)
    page.check(
      "episode that \(names[k]) (rows \(episode.rows.lowerBound)–\(episode.rows.upperBound)): G_t = Σγᵏr + bootstrap",
      computed: rows.map { G[$0] }, expected: rows.map(definition), tolerance: 1e-12)
  }
  let asIfTerminated = rewards[7]
  page.prose(
    """
    Treating the time limit as a termination would have set G₇ = r₇ = \(f3(asIfTerminated)) instead of \
    r₇ + γV = \(f3(G[7])): the critic would learn that the world ends whenever the clock runs out.
    """)
  let δ = temporalDifferenceErrors(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ)
  let gae0 = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 0)
  let gae1 = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 1)
  let gae = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 0.95)
  var table: [[String]] = []
  for t in 0..<T {
    table.append([
      "\(t)", "\(ends[t] == .continues ? "" : names[ends[t] == .terminated ? 0 : 1])", f2(rewards[t]), f2(values[t]), f3(G[t]),
      f3(δ[t]), f3(gae[t]),
    ])
  }
  page.table(["t", "end", "r_t", "V(s_t)", "G_t", "δ_t", "Â_t (λ = 0.95)"], rows: table)
  // δ_t written out: a terminal state is worth 0; a time limit or the segment's end bootstraps from V(s_{t+1}).
  let δWrittenOut = (0..<T).map { t in rewards[t] + γ * (ends[t] == .terminated ? 0 : next[t]) - values[t] }
  page.check("GAE(λ = 0) is the TD error, every row", computed: gae0, expected: δWrittenOut, tolerance: 1e-15)
  page.check("GAE(λ = 1) is G_t − V(s_t), every row", computed: gae1, expected: zip(G, values).map { $0 - $1 }, tolerance: 1e-12)
  var recursive: [Double] = [], direct: [Double] = []
  for λ in [0.3, 0.8, 0.95] {
    recursive += generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: λ)
    direct += generalizedAdvantagesByDirectSum(
      rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: λ)
  }
  page.check(
    "recursive form = direct sum, λ ∈ {0.3, 0.8, 0.95}, every row", computed: recursive, expected: direct, tolerance: 1e-12)
  // Nothing crosses an episode boundary: add 10 to the rewards of one episode; earlier ones must not move.
  var laterOnly = rewards, lastOnly = rewards
  for t in 4..<T { laterOnly[t] += 10 }
  for t in 8..<T { lastOnly[t] += 10 }
  let afterLater = generalizedAdvantages(rewards: laterOnly, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 0.95)
  let afterLast = generalizedAdvantages(rewards: lastOnly, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 0.95)
  page.check(
    "no leak across an end: +10 on rows 4–11 leaves rows 0–3, +10 on rows 8–11 leaves rows 0–7 unchanged",
    computed: Array(afterLater[0...3]) + Array(afterLast[0...7]), expected: Array(gae[0...3]) + Array(gae[0...7]), tolerance: 0)
  page.checkTrue(
    "… while the rows of the changed episode do move", holds: afterLater[4] != gae[4] && afterLast[8] != gae[8],
    detail: "Â₄ \(f3(gae[4])) → \(f3(afterLater[4])), Â₈ \(f3(gae[8])) → \(f3(afterLast[8]))")
}
