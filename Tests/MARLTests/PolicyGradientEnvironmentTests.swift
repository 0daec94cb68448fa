import Autodiff
import MARL
import XCTest

/// GridSpread's dynamics, observations and exact references, and the rollout buffer.
final class PolicyGradientEnvironmentTests: XCTestCase {
  func testGridSpreadStepsAndRewards() {
    var env = GridSpread(
      config: .init(size: 5, agentCount: 2, horizon: 3, viewRadius: 1), agents: [(0, 0), (4, 4)], landmarks: [(1, 0), (4, 2)])
    XCTAssertEqual(env.observationSize, 10)
    XCTAssertEqual(env.stateSize, 9)
    XCTAssertEqual(env.observation(of: 0), [0, 0, 0.25, 0, 1, 0.5, 0, 0, 0, 0])  // partner out of sight
    var rng = RandomGenerator(seed: 0)
    // Agent 1 moves right onto landmark 1; agent 2 moves down: distances 0 and 1, r = −(0 + 1)/(2·4).
    var step = env.step([4, 2], using: &rng)
    XCTAssertEqual(step.reward, -0.125)
    XCTAssertEqual(step.end, .continues)
    // Moving left from x = 0 is blocked by the wall.
    XCTAssertEqual(env.moved((0, 3), 3).x, 0)
    step = env.step([0, 2], using: &rng)
    XCTAssertEqual(step.reward, 0)
    step = env.step([0, 0], using: &rng)
    XCTAssertEqual(step.end, .terminated)
  }

  func testPartnerVisibleOnlyWithinTheViewRadius() {
    let env = GridSpread(config: .init(size: 5, viewRadius: 1), agents: [(2, 2), (3, 3)], landmarks: [(0, 0), (4, 4)])
    XCTAssertEqual(Array(env.observation(of: 0)[6..<9]), [1, 0.25, 0.25])
    let far = GridSpread(config: .init(size: 5, viewRadius: 1), agents: [(2, 2), (4, 3)], landmarks: [(0, 0), (4, 4)])
    XCTAssertEqual(Array(far.observation(of: 0)[6..<9]), [0, 0, 0])
  }

  func testExactReferencesAreOrdered() {
    let env = GridSpread(config: .init(size: 3, agentCount: 2, horizon: 3))
    let optimum = env.exactCentralisedOptimum()
    let roles = env.exactReturn { e, i in e.fixedRoleAction(of: i) }
    let random = env.exactUniformRandomReturn()
    XCTAssertLessThanOrEqual(roles, optimum + 1e-12)
    XCTAssertLessThan(random, roles)
    // Monte Carlo of the random policy agrees with the exact value.
    var rng = RandomGenerator(seed: 14)
    var total = 0.0
    let episodes = 20_000
    for _ in 0..<episodes {
      var e = env
      e.reset(using: &rng)
      var end = StepEnd.continues
      while !end.endsEpisode {
        let s = e.step([rng.integer(below: 5), rng.integer(below: 5)], using: &rng)
        total += s.reward
        end = s.end
      }
    }
    XCTAssertEqual(total / Double(episodes), random, accuracy: 0.02)
  }

  func testBufferAdvantagesArePerEnvironmentAndAgent() {
    var buffer = MultiAgentRolloutBuffer(
      agentCount: 2, environmentCount: 2, observationSize: 1, criticInputSize: 1, actionCount: 2)
    var rng = RandomGenerator(seed: 15)
    var values: [[Double]] = [], rewards: [[Double]] = []
    let ends: [[StepEnd]] = [[.continues, .continues], [.terminated, .truncated], [.continues, .continues]]
    for t in 0..<3 {
      let v = (0..<4).map { _ in rng.normal() }, r = (0..<2).map { _ in rng.normal() }
      values.append(v)
      rewards.append(r)
      buffer.append(
        RolloutStep(
          observations: [0, 0, 0, 0], criticInputs: [0, 0, 0, 0], availableActions: Array(repeating: true, count: 8),
          actions: [0, 1, 0, 1],
          logProbabilities: [0, 0, 0, 0], values: v, rewards: r, ends: ends[t], finalValues: t == 1 ? [0, 0, 3, 4] : nil))
    }
    buffer.finish(lastValues: [5, 6, 7, 8])
    let (Â, R) = buffer.advantagesAndReturns(gamma: 0.9, lambda: 0.7)
    for e in 0..<2 {
      for i in 0..<2 {
        let column = e * 2 + i
        let v = values.map { $0[column] }
        let next = nextValues(
          values: v, ends: ends.map { $0[e] }, lastValue: [5, 6, 7, 8][column], finalValues: e == 1 ? [1: [3, 4][i]] : [:])
        let expected = generalizedAdvantages(
          rewards: rewards.map { $0[e] }, values: v, nextValues: next, ends: ends.map { $0[e] }, gamma: 0.9, lambda: 0.7)
        for t in 0..<3 {
          XCTAssertEqual(Â[(t * 2 + e) * 2 + i], expected[t], accuracy: 1e-14)
          XCTAssertEqual(R[(t * 2 + e) * 2 + i], expected[t] + v[t], accuracy: 1e-14)
        }
      }
    }
  }
}
