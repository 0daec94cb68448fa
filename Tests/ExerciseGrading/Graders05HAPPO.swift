import Autodiff
import Foundation
import MARL

// The graders of chapter 5's exercises. Every expected value below is either derived by hand in the
// comment beside it or computed independently by the library (Sources/MARL/HeterogeneousAgent, whose
// own tests check it against enumeration, sampling, finite differences and direct solves).

// MARK: - Helpers

/// Random games, policies and matrices for the graders of chapter 5.
enum HAPPOGrading {
  /// A random symmetric positive-definite matrix BᵀB + I, [n][n].
  static func spd(_ n: Int, using rng: inout RandomGenerator) -> [[Double]] {
    let B = (0..<n).map { _ in (0..<n).map { _ in rng.normal() } }
    return (0..<n).map { r in (0..<n).map { c in (0..<n).reduce(r == c ? 1.0 : 0.0) { $0 + B[$1][r] * B[$1][c] } } }
  }

  /// M v for a matrix [n][n] and a vector [n].
  static func times(_ M: [[Double]], _ v: [Double]) -> [Double] { M.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }

  /// The χ² statistic of observed counts against equal expected counts.
  static func chiSquare(_ counts: [Int]) -> Double {
    let expected = Double(counts.reduce(0, +)) / Double(counts.count)
    return counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
  }
}

// MARK: - 5.1 Multi-agent advantage

/// Grader of exercise 5.1, `multiAgentAdvantage(q:actionCounts:policies:agents:actions:given:givenActions:)`.
public enum Grader0501 {
  public typealias Implementation = ([Double], [Int], [[Double]], [Int], [Int], [Int], [Int]) throws -> Double

  static let usualCause =
    "Q^S fixes the committed agents' actions and weights each remaining joint action by the probabilities of the *free* agents only; the advantage is Q^{given + agents} − Q^{given}."

