import Autodiff
import ExerciseGrading
import Foundation
import MARL
import XCTest

/// The catalogue of plausible wrong answers to chapter 5's exercises. Each one must be rejected by
/// its exercise's grader: a grader that passes a wrong answer would give a student false confidence.
/// (Shipped only with the master copy: the handout removes this folder.)
final class WrongAnswers05Tests: XCTestCase {
  func assertRejected<I>(_ checks: [Check<I>], _ wrong: I, _ mistake: String, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertFalse(failures(of: wrong, checks).isEmpty, "the grader accepted a wrong answer: \(mistake)", file: file, line: line)
  }

  // MARK: - 5.1

  /// Q^S with a configurable mistake in the weights.
  static func committedValue(
    _ q: [Double], _ counts: [Int], _ π: [[Double]], _ who: [Int], _ what: [Int], weightCommitted: Bool = false,
    uniform: Bool = false,
    byPosition: Bool = false
  ) -> Double {
    let space = JointActionSpace(actionCounts: counts)
    var fixed = [Int: Int]()
    for (k, (agent, action)) in zip(who, what).enumerated() { fixed[byPosition ? k : agent] = action }
    var total = 0.0
    for index in 0..<space.count {
      let a = space.actions(of: index)
      var weight = 1.0
      for i in counts.indices {
        if let f = fixed[i] {
          if a[i] != f { weight = 0; break }
          if weightCommitted { weight *= π[i][a[i]] }
        } else {
          weight *= uniform ? 1 / Double(counts[i]) : π[i][a[i]]
        }
      }
      total += weight * q[index]
    }
    return total
  }

  func test0501ForgetsTheBaseline() {
    assertRejected(
      Grader0501.checks,
      { q, c, π, agents, actions, given, givenActions in
        Self.committedValue(q, c, π, given + agents, givenActions + actions)
      }, "returns Q^{j,i} without subtracting Q^{j}")
  }

  func test0501SubtractsVInsteadOfTheGivenAgents() {
    assertRejected(
      Grader0501.checks,
      { q, c, π, agents, actions, given, givenActions in
        Self.committedValue(q, c, π, given + agents, givenActions + actions) - Self.committedValue(q, c, π, [], [])
      }, "subtracts V rather than Q^{j_{1:k}}")
  }

  func test0501WeightsCommittedAgents() {
    assertRejected(
      Grader0501.checks,
      { q, c, π, agents, actions, given, givenActions in
        Self.committedValue(q, c, π, given + agents, givenActions + actions, weightCommitted: true)
          - Self.committedValue(q, c, π, given, givenActions, weightCommitted: true)
      }, "multiplies in the committed agents' probabilities too")
  }

  func test0501UniformPartners() {
    assertRejected(
      Grader0501.checks,
      { q, c, π, agents, actions, given, givenActions in
        Self.committedValue(q, c, π, given + agents, givenActions + actions, uniform: true)
          - Self.committedValue(q, c, π, given, givenActions, uniform: true)
      }, "averages the free agents uniformly instead of by their policies")
  }

  func test0501ActionsByPosition() {
    assertRejected(
      Grader0501.checks,
      { q, c, π, agents, actions, given, givenActions in
        Self.committedValue(q, c, π, given + agents, givenActions + actions, byPosition: true)
          - Self.committedValue(q, c, π, given, givenActions, byPosition: true)
      }, "reads actions[k] as agent k's action instead of agents[k]'s")
  }

  // MARK: - 5.2

  /// The running product with a configurable mistake.
  static func factors(
    _ order: [Int], _ old: [[Double]], _ new: [[Double]], clipRatio: Bool = false, clipProduct: Bool = false,
    includeOwn: Bool = false,
    inverse: Bool = false
  ) -> [[Double]] {
    let B = old[0].count
    var running = [Double](repeating: 1, count: B)
    var result: [[Double]] = []
    for i in order {
      var ratio = (0..<B).map { exp(inverse ? old[i][$0] - new[i][$0] : new[i][$0] - old[i][$0]) }
      if clipRatio { ratio = ratio.map { min(max($0, 0.8), 1.2) } }
      if !includeOwn { result.append(running) }
      running = zip(running, ratio).map { $0 * $1 }
      if clipProduct { running = running.map { min(max($0, 0.8), 1.2) } }
      if includeOwn { result.append(running) }
    }
    return result
  }

  func test0502ClipsEachRatio() {
    assertRejected(
      Grader0502.checks, { Self.factors($0, $1, $2, clipRatio: true) }, "clips each earlier agent's ratio to [1 − ε, 1 + ε]")
  }

