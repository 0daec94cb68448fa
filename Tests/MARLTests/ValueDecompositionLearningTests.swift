import Autodiff
import MARL
import XCTest

/// The projection result, QTRAN, exploration, the double-Q target, target networks and the learner.
final class ValueDecompositionLearningTests: XCTestCase {
  func testAdditiveProjectionOnTheNonMonotonicGame() {
    let game = MatrixGame.nonMonotonic
    // Row means (8 − 24)/3 = −16/3, (−12)/3 = −4, −4; the grand mean (8 − 48)/9 = −40/9.
    XCTAssertEqual(game.marginalMeans[0], [-16.0 / 3, -4, -4])
    XCTAssertEqual(game.marginalMeans[1], [-16.0 / 3, -4, -4])
    XCTAssertEqual(game.grandMean, -40.0 / 9, accuracy: 1e-14)
    // (A, A): −16/3 − 16/3 + 40/9 = −56/9; (B, B): −4 − 4 + 40/9 = −32/9.
    XCTAssertEqual(game.additiveProjection[0], -56.0 / 9, accuracy: 1e-13)
    XCTAssertEqual(game.additiveProjection[4], -32.0 / 9, accuracy: 1e-13)
  }

  func testAdditiveProjectionSatisfiesTheNormalEquations() {
    // A random 3-agent game of 2 × 3 × 4 actions: the residual R − Q must sum to zero over every
    // set {u : u_a = v} (the normal equations), and Q must be additive (the utilities add up to it).
    var rng = RandomGenerator(seed: 7)
    let game = MatrixGame(name: "random", actionCounts: [2, 3, 4], payoff: (0..<24).map { _ in rng.normal(std: 5) })
    let q = game.additiveProjection
    for a in 0..<3 {
      for v in 0..<game.actionCounts[a] {
        let residual = game.payoff.indices.filter { game.jointActionComponents($0)[a] == v }.map { game.payoff[$0] - q[$0] }
          .reduce(0, +)
        XCTAssertEqual(residual, 0, accuracy: 1e-12, "agent \(a) action \(v)")
      }
    }
    let utilities = game.additiveUtilities
    for index in game.payoff.indices {
      let u = game.jointActionComponents(index)
      XCTAssertEqual(u.enumerated().map { utilities[$0.offset][$0.element] }.reduce(0, +), q[index], accuracy: 1e-12)
    }
  }

  func testJointActionIndexing() {
    let game = MatrixGame(name: "g", actionCounts: [2, 3, 4], payoff: Array(repeating: 0, count: 24))
    for index in 0..<24 { XCTAssertEqual(game.jointActionIndex(game.jointActionComponents(index)), index) }
    XCTAssertEqual(game.jointActionComponents(23), [1, 2, 3])
    XCTAssertEqual(game.allJointActions.count, 24)
  }

