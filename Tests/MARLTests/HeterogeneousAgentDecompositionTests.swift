import Autodiff
import Foundation
import MARL
import XCTest

/// Joint actions, the multi-agent Q and advantage, Lemma 1, exact evaluation of Markov games, Lemma 2
/// and Proposition 3 (Sources/MARL/HeterogeneousAgent).
final class HeterogeneousAgentDecompositionTests: XCTestCase {
  // MARK: - Joint actions and orderings

  func testJointActionSpaceRoundTrip() {
    let space = JointActionSpace(actionCounts: [2, 3, 2])
    XCTAssertEqual(space.count, 12)
    XCTAssertEqual(space.actions(of: 7), [1, 0, 1])  // 7 = 1·6 + 0·2 + 1
    for index in 0..<space.count { XCTAssertEqual(space.index(of: space.actions(of: index)), index) }
    XCTAssertEqual(space.assignments(to: [2, 1]).count, 6)
    XCTAssertEqual(space.assignments(to: [2, 1])[1], [0, 1])  // the first listed agent is the most significant
  }

  func testOrderings() {
    let all = allOrderings(of: 3)
    XCTAssertEqual(all.count, 6)
    XCTAssertEqual(Set(all).count, 6)
    XCTAssertEqual(all.first, [0, 1, 2])
    XCTAssertEqual(all.last, [2, 1, 0])
    XCTAssertEqual(allOrderings(of: 4).count, 24)
    XCTAssertEqual(allOrderedSubsets(of: 3).count, 3 + 6 + 6)
    var rng = RandomGenerator(seed: 1)
    for _ in 0..<50 { XCTAssertEqual(randomOrdering(of: 5, using: &rng).sorted(), [0, 1, 2, 3, 4]) }
  }

  // MARK: - Multi-agent Q and advantage

  func testMultiAgentValuesByHand() {
    // R = [[1, 2], [3, 4]], π¹ = (½, ½), π² = (¼, ¾).
    // Q¹(0) = ¼·1 + ¾·2 = 1.75, Q¹(1) = ¼·3 + ¾·4 = 3.75, V = ½(1.75 + 3.75) = 2.75.
    // Q²(1) = ½·2 + ½·4 = 3; A²(a¹ = 0, a² = 1) = R(0, 1) − Q¹(0) = 0.25.
    let game = MatrixGame(name: "hand", matrix: [[1, 2], [3, 4]])
    let q = game.multiAgentQ(policies: [[0.5, 0.5], [0.25, 0.75]])
    XCTAssertEqual(q.value, 2.75, accuracy: 1e-15)
    XCTAssertEqual(q.q(agents: [0], actions: [0]), 1.75, accuracy: 1e-15)
    XCTAssertEqual(q.q(agents: [0], actions: [1]), 3.75, accuracy: 1e-15)
    XCTAssertEqual(q.q(agents: [1], actions: [1]), 3, accuracy: 1e-15)
    XCTAssertEqual(q.advantage(agents: [1], actions: [1], given: [0], givenActions: [0]), 0.25, accuracy: 1e-15)
    XCTAssertEqual(q.jointAdvantage([1, 1]), 4 - 2.75, accuracy: 1e-15)
    // The order of the listed agents does not matter for Q.
    XCTAssertEqual(q.q(agents: [1, 0], actions: [1, 0]), 2, accuracy: 1e-15)
  }

  func testLemma1OnRandomGames() {
    var rng = RandomGenerator(seed: 2)
    for counts in [[2, 3, 2], [2, 2, 2, 2], [3, 2]] {
      let game = MatrixGame(
        name: "random", actionCounts: counts, payoff: (0..<counts.reduce(1, *)).map { _ in rng.uniform(-5, 5) })
      let policies = counts.map { k in softmaxProbabilities((0..<k).map { _ in rng.normal() }) }
      let q = game.multiAgentQ(policies: policies)
      let V = game.expectedPayoff(policies: policies)
      for order in allOrderedSubsets(of: counts.count) {
        for actions in q.space.assignments(to: order) {
          let sum = q.sequentialAdvantages(order: order, actions: actions).reduce(0, +)
          XCTAssertEqual(sum, q.q(agents: order, actions: actions) - V, accuracy: 1e-12, "order \(order), actions \(actions)")
        }
      }
    }
  }