  func test0502ClipsTheProduct() {
    assertRejected(Grader0502.checks, { Self.factors($0, $1, $2, clipProduct: true) }, "clips M to [1 − ε, 1 + ε]")
  }

  func test0502FixedOrder() {
    assertRejected(
      Grader0502.checks, { order, old, new in Self.factors(Array(0..<order.count), old, new) },
      "ignores the drawn order and uses 0, 1, …, n − 1")
  }

  func test0502IncludesTheAgentsOwnRatio() {
    assertRejected(
      Grader0502.checks, { Self.factors($0, $1, $2, includeOwn: true) }, "multiplies in the agent's own ratio (off by one)")
  }

  func test0502InverseRatio() {
    assertRejected(Grader0502.checks, { Self.factors($0, $1, $2, inverse: true) }, "uses π_old/π_new")
  }

  // MARK: - 5.3

  func test0503ClipsTheFactor() {
    assertRejected(
      Grader0503.checks,
      { logπ, old, factor, Â, ε in
        let r = (logπ - old.detached).exp()
        let M = factor.detached.clamped(1 - ε, 1 + ε) * Â.detached
        return -minimum(r * M, r.clamped(1 - ε, 1 + ε) * M).mean()
      }, "clips M (the earlier agents' ratios) as well as the own ratio")
  }

  func test0503GradientThroughTheFactor() {
    assertRejected(
      Grader0503.checks,
      { logπ, old, factor, Â, ε in
        let r = (logπ - old.detached).exp()
        let M = factor * Â.detached  // no detach on the factor
        return -minimum(r * M, r.clamped(1 - ε, 1 + ε) * M).mean()
      }, "lets gradients flow into M")
  }

  func test0503ClipsTheProductOfRatios() {
    assertRejected(
      Grader0503.checks,
      { logπ, old, factor, Â, ε in
        let rM = (logπ - old.detached).exp() * factor.detached
        return -minimum(rM * Â.detached, rM.clamped(1 - ε, 1 + ε) * Â.detached).mean()
      }, "clips the joint ratio r·(earlier ratios) instead of the own ratio")
  }

  func test0503NoClip() {
    assertRejected(
      Grader0503.checks,
      { logπ, old, factor, Â, _ in
        -((logπ - old.detached).exp() * factor.detached * Â.detached).mean()
      }, "forgets the clip (plain importance-weighted surrogate)")
  }

  func test0503Maximum() {
    assertRejected(
      Grader0503.checks,
      { logπ, old, factor, Â, ε in
        let r = (logπ - old.detached).exp()
        let M = factor.detached * Â.detached
        return -maximum(r * M, r.clamped(1 - ε, 1 + ε) * M).mean()
      }, "takes the max instead of the min")
  }

  func test0503WrongSign() {
    assertRejected(
      Grader0503.checks,
      { logπ, old, factor, Â, ε in
        -(try WrongAnswers05Tests.correctLoss(logπ, old, factor, Â, ε))
      }, "returns the objective instead of the loss")
  }

  static func correctLoss(_ logπ: Tensor, _ old: Tensor, _ factor: Tensor, _ Â: Tensor, _ ε: Double) throws -> Tensor {
    -happoSurrogate(logProbabilities: logπ, oldLogProbabilities: old, factor: factor, advantages: Â, epsilon: ε)
  }

  // MARK: - 5.4

  /// Conjugate gradient with a configurable mistake.
  static func cg(
    _ H: ([Double]) -> [Double], _ b: [Double], _ iterations: Int, steepest: Bool = false, invertedβ: Bool = false,
    startAtB: Bool = false,
    recomputeResidual: Bool = false, noEarlyStop: Bool = false
  ) -> [Double] {
    let dot = { (u: [Double], v: [Double]) in zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }
    var x = startAtB ? b : [Double](repeating: 0, count: b.count)
    var r = startAtB ? zip(b, H(b)).map { $0 - $1 } : b
    var p = r
    var rr = dot(r, r)
    for _ in 0..<iterations {
      if !noEarlyStop && rr < 1e-20 { break }
      let Hp = H(p)
      let α = rr / dot(p, Hp)
      for k in x.indices { x[k] += α * p[k] }
      r = recomputeResidual ? zip(b, H(x)).map { $0 - $1 } : zip(r, Hp).map { $0 - α * $1 }
      let next = dot(r, r)
      let β = steepest ? 0 : (invertedβ ? rr / next : next / rr)
      p = zip(r, p).map { $0 + β * $1 }
      rr = next
    }
    return x
  }

  func test0504SteepestDescent() {
    assertRejected(Grader0504.checks, { Self.cg($0, $1, $2, steepest: true) }, "steepest descent: p = r, no conjugation")
  }

