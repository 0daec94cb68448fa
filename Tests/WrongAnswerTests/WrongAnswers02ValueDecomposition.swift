import Autodiff
import ExerciseGrading
import Foundation
import XCTest

/// The catalogue of plausible wrong answers to chapter 2's exercises. Each one must be rejected by its
/// exercise's grader. (Shipped only with the master copy: the handout removes this folder.)
final class WrongAnswers02Tests: XCTestCase {
  func assertRejected<I>(_ checks: [Check<I>], _ wrong: I, _ mistake: String, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertFalse(failures(of: wrong, checks).isEmpty, "the grader accepted a wrong answer: \(mistake)", file: file, line: line)
  }

  // MARK: - 2.1

  /// A mixing network parameterised by what it does to the weights, the biases and the hidden layer.
  func mixing(
    weights: @escaping (Tensor) -> Tensor = { $0.abs() }, biases: @escaping (Tensor) -> Tensor = { $0 },
    activation: @escaping (Tensor) -> Tensor = { $0.elu() }, useV: Bool = true
  ) -> Grader0201.Implementation {
    { q, w1, b1, w2, v in
      let (b, n) = (q.shape[0], q.shape[1])
      let h = activation((q.reshaped([b, n, 1]) * weights(w1)).sum(alongAxes: [1]) + biases(b1))
      let out = (h * weights(w2)).sum(alongAxes: [1], keepingDimensions: true)
      return useV ? out + biases(v) : out
    }
  }

  func test0201NoAbsoluteValue() {
    assertRejected(Grader0201.checks, mixing(weights: { $0 }), "weights keep their sign (not monotonic)")
  }
  func test0201ReLU() { assertRejected(Grader0201.checks, mixing(activation: { $0.relu() }), "ReLU instead of ELU") }
  func test0201AbsoluteBiases() {
    assertRejected(Grader0201.checks, mixing(biases: { $0.abs() }), "absolute value of the biases too")
  }
  func test0201ForgetsV() { assertRejected(Grader0201.checks, mixing(useV: false), "forgets the state value V(s)") }
  func test0201NotDifferentiable() {
    let right = mixing()
    assertRejected(
      Grader0201.checks, { q, w1, b1, w2, v in try right(q, w1, b1, w2, v).detached },
      "result built without a graph (no gradient)")
  }

  // MARK: - 2.2

  static func means(_ r: [[Double]]) -> (rows: [Double], columns: [Double], grand: Double) {
    let rows = r.map { $0.reduce(0, +) / Double($0.count) }
    let columns = r[0].indices.map { j in r.map { $0[j] }.reduce(0, +) / Double(r.count) }
    return (rows, columns, rows.reduce(0, +) / Double(rows.count))
  }

  func test0202NoGrandMean() {
    assertRejected(
      Grader0202.checks,
      { r in
        let m = Self.means(r); return m.rows.map { a in m.columns.map { a + $0 } }
      }, "row mean + column mean, without − grand mean")
  }

  func test0202TwiceTheGrandMean() {
    assertRejected(
      Grader0202.checks,
      { r in
        let m = Self.means(r); return m.rows.map { a in m.columns.map { a + $0 - 2 * m.grand } }
      }, "subtracts the grand mean twice")
  }

  func test0202WrongDivisors() {
    assertRejected(
      Grader0202.checks,
      { r in
        let (mRows, kColumns) = (Double(r.count), Double(r[0].count))
        let rows = r.map { $0.reduce(0, +) / mRows }  // should divide by the number of columns
        let columns = r[0].indices.map { j in r.map { $0[j] }.reduce(0, +) / kColumns }  // … and by the number of rows
        let grand = r.flatMap { $0 }.reduce(0, +) / (mRows * kColumns)
        return rows.map { a in columns.map { a + $0 - grand } }
      }, "row and column sums divided by the other dimension (right only for square matrices)")
  }

  // MARK: - 2.3

  static func greedy(_ utilities: [[Double]]) -> [Int] {
    utilities.map { row in row.indices.reduce(0) { row[$1] > row[$0] ? $1 : $0 } }
  }

  static func allJoint(_ counts: [Int]) -> [[Int]] {
    counts.reduce([[]]) { partial, count in partial.flatMap { prefix in (0..<count).map { prefix + [$0] } } }
  }

  func test0203DiagonalOnly() {
    assertRejected(
      Grader0203.checks,
      { utilities, q, tolerance in
        let best = q(Self.greedy(utilities))
        let shortest = utilities.map(\.count).min()!
        return (0..<shortest).allSatisfy { i in q(Array(repeating: i, count: utilities.count)) <= best + tolerance }
      }, "enumerates only joint actions where every agent plays the same index")
  }

  func test0203ComparesIndices() {
    assertRejected(
      Grader0203.checks,
      { utilities, q, _ in
        let joint = Self.allJoint(utilities.map(\.count))
        let first = joint.indices.reduce(0) { q(joint[$1]) > q(joint[$0]) ? $1 : $0 }
        return joint[first] == Self.greedy(utilities)
      }, "compares the argmax indices, so a tie for the maximum counts as a violation")
  }