  public static var checks: [Check<Implementation>] {
    [
      Check("two agents, by hand") { advantage in
        // Q = (1, 2, 3, 4) over (a⁰, a¹), π⁰ = (½, ½), π¹ = (¼, ¾).
        // Q⁰(0) = ¼·1 + ¾·2 = 1.75, Q⁰(1) = ¼·3 + ¾·4 = 3.75, V = 2.75, Q¹(0) = ½·1 + ½·3 = 2.
        //   A¹(a⁰ = 0, a¹ = 1) = Q(0, 1) − Q⁰(0) = 2 − 1.75 = 0.25
        //   A⁰(a⁰ = 1) = Q⁰(1) − V = 1
        //   A^{0,1}(1, 1) = 4 − 2.75 = 1.25
        //   A¹(a¹ = 0) = Q¹(0) − V = −0.75
        let q = [1.0, 2, 3, 4], counts = [2, 2], π = [[0.5, 0.5], [0.25, 0.75]]
        var problems: [String] = []
        let cases: [(agents: [Int], actions: [Int], given: [Int], givenActions: [Int], expected: Double, what: String)] = [
          ([1], [1], [0], [0], 0.25, "A¹(a⁰ = 0, a¹ = 1)"), ([0], [1], [], [], 1, "A⁰(a⁰ = 1) with nobody committed before"),
          ([0, 1], [1, 1], [], [], 1.25, "A^{0,1}(1, 1), the joint advantage"),
          ([1], [0], [], [], -0.75, "A¹(a¹ = 0) with nobody committed before"),
        ]
        for c in cases {
          let got = try advantage(q, counts, π, c.agents, c.actions, c.given, c.givenActions)
          problems += [scalarMismatch(c.what, got: got, expected: c.expected, tolerance: 1e-12, hint: usualCause)].compactMap {
            $0
          }
        }
        return problems
      },
      Check("agents listed out of order") { advantage in
        // Three agents; `agents` and `given` list agent ids in any order, and actions[k] belongs to agents[k].
        var rng = RandomGenerator(seed: 5011)
        let game = RandomModels.game([2, 3, 2], payoffBound: 5, using: &rng)
        let π = game.actionCounts.map { RandomModels.policy($0, using: &rng) }
        let reference = game.multiAgentQ(policies: π)
        let got = try advantage(game.payoff, game.actionCounts, π, [0], [1], [2], [1])
        let expected = reference.advantage(agents: [0], actions: [1], given: [2], givenActions: [1])
        let got2 = try advantage(game.payoff, game.actionCounts, π, [2, 1], [0, 2], [], [])
        let expected2 = reference.advantage(agents: [2, 1], actions: [0, 2])
        return [
          scalarMismatch(
            "A⁰(a² = 1, a⁰ = 1) in a 2×3×2 game", got: got, expected: expected, tolerance: 1e-12,
            hint:
              "actions[k] is the action of agent agents[k] (and givenActions[k] of given[k]): they are agent ids, not positions."),
          scalarMismatch(
            "A^{2,1}(a² = 0, a¹ = 2) in a 2×3×2 game", got: got2, expected: expected2, tolerance: 1e-12,
            hint: "actions[k] is the action of agent agents[k]: agent 2 plays 0 and agent 1 plays 2 here."),
        ].compactMap { $0 }
      },
      Check("averages to zero under the agent's own policy") { advantage in
        // E_{aⁱ∼πⁱ}[Aⁱ(s, a^{given}, aⁱ)] = Q^{given} − Q^{given} = 0, for every agent and every given action.
        // By hand first, on the game of "two agents, by hand": Q⁰(0) = 1.75, Q⁰(1) = 3.75, V = 2.75, so
        // A⁰(0) = −1 and A⁰(1) = 1, which average to 0 under π⁰ = (½, ½).
        let handQ = [1.0, 2, 3, 4], handπ = [[0.5, 0.5], [0.25, 0.75]]
        let hand = try (0..<2).map { try advantage(handQ, [2, 2], handπ, [0], [$0], [], []) }
        if let problem = mismatch(
          "(A⁰(a⁰ = 0), A⁰(a⁰ = 1)) by hand", got: hand, expected: [-1, 1], tolerance: 1e-12, hint: usualCause)
        {
          return [problem]
        }
        var rng = RandomGenerator(seed: 5012)
        let game = RandomModels.game([3, 2, 2], payoffBound: 5, using: &rng)
        let π = game.actionCounts.map { RandomModels.policy($0, using: &rng) }
        for (agent, given) in [(0, [2]), (1, [0, 2]), (2, [Int]())] {
          for givenActions in game.multiAgentQ(policies: π).space.assignments(to: given) {
            var mean = 0.0
            for a in 0..<game.actionCounts[agent] {
              mean += π[agent][a] * (try advantage(game.payoff, game.actionCounts, π, [agent], [a], given, givenActions))
            }
            if let problem = scalarMismatch(
              "E over agent \(agent)'s policy of its advantage given agents \(given) at \(givenActions)", got: mean, expected: 0,
              tolerance: 1e-12,
              hint: "An advantage must average to zero under the agent's own policy. " + usualCause)
            {
              return [problem]
            }
          }
        }
        return []
      },
      Check("agrees with the library on random games") { advantage in
        var rng = RandomGenerator(seed: 5013)
        for counts in [[2, 3, 2], [2, 2, 2, 2]] {
          let game = RandomModels.game(counts, payoffBound: 5, using: &rng)
          let π = counts.map { RandomModels.policy($0, using: &rng) }
          let reference = game.multiAgentQ(policies: π)
          for order in allOrderedSubsets(of: counts.count) where order.count >= 2 {
            let split = rng.integer(below: order.count)
            let given = Array(order[..<split]), agents = Array(order[split...])
            let givenActions = given.map { rng.integer(below: counts[$0]) },
              actions = agents.map { rng.integer(below: counts[$0]) }
            let got = try advantage(game.payoff, counts, π, agents, actions, given, givenActions)
            let expected = reference.advantage(agents: agents, actions: actions, given: given, givenActions: givenActions)
            if let problem = scalarMismatch(
              "A^{\(agents)}(given \(given) = \(givenActions), \(agents) = \(actions)) on a random game with action counts \(counts)",
              got: got, expected: expected, tolerance: 1e-12, hint: usualCause)
            {
              return [problem]
            }
          }
        }
        return []
      },
    ]
  }
}

