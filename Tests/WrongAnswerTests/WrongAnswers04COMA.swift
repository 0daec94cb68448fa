import Autodiff
import ExerciseGrading
import Foundation
import MARL
import XCTest

/// The catalogue of plausible wrong answers to chapter 4's exercises. Each one must be rejected by
/// its exercise's grader. (Shipped only with the master copy: the handout removes this folder.)
final class WrongAnswers04Tests: XCTestCase {
  func assertRejected<I>(_ checks: [Check<I>], _ wrong: I, _ mistake: String, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertFalse(failures(of: wrong, checks).isEmpty, "the grader accepted a wrong answer: \(mistake)", file: file, line: line)
  }

  // MARK: - 4.1

  /// Σ_k weights[k] R(u with entry `who` set to k).
  static func redraw(_ game: MatrixGame, _ u: [Int], _ who: Int, _ weights: [Double]) -> Double {
    var v = u
    var total = 0.0
    for k in weights.indices {
      v[who] = k
      total += weights[k] * game.payoff(v)
    }
    return total
  }

  func test0401KeepsOwnAction() {
    assertRejected(
      Grader0401.checks, { game, _, u, _ in game.payoff(u) }, "returns Q(s, u) itself: agent a's own action is not averaged out")
  }

  func test0401TeammatePolicy() {
    assertRejected(
      Grader0401.checks,
      { game, a, u, policies in
        Self.redraw(game, u, a, policies[(a + 1) % policies.count])
      }, "redraws agent a's action with a teammate's policy instead of its own")
  }

  func test0401RedrawsTeammate() {
    assertRejected(
      Grader0401.checks,
      { game, a, u, policies in
        let b = (a + 1) % policies.count
        return Self.redraw(game, u, b, policies[b])
      }, "averages a teammate's action out and keeps agent a's")
  }

  func test0401UniformAverage() {
    assertRejected(
      Grader0401.checks,
      { game, a, u, policies in
        Self.redraw(game, u, a, policies[a].map { _ in 1 / Double(policies[a].count) })
      }, "averages agent a's actions uniformly instead of with πᵃ")
  }

  // MARK: - 4.2

  /// Rows of a [N, K] tensor.
  static func rows(_ x: Tensor) -> [[Double]] { x.detached.rows }

  func test0402NotDetached() {
    assertRejected(
      Grader0402.checks, { q, π, u in q.gathering(u) - (π * q).sum(alongAxes: [1]) },
      "forgets to detach: gradients flow into the critic")
  }

  func test0402NeighbourPolicy() {
    assertRejected(
      Grader0402.checks,
      { q, π, u in
        let (Q, P) = (Self.rows(q), Self.rows(π))
        return Tensor(
          Q.indices.map { n in
            let other = P[(n + 1) % P.count]  // the next row: a teammate's policy
            return Q[n][u[n]] - zip(other, Q[n]).reduce(0) { $0 + $1.0 * $1.1 }
          })
      }, "weighs each row's Q by another agent's policy")
  }

  func test0402UniformBaseline() {
    assertRejected(
      Grader0402.checks,
      { q, _, u in
        let Q = Self.rows(q)
        return Tensor(Q.indices.map { n in Q[n][u[n]] - Q[n].reduce(0, +) / Double(Q[n].count) })
      }, "subtracts the plain mean of the row instead of the π-weighted one")
  }

  func test0402SignFlipped() {
    assertRejected(
      Grader0402.checks,
      { q, π, u in
        (π.detached * q.detached).sum(alongAxes: [1]) - q.detached.gathering(u)
      }, "baseline minus Q instead of Q minus baseline")
  }

  func test0402MaxBaseline() {
    assertRejected(
      Grader0402.checks,
      { q, _, u in
        let Q = Self.rows(q)
        return Tensor(Q.indices.map { n in Q[n][u[n]] - Q[n].max()! })
      }, "subtracts the best action's value (a greedy baseline)")
  }

  // MARK: - 4.3

  /// The input rows with a choice of what to mask and in which order.
  static func rows(
    _ states: [[Double]], _ observations: [[[Double]]], _ actions: [[Int]], _ previous: [[Int]], _ K: Int,
    maskOwn: Bool = true, maskOthers: Bool = false, maskOwnPrevious: Bool = false, agentMajor: Bool = false, withID: Bool = true
  ) -> [[Double]] {
    func oneHot(_ i: Int) -> [Double] { (0..<K).map { $0 == i ? 1 : 0 } }
    let (B, n) = (states.count, actions.first?.count ?? 0)
    var out: [[Double]] = []
    let order: [(Int, Int)] =
      agentMajor ? (0..<n).flatMap { a in (0..<B).map { b in (a, b) } } : (0..<B).flatMap { b in (0..<n).map { a in (a, b) } }
    for (a, b) in order {
      var row = states[b] + observations[b][a]
      for other in 0..<n {
        let hidden = (other == a && maskOwn) || (other != a && maskOthers)
        row += hidden ? [Double](repeating: 0, count: K) : oneHot(actions[b][other])
      }
      for other in 0..<n { row += other == a && maskOwnPrevious ? [Double](repeating: 0, count: K) : oneHot(previous[b][other]) }
      if withID { row += (0..<n).map { $0 == a ? 1 : 0 } }
      out.append(row)
    }
    return out
  }

  func test0403Unmasked() {
    assertRejected(
      Grader0403.checks, { s, o, u, p, K in Self.rows(s, o, u, p, K, maskOwn: false) }, "forgets to mask the agent's own action")
  }