  func testMonteCarloAgreesWithEnumeration() {
    var rng = RandomGenerator(seed: 3)
    let game = MatrixGame(name: "random", actionCounts: [2, 3, 2], payoff: (0..<12).map { _ in rng.uniform(-5, 5) })
    let q = game.multiAgentQ(policies: [[0.3, 0.7], [0.2, 0.5, 0.3], [0.6, 0.4]])
    let estimate = q.monteCarloQ(agents: [1], actions: [2], samples: 50_000, using: &rng)
    XCTAssertEqual(estimate.mean, q.q(agents: [1], actions: [2]), accuracy: 4.5 * estimate.standardError)
  }

  // MARK: - Markov games

  func testExactEvaluation() {
    var rng = RandomGenerator(seed: 4)
    let game = TabularMarkovGame.random(states: 4, actionCounts: [2, 3], gamma: 0.8, using: &rng)
    let π = ProductPolicy.random(states: 4, actionCounts: [2, 3], using: &rng)
    let e = game.evaluate(π)
    let joint = game.space.all
    for s in 0..<4 {
      // Bellman: V(s) = Σ_a π(a|s) [r(s, a) + γ Σ P V].
      var backup = 0.0
      for (a, actions) in joint.enumerated() {
        let future = (0..<4).reduce(0.0) { $0 + game.transitionProbability(s, a, $1) * e.values[$1] }
        backup += π.jointProbability(state: s, actions: actions) * (game.reward(s, a) + game.gamma * future)
      }
      XCTAssertEqual(backup, e.values[s], accuracy: 1e-12)
    }
    // The discounted visitation sums to 1/(1 − γ), and J = Σ_s ρ(s) r_π(s) as well as Σ_s ρ⁰(s) V(s).
    XCTAssertEqual(e.visitation.reduce(0, +), 1 / (1 - game.gamma), accuracy: 1e-12)
    var viaVisits = 0.0
    for s in 0..<4 {
      for (a, actions) in joint.enumerated() {
        viaVisits += e.visitation[s] * π.jointProbability(state: s, actions: actions) * game.reward(s, a)
      }
    }
    XCTAssertEqual(viaVisits, e.objective, accuracy: 1e-12)
    // Monte Carlo.
    let estimate = game.monteCarloQ(π, state: 2, actions: [1, 0], episodes: 20_000, horizon: 120, using: &rng)
    XCTAssertEqual(estimate.mean, e.q[2][game.space.index(of: [1, 0])], accuracy: 4.5 * estimate.standardError + 1e-9)
  }

  func testWithoutDiscountQIsTheReward() {
    var rng = RandomGenerator(seed: 5)
    let game = TabularMarkovGame.random(states: 2, actionCounts: [2, 2], gamma: 0, using: &rng)
    let e = game.evaluate(ProductPolicy.random(states: 2, actionCounts: [2, 2], using: &rng))
    for s in 0..<2 { for a in 0..<4 { XCTAssertEqual(e.q[s][a], game.reward(s, a), accuracy: 1e-15) } }
  }

  func testLemma1InMarkovGame() {
    var rng = RandomGenerator(seed: 6)
    let game = TabularMarkovGame.random(states: 3, actionCounts: [2, 2, 3], gamma: 0.95, using: &rng)
    let e = game.evaluate(ProductPolicy.random(states: 3, actionCounts: [2, 2, 3], using: &rng))
    for s in 0..<3 {
      let q = e.multiAgentQ(state: s)
      for order in allOrderings(of: 3) {
        for (index, a) in game.space.all.enumerated() {
          let sum = q.sequentialAdvantages(order: order, actions: order.map { a[$0] }).reduce(0, +)
          XCTAssertEqual(sum, e.q[s][index] - e.values[s], accuracy: 1e-11)
        }
      }
    }
  }

  // MARK: - Lemma 2 and Proposition 3