  func test0203OneAgentAtATime() {
    assertRejected(
      Grader0203.checks,
      { utilities, q, tolerance in
        let u = Self.greedy(utilities)
        let best = q(u)
        // Only unilateral deviations: a Nash-equilibrium test, not IGM.
        return utilities.indices.allSatisfy { a in
          utilities[a].indices.allSatisfy { v in
            var w = u; w[a] = v; return q(w) <= best + tolerance
          }
        }
      }, "checks only deviations of one agent at a time")
  }

  func test0203LastMaximumOnTies() {
    assertRejected(
      Grader0203.checks,
      { utilities, q, tolerance in
        let own = utilities.map { row in row.indices.reduce(0) { row[$1] >= row[$0] ? $1 : $0 } }
        let best = Self.allJoint(utilities.map(\.count)).map(q).max()!
        return q(own) >= best - tolerance
      }, "an agent's greedy action is the last maximum on ties")
  }

  func test0203Stub() {
    assertRejected(Grader0203.checks, { _, _, _ in true }, "a stub that always answers true")
  }

  // MARK: - 2.4

  func target(
    select: @escaping ([Double], [Double]) -> Int, evaluate: @escaping ([Double], [Double], Int) -> Double,
    respectTerminal: Bool = true, discountReward: Bool = false
  ) -> Grader0204.Implementation {
    { r, done, γ, live, tgt, mix in
      r.indices.map { b in
        if respectTerminal && done[b] { return r[b] }
        let chosen = live[b].indices.map { a in evaluate(live[b][a], tgt[b][a], select(live[b][a], tgt[b][a])) }
        return discountReward ? γ * (r[b] + mix(b, chosen)) : r[b] + γ * mix(b, chosen)
      }
    }
  }

  static func argmax(_ q: [Double]) -> Int { q.indices.reduce(0) { q[$1] > q[$0] ? $1 : $0 } }

  func test0204PlainMax() {
    assertRejected(
      Grader0204.checks, target(select: { _, t in Self.argmax(t) }, evaluate: { _, t, u in t[u] }),
      "maximises the target utilities (not double Q)")
  }

  func test0204LiveEvaluation() {
    assertRejected(
      Grader0204.checks, target(select: { l, _ in Self.argmax(l) }, evaluate: { l, _, u in l[u] }),
      "evaluates ū′ with the live utilities")
  }

  func test0204IgnoresTermination() {
    assertRejected(
      Grader0204.checks, target(select: { l, _ in Self.argmax(l) }, evaluate: { _, t, u in t[u] }, respectTerminal: false),
      "bootstraps past the end of the episode")
  }

  func test0204DiscountsReward() {
    assertRejected(
      Grader0204.checks, target(select: { l, _ in Self.argmax(l) }, evaluate: { _, t, u in t[u] }, discountReward: true),
      "discounts the reward as well: γ(r + Q̄)")
  }

  func test0204LastMaximumOnTies() {
    assertRejected(
      Grader0204.checks,
      target(select: { l, _ in l.indices.reduce(0) { l[$1] >= l[$0] ? $1 : $0 } }, evaluate: { _, t, u in t[u] }),
      "takes the last maximum of the live utilities on ties")
  }

  // MARK: - 2.5

  func qtran(
    detach: Bool = true, clamp: @escaping (Tensor) -> Tensor = { $0.minimum(0) }, weighted: Bool = true, flipped: Bool = false,
    detachGreedyUtilities: Bool = false
  ) -> Grader0205.Implementation {
    { sum, utilitiesAtGreedy, qjt, qjtGreedy, v, y, λopt, λnopt in
      let hold = { (t: Tensor) in detach ? t.detached : t }
      let greedySum = detachGreedyUtilities ? utilitiesAtGreedy.detached : utilitiesAtGreedy
      let opt = flipped ? hold(qjtGreedy) - greedySum + v : greedySum - hold(qjtGreedy) + v
      let nopt = clamp(flipped ? hold(qjt) - sum + v : sum - hold(qjt) + v)
      let (a, b) = weighted ? (λopt, λnopt) : (1, 1)
      return (qjt - y).squared().mean() + a * opt.squared().mean() + b * nopt.squared().mean()
    }
  }

  func test0205NoDetach() {
    assertRejected(Grader0205.checks, qtran(detach: false), "gradients flow into Q_jt through the conditions")
  }
  func test0205MaximumInsteadOfMinimum() {
    assertRejected(Grader0205.checks, qtran(clamp: { $0.maximum(0) }), "max(gap, 0): penalises satisfied conditions")
  }
  func test0205NoClamp() {
    assertRejected(Grader0205.checks, qtran(clamp: { $0 }), "squares the whole gap, so every u ≠ ū is forced to equality")
  }
  func test0205Unweighted() { assertRejected(Grader0205.checks, qtran(weighted: false), "ignores λ_opt and λ_nopt") }
  func test0205SignFlipped() {
    assertRejected(Grader0205.checks, qtran(flipped: true), "Q_jt − Σ Q + V instead of Σ Q − Q_jt + V")
  }
  func test0205GreedyUtilitiesDetached() {
    assertRejected(
      Grader0205.checks, qtran(detachGreedyUtilities: true), "Σ Q(ū) held constant in L_opt: the greedy utilities never learn")
  }
}