  func testIndependentTargetAndItsSampledEstimate() {
    // Climbing game, agent 2 uniform: agent 1's targets are the row means (−19/3, −17/3, 5/3).
    let game = MatrixGame.climbing
    let uniform = [1.0 / 3, 1.0 / 3, 1.0 / 3]
    let target = game.independentTarget(of: 0, partnerPolicies: [uniform, uniform])
    XCTAssertEqual(target[0], -19.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(target[1], -17.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(target[2], 5.0 / 3, accuracy: 1e-12)
    // Agent 2 of the climbing game against agent 1 always playing B: column 1 of row B → (−30, 7, 6).
    XCTAssertEqual(game.independentTarget(of: 1, partnerPolicies: [[0, 1, 0], uniform]), [-30, 7, 6])
    var rng = RandomGenerator(seed: 8)
    let sampled = game.sampledIndependentQ(of: 0, partnerPolicies: [uniform, [0.8, 0.1, 0.1]], episodes: 30_000, rng: &rng)
    let exact = game.independentTarget(of: 0, partnerPolicies: [uniform, [0.8, 0.1, 0.1]])
    for v in 0..<3 { XCTAssertLessThan(abs(sampled.values[v] - exact[v]), 4 * sampled.standardErrors[v]) }
  }

  func testQTRANLossesByHand() {
    // Two samples. Σ Q(u) = (1, −2), Σ Q(ū) = (3, 3), Q_jt(u) = (2, 1), Q_jt(ū) = (4, 4), V = (0.5, 0.5), y = (1, 1).
    // L_td = ((2−1)² + (1−1)²)/2 = 0.5; L_opt = ((3 − 4 + 0.5)²·2)/2 = 0.25;
    // L_nopt: gaps (1 − 2 + 0.5, −2 − 1 + 0.5) = (−0.5, −2.5) → (0.25 + 6.25)/2 = 3.25.
    let losses = QTRAN.losses(
      utilitySum: Tensor([1, -2]), greedyUtilitySum: Tensor([3, 3]), jointValue: Tensor([2, 1]),
      greedyJointValue: Tensor([4, 4]),
      stateValue: Tensor([0.5, 0.5]), targets: Tensor([1, 1]), config: QTRANConfig(optWeight: 1, noptWeight: 0.1))
    XCTAssertEqual(losses.td.scalar, 0.5, accuracy: 1e-14)
    XCTAssertEqual(losses.opt.scalar, 0.25, accuracy: 1e-14)
    XCTAssertEqual(losses.nopt.scalar, 3.25, accuracy: 1e-14)
    XCTAssertEqual(losses.total.scalar, 0.5 + 0.25 + 0.325, accuracy: 1e-14)
  }

  func testQTRANConditionLossesHoldQjtConstant() {
    let qjt = Tensor([2, 1], requiresGradient: true), qjtGreedy = Tensor([4, 4], requiresGradient: true)
    let v = Tensor([0.5, 0.5], requiresGradient: true)
    let losses = QTRAN.losses(
      utilitySum: Tensor([1, -2]), greedyUtilitySum: Tensor([3, 3]), jointValue: qjt, greedyJointValue: qjtGreedy,
      stateValue: v, targets: Tensor([1, 1]), config: .pymarl)
    let g = gradients(of: losses.opt + losses.nopt, withRespectTo: [qjt, qjtGreedy, v])
    XCTAssertEqual(g[0].scalars, [0, 0])
    XCTAssertEqual(g[1].scalars, [0, 0])
    // ∂/∂V: L_opt gives 2·(−0.5)/2 per sample = (−0.5, −0.5); L_nopt gives (2·(−0.5)/2, 2·(−2.5)/2) = (−0.5, −2.5).
    XCTAssertEqual(g[2].scalars[0], -1, accuracy: 1e-14)
    XCTAssertEqual(g[2].scalars[1], -3, accuracy: 1e-14)
  }

  func testEpsilonSchedule() {
    let schedule = EpsilonSchedule(start: 1, finish: 0.05, annealSteps: 50_000)
    XCTAssertEqual(schedule(0), 1)
    XCTAssertEqual(schedule(25_000), 0.525, accuracy: 1e-12)
    XCTAssertEqual(schedule(50_000), 0.05, accuracy: 1e-12)
    XCTAssertEqual(schedule(1_000_000), 0.05)
    XCTAssertEqual(Exploration.uniform.epsilon(at: 7), 1)
  }

  func testEpsilonGreedyFrequencies() {
    // Greedy action 2 of 4 with ε = 0.4: P(2) = 0.6 + 0.1 = 0.7, the others 0.1 each.
    var rng = RandomGenerator(seed: 9)
    let n = 40_000
    var counts = [0, 0, 0, 0]
    for _ in 0..<n { counts[epsilonGreedyAction([0, 1, 5, 2], epsilon: 0.4, rng: &rng)] += 1 }
    let expected = [0.1, 0.1, 0.7, 0.1].map { $0 * Double(n) }
    let chiSquare = zip(counts, expected).map { (Double($0) - $1) * (Double($0) - $1) / $1 }.reduce(0, +)
    XCTAssertLessThan(chiSquare, 16.27, "χ² with 3 degrees of freedom, p = 0.001: counts \(counts)")
  }

  func testDoubleQTargetByHand() {
    // Two transitions, 2 agents, 2 actions, VDN. Transition 0: live picks (1, 0), target values −1 + 0.
    // Transition 1 is terminal: y = r.
    let live = Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 0, 0, 0, 0, 0])
    let target = Tensor(shape: [2, 2, 2], scalars: [5, -1, 0, 4, 9, 9, 9, 9])
    let y = doubleQTarget(
      rewards: Tensor([1, 2]), terminated: [false, true], discount: 0.9, liveNextUtilities: live, targetNextUtilities: target,
      nextStates: Tensor.zeros([2, 1]), targetMixer: VDNMixer(agentCount: 2))
    XCTAssertEqual(y.shape, [2, 1])
    XCTAssertEqual(y.scalars[0], 0.1, accuracy: 1e-14)
    XCTAssertEqual(y.scalars[1], 2)
    // IQL's mixer gives one target per agent: agent 0 bootstraps −1, agent 1 bootstraps 0.
    let perAgent = doubleQTarget(
      rewards: Tensor([1, 2]), terminated: [false, true], discount: 0.9, liveNextUtilities: live, targetNextUtilities: target,
      nextStates: Tensor.zeros([2, 1]), targetMixer: IndependentMixer(agentCount: 2))
    XCTAssertEqual(perAgent.shape, [2, 2])
    XCTAssertEqual(perAgent.scalars[0], 1 - 0.9, accuracy: 1e-14)
    XCTAssertEqual(perAgent.scalars[1], 1, accuracy: 1e-14)
    // A mask that forbids action 1 of agent 0 in transition 0: ū′ = (0, 0), Q̄ = 5 + 0.
    let mask = [true, false, true, true, true, true, true, true]
    let masked = doubleQTarget(
      rewards: Tensor([1, 2]), terminated: [false, true], discount: 0.9, liveNextUtilities: live, targetNextUtilities: target,
      nextStates: Tensor.zeros([2, 1]), targetMixer: VDNMixer(agentCount: 2), availableNextActions: mask)
    XCTAssertEqual(masked.scalars[0], 1 + 0.9 * 5, accuracy: 1e-14)
  }