// MARK: - 5.2 Correction factors

/// Grader of exercise 5.2, `correctionFactors(order:oldLogProbabilities:newLogProbabilities:)`.
public enum Grader0502 {
  public typealias Implementation = ([Int], [[Double]], [[Double]]) throws -> [[Double]]

  /// The factors by a direct product over the predecessors (an independent formula), [n][B].
  static func direct(_ order: [Int], _ old: [[Double]], _ new: [[Double]]) -> [[Double]] {
    order.indices.map { m in
      old[0].indices.map { b in exp(order[..<m].reduce(0.0) { $0 + new[$1][b] - old[$1][b] }) }
    }
  }

  /// Compares position by position and names the usual cause.
  static func problems(_ got: [[Double]], _ expected: [[Double]], what: String) -> [String] {
    guard got.count == expected.count else {
      return ["\(what): expected one row per position of the order (\(expected.count)), got \(got.count)."]
    }
    for m in expected.indices {
      if let problem = mismatch(
        "\(what), position \(m) of the order", got: got[m], expected: expected[m], tolerance: 1e-9,
        hint: m == 0
          ? "The first agent of the order has no predecessors: its factor is 1 for every sample (an agent's own ratio is not part of its factor)."
          : "Position m multiplies the ratios π_new/π_old = exp(new − old) of the agents at positions 0…m−1 *of the given order*, unclipped."
      ) {
        return [problem]
      }
    }
    return []
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("by hand, order 1 → 0 → 2") { factors in
        // Old log-probabilities 0. Ratios: agent 1: (2, ½); agent 0: (3, 1); agent 2: (7, 7).
        // Position 0 (agent 1): (1, 1). Position 1 (agent 0): (2, ½). Position 2 (agent 2): (2·3, ½·1) = (6, ½).
        let old: [[Double]] = [[0, 0], [0, 0], [0, 0]]
        let new: [[Double]] = [[log(3.0), 0], [log(2.0), log(0.5)], [log(7.0), log(7.0)]]
        let expected: [[Double]] = [[1, 1], [2, 0.5], [6, 0.5]]
        return problems(try factors([1, 0, 2], old, new), expected, what: "factors for the order 1 → 0 → 2")
      },
      Check("large moves are not clipped") { factors in
        // Ratios 5 and 0.1 for agent 0, then 4 and 0.5 for agent 1: positions (1, 1), (5, 0.1), (20, 0.05).
        let old: [[Double]] = [[-2, -1], [-1, -3], [-0.5, -0.5]]
        let new: [[Double]] = [[-2 + log(5.0), -1 + log(0.1)], [-1 + log(4.0), -3 + log(0.5)], [-0.2, -0.9]]
        let expected: [[Double]] = [[1, 1], [5, 0.1], [20, 0.05]]
        return problems(try factors([0, 1, 2], old, new), expected, what: "factors with ratios far outside [0.8, 1.2]")
      },
      Check("random orders") { factors in
        var rng = RandomGenerator(seed: 5021)
        for _ in 0..<5 {
          let n = 4, B = 7
          let order = randomOrdering(of: n, using: &rng)
          let old = (0..<n).map { _ in (0..<B).map { _ in rng.uniform(-3, 0) } }
          let new = (0..<n).map { i in (0..<B).map { old[i][$0] + rng.uniform(-1, 1) } }
          let found = problems(try factors(order, old, new), direct(order, old, new), what: "factors for the order \(order)")
          if !found.isEmpty { return found }
        }
        return []
      },
    ]
  }
}

