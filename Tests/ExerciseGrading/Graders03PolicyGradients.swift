import Autodiff
import Foundation
import MARL

// The graders of chapter 3's exercises. Every expected value below is either derived by hand in the
// comment beside it or computed independently by the library (Sources/MARL/PolicyGradient, whose own
// tests check it against definitions, enumeration and central differences).

// MARK: - Helpers

/// Random segments and games for the graders of chapter 3.
enum PolicyGradientGrading {
  /// A segment of T rows with episode boundaries of every kind, and consistent next values
  /// (within an episode, V(s_{t+1}) of row t is V(s_t) of row t + 1).
  static func segment(_ T: Int, using rng: inout RandomGenerator)
    -> (rewards: [Double], values: [Double], nextValues: [Double], ends: [StepEnd])
  {
    let ends: [StepEnd] = (0..<T).map { _ in
      let x = rng.uniform()
      return x < 0.2 ? .terminated : (x < 0.4 ? .truncated : .continues)
    }
    let values = (0..<T).map { _ in rng.uniform(-3, 3) }
    var finals: [Int: Double] = [:]
    for t in 0..<T where ends[t] == .truncated { finals[t] = rng.uniform(-3, 3) }
    let next = nextValues(values: values, ends: ends, lastValue: rng.uniform(-3, 3), finalValues: finals)
    // Give terminated rows a non-zero "next value" too: a correct answer must never read it.
    let noisy = zip(next, ends).map { v, end in end == .terminated ? 5.0 : v }
    return ((0..<T).map { _ in rng.uniform(-1, 1) }, values, noisy, ends)
  }
}

// MARK: - 3.1 Discounted returns with episode ends

/// Grader of exercise 3.1, `bootstrappedReturns(rewards:ends:nextValues:gamma:)`.
public enum Grader0301 {
  public typealias Implementation = ([Double], [StepEnd], [Double], Double) throws -> [Double]

  public static var checks: [Check<Implementation>] {
    [
      Check("one terminated episode") { returns in
        // γ = 0.5: G₂ = 3, G₁ = 2 + 0.5·3 = 3.5, G₀ = 1 + 0.5·3.5 = 2.75; the next values (9) must be ignored.
        let got = try returns([1, 2, 3], [.continues, .continues, .terminated], [9, 9, 9], 0.5)
        return [
          mismatch(
            "G", got: got, expected: [2.75, 3.5, 3], tolerance: 1e-12,
            hint:
              "A terminated row has no future: G_t = r_t, and nextValues must not be read there. A row that continues adds γ G_{t+1}."
          )
        ].compactMap { $0 }
      },
      Check("truncation bootstraps and stops the sum") { returns in
        // γ = 0.9; rows 0–1 are an episode cut after row 1 (V = 10); rows 2–3 run past the segment (V = 4).
        // G₃ = 1 + 0.9·4 = 4.6, G₂ = 1 + 0.9·4.6 = 5.14, G₁ = 1 + 0.9·10 = 10, G₀ = 1 + 0.9·10 = 10.
        let got = try returns([1, 1, 1, 1], [.continues, .truncated, .continues, .continues], [-1, 10, -1, 4], 0.9)
        return [
          mismatch(
            "G", got: got, expected: [10, 10, 5.14, 4.6], tolerance: 1e-12,
            hint:
              "At a truncation use r_t + γ V(s_{t+1}), and do not add the next episode's return; the last row, if it continues, also bootstraps from its next value."
          )
        ].compactMap { $0 }
      },
      Check("agrees with the library on random segments") { returns in
        var rng = RandomGenerator(seed: 301)
        var problems: [String] = []
        for _ in 0..<10 {
          let s = PolicyGradientGrading.segment(15, using: &rng)
          let γ = rng.uniform(0.5, 1)
          let got = try returns(s.rewards, s.ends, s.nextValues, γ)
          let expected = discountedReturns(rewards: s.rewards, ends: s.ends, nextValues: s.nextValues, gamma: γ)
          if let m = mismatch(
            "G on a random segment (ends \(s.ends.map { $0 == .continues ? "·" : ($0 == .terminated ? "T" : "C") }.joined()))",
            got: got, expected: expected, tolerance: 1e-10,
            hint: "T = terminated, C = cut (truncated), · = continues. Check each kind of end, and the last row.")
          {
            problems.append(m)
            break
          }
        }
        return problems
      },
    ]
  }
}

// MARK: - 3.2 GAE