  func testImprovementBoundHolds() {
    var rng = RandomGenerator(seed: 7)
    let game = TabularMarkovGame.random(states: 3, actionCounts: [2, 2, 2], gamma: 0.7, using: &rng)
    for _ in 0..<20 {
      let π = ProductPolicy.random(states: 3, actionCounts: [2, 2, 2], using: &rng)
      let π̄ = π.perturbed(step: rng.uniform(0.001, 1), using: &rng)
      for order in allOrderings(of: 3) {
        let bound = game.improvementBound(from: π, to: π̄, order: order)
        XCTAssertGreaterThanOrEqual(bound.slack, -1e-12)
        XCTAssertEqual(bound.penalty, 4 * 0.7 * game.evaluate(π).maxAbsoluteAdvantage / 0.09, accuracy: 1e-9)
      }
    }
    // π̄ = π: every surrogate and every KL is zero, and the bound is tight.
    let π = ProductPolicy.random(states: 3, actionCounts: [2, 2, 2], using: &rng)
    let same = game.improvementBound(from: π, to: π, order: [2, 0, 1])
    XCTAssertEqual(same.slack, 0, accuracy: 1e-12)
    XCTAssertTrue(same.surrogates.allSatisfy { abs($0) < 1e-12 } && same.maxKL.allSatisfy { abs($0) < 1e-15 })
  }

  func testProposition3() {
    var rng = RandomGenerator(seed: 8)
    let game = MatrixGame(name: "random", actionCounts: [3, 2, 2], payoff: (0..<12).map { _ in rng.uniform(-1, 1) })
    let policies = game.actionCounts.map { k in softmaxProbabilities((0..<k).map { _ in rng.normal() }) }
    let q = game.multiAgentQ(policies: policies)
    for order in allOrderings(of: 3) {
      for m in 1...3 {
        let updated = order[..<(m - 1)].map { i in softmaxProbabilities((0..<game.actionCounts[i]).map { _ in rng.normal() }) }
        let candidate = softmaxProbabilities((0..<game.actionCounts[order[m - 1]]).map { _ in rng.normal() })
        let agents = Array(order[..<m])
        XCTAssertEqual(
          q.sequentialSurrogate(order: agents, updated: updated, candidate: candidate),
          q.importanceWeightedSurrogate(order: agents, updated: updated, candidate: candidate), accuracy: 1e-12)
        // Equation (6): zero when the candidate is the agent's old policy.
        XCTAssertEqual(
          q.sequentialSurrogate(order: agents, updated: updated, candidate: policies[order[m - 1]]), 0, accuracy: 1e-12)
      }
    }
  }

  func testDiscreteKL() {
    // KL((½, ½) ‖ (¼, ¾)) = ½ log 2 + ½ log(2/3).
    XCTAssertEqual(discreteKL([0.5, 0.5], [0.25, 0.75]), 0.5 * log(2) + 0.5 * log(2.0 / 3), accuracy: 1e-15)
    XCTAssertEqual(discreteKL([0, 1], [0.5, 0.5]), log(2), accuracy: 1e-15)
    XCTAssertEqual(discreteKL([0.2, 0.8], [0.2, 0.8]), 0)
  }

  // MARK: - Numerical tools

  func testLinearSolveNeedsPivoting() {
    // The first pivot is zero: without row swaps the elimination would divide by it.
    XCTAssertEqual(solveLinearSystem([[0, 1], [1, 0]], [2, 3]), [3, 2])
    var rng = RandomGenerator(seed: 9)
    let M = (0..<6).map { _ in (0..<6).map { _ in rng.normal() } }
    let x = (0..<6).map { _ in rng.normal() }
    let b = M.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
    let solved = solveLinearSystem(M, b)
    for k in 0..<6 { XCTAssertEqual(solved[k], x[k], accuracy: 1e-10) }
  }

  func testGaussHermiteMoments() {
    // E[x^{2j}] = (2j − 1)!! for x ∼ N(0, 1); odd moments vanish. A k-point rule is exact to degree 2k − 1.
    for k in [1, 2, 3, 6, 12, 30] {
      let (nodes, weights) = gaussHermiteRule(points: k)
      XCTAssertEqual(weights.reduce(0, +), 1, accuracy: 1e-12)
      for degree in 1...(2 * k - 1) {
        let moment = zip(nodes, weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(degree)) }
        let scale = zip(nodes, weights).reduce(0.0) { $0 + $1.1 * pow(abs($1.0), Double(degree)) }  // rounding grows with E|x|^d
        let exact = degree % 2 == 1 ? 0 : stride(from: degree - 1, to: 0, by: -2).reduce(1.0) { $0 * Double($1) }
        XCTAssertEqual(moment, exact, accuracy: 1e-10 * max(1, scale), "k = \(k), degree \(degree)")
      }
    }
  }
}
