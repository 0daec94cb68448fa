import Autodiff
import Foundation
import MARL

// The graders of chapter 4's exercises. Every expected value below is either derived by hand in the
// comment beside it or computed independently by the library (Sources/MARL/COMA, whose own tests
// check it against enumeration, sampling and the definitions).

// MARK: - Helpers

/// Random games and policies for the graders of chapter 4.
enum COMAGrading {
  /// Rows of distributions, [N, K].
  static func policies(rows: Int, actions: Int, using rng: inout RandomGenerator) -> Tensor {
    Tensor(shape: [rows, actions], scalars: (0..<rows).flatMap { _ in RandomModels.policy(actions, using: &rng) })
  }

  /// A segment of T rows with episode boundaries of every kind.
  static func segment(_ T: Int, using rng: inout RandomGenerator) -> (rewards: [Double], nextValues: [Double], ends: [StepEnd]) {
    let ends: [StepEnd] = (0..<T).map { _ in
      let x = rng.uniform()
      return x < 0.2 ? .terminated : (x < 0.35 ? .truncated : .continues)
    }
    return ((0..<T).map { _ in rng.uniform(-1, 1) }, (0..<T).map { _ in rng.uniform(-3, 3) }, ends)
  }
}

// MARK: - 4.1 Counterfactual baseline

