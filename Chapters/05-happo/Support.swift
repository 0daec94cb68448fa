// Helpers of chapter 5: number formatting, small random models, and the exact (population-weighted)
// evaluation of HAPPO's objective with the library's own code.

import Autodiff
import Foundation
import MARL
import Workbook

// `fixed` and `sci` come from Workbook.
func f3(_ x: Double) -> String { fixed(x, 3) }
func f4(_ x: Double) -> String { fixed(x, 4) }
func f6(_ x: Double) -> String { fixed(x, 6) }

/// A policy over k actions: softmax of N(0, scale²) logits.
func randomPolicy(_ k: Int, scale: Double = 1, using rng: inout RandomGenerator) -> [Double] {
  softmaxProbabilities((0..<k).map { _ in rng.normal(std: scale) })
}

/// The policy p moved a little: softmax(log p + step · z), z ∼ N(0, I).
func nudged(_ p: [Double], step: Double, using rng: inout RandomGenerator) -> [Double] {
  softmaxProbabilities(p.map { log($0) + step * rng.normal() })
}

/// The policy p moved by at most `size` in every logit: softmax(log p + size · u), u ∼ U[−1, 1]ⁿ. Every
/// probability ratio to p then lies in [e^{−2·size}, e^{2·size}] (the normaliser moves by at most `size`).
func nudgedWithin(_ p: [Double], size: Double, using rng: inout RandomGenerator) -> [Double] {
  softmaxProbabilities(p.map { log($0) + size * rng.uniform(-1, 1) })
}

/// A cooperative game of n agents with the given action counts and integer payoffs in −10…10.
func randomGame(actionCounts: [Int], using rng: inout RandomGenerator) -> MatrixGame {
  let count = actionCounts.reduce(1, *)
  return MatrixGame(
    name: "random", actionCounts: actionCounts, payoff: (0..<count).map { _ in Double(rng.integer(below: 21) - 10) })
}

/// "a¹ = 0, a² = 2, a³ = 1" style labels, agents counted from 1.
func describe(_ agents: [Int], _ actions: [Int]) -> String {
  agents.isEmpty ? "(nobody)" : zip(agents, actions).map { "a\(superscript($0.0 + 1)) = \($0.1)" }.joined(separator: ", ")
}

/// "once", "twice", "7 times".
func timesText(_ n: Int) -> String { n == 1 ? "once" : n == 2 ? "twice" : "\(n) times" }

/// "a, b and c".
func listed(_ items: [String]) -> String {
  items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
}

/// "{1, 2}" for agents [0, 1].
func agentSet(_ agents: [Int]) -> String {
  agents.isEmpty ? "∅" : "{" + agents.map { String($0 + 1) }.joined(separator: ", ") + "}"
}

/// "1 → 3 → 2" for the ordering [0, 2, 1].
func arrow(_ order: [Int]) -> String { order.map { String($0 + 1) }.joined(separator: " → ") }

/// The digits of n as Unicode superscripts.
func superscript(_ n: Int) -> String {
  let map: [Character: String] = [
    "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
  ]
  return String(n).map { map[$0] ?? String($0) }.joined()
}

/// HAPPO's objective for agent order[m−1], computed *exactly* with the library's code:
///
///     Σ_s w(s) Σ_a π(a|s) min( r(a) M(s, a), clip(r(a), 1 ± ε) M(s, a) ),   M = (Π_{j<m} π̄^{i_j}/π^{i_j}) · A_π(s, a)
///
/// One batch row per (state, joint action). The factor is built exactly as HAPPO builds it, by
/// `updatedCorrectionFactor` once per predecessor, and the objective is `happoSurrogate`. The weights
/// w(s)π(a|s) enter through the advantages: min(r·cM, clip(r)·cM) = c·min(r·M, clip(r)·M) for c > 0, and
/// the mean divides by N, so advantages N·w·A turn the sample mean into the exact expectation.
///
/// - Parameters:
///   - states: per state, its multi-agent values (old policy π) and weight w(s) (ρ_π(s), or 1 for a game).
///   - updated: per state, π̄^{i_j}(·|s) for the predecessors order[0..<m−1].
///   - candidateLogits: per state, the logits z of π̂^{i_m}(·|s) = softmax(z) [states, K], differentiable.
///   - clipFactor: the *wrong* variant that clips the earlier agents' ratio product to [1 − ε, 1 + ε].
func exactHAPPOObjective(
  states: [(values: MultiAgentQ, weight: Double)], order: [Int], updated: [[[Double]]], candidateLogits: Tensor,
  epsilon: Double, clipFactor: Bool = false
) -> Tensor {
  let m = updated[0].count
  let agent = order[m]
  var logNew: [Tensor] = [], logOld: [Double] = [], factor: [Double] = [], scaledAdvantages: [Double] = []
  let rows = states.reduce(0) { $0 + $1.values.space.count }
  let logπ̂ = candidateLogits.logSoftmax(alongAxis: 1)  // [states, K]
  for (s, state) in states.enumerated() {
    let q = state.values
    let all = q.space.all
    var rowFactor = [Double](repeating: 1, count: all.count)
    for (j, predecessor) in order[..<m].enumerated() {
      rowFactor = updatedCorrectionFactor(
        rowFactor, newLogProbabilities: all.map { log(updated[s][j][$0[predecessor]]) },
        oldLogProbabilities: all.map { log(q.policies[predecessor][$0[predecessor]]) })
    }
    if clipFactor { rowFactor = rowFactor.map { min(max($0, 1 - epsilon), 1 + epsilon) } }
    let V = q.value
    for (index, a) in all.enumerated() {
      var probability = 1.0
      for i in 0..<q.agentCount { probability *= q.policies[i][a[i]] }
      logNew.append(logπ̂[row: s].reshaped([1, -1]).gathering([a[agent]]))
      logOld.append(log(q.policies[agent][a[agent]]))
      factor.append(rowFactor[index])
      scaledAdvantages.append(Double(rows) * state.weight * probability * (q.q[index] - V))
    }
  }
  return happoSurrogate(
    logProbabilities: Tensor(concatenating: logNew, alongAxis: 0), oldLogProbabilities: Tensor(logOld),
    factor: Tensor(factor), advantages: Tensor(scaledAdvantages), epsilon: epsilon)
}

/// The 3-agent example game and its random policies, the same in every section for a given seed.
func exampleGame(seed: UInt64) -> (game: MatrixGame, policies: [[Double]]) {
  var rng = RandomGenerator(seed: seed &+ 501)
  let game = randomGame(actionCounts: [2, 3, 2], using: &rng)
  let policies = game.actionCounts.map { randomPolicy($0, using: &rng) }
  return (game, policies)
}

/// The small Markov game of the chapter: 3 states, agents with 2, 3 and 2 actions, γ = 0.9, and a
/// random joint policy.
func exampleMarkovGame(seed: UInt64) -> (game: TabularMarkovGame, policy: ProductPolicy) {
  var rng = RandomGenerator(seed: seed &+ 502)
  let game = TabularMarkovGame.random(states: 3, actionCounts: [2, 3, 2], gamma: 0.9, using: &rng)
  return (game, ProductPolicy.random(states: 3, actionCounts: [2, 3, 2], using: &rng))
}