  func test0403MasksTeammates() {
    assertRejected(
      Grader0403.checks, { s, o, u, p, K in Self.rows(s, o, u, p, K, maskOwn: false, maskOthers: true) },
      "keeps only the agent's own action and hides the teammates'")
  }

  func test0403MasksPreviousToo() {
    assertRejected(
      Grader0403.checks, { s, o, u, p, K in Self.rows(s, o, u, p, K, maskOwnPrevious: true) },
      "also zeroes the agent's block of the previous joint action")
  }

  func test0403AgentMajor() {
    assertRejected(
      Grader0403.checks, { s, o, u, p, K in Self.rows(s, o, u, p, K, agentMajor: true) },
      "orders the rows agent-major (all steps of agent 0 first)")
  }

  func test0403NoID() {
    assertRejected(Grader0403.checks, { s, o, u, p, K in Self.rows(s, o, u, p, K, withID: false) }, "leaves out the agent id")
  }

  // MARK: - 4.4

  /// The backward recursion with switches for the usual mistakes.
  static func targets(
    _ r: [Double], _ q: [Double], _ ends: [StepEnd], _ γ: Double, _ λ: Double,
    ignoreTermination: Bool = false, swapWeights: Bool = false, leakAcrossTruncation: Bool = false,
    truncationTerminates: Bool = false, shiftBootstrap: Bool = false
  ) -> [Double] {
    let T = r.count
    var y = [Double](repeating: 0, count: T)
    var later = 0.0
    for t in stride(from: T - 1, through: 0, by: -1) {
      let bootstrap = shiftBootstrap ? (t + 1 < T ? q[t + 1] : q[t]) : q[t]
      var stops = ends[t] != .continues || t == T - 1
      if leakAcrossTruncation && ends[t] == .truncated { stops = false }
      let continuation = stops ? bootstrap : later
      let terminal = ends[t] == .terminated || (truncationTerminates && ends[t] == .truncated)
      let m = ignoreTermination ? 1.0 : (terminal ? 0.0 : 1.0)
      let mix = swapWeights ? λ * bootstrap + (1 - λ) * continuation : (1 - λ) * bootstrap + λ * continuation
      y[t] = r[t] + γ * m * mix
      later = y[t]
    }
    return y
  }

  func test0404IgnoresTermination() {
    assertRejected(
      Grader0404.checks, { r, q, e, γ, λ in Self.targets(r, q, e, γ, λ, ignoreTermination: true) },
      "bootstraps from q after a terminal step")
  }

  func test0404SwappedWeights() {
    assertRejected(Grader0404.checks, { r, q, e, γ, λ in Self.targets(r, q, e, γ, λ, swapWeights: true) }, "λ and 1 − λ swapped")
  }

  func test0404LeaksAcrossTruncation() {
    assertRejected(
      Grader0404.checks, { r, q, e, γ, λ in Self.targets(r, q, e, γ, λ, leakAcrossTruncation: true) },
      "after a truncation, continues with the next episode's target")
  }

  func test0404TruncationAsTermination() {
    assertRejected(
      Grader0404.checks, { r, q, e, γ, λ in Self.targets(r, q, e, γ, λ, truncationTerminates: true) },
      "treats a truncation as a termination (no bootstrap)")
  }

  func test0404OffByOne() {
    assertRejected(
      Grader0404.checks, { r, q, e, γ, λ in Self.targets(r, q, e, γ, λ, shiftBootstrap: true) },
      "bootstraps from q two steps ahead (off by one in time)")
  }

  // MARK: - 4.5

  /// tr Cov (or the second moment) of w(u)(e_{uᵃ} − πᵃ) for a weight w, by enumeration.
  static func spread(
    _ game: MatrixGame, _ a: Int, _ policies: [[Double]], centred: Bool = true, scoreless: Bool = false, _ w: ([Int]) -> Double
  ) -> Double {
    var samples: [(Double, [Double])] = []
    for u in game.allJointActions {
      let p = u.enumerated().reduce(1.0) { $0 * policies[$1.offset][$1.element] }
      let g = scoreless ? [w(u)] : policies[a].indices.map { k in w(u) * ((k == u[a] ? 1 : 0) - policies[a][k]) }
      samples.append((p, g))
    }
    var mean = [Double](repeating: 0, count: samples[0].1.count)
    if centred { for (p, g) in samples { for k in g.indices { mean[k] += p * g[k] } } }
    return samples.reduce(0) { total, sample in
      total + sample.0 * zip(sample.1, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }
  }

  func test0405SecondMoment() {
    assertRejected(
      Grader0405.checks,
      { game, a, π in
        Self.spread(game, a, π, centred: false) { u in game.counterfactualAdvantage(of: a, jointAction: u, policy: π[a]) }
      }, "returns E‖g‖², forgetting to subtract E g")
  }

  func test0405StateValueWeight() {
    assertRejected(
      Grader0405.checks,
      { game, a, π in
        let V = game.expectedPayoff(policies: π)
        return Self.spread(game, a, π) { u in game.payoff(u) - V }
      }, "uses the Q − V weight instead of COMA's advantage")
  }

  func test0405RawQ() {
    assertRejected(Grader0405.checks, { game, a, π in Self.spread(game, a, π) { u in game.payoff(u) } }, "uses the raw Q weight")
  }

  func test0405AdvantageOnly() {
    assertRejected(
      Grader0405.checks,
      { game, a, π in
        Self.spread(game, a, π, scoreless: true) { u in game.counterfactualAdvantage(of: a, jointAction: u, policy: π[a]) }
      }, "the variance of Aᵃ alone, without the score e_{uᵃ} − πᵃ")
  }
}