// MARK: - 5.3 HAPPO loss

/// Grader of exercise 5.3, `happoLoss(logProbabilities:oldLogProbabilities:factor:advantages:epsilon:)`.
public enum Grader0503 {
  public typealias Implementation = (Tensor, Tensor, Tensor, Tensor, Double) throws -> Tensor

  static let usualCause =
    "The loss is −mean(min(r·M, clip(r, 1 − ε, 1 + ε)·M)) with M = factor·Â: clip only the agent's own ratio r, never the factor, and take the min per sample."

  public static var checks: [Check<Implementation>] {
    [
      Check("by hand") { loss in
        // Ratios (1.5, 0.5, 1.1), factors (2, 0.5, 4), Â (1, −1, 0.5), ε = 0.2, so M = (2, −0.5, 2):
        //   min(3, 1.2·2 = 2.4) = 2.4;  min(0.5·(−0.5) = −0.25, 0.8·(−0.5) = −0.4) = −0.4;  min(2.2, 2.2) = 2.2.
        // Mean 4.2/3 = 1.4, so L = −1.4.
        let got = try loss(
          Tensor([log(1.5), log(0.5), log(1.1)]), Tensor([0, 0, 0]), Tensor([2, 0.5, 4]), Tensor([1, -1, 0.5]), 0.2)
        var hint = usualCause
        if abs(got.scalar - 1.4) < 1e-9 {
          hint = "The sign is flipped: the optimiser minimises, so return the *negated* objective."
        }
        return [scalarMismatch("L for three samples", got: got.scalar, expected: -1.4, tolerance: 1e-12, hint: hint)].compactMap {
          $0
        }
      },
      Check("no gradient into the factor, the advantages or the old policy") { loss in
        var rng = RandomGenerator(seed: 5031)
        let logπ = Tensor((0..<8).map { _ in rng.uniform(-2, -0.1) }, requiresGradient: true)
        let old = Tensor(logπ.scalars.map { $0 + rng.uniform(-0.4, 0.4) }, requiresGradient: true)
        let factor = Tensor((0..<8).map { _ in rng.uniform(0.3, 3) }, requiresGradient: true)
        let Â = Tensor((0..<8).map { _ in rng.normal() }, requiresGradient: true)
        let L = try loss(logπ, old, factor, Â, 0.2)
        let g = gradients(of: L, withRespectTo: [factor, Â, old])
        var problems: [String] = []
        if g[0].scalars.contains(where: { $0 != 0 }) {
          problems.append(
            "the loss sends gradient into the factor M (\(show(g[0].scalars))): the earlier agents' ratios are data; use factor.detached."
          )
        }
        if g[1].scalars.contains(where: { $0 != 0 }) {
          problems.append("the loss sends gradient into the advantages: use advantages.detached.")
        }
        if g[2].scalars.contains(where: { $0 != 0 }) {
          problems.append("the loss sends gradient into the old log-probabilities: use .detached on them.")
        }
        return problems
      },
      Check("agrees with the library, value and gradient") { loss in
        var rng = RandomGenerator(seed: 5032)
        for _ in 0..<4 {
          let B = 30
          let logπ = Tensor((0..<B).map { _ in rng.uniform(-2, -0.1) }, requiresGradient: true)
          let old = Tensor(logπ.scalars.map { $0 + rng.uniform(-0.6, 0.6) })
          let factor = Tensor((0..<B).map { _ in exp(rng.uniform(-1.5, 1.5)) })  // ratios well outside [0.8, 1.2]
          let Â = Tensor((0..<B).map { _ in rng.normal() })
          let reference = -happoSurrogate(
            logProbabilities: logπ, oldLogProbabilities: old, factor: factor, advantages: Â, epsilon: 0.2)
          let got = try loss(logπ, old, factor, Â, 0.2)
          if let problem = scalarMismatch(
            "L on a random batch of \(B)", got: got.scalar, expected: reference.scalar, tolerance: 1e-12, hint: usualCause)
          {
            return [problem]
          }
          let expected = gradients(of: reference, withRespectTo: [logπ])[0].scalars
          let gradient = gradients(of: got, withRespectTo: [logπ])[0].scalars
          if let problem = mismatch(
            "∂L/∂log π on a random batch", got: gradient, expected: expected, tolerance: 1e-12,
            hint: "Rows whose own ratio is clipped in the direction M rewards must contribute no gradient. " + usualCause)
          {
            return [problem]
          }
        }
        return []
      },
    ]
  }
}

