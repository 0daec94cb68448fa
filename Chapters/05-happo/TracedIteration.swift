// Section 5.7: one iteration of HAPPO traced row by row on the 2×2 best-response trap of §5.2: the
// factor M that agent 2 receives, what it changes in agent 2's view of its actions, and the return
// after the sequential update against the simultaneous one.

import Autodiff
import Foundation
import MARL
import Workbook

/// Agent `order.last`'s HAPPO update on the exact objective of a one-step game: `epochs` Adam steps on
/// the logits of its policy, with the predecessors `order.dropLast()` already at `updated`. Returns the
/// new policy π̄ = softmax(z).
func exactHAPPOUpdate(
  _ values: MultiAgentQ, order: [Int], updated: [[Double]], epsilon: Double, epochs: Int, learningRate: Double
) -> [Double] {
  let agent = order[order.count - 1]
  var parameters = [Tensor([values.policies[agent].map { log($0) }])]
  var optimizer = Adam(learningRate: learningRate)
  for _ in 0..<epochs {
    let (_, gradients) = valueWithGradients(at: parameters) { z in
      -exactHAPPOObjective(
        states: [(values: values, weight: 1)], order: order, updated: [updated], candidateLogits: z[0], epsilon: epsilon)
    }
    optimizer.update(&parameters, along: gradients)
  }
  return softmaxProbabilities(parameters[0].scalars)
}