/// Grader of exercise 3.2, `gaeAdvantages(rewards:values:nextValues:ends:gamma:lambda:)`.
public enum Grader0302 {
  public typealias Implementation = ([Double], [Double], [Double], [StepEnd], Double, Double) throws -> [Double]

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed segment") { gae in
        // γ = 0.5, λ = 0.5, rows: (r, V, V′, end) = (1, 0, 2, ·), (0, 2, 7, T), (1, 1, 4, C).
        // δ = (1 + 1 − 0, 0 − 2, 1 + 2 − 1) = (2, −2, 2). Â₂ = 2 (a cut ends the sum), Â₁ = −2 (terminated),
        // Â₀ = 2 + 0.25·(−2) = 1.5.
        let got = try gae([1, 0, 1], [0, 2, 1], [2, 7, 4], [.continues, .terminated, .truncated], 0.5, 0.5)
        return [
          mismatch(
            "Â", got: got, expected: [1.5, -2, 2], tolerance: 1e-12,
            hint:
              "δ drops V(s_{t+1}) only at a termination; the recursion Â_t = δ_t + γλ Â_{t+1} stops at every end (terminated or truncated)."
          )
        ].compactMap { $0 }
      },
      Check("λ = 0 and λ = 1") { gae in
        var rng = RandomGenerator(seed: 302)
        let s = PolicyGradientGrading.segment(12, using: &rng)
        let γ = 0.95
        let δ = temporalDifferenceErrors(rewards: s.rewards, values: s.values, nextValues: s.nextValues, ends: s.ends, gamma: γ)
        let G = discountedReturns(rewards: s.rewards, ends: s.ends, nextValues: s.nextValues, gamma: γ)
        return [
          mismatch(
            "Â with λ = 0", got: try gae(s.rewards, s.values, s.nextValues, s.ends, γ, 0), expected: δ, tolerance: 1e-10,
            hint: "With λ = 0 GAE is the TD error δ_t = r_t + γ(1 − term_t)V(s_{t+1}) − V(s_t)."),
          mismatch(
            "Â with λ = 1", got: try gae(s.rewards, s.values, s.nextValues, s.ends, γ, 1),
            expected: zip(G, s.values).map { $0 - $1 }, tolerance: 1e-10,
            hint: "With λ = 1 GAE is G_t − V(s_t): discount by γλ, and use nextValues (not values[t + 1]) for V(s_{t+1})."),
        ].compactMap { $0 }
      },
      Check("agrees with the library on random segments") { gae in
        var rng = RandomGenerator(seed: 303)
        for _ in 0..<10 {
          let s = PolicyGradientGrading.segment(15, using: &rng)
          let (γ, λ) = (rng.uniform(0.5, 1), rng.uniform(0.2, 0.99))
          let expected = generalizedAdvantages(
            rewards: s.rewards, values: s.values, nextValues: s.nextValues, ends: s.ends, gamma: γ, lambda: λ)
          if let m = mismatch(
            "Â on a random segment, γ = \(String(format: "%.3f", γ)), λ = \(String(format: "%.3f", λ))",
            got: try gae(s.rewards, s.values, s.nextValues, s.ends, γ, λ), expected: expected, tolerance: 1e-10,
            hint: "The sum must not cross an episode end, and each TD error reads nextValues[t].")
          {
            return [m]
          }
        }
        return []
      },
    ]
  }
}

// MARK: - 3.3 PPO-clip