/// Grader of exercise 4.1, `comaBaseline(in:agent:jointAction:policies:)`.
public enum Grader0401 {
  public typealias Implementation = (MatrixGame, Int, [Int], [[Double]]) throws -> Double

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed on R = u¹ + 10u²") { baseline in
        let game = MatrixGame.weightedSum(weights: [1, 10])
        let uniform = [[0.5, 0.5], [0.5, 0.5]]
        // b¹ at u = (1, 1): agent 1 redraws, agent 2 keeps 1: ½(0 + 10) + ½(1 + 10) = 10.5.
        // b² at u = (1, 0): agent 2 redraws, agent 1 keeps 1: ½(1) + ½(11) = 6.
        // b¹ at u = (0, 1) with π¹ = (0.7, 0.3): 0.7·10 + 0.3·11 = 10.3.
        let got = [
          try baseline(game, 0, [1, 1], uniform), try baseline(game, 1, [1, 0], uniform),
          try baseline(game, 0, [0, 1], [[0.7, 0.3], [0.5, 0.5]]),
        ]
        return [
          mismatch(
            "(b¹(1,1), b²(1,0), b¹(0,1) at π¹ = (0.7, 0.3))", got: got, expected: [10.5, 6, 10.3], tolerance: 1e-12,
            hint: "Hold every other agent's action, replace agent a's by each k in turn, and weigh R by agent a's own πᵃ(k).")
        ].compactMap { $0 }
      },
      Check("does not depend on the agent's own action") { baseline in
        var rng = RandomGenerator(seed: 41)
        let game = RandomModels.game([3, 3, 3], payoffBound: 10, using: &rng)
        let policies = (0..<3).map { _ in RandomModels.policy(3, using: &rng) }
        var worst = 0.0
        for u in game.allJointActions {
          for a in 0..<3 {
            var v = u
            v[a] = (u[a] + 1) % 3
            worst = max(worst, abs(try baseline(game, a, u, policies) - baseline(game, a, v, policies)))
          }
        }
        // One value as well: b¹ at u = (0, 0, 0) is Σ_k π¹(k) R(k, 0, 0).
        let expected = (0..<3).reduce(0.0) { sum, k in sum + policies[0][k] * game.payoff([k, 0, 0]) }
        let value = try baseline(game, 0, [0, 0, 0], policies)
        var problems = [
          scalarMismatch(
            "b¹ at u = (0, 0, 0)", got: value, expected: expected, tolerance: 1e-12,
            hint: "bᵃ(u⁻ᵃ) = Σ_k πᵃ(k) R(u with uᵃ = k).")
        ].compactMap { $0 }
        if worst > 1e-10 {
          problems.append(
            "bᵃ changed by up to \(number(worst)) when only agent a's own action uᵃ changed. The baseline must average uᵃ out (that is why it adds no bias): never read u[a] itself."
          )
        }
        return problems
      },
      Check("agrees with the library on random games and policies") { baseline in
        var rng = RandomGenerator(seed: 42)
        var got: [Double] = [], expected: [Double] = []
        for counts in [[3, 3, 3], [2, 2, 2, 2]] {
          let game = RandomModels.game(counts, payoffBound: 10, using: &rng)
          let policies = counts.map { RandomModels.policy($0, using: &rng) }
          for u in game.allJointActions {
            for a in counts.indices {
              got.append(try baseline(game, a, u, policies))
              expected.append(
                counterfactualBaseline(qValues: game.counterfactualPayoffs(of: a, jointAction: u), policy: policies[a]))
            }
          }
        }
        return [
          mismatch(
            "bᵃ(u⁻ᵃ) on random 3×3×3 and 2×2×2×2 games", got: got, expected: expected, tolerance: 1e-10,
            hint: "Use agent a's own policy πᵃ (policies[a]), not a teammate's, and vary only entry a of the joint action.")
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 4.2 Advantages from the critic

/// Grader of exercise 4.2, `comaAdvantages(qValues:policies:actions:)`.
public enum Grader0402 {
  public typealias Implementation = (Tensor, Tensor, [Int]) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed rows") { advantages in
        // Row 0: b = 0.5·1 + 0.25·2 + 0.25·4 = 2, A = Q[2] − b = 4 − 2 = 2.
        // Row 1: b = 0.2·0 + 0.2·3 + 0.6·3 = 2.4, A = Q[0] − b = −2.4.
        let got = try advantages(Tensor([[1, 2, 4], [0, 3, 3]]), Tensor([[0.5, 0.25, 0.25], [0.2, 0.2, 0.6]]), [2, 0])
        if got.shape != [2] { return ["expected shape [2] (one advantage per row), got \(got.shape)."] }
        return [
          mismatch(
            "A on two hand-made rows", got: got.scalars, expected: [2, -2.4], tolerance: 1e-12,
            hint: "Aₙ = Qₙ[uₙ] − Σ_k πₙ[k] Qₙ[k]: the taken action's value minus the policy-weighted average of the row.")
        ].compactMap { $0 }
      },
      Check("each row uses its own agent's policy") { advantages in
        var rng = RandomGenerator(seed: 43)
        let (N, K) = (12, 4)
        let q = rng.uniform([N, K], -5, 5)
        let π = COMAGrading.policies(rows: N, actions: K, using: &rng)
        let u = (0..<N).map { _ in rng.integer(below: K) }
        let got = try advantages(q, π, u)
        let expected = counterfactualAdvantages(qValues: q, policies: π, actions: u)
        if got.shape != [N] { return ["expected shape [\(N)], got \(got.shape)."] }
        return [
          mismatch(
            "A on 12 random rows, each with its own policy", got: got.scalars, expected: expected.scalars, tolerance: 1e-10,
            hint:
              "Row n's baseline weighs row n's Q by row n's policy: the agent's own πᵃ, not a teammate's row, not a uniform average, not the maximum."
          )
        ].compactMap { $0 }
      },
      Check("the advantage is a constant: no gradient flows through it") { advantages in
        var rng = RandomGenerator(seed: 44)
        let q = rng.uniform([5, 3], -2, 2).requiringGradient()
        let logits = rng.normal([5, 3]).requiringGradient()
        let π = logits.softmax(alongAxis: 1)
        let got = try advantages(q, π, [0, 1, 2, 1, 0])
        // One value as well: row 0 took action 0, A₀ = Q₀[0] − Σ_k π₀[k] Q₀[k].
        let expected = q.scalars[0] - (0..<3).reduce(0.0) { $0 + π.scalars[$1] * q.scalars[$1] }
        var problems: [String] = []
        if got.shape != [5] {
          problems.append("expected shape [5] (one advantage per row), got \(got.shape).")
        } else if let wrong = scalarMismatch(
          "A₀ with the action 0 taken", got: got.scalars[0], expected: expected, tolerance: 1e-12,
          hint: "Aₙ = Qₙ[uₙ] − Σ_k πₙ[k] Qₙ[k].")
        {
          problems.append(wrong)
        }
        if got.requiresGradient {
          problems.append(
            "the result requires gradients: the loss −Σ A log π would then send gradients into the critic's Q and into π through the baseline. Detach the inputs (`.detached`) before combining them."
          )
        }
        return problems
      },
    ]
  }
}

// MARK: - 4.3 Critic input

/// Grader of exercise 4.3, `comaCriticInputs(states:observations:jointActions:previousJointActions:actionCount:)`.
public enum Grader0403 {
  public typealias Implementation = ([[Double]], [[[Double]]], [[Int]], [[Int]], Int) throws -> [[Double]]

