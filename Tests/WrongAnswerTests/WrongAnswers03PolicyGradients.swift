import Autodiff
import ExerciseGrading
import Foundation
import MARL
import XCTest

/// The catalogue of plausible wrong answers to chapter 3's exercises. Each one must be rejected by
/// its exercise's grader. (Shipped only with the master copy: the handout removes this folder.)
final class WrongAnswers03Tests: XCTestCase {
  func assertRejected<I>(_ checks: [Check<I>], _ wrong: I, _ mistake: String, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertFalse(failures(of: wrong, checks).isEmpty, "the grader accepted a wrong answer: \(mistake)", file: file, line: line)
  }

  /// Backward returns with a rule for what follows each row, parametrised by the mistake.
  private static func returns(
    _ r: [Double], _ ends: [StepEnd], _ v: [Double], _ γ: Double, follow: (StepEnd, Bool, Double, Double) -> Double
  ) -> [Double] {
    var G = r, next = 0.0
    for t in r.indices.reversed() {
      G[t] = r[t] + γ * follow(ends[t], t == r.count - 1, next, v[t])
      next = G[t]
    }
    return G
  }

  // MARK: - 3.1

  func test0301IgnoresEnds() {
    assertRejected(
      Grader0301.checks,
      { r, ends, v, γ in
        Self.returns(r, ends, v, γ) { _, last, next, value in last ? value : next }
      }, "one long discounted sum: episode ends ignored")
  }

  func test0301TruncationAsTermination() {
    assertRejected(
      Grader0301.checks,
      { r, ends, v, γ in
        Self.returns(r, ends, v, γ) { end, last, next, value in end != .continues ? 0 : (last ? value : next) }
      }, "a truncation treated as a termination (no bootstrap)")
  }

  func test0301TruncationAsContinuation() {
    assertRejected(
      Grader0301.checks,
      { r, ends, v, γ in
        Self.returns(r, ends, v, γ) { end, last, next, value in end == .terminated ? 0 : (last ? value : next) }
      }, "a truncation treated as a continuation (the next episode leaks in)")
  }

  func test0301NoBootstrapAtTheEnd() {
    assertRejected(
      Grader0301.checks,
      { r, ends, v, γ in
        Self.returns(r, ends, v, γ) { end, last, next, value in
          switch end {
          case .terminated: 0
          case .truncated: value
          case .continues: last ? 0 : next
          }
        }
      }, "the last row does not bootstrap")
  }

  func test0301BootstrapsAtTermination() {
    assertRejected(
      Grader0301.checks,
      { r, ends, v, γ in
        Self.returns(r, ends, v, γ) { end, last, next, value in end != .continues || last ? value : next }
      }, "reads V(s_{t+1}) after a terminal state")
  }

  // MARK: - 3.2

  /// GAE with a configurable mistake in the TD error or the recursion.
  private static func gae(
    _ r: [Double], _ V: [Double], _ next: [Double], _ ends: [StepEnd], _ γ: Double, _ λ: Double,
    mask: (StepEnd) -> Double = { $0 == .terminated ? 0 : 1 }, stops: (StepEnd) -> Bool = { $0 != .continues },
    decay: Double? = nil
  ) -> [Double] {
    var A = r, carried = 0.0
    for t in r.indices.reversed() {
      let δ = r[t] + γ * mask(ends[t]) * next[t] - V[t]
      carried = δ + (stops(ends[t]) || t == r.count - 1 ? 0 : (decay ?? γ * λ) * carried)
      A[t] = carried
    }
    return A
  }

  func test0302CrossesEpisodeEnds() {
    assertRejected(
      Grader0302.checks, { r, V, n, e, γ, λ in Self.gae(r, V, n, e, γ, λ, stops: { _ in false }) },
      "the sum runs across episode ends")
  }

  func test0302NoBootstrapAtTruncation() {
    assertRejected(
      Grader0302.checks, { r, V, n, e, γ, λ in Self.gae(r, V, n, e, γ, λ, mask: { $0 == .continues ? 1 : 0 }) },
      "δ drops V(s_{t+1}) at a truncation")
  }

  func test0302DecaysByGammaOnly() {
    assertRejected(Grader0302.checks, { r, V, n, e, γ, λ in Self.gae(r, V, n, e, γ, λ, decay: γ) }, "decays by γ instead of γλ")
  }

  func test0302UsesTheNextRowsValue() {
    assertRejected(
      Grader0302.checks,
      { r, V, n, e, γ, λ in
        let shifted = r.indices.map { t in e[t] == .terminated ? 0 : (t + 1 < r.count ? V[t + 1] : n[t]) }
        return Self.gae(r, V, shifted, e, γ, λ)
      }, "V(s_{t+1}) read from the next row, even across a truncation")
  }

  func test0302StopsOnlyAtTermination() {
    assertRejected(
      Grader0302.checks, { r, V, n, e, γ, λ in Self.gae(r, V, n, e, γ, λ, stops: { $0 == .terminated }) },
      "the sum continues past a truncation")
  }

  // MARK: - 3.3