/// Grader of exercise 3.3, `ppoClipPolicyLoss(logProbabilities:oldLogProbabilities:advantages:epsilon:)`.
public enum Grader0303 {
  public typealias Implementation = (Tensor, Tensor, Tensor, Double) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed loss") { loss in
        // Ratios (1.5, 0.5, 1.1), Â = (1, −1, 2), ε = 0.2: min(1.5, 1.2) = 1.2, min(−0.5, −0.8) = −0.8,
        // min(2.2, 2.2) = 2.2; L = −(1.2 − 0.8 + 2.2)/3 = −2.6/3.
        let got = try loss(Tensor([log(1.5), log(0.5), log(1.1)]), Tensor([0, 0, 0]), Tensor([1, -1, 2]), 0.2)
        if got.count != 1 { return ["expected a scalar loss, got shape \(got.shape)."] }
        return [
          mismatch(
            "L", got: [got.scalars[0]], expected: [-2.6 / 3], tolerance: 1e-12,
            hint: "The loss is minus the mean of min(r Â, clip(r, 1 − ε, 1 + ε) Â), with r = exp(log π − log π_old).")
        ].compactMap { $0 }
      },
      Check("gradient is zero exactly where the clip binds") { loss in
        var rng = RandomGenerator(seed: 304)
        let N = 60, ε = 0.2
        let logRatio = (0..<N).map { _ in rng.uniform(-0.5, 0.5) }
        let Â = (0..<N).map { _ in rng.normal() }
        let old = (0..<N).map { _ in rng.uniform(-3, -0.1) }
        let variable = Tensor(zip(old, logRatio).map { $0 + $1 }, requiresGradient: true)
        let value = try loss(variable, Tensor(old), Tensor(Â), ε)
        if value.count != 1 { return ["expected a scalar loss, got shape \(value.shape)."] }
        let got = gradients(of: value.reshaped([]), withRespectTo: [variable])[0].scalars
        let expected = (0..<N).map { n -> Double in
          let r = exp(logRatio[n])
          let binds = (Â[n] > 0 && r > 1 + ε) || (Â[n] < 0 && r < 1 - ε)
          return binds ? 0 : -r * Â[n] / Double(N)
        }
        return [
          mismatch(
            "∂L/∂log π on 60 rows", got: got, expected: expected, tolerance: 1e-12,
            hint:
              "Unclipped rows give −r Â / N (descent on minus the surrogate); rows where the clip binds in the advantage's favour give 0. Use min, not max, and clip the ratio, not the advantage."
          )
        ].compactMap { $0 }
      },
      Check("old log-probabilities and advantages are constants") { loss in
        // The old log-probabilities computed from the same variable: with a stop-gradient r = 1 and the
        // gradient is −Â/N; without one, r = exp(x − x) has no gradient at all. The advantages are a
        // variable too, and a detached use of them leaves their gradient exactly zero.
        let x = Tensor([-1.2, -0.4, -2.0], requiresGradient: true)
        let old = x * 1  // the same values, still attached to x
        let Â = Tensor([1, -2, 0.5], requiresGradient: true)
        let value = try loss(x, old, Â, 0.2)
        if value.count != 1 { return ["expected a scalar loss, got shape \(value.shape)."] }
        let g = gradients(of: value.reshaped([]), withRespectTo: [x, Â])
        var problems = [
          mismatch(
            "∂L/∂log π when log π_old shares the graph", got: g[0].scalars, expected: [-1.0 / 3, 2.0 / 3, -0.5 / 3],
            tolerance: 1e-12,
            hint: "Detach the old log-probabilities (and the advantages): they are data recorded at collection time.")
        ].compactMap { $0 }
        if g[1].scalars.contains(where: { $0 != 0 }) {
          problems.append(
            "the loss sends gradient into the advantages (\(show(g[1].scalars))): they are data; use advantages.detached.")
        }
        return problems
      },
    ]
  }
}

// MARK: - 3.4 Score-function gradient