  public static var checks: [Check<Implementation>] {
    [
      Check("a hand-built step with two agents") { inputs in
        // n = 2, K = 3, s = (0.5, −1), o⁰ = 7, o¹ = 8, u = (2, 0), previous u = (−1, 1):
        // agent 0: s | o⁰ | [0 0 0][1 0 0] | [0 0 0][0 1 0] | [1 0]
        // agent 1: s | o¹ | [0 0 1][0 0 0] | [0 0 0][0 1 0] | [0 1]
        let got = try inputs([[0.5, -1]], [[[7], [8]]], [[2, 0]], [[-1, 1]], 3)
        let expected: [[Double]] = [
          [0.5, -1, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0],
          [0.5, -1, 8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1],
        ]
        if got.count != 2 { return ["expected 2 rows (n = 2 agents, 1 step), got \(got.count)."] }
        var problems: [String] = []
        for a in 0..<2 {
          if let m = mismatch(
            "row of agent \(a)", got: got[a], expected: expected[a], tolerance: 0,
            hint:
              "Order: state, own observation, joint action with your own block zeroed, previous joint action (zeros for −1), one-hot id."
          ) {
            problems.append(m)
          }
        }
        return problems
      },
      Check("every row hides its own agent's action and only that") { inputs in
        var rng = RandomGenerator(seed: 45)
        let (B, n, K, S, d) = (4, 3, 3, 2, 2)
        let u = (0..<B).map { _ in (0..<n).map { _ in rng.integer(below: K) } }
        let got = try inputs(
          (0..<B).map { _ in (0..<S).map { _ in rng.uniform() } },
          (0..<B).map { _ in (0..<n).map { _ in (0..<d).map { _ in rng.uniform() } } },
          u, (0..<B).map { _ in (0..<n).map { _ in rng.integer(below: K) } }, K)
        guard got.count == B * n, got.allSatisfy({ $0.count == S + d + 2 * n * K + n }) else {
          return [
            "expected \(B * n) rows of length S + d + 2nK + n = \(S + d + 2 * n * K + n), got \(got.count) rows of lengths \(Set(got.map(\.count)).sorted())."
          ]
        }
        for b in 0..<B {
          for a in 0..<n {
            let row = got[b * n + a]
            for other in 0..<n {
              let block = Array(row[(S + d + other * K)..<(S + d + (other + 1) * K)])
              let expected = other == a ? [Double](repeating: 0, count: K) : (0..<K).map { $0 == u[b][other] ? 1.0 : 0.0 }
              if block != expected {
                return other == a
                  ? [
                    "row \(b * n + a) (agent \(a), step \(b)) shows agent \(a)'s own action \(block): that block must be all zeros, or the critic's K outputs cannot stand for the K choices of agent \(a)."
                  ]
                  : [
                    "row \(b * n + a) (agent \(a), step \(b)) has \(block) for teammate \(other), expected its one-hot action \(expected): only the row's own agent is hidden."
                  ]
              }
            }
          }
        }
        return []
      },
      Check("agrees with the library on a random batch") { inputs in
        var rng = RandomGenerator(seed: 46)
        let (B, n, K, S, d) = (5, 4, 3, 6, 3)
        let states = (0..<B).map { _ in (0..<S).map { _ in rng.uniform(-1, 1) } }
        let observations = (0..<B).map { _ in (0..<n).map { _ in (0..<d).map { _ in rng.uniform(-1, 1) } } }
        let actions = (0..<B).map { _ in (0..<n).map { _ in rng.integer(below: K) } }
        let previous = (0..<B).map { b in (0..<n).map { _ in b == 0 ? -1 : rng.integer(below: K) } }
        let got = try inputs(states, observations, actions, previous, K)
        let expected = COMACriticInput(agentCount: n, actionCount: K, stateSize: S, observationSize: d)
          .rows(
            states: states.flatMap { $0 }, observations: observations.flatMap { $0.flatMap { $0 } },
            jointActions: actions.flatMap { $0 }, lastJointActions: previous.flatMap { $0 })
        return [
          mismatch(
            "all \(B * n) rows, flattened", got: got.flatMap { $0 }, expected: expected.scalars, tolerance: 0,
            hint:
              "Rows are agent-minor (step 0's agents first); the previous joint action is not masked, and a −1 there is a block of zeros."
          )
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 4.4 TD(λ) targets

/// Grader of exercise 4.4, `criticTargets(rewards:nextValues:ends:gamma:lambda:)`.
public enum Grader0404 {
  public typealias Implementation = ([Double], [Double], [StepEnd], Double, Double) throws -> [Double]

  public static var checks: [Check<Implementation>] {
    [
      Check("a hand-computed episode") { targets in
        // γ = 0.9, λ = 0.5, r = (1, 0, 2), q_next = (0.5, 1, 9), the last row terminates (its 9 is ignored):
        // y₂ = 2;  y₁ = 0 + 0.9 (0.5·1 + 0.5·2) = 1.35;  y₀ = 1 + 0.9 (0.5·0.5 + 0.5·1.35) = 1.8325.
        let got = try targets([1, 0, 2], [0.5, 1, 9], [.continues, .continues, .terminated], 0.9, 0.5)
        return [
          mismatch(
            "y for a 3-step episode", got: got, expected: [1.8325, 1.35, 2], tolerance: 1e-12,
            hint: "Work backwards: y_t = r_t + γ[(1 − λ) q_{t+1} + λ y_{t+1}], and a terminated row is just r_t.")
        ].compactMap { $0 }
      },
      Check("λ = 0 is the one-step target and λ = 1 the return") { targets in
        var rng = RandomGenerator(seed: 47)
        let (r, q, ends) = COMAGrading.segment(15, using: &rng)
        let oneStep = (0..<15).map { t in r[t] + 0.95 * ends[t].bootstrapMask * q[t] }
        var problems: [String] = []
        if let m = mismatch(
          "λ = 0", got: try targets(r, q, ends, 0.95, 0), expected: oneStep, tolerance: 1e-10,
          hint: "With λ = 0 only (1 − λ) q_{t+1} remains: y_t = r_t + γ m_t q_{t+1}.")
        {
          problems.append(m)
        }
        if let m = mismatch(
          "λ = 1", got: try targets(r, q, ends, 0.95, 1),
          expected: discountedReturns(rewards: r, ends: ends, nextValues: q, gamma: 0.95), tolerance: 1e-10,
          hint:
            "With λ = 1 the target is the discounted return: it follows y_{t+1} inside an episode and bootstraps from q only where the episode's data stops (a truncation, the last row)."
        ) {
          problems.append(m)
        }
        return problems
      },
      Check("episode boundaries: termination, truncation, the end of the data") { targets in
        var rng = RandomGenerator(seed: 48)
        var got: [Double] = [], expected: [Double] = []
        for λ in [0.3, 0.8] {
          for _ in 0..<4 {
            let (r, q, ends) = COMAGrading.segment(20, using: &rng)
            got += try targets(r, q, ends, 0.9, λ)
            expected += tdLambdaTargets(rewards: r, nextValues: q, ends: ends, gamma: 0.9, lambda: λ)
          }
        }
        return [
          mismatch(
            "y on random segments with several episodes", got: got, expected: expected, tolerance: 1e-10,
            hint:
              "After a terminated row nothing is bootstrapped; after a truncated row (and at the last row) y_{t+1} is replaced by q_{t+1}; the next episode's targets never enter."
          )
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 4.5 Gradient variance

/// Grader of exercise 4.5, `comaGradientVariance(in:agent:policies:)`.
public enum Grader0405 {
  public typealias Implementation = (MatrixGame, Int, [[Double]]) throws -> Double

  public static var checks: [Check<Implementation>] {
    [
      Check("the constructed game R = u¹ + 10u²") { variance in
        // Chapter 4.4's closed form for agent 1: 2 w₁² p₀ p₁ (p₀ − p₁)²: 0 at the uniform policy and
        // 2·0.21·0.16 = 0.0672 at π¹ = (0.7, 0.3). Agent 2 at π² uniform: 2·100·¼·0 = 0.
        let game = MatrixGame.weightedSum(weights: [1, 10])
        let got = [
          try variance(game, 0, [[0.5, 0.5], [0.5, 0.5]]), try variance(game, 0, [[0.7, 0.3], [0.5, 0.5]]),
          try variance(game, 1, [[0.7, 0.3], [0.5, 0.5]]),
        ]
        return [
          mismatch(
            "tr Cov[g] (agent 1 uniform, agent 1 at (0.7, 0.3), agent 2)", got: got, expected: [0, 0.0672, 0], tolerance: 1e-12,
            hint: "Weigh the score e_{uᵃ} − πᵃ by COMA's advantage Aᵃ, not by R or R − V: the teammate's ±5 must cancel.")
        ].compactMap { $0 }
      },
      Check("agrees with the library on random games") { variance in
        var rng = RandomGenerator(seed: 49)
        var got: [Double] = [], expected: [Double] = []
        for counts in [[2, 3, 2], [3, 3]] {
          let game = RandomModels.game(counts, payoffBound: 10, using: &rng)
          let policies = counts.map { RandomModels.policy($0, using: &rng) }
          for a in counts.indices {
            got.append(try variance(game, a, policies))
            expected.append(
              game.exactAgentGradientMoments(
                agent: a, policies: policies, weight: game.gradientWeight(.counterfactual, agent: a, policies: policies)
              ).totalVariance)
          }
        }
        return [
          mismatch(
            "tr Cov[g] on random 2×3×2 and 3×3 games, every agent", got: got, expected: expected, tolerance: 1e-9,
            hint:
              "Total variance is Σ_u π(u) ‖g(u) − E g‖²: subtract the mean vector before squaring, and weigh by the joint probability Π_b πᵇ(uᵇ)."
          )
        ].compactMap { $0 }
      },
    ]
  }
}
