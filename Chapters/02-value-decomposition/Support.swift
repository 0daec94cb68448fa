// Chapter 2's helpers: 3 × 3 tables, the MAVEN example's numbers, and two
// independent computations the chapter checks the library against.

import Autodiff
import Foundation
import MARL
import Workbook

/// "(A, C)" for the joint action [0, 2].
func jointName(_ u: [Int]) -> String {
  "(" + u.map { String(UnicodeScalar(UInt8(65 + $0))) }.joined(separator: ", ") + ")"
}

/// The header of stacked 3 × 3 tables: table name, row action, then the columns A, B, C.
let matrixHeader = ["table", "", "A", "B", "C"]

/// Rows for several 3 × 3 tables (flat, row-major) stacked one under the other.
func sideBySide(_ tables: [(String, [Double])], digits: Int = 3) -> [[String]] {
  tables.flatMap { name, values in
    (0..<3).map { i in [i == 0 ? name : "", ["A", "B", "C"][i]] + (0..<3).map { j in fixed(values[i * 3 + j], digits) } }
  }
}

/// (1/|U|) Σ_u (Q(u) − R(u))².
func meanSquaredError(_ q: [Double], _ r: [Double]) -> Double {
  zip(q, r).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(q.count)
}

/// The payoff of Table 1(a) in Mahajan et al., "MAVEN: Multi-Agent Variational Exploration" (NeurIPS 2019).
let mavenTable1Game = MatrixGame(name: "MAVEN Table 1", matrix: [[10.4, 0, 10], [0, 10, 10], [10, 10, 10]])

/// QMIX's values under uniform visitation, as published in MAVEN's Table 1(b).
let mavenPublishedQMIX: [Double] = [6.08, 6.08, 8.95, 6.00, 5.99, 8.87, 8.99, 8.99, 11.87]

/// QTRAN on matrix games: width 32, λ_opt = 1, λ_nopt = 1 (pymarl's λ_nopt is 0.1; section 2.6 says why).
let qtranMatrixConfig = QTRANConfig(hiddenSize: 32, optWeight: 1, noptWeight: 1)

/// A QMIX mixer set by hand to a steep AND of two agents' "A" actions: utilities 1 for A and 0 for B, C;
/// one hidden unit h = k(Q₁ + Q₂) − 1.5k; Q_tot = c·ELU(h) + V with c, V chosen so that Q_tot = `high`
/// at (A, A) and tends to `low` elsewhere as k grows.
func andGateMixer(high: Double, low: Double, sharpness k: Double) -> (table: [Double], greedy: [Int], igmHolds: Bool) {
  var rng = RandomGenerator(seed: 0)
  var mixer = QMixMixer(
    agentCount: 2, stateSize: 1, config: QMixConfig(embedSize: 1, hypernetLayers: 1, hypernetHiddenSize: 1, monotonic: true),
    rng: &rng)
  let c = (high - low) / (0.5 * k + 1), v = low + c
  func t(_ rows: [[Double]]) -> Tensor { Tensor(rows) }
  mixer.parameters = [
    t([[k, k]]), Tensor([0, 0]),  // hyper_W₁(s = 1) = (k, k)
    t([[-1.5 * k]]), Tensor([0]),  // b₁ = −1.5k
    t([[c]]), Tensor([0]),  // w₂ = c
    t([[0]]), Tensor([0]), t([[0]]), Tensor([v]),  // V = v
  ]
  let utilities = [[1.0, 0, 0], [1.0, 0, 0]]
  let check = checkIGM(utilities: utilities, state: [1], mixer: mixer)
  return (check.table, check.decentralisedGreedy, check.holds())
}

/// The double-Q target computed the slow way: ū′ = argmax of the live Q_tot over every joint action
/// (enumerated), then y = r + γ Q̄_tot(s′, ū′). Independent of the per-agent shortcut in `doubleQTarget`.
func jointArgmaxTarget(
  rewards: Tensor, discount γ: Double, live: Tensor, target: Tensor, nextStates: Tensor, liveMixer: QMixMixer,
  targetMixer: QMixMixer
) -> [Double] {
  let (batch, n, actions) = (live.shape[0], live.shape[1], live.shape[2])
  let joint = MatrixGame(
    name: "", actionCounts: Array(repeating: actions, count: n),
    payoff: Array(repeating: 0, count: Int(pow(Double(actions), Double(n))))
  ).allJointActions
  return withoutGradients {
    (0..<batch).map { b in
      let state = nextStates.slice(b..<(b + 1))
      func chosen(_ q: Tensor, _ us: [[Int]]) -> Tensor {
        Tensor(shape: [us.count, n], scalars: us.flatMap { u in (0..<n).map { a in q.scalars[(b * n + a) * actions + u[a]] } })
      }
      let liveValues = liveMixer(chosen(live, joint), states: state).scalars
      let best = joint[
        liveValues.indices.max { liveValues[$0] < liveValues[$1] || (liveValues[$0] == liveValues[$1] && $0 > $1) }!]
      return rewards.scalars[b] + γ * targetMixer(chosen(target, [best]), states: state).scalar
    }
  }
}
