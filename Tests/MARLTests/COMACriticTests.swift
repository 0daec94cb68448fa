import Autodiff
import MARL
import XCTest

/// COMA's critic input and network, its TD(λ) targets, the EchoTeam task, and the learner.
final class COMACriticTests: XCTestCase {
  func testInputLayoutByHand() {
    // n = 2, K = 2, S = 1, d = 1; u = (1, 0), previous = (−1, 1).
    let layout = COMACriticInput(agentCount: 2, actionCount: 2, stateSize: 1, observationSize: 1)
    XCTAssertEqual(layout.size, 1 + 1 + 4 + 4 + 2)
    let rows = layout.rows(states: [9], observations: [3, 4], jointActions: [1, 0], lastJointActions: [-1, 1]).rows
    XCTAssertEqual(rows[0], [9, 3, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0])
    XCTAssertEqual(rows[1], [9, 4, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
  }

  func testOptionalParts() {
    let layout = COMACriticInput(
      agentCount: 3, actionCount: 2, stateSize: 4, observationSize: 5, includesObservation: false, includesLastActions: false)
    XCTAssertEqual(layout.size, 4 + 6 + 3)
    let rows = layout.rows(states: [1, 2, 3, 4], observations: [], jointActions: [0, 1, 1], lastJointActions: [])
    XCTAssertEqual(rows.shape, [3, 13])
  }

  func testCriticCannotSeeItsOwnAction() {
    var rng = RandomGenerator(seed: 7)
    let layout = COMACriticInput(agentCount: 4, actionCount: 3, stateSize: 5, observationSize: 2)
    let critic = COMACritic(input: layout, hidden: [16], rng: &rng)
    let states = (0..<(6 * 5)).map { _ in rng.uniform() }, observations = (0..<(6 * 4 * 2)).map { _ in rng.uniform() }
    let u = (0..<24).map { _ in rng.integer(below: 3) }, previous = (0..<24).map { _ in rng.integer(below: 3) }
    let q = critic(layout.rows(states: states, observations: observations, jointActions: u, lastJointActions: previous))
    XCTAssertEqual(q.shape, [24, 3])
    var v = u
    for b in 0..<6 { v[b * 4 + 2] = (u[b * 4 + 2] + 1) % 3 }  // agent 2's action only
    let q2 = critic(layout.rows(states: states, observations: observations, jointActions: v, lastJointActions: previous))
    for row in 0..<24 {
      let change = (0..<3).map { abs(q2[row, $0] - q[row, $0]) }.max()!
      if row % 4 == 2 {
        XCTAssertEqual(change, 0, "agent 2's own row moved")
      } else {
        XCTAssertGreaterThan(change, 0, "row \(row) did not see agent 2's action")
      }
    }
  }

  func testTDLambdaViewsAgree() {
    var rng = RandomGenerator(seed: 8)
    for _ in 0..<20 {
      let T = 1 + rng.integer(below: 15)
      let ends: [StepEnd] = (0..<T).map { _ in [StepEnd.continues, .continues, .terminated, .truncated][rng.integer(below: 4)] }
      let r = (0..<T).map { _ in rng.uniform(-1, 1) }, q = (0..<T).map { _ in rng.uniform(-1, 1) }
      for λ in [0, 0.3, 0.8, 1] {
        let γ = rng.uniform(0.5, 1)
        let recursive = tdLambdaTargets(rewards: r, nextValues: q, ends: ends, gamma: γ, lambda: λ)
        let forward = tdLambdaTargetsForwardView(rewards: r, nextValues: q, ends: ends, gamma: γ, lambda: λ)
        for t in 0..<T { XCTAssertEqual(recursive[t], forward[t], accuracy: 1e-12) }
      }
      let monteCarlo = discountedReturns(rewards: r, ends: ends, nextValues: q, gamma: 0.9)
      let λ1 = tdLambdaTargets(rewards: r, nextValues: q, ends: ends, gamma: 0.9, lambda: 1)
      for t in 0..<T { XCTAssertEqual(λ1[t], monteCarlo[t], accuracy: 1e-12) }
    }
  }

  func testTDLambdaByHand() {
    // γ = 0.5, λ = 0.5, r = (1, 1), q_next = (2, 4), the segment is cut after row 1 (it continues):
    // y₁ = 1 + 0.5·4 = 3;  y₀ = 1 + 0.5 (0.5·2 + 0.5·3) = 2.25.
    let y = tdLambdaTargets(rewards: [1, 1], nextValues: [2, 4], ends: [.continues, .continues], gamma: 0.5, lambda: 0.5)
    XCTAssertEqual(y[0], 2.25, accuracy: 1e-15)
    XCTAssertEqual(y[1], 3, accuracy: 1e-15)
  }

  func testEchoTeamRewardsAndExactAdvantage() {
    var rng = RandomGenerator(seed: 9)
    var task = EchoTeam(config: .init(agentCount: 3, signalCount: 3, horizon: 2))
    task.reset(using: &rng)
    let c = task.signals
    XCTAssertEqual(task.observation(of: 1).count, 4)
    XCTAssertEqual(task.state.count, 10)
    // As a one-step matrix game R(u) = (1/n) Σ 𝟙[uᵃ = cᵃ] (the future does not depend on u).
    let game = MatrixGame(
      name: "echo step", actionCounts: [3, 3, 3],
      payoff: (0..<27).map { index in
        let u = [index / 9, (index / 3) % 3, index % 3]
        return Double((0..<3).filter { u[$0] == c[$0] }.count) / 3
      })
    let π = [0.2, 0.5, 0.3]
    for u in game.allJointActions {
      for a in 0..<3 {
        XCTAssertEqual(
          task.exactCounterfactualAdvantage(signal: c[a], action: u[a], policy: π),
          game.counterfactualAdvantage(of: a, jointAction: u, policy: π), accuracy: 1e-15)
      }
    }
    var copy = task
    let (r, end) = copy.step(c, using: &rng)
    XCTAssertEqual(r, 1)
    XCTAssertEqual(end, .continues)
    XCTAssertEqual(copy.step([0, 0, 0], using: &rng).end, .terminated)
  }

  func testCOMALearnsAndIsDeterministic() {
    let task = EchoTeam(config: .init(agentCount: 3, signalCount: 2, horizon: 2))
    var config = COMAConfig()
    config.actorHidden = [16]
    config.criticHidden = [16]
    func trained(_ seed: UInt64) -> (Double, [Double]) {
      var rng = RandomGenerator(seed: seed)
      var learner = COMA(config: config, environment: task, rng: &rng)
      var returns: [Double] = []
      for _ in 0..<60 { returns += learner.iterate(using: &rng).episodeReturns }
      return (learner.evaluate(episodes: 200, using: &rng).mean, returns)
    }
    let (value, curve) = trained(11)
    XCTAssertEqual(curve, trained(11).1, "the same seed must give the same run")
    XCTAssertGreaterThan(
      value, task.uniformRandomReturn + 0.4, "COMA did not learn EchoTeam (uniform \(task.uniformRandomReturn), got \(value))")
  }
}