  func testTargetNetworkCopiesEveryPeriod() {
    var rng = RandomGenerator(seed: 10)
    var live = QMixMixer(agentCount: 2, stateSize: 2, config: .icml2018, rng: &rng)
    var target = TargetNetwork(copying: live, updatePeriod: 3)
    XCTAssertEqual(flattenScalars(target.network.parameters), flattenScalars(live.parameters))
    XCTAssertFalse(target.network.parameters.contains { $0.requiresGradient })
    let before = flattenScalars(live.parameters)
    live.parameters = live.parameters.map { $0 + 1 }
    XCTAssertFalse(target.step(live: live))
    XCTAssertFalse(target.step(live: live))
    XCTAssertEqual(flattenScalars(target.network.parameters), before)
    XCTAssertTrue(target.step(live: live))
    XCTAssertEqual(flattenScalars(target.network.parameters), flattenScalars(live.parameters))
    XCTAssertEqual(target.stepsSinceCopy, 0)
  }

  func testVDNLearnerConvergesToTheProjection() {
    var rng = RandomGenerator(seed: 11)
    for game in [MatrixGame.nonMonotonic, .climbing] {
      var learner = MatrixGameLearner(game: game, config: MatrixGameLearnerConfig(method: .vdn, learningRate: 0.2), rng: &rng)
      learner.trainUniform(steps: 800)
      XCTAssertLessThan(zip(learner.jointValueTable, game.additiveProjection).map { abs($0 - $1) }.max()!, 1e-6)
    }
  }

  func testQTRANLearnerRecoversTheOptimum() {
    var rng = RandomGenerator(seed: 12)
    var learner = MatrixGameLearner(
      game: .nonMonotonic,
      config: MatrixGameLearnerConfig(method: .qtran, qtran: QTRANConfig(hiddenSize: 32, noptWeight: 1), learningRate: 0.03),
      rng: &rng)
    learner.trainUniform(steps: 300)
    XCTAssertEqual(learner.greedyJointAction, [0, 0])
    XCTAssertEqual(learner.greedyReturn, 8)
    XCTAssertNotNil(learner.stateValue)
  }

  func testSampledTrainingIsDeterministic() {
    func run() -> ([Double], [Double]) {
      var rng = RandomGenerator(seed: 13)
      var learner = MatrixGameLearner(
        game: .climbing, config: MatrixGameLearnerConfig(method: .qmix, batchSize: 8, bufferSize: 50), rng: &rng)
      let curve = learner.trainSampled(
        steps: 60, exploration: .epsilonGreedy(EpsilonSchedule(annealSteps: 30)), evaluationInterval: 20, rng: &rng)
      return (curve, learner.jointValueTable)
    }
    let (a, b) = (run(), run())
    XCTAssertEqual(a.0, b.0)
    XCTAssertEqual(a.1, b.1)
    XCTAssertEqual(a.0.count, 4)
  }
}
