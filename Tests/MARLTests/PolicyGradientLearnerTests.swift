import Autodiff
import MARL
import XCTest

/// The multi-agent actor-critics learn, and MADDPG's deterministic policy gradient is the true one.
final class PolicyGradientLearnerTests: XCTestCase {
  func testEveryPresetImprovesOnATinyGrid() {
    let env = GridSpread(config: .init(size: 3, agentCount: 2, horizon: 3))
    let random = env.exactUniformRandomReturn()
    // A2C takes one gradient step per rollout, PPO sixteen: A2C gets more rollouts.
    let presets: [(MultiAgentPPOConfig, Int)] = [
      (.ippo(sharing: .separate), 40), (.mappo(sharing: .shared(agentIDs: true)), 40), (.ia2c(sharing: .separate), 200),
      (.maa2c(sharing: .shared(agentIDs: false)), 200),
    ]
    for (config, iterations) in presets {
      var rng = RandomGenerator(seed: 16)
      var learner = MultiAgentPPO(config: config, environment: env, rng: &rng)
      for _ in 0..<iterations { _ = learner.iterate(using: &rng) }
      let result = learner.evaluate(episodes: 400, using: &rng)
      XCTAssertGreaterThan(result.mean, random + 4 * result.standardError, "\(config.name): \(result) vs random \(random)")
    }
  }

  func testIterationIsDeterministic() {
    let env = GridSpread()
    var rng1 = RandomGenerator(seed: 17), rng2 = RandomGenerator(seed: 17)
    var a = MultiAgentPPO(config: .mappo(sharing: .separate), environment: env, rng: &rng1)
    var b = MultiAgentPPO(config: .mappo(sharing: .separate), environment: env, rng: &rng2)
    for _ in 0..<3 {
      XCTAssertEqual(a.iterate(using: &rng1).policyLoss, b.iterate(using: &rng2).policyLoss)
    }
    XCTAssertEqual(a.networks.parameters.flatMap(\.scalars), b.networks.parameters.flatMap(\.scalars))
  }

  func testIndependentJobsKeepTheirOrderAndTicks() {
    var ticks = 0
    let results = runIndependentJobs(9, ticksPerJob: 4, onTick: { ticks += 1 }) { k, tick in
      var rng = RandomGenerator(seed: UInt64(k))
      var total = 0.0
      for _ in 0..<4 {
        total += rng.uniform()
        tick()
      }
      return total
    }
    XCTAssertEqual(ticks, 36)
    let sequential = (0..<9).map { k in
      var rng = RandomGenerator(seed: UInt64(k))
      return (0..<4).reduce(0.0) { sum, _ in sum + rng.uniform() }
    }
    XCTAssertEqual(results, sequential)
  }

  func testDeterministicPolicyGradientWithTheExactQ() {
    // Gauss–Legendre with 3 nodes per signal integrates the (quadratic) integrand exactly.
    let game = QuadraticTeamGame()
    let nodes = [-(0.6).squareRoot(), 0, (0.6).squareRoot()], weights = [5.0 / 18, 8.0 / 18, 5.0 / 18]
    var signals: [Double] = [], w: [Double] = []
    for (x1, w1) in zip(nodes, weights) { for (x2, w2) in zip(nodes, weights) { signals += [x1, x2]; w.append(w1 * w2) } }
    let x = Tensor(shape: [9, 2], scalars: signals)
    let (wts, bs) = ([0.3, -0.7], [0.2, 0.5])
    var rng = RandomGenerator(seed: 18)
    let actors: [Linear] = (0..<2).map { i in
      var μ = Linear(inputSize: 1, outputSize: 1, rng: &rng)
      μ.parameters = [Tensor(shape: [1, 1], scalars: [wts[i]]), Tensor([bs[i]])]
      return μ
    }
    let actions = Tensor(
      shape: [9, 2], scalars: (0..<9).flatMap { s in (0..<2).map { i in wts[i] * signals[2 * s + i] + bs[i] } })
    let exact = game.expectedRewardGradient(weights: wts, biases: bs)
    for i in 0..<2 {
      let g = deterministicPolicyGradient(of: i, actor: actors[i], observations: x, actions: actions, weights: Tensor(w)) {
        x, a in
        game.reward(signals: x, actions: a)
      }
      XCTAssertEqual(g[0].scalar, exact.weights[i], accuracy: 1e-13)
      XCTAssertEqual(g[1].scalar, exact.biases[i], accuracy: 1e-13)
    }
  }

  func testMADDPGApproachesTheDecentralisedOptimum() {
    var rng = RandomGenerator(seed: 19)
    var maddpg = MADDPG(rng: &rng)
    let start = maddpg.expectedReward
    for _ in 0..<120 { maddpg.iterate(using: &rng) }
    XCTAssertGreaterThan(maddpg.expectedReward, start)
    XCTAssertGreaterThan(maddpg.expectedReward, QuadraticTeamGame.decentralisedOptimum - 0.05, "\(maddpg.policy)")
  }
}