func tracedIterationSection(_ page: Page) {
  let trap = MatrixGame(name: "best-response trap", matrix: [[0, 2], [2, -1]])
  let start = [0.62, 0.38]
  let π = [start, start]
  let values = trap.multiAgentQ(policies: π)
  let J = values.value
  let (ε, epochs, learningRate) = (0.2, 10, 0.1)
  let symmetricOptimum = (0...1000).map { k -> Double in  // the best return two identical policies can reach
    let p = Double(k) / 1000
    return trap.expectedPayoff(policies: [[p, 1 - p], [p, 1 - p]])
  }.max()!
  page.prose(
    #"""
    Everything so far can be watched in one iteration. Take §5.2's trap, R(0, 0) = 0, R(0, 1) = \#
    R(1, 0) = 2, R(1, 1) = −1, with both agents at π = (\#(f3(start[0])), \#(f3(start[1]))), so \#
    J(π) = \#(f4(J)). Action 1 is each agent's better reply to a partner who stays put (it pays when the \#
    partner plays 0, which it does \#(Int((100 * start[0]).rounded()))% of the time), but it stops being the better reply once the \#
    partner plays 1 more than 40% of the time: a reply to a moving target. The start is chosen on \#
    purpose just short of that flip point, where updating at once does the most harm. (It is also \#
    just below \#(f4(symmetricOptimum)), the best return two *identical* policies can reach, found by a \#
    grid search over p.)

    To see the algorithm rather than sampling noise, the batch is the whole population: one row per \#
    joint action, weighted by its probability π(𝐚), with the exact advantage Â(𝐚) = R(𝐚) − J(π) \#
    (the helper `exactHAPPOObjective` in the chapter's `Support.swift`, which §5.6's checks use). \#
    Each agent's update is HAPPO's clipped objective on its own ratio, ε = \#(ε), optimised by \#
    \#(epochs) Adam steps of size \#(learningRate) on the logits of its policy; to keep the trace \#
    readable there is no entropy bonus and Â is not standardised. The order is 1 → 2.
    """#)

  // MARK: Agent 1: M¹ = Â
  let first = exactHAPPOUpdate(values, order: [0], updated: [], epsilon: ε, epochs: epochs, learningRate: learningRate)
  // MARK: M² = r¹ · Â, by the library's own factor update, one row per joint action
  let rows = values.space.all
  let factor = updatedCorrectionFactor(
    [Double](repeating: 1, count: rows.count), newLogProbabilities: rows.map { log(first[$0[0]]) },
    oldLogProbabilities: rows.map { log(start[$0[0]]) })
  let Â = rows.map { values.jointAdvantage($0) }
  // MARK: Agent 2: HAPPO (M²) against the simultaneous update (Â)
  let second = exactHAPPOUpdate(values, order: [0, 1], updated: [first], epsilon: ε, epochs: epochs, learningRate: learningRate)
  let alone = exactHAPPOUpdate(values, order: [1], updated: [], epsilon: ε, epochs: epochs, learningRate: learningRate)

  page.prose(
    #"""
    **Agent 1** goes first, with $M^{1} = \hat A$. Its policy moves from π¹(1) = \#(f3(start[1])) to \#
    π̄¹(1) = \#(f3(first[1])), a ratio of \#(f4(first[1] / start[1])), close to the edge of the clip, \#
    1 + ε = \#(1 + ε). That is PPO's clip at work: past the edge, the rows where action 1 did well \#
    stop pulling, while the row (1, 1), where it did badly, keeps pushing back (the clip only \#
    removes the incentive in the direction that looks good), so Adam's steps hover around it. \#
    Agent 2 receives the factor $M^{1:2}(\mathbf{a}) = \frac{\bar\pi^{1}(a^1)}{\pi^{1}(a^1)} \hat A(\mathbf{a})$, \#
    row by row:
    """#)
  page.table(
    ["𝐚 = (a¹, a²)", "π(𝐚)", "R(𝐚)", "Â(𝐚)", "r¹ = π̄¹(a¹)/π¹(a¹)", "M^(1:2) = r¹ Â"],
    rows: rows.indices.map { k in
      let a = rows[k]
      return [
        "(\(a[0]), \(a[1]))", f4(π[0][a[0]] * π[1][a[1]]), f3(trap.payoff(a)), f4(Â[k]), f4(factor[k]), f4(factor[k] * Â[k]),
      ]
    },
    caption: "The population batch after agent 1's update; r¹ is computed by `updatedCorrectionFactor`.")

  // What each action is worth to agent 2 under the two weightings: Σ_{a¹} π¹(a¹) w(a¹) Â(a¹, a²).
  func view(_ weight: (Int) -> Double) -> [Double] {
    (0..<2).map { a2 in rows.indices.filter { rows[$0][1] == a2 }.reduce(0.0) { $0 + π[0][rows[$1][0]] * weight($1) * Â[$1] } }
  }
  let withÂ = view { _ in 1 }, withM = view { factor[$0] }
  let direct = (0..<2).map { a2 in (0..<2).reduce(0.0) { $0 + first[$1] * values.jointAdvantage([$1, a2]) } }
  page.prose(
    #"""
    **What agent 2 sees.** Average each column over agent 1's old policy: the value of agent 2's \#
    action $a^2$ is $\sum_{a^1} \pi^1(a^1)\, w(a^1)\, \hat A(a^1, a^2)$, with w = 1 for the \#
    simultaneous update and w = r¹ for HAPPO. The ratio turns the average over the *old* π¹ into \#
    one over the *new* π̄¹, which is the importance-sampling identity behind eq. 9:
    """#)
  page.table(
    ["agent 2's action", "with Â (partner as it was)", "with M^(1:2) (partner as it is now)", "𝔼_(a¹ ∼ π̄¹)[Â(a¹, a²)] directly"],
    rows: (0..<2).map { ["a² = \($0)", f4(withÂ[$0]), f4(withM[$0]), f4(direct[$0])] })
  page.check(
    "M-weighted value of agent 2's actions vs the same averages taken directly over π̄¹", computed: withM, expected: direct,
    tolerance: 1e-12)
  let preferÂ = withÂ[1] > withÂ[0] ? 1 : 0, preferM = withM[1] > withM[0] ? 1 : 0
  let firstGain = values.sequentialSurrogate(order: [0], updated: [], candidate: first)
  let sharedPart = (0..<2).reduce(0.0) { $0 + π[1][$1] * withM[$1] }
  page.prose(
    (preferÂ != preferM
      ? "The weighting changes agent 2's mind: against the old partner its better action is \(preferÂ), against the partner that has just moved it is \(preferM)."
      : "Here the weighting shifts agent 2's values but not its preferred action (\(preferM) either way).")
      + " Only the difference between the two rows moves agent 2. Their average under agent 2's own policy is agent 1's gain L¹(π̄¹), the part the \"−1\" of eq. 9 removes:"
  )
  page.check(
    "Σ_(a²) π²(a²) × (M-weighted value of a²) vs L¹(π̄¹) by Definition 2", computed: sharedPart, expected: firstGain,
    tolerance: 1e-12)

  // MARK: The two outcomes, and Lemma 1's account of them
  let happoPolicies = [first, second], simultaneousPolicies = [first, alone]
  let happoJ = trap.expectedPayoff(policies: happoPolicies), simultaneousJ = trap.expectedPayoff(policies: simultaneousPolicies)
  let happoPredicted =
    values.sequentialSurrogate(order: [0], updated: [], candidate: first)
    + values.sequentialSurrogate(order: [0, 1], updated: [first], candidate: second)
  let simultaneousPredicted =
    values.sequentialSurrogate(order: [0], updated: [], candidate: first)
    + values.sequentialSurrogate(order: [1], updated: [], candidate: alone)
  page.table(
    ["update", "π̄¹(1)", "π̄²(1)", "J(π̄)", "Σ of the agents' surrogates", "true change J(π̄) − J(π)"],
    rows: [
      ["none (start)", f3(start[1]), f3(start[1]), f4(J), "—", "—"],
      ["HAPPO, 1 → 2 (agent 2 on M^(1:2))", f3(first[1]), f3(second[1]), f4(happoJ), f4(happoPredicted), f4(happoJ - J)],
      [
        "simultaneous (agent 2 on Â)", f3(first[1]), f3(alone[1]), f4(simultaneousJ), f4(simultaneousPredicted),
        f4(simultaneousJ - J),
      ],
    ],
    caption: "One iteration from π¹ = π² = (\(f3(start[0])), \(f3(start[1]))); exact returns.")
  page.prose(
    #"""
    In a one-step game Lemma 1 makes the sequential surrogates add up to the true change for *any* \#
    pair of new policies, so HAPPO's row says nothing new there. What differs is the term agent 2 \#
    maximised: HAPPO's agent 2 climbed $L^{1:2}(\bar\pi^1, \cdot)$, its term of the sum given \#
    the partner's new policy, while the simultaneous agent 2 climbed $L^{2}(\cdot)$, computed as if \#
    agent 1 had stayed put. The simultaneous row's surrogates, $L^1(\bar\pi^1) + L^2(\bar\pi^2)$, \#
    add up to \#(f4(simultaneousPredicted)), but the return changed by \#(f4(simultaneousJ - J)): \#
    \#(simultaneousJ < J
      ? "each agent's promise was made against a partner who then moved, and the team lost."
      : "the promise and the outcome differ, because agent 2's surrogate assumed a partner who then moved.") \#
    \#(happoJ > J && simultaneousJ < J
      ? "From the same start and with the same step sizes, the sequential update raised the return and the simultaneous one lowered it: §5.3's picture, now with HAPPO's clipped loss and a gradient optimiser."
      : "")
    """#)

  // MARK: Many iterations
  let iterations = page.options.quick ? 12 : 20
  let asymmetric = [0.58, 0.42]
  let runs: [(name: String, start: [[Double]], sequential: Bool)] = [
    ("HAPPO, random order, same start", [start, start], true),
    ("simultaneous, same start", [start, start], false),
    ("simultaneous, π²(1) = \(f3(asymmetric[1]))", [start, asymmetric], false),
  ]
  var orderRNG = RandomGenerator(seed: page.options.seed &+ 507)
  var largestGap = [Double](repeating: 0, count: runs.count)  // max over iterations of |π¹(1) − π²(1)|
  let curves = runs.indices.map { r in
    var policies = runs[r].start
    var curve = [trap.expectedPayoff(policies: policies)]
    for _ in 0..<iterations {
      let order = runs[r].sequential ? randomOrdering(of: 2, using: &orderRNG) : [0, 1]
      policies = exactIteration(
        trap, policies, order: order, sequential: runs[r].sequential, epsilon: ε, epochs: epochs, learningRate: learningRate)
      curve.append(trap.expectedPayoff(policies: policies))
      largestGap[r] = max(largestGap[r], abs(policies[0][1] - policies[1][1]))
    }
    return curve
  }
  page.prose(
    #"""
    **Iterating.** Repeat the iteration \#(iterations) times, HAPPO with a fresh random order each \#
    time. The trap is symmetric, R(0, 1) = R(1, 0), so two agents with the *same* policy that \#
    update simultaneously on exact advantages receive the same gradient and stay identical forever: \#
    they are parameter sharing in disguise, capped by the best symmetric return \#(f4(symmetricOptimum)). HAPPO's second \#
    agent answers the first one's move, which breaks the tie. The third run starts agent 2 slightly \#
    elsewhere, to separate the two effects.
    """#)
  page.table(
    ["update", "J after 1", "J after 5", "J after \(iterations)", "iterations where J fell", "largest fall"],
    rows: zip(runs, curves).map { run, curve in
      let steps = zip(curve.dropFirst(), curve).map { $0 - $1 }
      return [
        run.name, f4(curve[1]), f4(curve[5]), f4(curve[iterations]), "\(steps.filter { $0 < -1e-12 }.count)/\(iterations)",
        f4(max(0, -(steps.min() ?? 0))),
      ]
    },
    caption: "Exact returns on the trap; optimum 2, best symmetric policy \(f4(symmetricOptimum)).")
  page.plot(
    Plot(
      title: "The trap under repeated exact updates (ε = \(ε), \(epochs) Adam steps of \(learningRate))", xLabel: "iteration",
      yLabel: "J",
      series: zip(runs, curves).map { run, curve in
        Series(run.name, points: curve.enumerated().map { (x: Double($0.offset), y: $0.element) })
      }),
    file: "ch05-trap-iterations")
  let happoCurve = curves[0], symmetricCurve = curves[1], asymmetricCurve = curves[2]
  page.check(
    "simultaneous updates from the same start: largest |π¹(1) − π²(1)| over the \(iterations) iterations (the agents stay identical)",
    computed: largestGap[1], expected: 0, tolerance: 0)
  let happoFalls = zip(happoCurve.dropFirst(), happoCurve).filter { $0 - $1 < -1e-12 }.count
  page.prose(
    """
    HAPPO ends at \(f4(happoCurve.last!)) \(happoFalls == 0 ? "and its return never fell" : "(its return fell \(timesText(happoFalls)))"); \
    simultaneous updates from the same start end at \(f4(symmetricCurve.last!)), hovering under the symmetric cap. \
    \(asymmetricCurve.last! > symmetricOptimum + 0.1
      ? "Started apart, simultaneous updates escape too (\(f4(asymmetricCurve.last!)) after \(iterations) iterations). So on this game what the sequential update contributes is a way out of a tie, and exact, identical updates are the only way to stay tied. In §5.8's sampled runs every agent draws its own actions, so ties break by themselves, which is why separate learners updated simultaneously do about as well as HAPPO there."
      : "Started apart, simultaneous updates reach \(f4(asymmetricCurve.last!)).")
    """)
}

/// One exact iteration on a one-step game: every agent takes its HAPPO update in `order`, each seeing
/// the updated policies of the agents before it (`sequential`), or all against the old joint policy.
func exactIteration(
  _ game: MatrixGame, _ policies: [[Double]], order: [Int], sequential: Bool, epsilon: Double, epochs: Int, learningRate: Double
) -> [[Double]] {
  let values = game.multiAgentQ(policies: policies)
  var new = policies
  for (m, agent) in order.enumerated() {
    let predecessors = sequential ? Array(order[..<m]) : []
    new[agent] = exactHAPPOUpdate(
      values, order: predecessors + [agent], updated: predecessors.map { new[$0] }, epsilon: epsilon, epochs: epochs,
      learningRate: learningRate)
  }
  return new
}