// MARK: - 5.4 Conjugate gradient

/// Grader of exercise 5.4, `conjugateGradientSolve(_:_:iterations:)`.
public enum Grader0504 {
  public typealias Implementation = (([Double]) -> [Double], [Double], Int) throws -> [Double]

  static let usualCause =
    "Start from x = 0 with r = p = b; each iteration uses one product H p: α = rᵀr / pᵀHp, x += αp, r −= αHp, then p = r + (r_newᵀr_new / r_oldᵀr_old) p."

  public static var checks: [Check<Implementation>] {
    [
      Check("diagonal system, by hand") { solve in
        // H = diag(2, 4), b = (2, 4). One iteration: α = bᵀb / bᵀHb = 20/72, x₁ = (5/9, 10/9).
        // Two iterations solve a 2 × 2 system exactly: x = (1, 1).
        let H = { (v: [Double]) in [2 * v[0], 4 * v[1]] }
        let one = try solve(H, [2, 4], 1)
        let two = try solve(H, [2, 4], 2)
        return [
          mismatch(
            "x after one iteration", got: one, expected: [5.0 / 9, 10.0 / 9], tolerance: 1e-12,
            hint: "The first iterate is α b with α = bᵀb / bᵀHb: start from x₀ = 0, not from b. " + usualCause),
          mismatch(
            "x after two iterations", got: two, expected: [1, 1], tolerance: 1e-12,
            hint: "Conjugate gradient solves an n × n system in n iterations; steepest descent (p = r) does not. " + usualCause),
        ].compactMap { $0 }
      },
      Check("the same iterates as the method, one product each") { solve in
        // On a random 6 × 6 system, every iteration count must give the library's iterate.
        var rng = RandomGenerator(seed: 5041)
        let H = HAPPOGrading.spd(6, using: &rng)
        let b = (0..<6).map { _ in rng.normal() }
        for k in 1...6 {
          var products = 0
          let got = try solve(
            {
              products += 1; return HAPPOGrading.times(H, $0)
            }, b, k)
          if products > k {
            return [
              "\(k) iterations used \(products) products H v: update the residual with the product you already have (r −= α H p) instead of recomputing b − H x."
            ]
          }
          let expected = conjugateGradient({ HAPPOGrading.times(H, $0) }, b, maxIterations: k, residualTolerance: 0).solution
          if let problem = mismatch(
            "x after \(k) iterations on a 6 × 6 system", got: got, expected: expected, tolerance: 1e-9, hint: usualCause)
          {
            return [problem]
          }
        }
        let exact = solveLinearSystem(H, b)
        return [
          mismatch(
            "x after 6 iterations vs a direct solve", got: try solve({ HAPPOGrading.times(H, $0) }, b, 6), expected: exact,
            tolerance: 1e-8, hint: usualCause)
        ].compactMap { $0 }
      },
      Check("stops once the system is solved") { solve in
        // H = I is solved by one iteration; later iterations would compute 0/0 unless the loop stops.
        let identity = try solve({ $0 }, [3, -1, 2], 5)
        let zero = try solve({ $0.map { 2 * $0 } }, [0, 0], 3)
        // H = 2I, b = (2, 4): r₀ = p₀ = b, α = rᵀr / pᵀHp = 20/40 = ½, x₁ = ½b = (1, 2), r₁ = 0: stop.
        let double = try solve({ $0.map { 2 * $0 } }, [2, 4], 3)
        return [
          mismatch(
            "x for H = I, b = (3, −1, 2), 5 iterations", got: identity, expected: [3, -1, 2], tolerance: 1e-12,
            hint: "Stop when rᵀr < 1e-20: after the system is solved, α and β would be 0/0 = NaN."),
          mismatch(
            "x for b = 0", got: zero, expected: [0, 0], tolerance: 0,
            hint: "With b = 0 the answer is x = 0 and no iteration is needed (0/0 otherwise)."),
          mismatch(
            "x for H = 2I, b = (2, 4), 3 iterations", got: double, expected: [1, 2], tolerance: 1e-12,
            hint: "One iteration solves a multiple of the identity: α = rᵀr / pᵀHp = ½, then rᵀr = 0 and the loop stops."),
        ].compactMap { $0 }
      },
      Check("a Fisher-vector product of a small network") { solve in
        // HATRPO's real use: (F + 0.1 I) x = g with F known only through double backward.
        var rng = RandomGenerator(seed: 5042)
        let net = MLP(sizes: [2, 3, 3], activation: .tanh, rng: &rng)
        let x = rng.normal([4, 2])
        let shapes = net.parameterShapes
        let old = withoutGradients { CategoricalDistribution(logits: net(x)) }
        let θ = flatten(net.parameters).detached
        let product = FisherVectorProduct(
          at: θ,
          meanKL: { θ in
            old.klDivergence(to: CategoricalDistribution(logits: net.with(parameters: unflatten(θ, like: shapes))(x))).mean()
          }, damping: 0.1)
        let g = (0..<θ.count).map { _ in rng.normal() }
        let expected = solveLinearSystem(product.matrix(), g)
        return [
          mismatch(
            "x for a 21-parameter network, 60 iterations", got: try solve({ product($0) }, g, 60), expected: expected,
            tolerance: 1e-8, hint: usualCause)
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 5.5 KL-constrained step

/// Grader of exercise 5.5, `klConstrainedStep(parameters:direction:curvatureProduct:gradient:maxKL:backtrackCoefficient:maxBacktracks:acceptRatio:surrogate:kl:)`.
public enum Grader0505 {
  public typealias Implementation = (
    [Double], [Double], [Double], [Double], Double, Double, Int, Double, ([Double]) -> Double, ([Double]) -> Double
  ) throws -> [Double]

  // The common problem: θ = (1, −1), H = diag(1, 4), g = (1, 2), x = H⁻¹g = (1, 0.5), Hx = g, xᵀHx = 2.
  // δ = 0.25: β = √(2δ / xᵀHx) = √0.25 = 0.5, full step s = (0.5, 0.25), predicted gain gᵀs = 1.
  static let θ = [1.0, -1], x = [1.0, 0.5], Hx = [1.0, 2], g = [1.0, 2], δ = 0.25
  static func offset(_ p: [Double]) -> [Double] { [p[0] - θ[0], p[1] - θ[1]] }
  static func quadraticKL(_ p: [Double]) -> Double { let d = offset(p); return 0.5 * (d[0] * d[0] + 4 * d[1] * d[1]) }
  static func linearGain(_ p: [Double]) -> Double { let d = offset(p); return d[0] + 2 * d[1] }

  public static var checks: [Check<Implementation>] {
    [
      Check("an exact quadratic model: the full step") { step in
        // L linear and KL exactly ½ΔᵀHΔ: the full step has KL = ½(0.25 + 4·0.0625) = 0.25 = δ and is accepted.
        let got = try step(θ, x, Hx, g, δ, 0.5, 10, 0.5, linearGain, quadraticKL)
        var hint = "β = √(2δ / xᵀHx) with xᵀHx = x · (Hx); the full step is θ + βx."
        let halfβ = (δ / 2).squareRoot(), gradientβ = (2 * δ / 5).squareRoot()  // √(δ/xᵀHx) and √(2δ/gᵀg)
        if maxAbsDifference(got, [1 + halfβ, -1 + 0.5 * halfβ]) < 1e-9 {
          hint = "β = √(δ / xᵀHx) is missing the factor 2: ½(βx)ᵀH(βx) = δ gives β² = 2δ / xᵀHx."
        }
        if maxAbsDifference(got, [1 + gradientβ, -1 + 0.5 * gradientβ]) < 1e-9 {
          hint = "The step size uses xᵀHx (the KL model along x), not gᵀg."
        }
        return [mismatch("θ_new when the full step fits", got: got, expected: [1.5, -0.75], tolerance: 1e-12, hint: hint)]
          .compactMap { $0 }
      },
      Check("backtracks when the KL model is wrong") { step in
        // True KL = quadratic + 10‖Δ‖⁴. Full step: 0.25 + 10·0.3125² ≈ 1.23 > δ: reject.
        // Half step Δ = (0.25, 0.125): 0.0625 + 10·0.078125² ≈ 0.124 ≤ δ, gain 0.5 > 0.5·0.5·1 = 0.25: accept.
        let kl = { (p: [Double]) -> Double in
          let d = offset(p); let s = d[0] * d[0] + d[1] * d[1]; return quadraticKL(p) + 10 * s * s
        }
        let got = try step(θ, x, Hx, g, δ, 0.5, 10, 0.5, linearGain, kl)
        // L = 1 tries j = 0 only, the full step, which the KL rejects: θ stays (1, −1).
        // L = 2 tries j = 0, 1: the half step θ + ½·0.5·(1, 0.5) = (1.25, −0.875) is accepted.
        let one = try step(θ, x, Hx, g, δ, 0.5, 1, 0.5, linearGain, kl)
        let two = try step(θ, x, Hx, g, δ, 0.5, 2, 0.5, linearGain, kl)
        let count = "L counts the candidates: j = 0, 1, …, L − 1 (the full step is j = 0), so L = 1 tries the full step alone."
        return [
          mismatch(
            "θ_new when the full step leaves the trust region", got: got, expected: [1.25, -0.875], tolerance: 1e-12,
            hint:
              "Check kl(θⱼ) ≤ δ for each candidate: the quadratic model said the full step was fine, the true KL says it is not."),
          mismatch("θ_new with L = 1 (the full step only)", got: one, expected: [1, -1], tolerance: 1e-12, hint: count),
          mismatch(
            "θ_new with L = 2 (the full and the half step)", got: two, expected: [1.25, -0.875], tolerance: 1e-12, hint: count),
        ].compactMap { $0 }
      },
      Check("demands a fraction κ of the predicted gain") { step in
        // L = gᵀΔ − 2‖Δ‖². Full step: gain 1 − 2·0.3125 = 0.375 < κ·gᵀs = 0.5: reject (though positive).
        // Half step: 0.5 − 2·0.078125 = 0.34375 > 0.5·0.5·1 = 0.25: accept.
        let L = { (p: [Double]) -> Double in
          let d = offset(p); return linearGain(p) - 2 * (d[0] * d[0] + d[1] * d[1])
        }
        let got = try step(θ, x, Hx, g, δ, 0.5, 10, 0.5, L, quadraticKL)
        return [
          mismatch(
            "θ_new when the full step gains too little", got: got, expected: [1.25, -0.875], tolerance: 1e-12,
            hint: "Accept only when L(θⱼ) − L(θ) > κ αʲ gᵀs, with αʲ the current shrink factor: a positive gain is not enough.")
        ].compactMap { $0 }
      },
      Check("keeps θ when nothing qualifies") { step in
        // L decreases along x: every candidate loses, so the agent keeps its parameters.
        let got = try step(θ, x, Hx, g, δ, 0.5, 6, 0.5, { -linearGain($0) }, quadraticKL)
        // The same call with L rising along x accepts the full step θ + 0.5·(1, 0.5) = (1.5, −0.75).
        let moved = try step(θ, x, Hx, g, δ, 0.5, 6, 0.5, linearGain, quadraticKL)
        return [
          mismatch(
            "θ_new when every candidate lowers the surrogate", got: got, expected: θ, tolerance: 0,
            hint: "If no j passes all three tests, return the original parameters, not the last candidate tried."),
          mismatch(
            "θ_new when the surrogate rises along x instead", got: moved, expected: [1.5, -0.75], tolerance: 1e-12,
            hint: "θ is kept only when no candidate qualifies; here the full step θ + βx does."),
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 5.6 Random order

/// Grader of exercise 5.6, `randomAgentOrder(agentCount:using:)`.
public enum Grader0506 {
  public typealias Implementation = (Int, inout RandomGenerator) throws -> [Int]

  public static var checks: [Check<Implementation>] {
    [
      Check("a permutation of the agents") { order in
        var rng = RandomGenerator(seed: 5061)
        var identities = 0
        for n in 1...7 {
          for _ in 0..<100 {
            let got = try order(n, &rng)
            if got.sorted() != Array(0..<n) { return ["for n = \(n) expected a permutation of 0..<\(n), got \(got)."] }
            if n == 7 && got == Array(0..<n) { identities += 1 }
          }
        }
        // A uniform order of 7 agents is 0, 1, …, 6 with probability 1/5040: 100 draws see it at most a few times.
        guard identities > 5 else { return [] }
        return ["for n = 7, \(identities) of 100 orders were 0, 1, …, 6: shuffle the agents, do not keep a fixed order."]
      },
      Check("uniform over the 6 orderings of 3 agents") { order in
        // 60,000 draws; with 5 degrees of freedom χ² exceeds 30 with probability about 10⁻⁵.
        var rng = RandomGenerator(seed: 5062)
        var counts = [[Int]: Int]()
        for _ in 0..<60_000 { counts[try order(3, &rng), default: 0] += 1 }
        let all = allOrderings(of: 3).map { counts[$0] ?? 0 }
        let χ2 = HAPPOGrading.chiSquare(all)
        guard χ2 > 30 else { return [] }
        return [
          "the 6 orderings appeared \(all) times in 60,000 draws (χ² = \(String(format: "%.0f", χ2)) > 30): every ordering must be equally likely. Swap position k with a uniform position among the ones not yet fixed (Fisher–Yates), and never use a fixed order."
        ]
      },
      Check("every agent equally likely to go first and last, n = 5") { order in
        var rng = RandomGenerator(seed: 5063)
        var first = [Int](repeating: 0, count: 5), last = [Int](repeating: 0, count: 5)
        for _ in 0..<50_000 {
          let got = try order(5, &rng)
          first[got[0]] += 1
          last[got[4]] += 1
        }
        let χ2 = max(HAPPOGrading.chiSquare(first), HAPPOGrading.chiSquare(last))
        guard χ2 > 28 else { return [] }
        return [
          "who goes first: \(first), who goes last: \(last) in 50,000 draws (χ² = \(String(format: "%.0f", χ2)), 4 degrees of freedom): not uniform."
        ]
      },
      Check("uses only the generator it is given") { order in
        // The same seed must give the same orders: the book's results are reproducible.
        var a = RandomGenerator(seed: 5064), b = RandomGenerator(seed: 5064)
        var seen: Set<[Int]> = []
        for _ in 0..<200 {
          let x = try order(6, &a), y = try order(6, &b)
          if x != y {
            return [
              "two generators with the same seed gave \(x) and \(y): draw every random number from `rng` (not from the system generator, e.g. `shuffled()` without `using:`)."
            ]
          }
          seen.insert(x)
        }
        // 200 uniform draws from 720 orderings are almost all distinct; one ordering throughout draws nothing.
        guard seen.count < 50 else { return [] }
        return ["200 draws from one generator gave only \(seen.count) different orders of 6 agents: draw the order from `rng`."]
      },
    ]
  }
}