/// Grader of exercise 3.4, `scoreFunctionGradientEstimate(in:logits:samples:baseline:)`.
public enum Grader0304 {
  public typealias Implementation = (MatrixGame, [[Double]], [[Int]], Double) throws -> [[Double]]

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed estimate") { estimate in
        // Payoff [[1, 0], [0, 3]], uniform policies (π = ½, ½), samples (0,0), (1,1), (0,1), baseline b = 1.
        // Weights R − b: 0, 2, −1. Agent 1's scores: (½, −½), (−½, ½), (½, −½); agent 2's: (½, −½), (−½, ½), (−½, ½).
        // ĝ¹ = [0 + 2(−½, ½) − (½, −½)] / 3 = (−1.5, 1.5)/3 = (−0.5, 0.5);
        // ĝ² = [0 + 2(−½, ½) − (−½, ½)] / 3 = (−0.5, 0.5)/3.
        let game = MatrixGame(name: "hand", matrix: [[1, 0], [0, 3]])
        let got = try estimate(game, [[0, 0], [0, 0]], [[0, 0], [1, 1], [0, 1]], 1)
        return [
          mismatch(
            "ĝ", got: got.flatMap { $0 }, expected: [-0.5, 0.5, -0.5 / 3, 0.5 / 3], tolerance: 1e-12,
            hint:
              "Weight each sample by R(a) − b, use each agent's own action in its score 𝟙[aⁱ = k] − πⁱ_k, and average over the samples."
          )
        ].compactMap { $0 }
      },
      Check("unbiased on a random game") { estimate in
        var rng = RandomGenerator(seed: 305)
        let game = RandomModels.game([3, 2, 2], payoffBound: 10, using: &rng)
        let logits = [[0.4, -0.3, 0.1], [0.2, -0.5], [-0.1, 0.6]]
        let policies = logits.map(softmaxProbabilities)
        let m = 40_000
        let samples = (0..<m).map { _ in policies.map { rng.categorical($0) } }
        let J = game.expectedPayoff(policies: policies)
        let got = try estimate(game, logits, samples, J).flatMap { $0 }
        let exact = game.exactPolicyGradient(logits: logits).flatMap { $0 }
        // The standard deviation of one per-sample gradient, exactly, bounds the error of the mean.
        let spread = game.exactScoreFunctionMoments(logits: logits, baseline: J).totalVariance.squareRoot()
        return [
          mismatch(
            "ĝ from 40,000 samples (b = J)", got: got, expected: exact, tolerance: 5 * spread / Double(m).squareRoot(),
            hint:
              "An estimate this far from the exact gradient is biased: the score of a softmax is the one-hot action *minus* the probabilities."
          )
        ].compactMap { $0 }
      },
      Check("the baseline is subtracted") { estimate in
        // With a single sample the baseline changes the estimate by −b ∇log π(a): never ignore it.
        let game = MatrixGame(name: "hand", matrix: [[4, 0], [0, 2]])
        let logits = [[0.0, log(3)], [log(3), 0.0]]  // π¹ = (¼, ¾), π² = (¾, ¼)
        // a = (0, 0): R = 4; with b = 3 the weight is 1; scores (¾, −¾) and (¼, −¼).
        let got = try estimate(game, logits, [[0, 0]], 3)
        return [
          mismatch(
            "ĝ for one sample, b = 3", got: got.flatMap { $0 }, expected: [0.75, -0.75, 0.25, -0.25], tolerance: 1e-12,
            hint: "The weight of the score is R(a) − b, not R(a).")
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 3.5 Agent ids

/// Grader of exercise 3.5, `appendAgentIDs(_:agentCount:)`.
public enum Grader0305 {
  public typealias Implementation = (Tensor, Int) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed layout") { append in
        // 2 joint steps of 3 agents, one feature each: row b·3 + i gets e_i.
        let got = try append(Tensor([[1], [2], [3], [4], [5], [6]]), 3)
        if got.shape != [6, 4] { return ["expected shape [6, 4] ([B·n, d + n]), got \(got.shape)."] }
        return [
          mismatch(
            "[o | e_i]", got: got.scalars, expected: [1, 1, 0, 0, 2, 0, 1, 0, 3, 0, 0, 1, 4, 1, 0, 0, 5, 0, 1, 0, 6, 0, 0, 1],
            tolerance: 0,
            hint: "Rows are agent-minor: row r belongs to agent r mod n (not r / B). The observation comes first, then the id.")
        ].compactMap { $0 }
      },
      Check("agrees with the library") { append in
        var rng = RandomGenerator(seed: 306)
        let x = rng.normal([12, 5])
        let got = try append(x, 4)
        let expected = appendingAgentIDs(x, agentCount: 4)
        if got.shape != expected.shape { return ["expected shape \(expected.shape), got \(got.shape)."] }
        return [
          mismatch(
            "12 rows of 5 features, 4 agents", got: got.scalars, expected: expected.scalars, tolerance: 0,
            hint: "The id has n entries, one per agent.")
        ].compactMap { $0 }
      },
      Check("gradients flow into the observations") { append in
        var rng = RandomGenerator(seed: 307)
        let x = Tensor(shape: [4, 3], scalars: rng.normal([4, 3]).scalars, requiresGradient: true)
        let got = try append(x, 2)
        if got.shape != [4, 5] { return ["expected shape [4, 5], got \(got.shape)."] }
        let w = rng.normal([4, 5])
        let g = gradients(of: (got * w).sum(), withRespectTo: [x])[0]
        let expected = (0..<4).flatMap { r in (0..<3).map { c in w.scalars[r * 5 + c] } }
        return [
          mismatch(
            "∂(Σ w ⊙ [x | e])/∂x", got: g.scalars, expected: expected, tolerance: 1e-15,
            hint:
              "Build the result with tensor operations (concatenation), so that a network's gradient can reach whatever produced the observations."
          )
        ].compactMap { $0 }
      },
    ]
  }
}