  func test0303PlusSign() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        let r = (new - old.detached).exp()
        return minimum(r * Â, r.clamped(1 - ε, 1 + ε) * Â).mean()
      }, "returns the surrogate instead of the loss (wrong sign)")
  }

  func test0303Maximum() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        let r = (new - old.detached).exp()
        return -maximum(r * Â, r.clamped(1 - ε, 1 + ε) * Â).mean()
      }, "max instead of min")
  }

  func test0303OnlyClipped() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        -((new - old.detached).exp().clamped(1 - ε, 1 + ε) * Â).mean()
      }, "the clipped term alone")
  }

  func test0303NoDetach() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        let r = (new - old).exp()
        return -minimum(r * Â, r.clamped(1 - ε, 1 + ε) * Â).mean()
      }, "the old log-probabilities are not detached")
  }

  func test0303AdvantagesNotDetached() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        let r = (new - old.detached).exp()
        return -minimum(r * Â, r.clamped(1 - ε, 1 + ε) * Â).mean()
      }, "the advantages are not detached")
  }

  func test0303SumInsteadOfMean() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        let r = (new - old.detached).exp()
        return -minimum(r * Â, r.clamped(1 - ε, 1 + ε) * Â).sum()
      }, "sum instead of mean")
  }

  func test0303LogRatio() {
    assertRejected(
      Grader0303.checks,
      { new, old, Â, ε in
        let r = new - old.detached + 1  // forgets the exponential
        return -minimum(r * Â, r.clamped(1 - ε, 1 + ε) * Â).mean()
      }, "uses 1 + log-ratio as the ratio")
  }

  // MARK: - 3.4

  /// The estimator with a configurable score.
  private static func estimate(
    _ game: MatrixGame, _ logits: [[Double]], _ samples: [[Int]], _ b: Double, divideBy: Int? = nil,
    score: (_ agent: Int, _ joint: [Int], _ k: Int, _ π: [Double]) -> Double
  ) -> [[Double]] {
    let π = logits.map(softmaxProbabilities)
    var g = logits.map { $0.map { _ in 0.0 } }
    for joint in samples {
      for i in joint.indices {
        for k in π[i].indices { g[i][k] += (game.payoff(joint) - b) * score(i, joint, k, π[i]) }
      }
    }
    let m = Double(divideBy ?? samples.count)
    return g.map { $0.map { $0 / m } }
  }

  func test0304OneHotOnly() {
    assertRejected(
      Grader0304.checks, { game, θ, s, b in Self.estimate(game, θ, s, b) { i, a, k, _ in a[i] == k ? 1 : 0 } },
      "the score without −π")
  }

  func test0304IgnoresBaseline() {
    assertRejected(
      Grader0304.checks, { game, θ, s, _ in Self.estimate(game, θ, s, 0) { i, a, k, π in (a[i] == k ? 1 : 0) - π[k] } },
      "the baseline is ignored")
  }

  func test0304SignFlipped() {
    assertRejected(
      Grader0304.checks, { game, θ, s, b in Self.estimate(game, θ, s, b) { i, a, k, π in π[k] - (a[i] == k ? 1 : 0) } },
      "π − one-hot (descent direction)")
  }

  func test0304PartnersAction() {
    assertRejected(
      Grader0304.checks,
      { game, θ, s, b in
        Self.estimate(game, θ, s, b) { i, a, k, π in (a[(i + 1) % a.count] == k % θ[(i + 1) % a.count].count ? 1 : 0) - π[k] }
      }, "scores agent i with its partner's action")
  }

  func test0304DividesByAgents() {
    assertRejected(
      Grader0304.checks,
      { game, θ, s, b in
        Self.estimate(game, θ, s, b, divideBy: θ.count) { i, a, k, π in (a[i] == k ? 1 : 0) - π[k] }
      }, "divides by the number of agents instead of the number of samples")
  }

  // MARK: - 3.5

  func test0305AgentMajor() {
    assertRejected(
      Grader0305.checks,
      { x, n in
        let B = x.shape[0] / n
        return Tensor(concatenating: [x, Tensor.oneHot((0..<x.shape[0]).map { $0 / B }, depth: n)], alongAxis: 1)
      }, "agent-major ids (row / B)")
  }

  func test0305Prepended() {
    assertRejected(
      Grader0305.checks,
      { x, n in
        Tensor(concatenating: [Tensor.oneHot((0..<x.shape[0]).map { $0 % n }, depth: n), x], alongAxis: 1)
      }, "the id before the observation")
  }

  func test0305CopiedScalars() {
    assertRejected(
      Grader0305.checks,
      { x, n in
        let d = x.shape[1]
        var rows: [Double] = []
        for r in 0..<x.shape[0] {
          rows += x.scalars[(r * d)..<((r + 1) * d)]
          rows += (0..<n).map { $0 == r % n ? 1.0 : 0.0 }
        }
        return Tensor(shape: [x.shape[0], d + n], scalars: rows)
      }, "built from copied scalars, so no gradient reaches the observations")
  }

  func test0305WrongDepth() {
    assertRejected(
      Grader0305.checks,
      { x, n in
        Tensor(concatenating: [x, Tensor.oneHot((0..<x.shape[0]).map { $0 % n }, depth: n + 1)], alongAxis: 1)
      }, "ids one entry too long")
  }
}