  func test0504InvertedBeta() {
    assertRejected(Grader0504.checks, { Self.cg($0, $1, $2, invertedβ: true) }, "β = r_oldᵀr_old / r_newᵀr_new")
  }

  func test0504StartsAtB() {
    assertRejected(Grader0504.checks, { Self.cg($0, $1, $2, startAtB: true) }, "starts from x₀ = b")
  }

  func test0504RecomputesResidual() {
    assertRejected(
      Grader0504.checks, { Self.cg($0, $1, $2, recomputeResidual: true) },
      "recomputes r = b − Hx (an extra product per iteration)")
  }

  func test0504NeverStops() {
    assertRejected(
      Grader0504.checks, { Self.cg($0, $1, $2, noEarlyStop: true) }, "keeps iterating after the residual vanishes (0/0)")
  }

  // MARK: - 5.5

  /// The step and line search with a configurable mistake.
  static func step(
    _ θ: [Double], _ x: [Double], _ Hx: [Double], _ g: [Double], _ δ: Double, _ α: Double, _ L: Int, _ κ: Double,
    _ surrogate: ([Double]) -> Double, _ kl: ([Double]) -> Double,
    noFactorTwo: Bool = false, useGradientNorm: Bool = false, skipKL: Bool = false, skipImprovement: Bool = false,
    skipRatio: Bool = false,
    keepLast: Bool = false, extraCandidates: Int = 0
  ) -> [Double] {
    let dot = { (u: [Double], v: [Double]) in zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }
    let curvature = useGradientNorm ? dot(g, g) : dot(x, Hx)
    let β = ((noFactorTwo ? 1 : 2) * δ / curvature).squareRoot()
    let predicted = β * dot(g, x)
    let start = surrogate(θ)
    var fraction = 1.0
    var last = θ
    for _ in 0..<max(0, L + extraCandidates) {
      let candidate = θ.indices.map { θ[$0] + fraction * β * x[$0] }
      last = candidate
      let gain = surrogate(candidate) - start
      let klOK = skipKL || kl(candidate) <= δ
      let gainOK = skipImprovement || gain > 0
      let ratioOK = skipRatio || gain > κ * fraction * predicted
      if klOK && gainOK && ratioOK { return candidate }
      fraction *= α
    }
    return keepLast ? last : θ
  }

  func test0505MissingFactorTwo() {
    assertRejected(Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, noFactorTwo: true) }, "β = √(δ / xᵀHx)")
  }

  func test0505GradientNorm() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, useGradientNorm: true) }, "β = √(2δ / gᵀg)")
  }

  func test0505NoKLCheck() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, skipKL: true) },
      "accepts steps that leave the trust region")
  }

  func test0505NoImprovementCheck() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, skipImprovement: true, skipRatio: true) },
      "accepts the first step inside the trust region, improving or not")
  }

  func test0505NoRatioCheck() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, skipRatio: true) },
      "accepts any positive gain (no κ test)")
  }

  func test0505KeepsTheLastCandidate() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, keepLast: true) },
      "returns the last candidate tried when none qualifies")
  }

  func test0505OneCandidateTooMany() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, extraCandidates: 1) },
      "tries L + 1 candidates (j = 0…L)")
  }

  func test0505OneCandidateTooFew() {
    assertRejected(
      Grader0505.checks, { Self.step($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, extraCandidates: -1) },
      "tries L − 1 candidates (j = 1..<L)")
  }

  func test0505Stub() {
    assertRejected(Grader0505.checks, { θ, _, _, _, _, _, _, _, _, _ in θ }, "a stub that returns θ unchanged")
  }

  // MARK: - 5.6

  func test0506FixedOrder() {
    assertRejected(Grader0506.checks, { n, _ in Array(0..<n) }, "a fixed order 0, 1, …, n − 1")
  }

  func test0506NaiveShuffle() {
    assertRejected(
      Grader0506.checks,
      { n, rng in
        var order = Array(0..<n)
        for k in 0..<n { order.swapAt(k, rng.integer(below: n)) }  // swaps with any position: biased
        return order
      }, "the naive shuffle that swaps each position with any position")
  }

  func test0506RandomRotation() {
    assertRejected(
      Grader0506.checks,
      { n, rng in
        let shift = rng.integer(below: n)
        return (0..<n).map { ($0 + shift) % n }
      }, "a random rotation (only n of the n! orderings)")
  }

  func test0506SystemGenerator() {
    assertRejected(Grader0506.checks, { n, _ in Array(0..<n).shuffled() }, "shuffles with the system generator")
  }
}
