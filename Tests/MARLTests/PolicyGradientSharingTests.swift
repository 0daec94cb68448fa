import Autodiff
import Foundation
import MARL
import XCTest

/// Agent ids, per-agent networks, tied gradients, and Kuba et al.'s Proposition 1.
final class PolicyGradientSharingTests: XCTestCase {
  func testAgentIDLayoutIsAgentMinor() {
    let x = Tensor([[1], [2], [3], [4], [5], [6]])  // 2 joint steps of 3 agents
    let y = appendingAgentIDs(x, agentCount: 3)
    XCTAssertEqual(y.shape, [6, 4])
    XCTAssertEqual(y.rows, [[1, 1, 0, 0], [2, 0, 1, 0], [3, 0, 0, 1], [4, 1, 0, 0], [5, 0, 1, 0], [6, 0, 0, 1]])
  }

  func testSeparateNetworksSeeOnlyTheirOwnRows() {
    var rng = RandomGenerator(seed: 12)
    let nets = (0..<2).map { _ in MLP(sizes: [3, 4, 2], rng: &rng) }
    let x = rng.normal([10, 3])  // 5 joint steps of 2 agents
    let y = applyPerAgent(nets, to: x, agentCount: 2) { net, rows in net(rows) }
    for r in 0..<10 {
      let own = nets[r % 2](x.slice(r..<(r + 1)))
      XCTAssertEqual(zip(y.slice(r..<(r + 1)).scalars, own.scalars).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-15)
    }
  }

  func testSharedGradientIsTheSumOfTheTiedCopies() {
    var rng = RandomGenerator(seed: 13)
    let shared = MultiAgentActorCritic(
      agentCount: 3, observationSize: 4, criticInputSize: 5, actionCount: 3, hidden: [8], sharing: .shared(agentIDs: true),
      rng: &rng)
    var separate = MultiAgentActorCritic(
      agentCount: 3, observationSize: 4, criticInputSize: 5, actionCount: 3, hidden: [8], sharing: .separate, rng: &rng)
    // Tie the copies: every agent's network gets the shared weights, its input gets the id by hand.
    let observations = rng.normal([6, 4])
    let withIDs = appendingAgentIDs(observations, agentCount: 3)
    let actions = [0, 2, 1, 1, 0, 2]
    let sharedActor = shared.actorParameters
    separate = MultiAgentActorCritic(
      agentCount: 3, observationSize: 7, criticInputSize: 5, actionCount: 3, hidden: [8], sharing: .separate, rng: &rng)
    // Three copies of θ's values as separate variables (reusing one tensor would make it one variable).
    separate.actorParameters = (0..<3).flatMap { _ in
      sharedActor.map { Tensor(shape: $0.shape, scalars: $0.scalars, requiresGradient: true) }
    }
    let gShared = valueWithGradients(at: shared.actorParameters) { θ in
      var net = shared
      net.actorParameters = θ
      return net.policy(observations).logProbability(of: actions).sum()
    }.gradients
    let gCopies = valueWithGradients(at: separate.actorParameters) { θ in
      var net = separate
      net.actorParameters = θ
      return net.policy(withIDs).logProbability(of: actions).sum()
    }.gradients
    let k = sharedActor.count
    for p in 0..<k {
      let sum = gCopies[p] + gCopies[p + k] + gCopies[p + 2 * k]
      XCTAssertEqual(zip(gShared[p].scalars, sum.scalars).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-12)
    }
  }

  func testProposition1() {
    for n in [2, 4, 6] {
      let game = MatrixGame.splitTeams(agents: n)
      XCTAssertEqual(game.optimum.value, 1)
      XCTAssertEqual(game.payoff.filter { $0 == 1 }.count, 2)
      let best = game.bestSharedPolicy()
      XCTAssertEqual(best.p, 0.5, accuracy: 1e-6)
      XCTAssertEqual(best.value, 2 / pow(2, Double(n)), accuracy: 1e-12)
      // J(p) = 2 (p(1 − p))^{n/2} at a few points.
      for p in [0.1, 0.3, 0.8] {
        XCTAssertEqual(game.sharedPolicyValue(probabilityOfAction1: p), 2 * pow(p * (1 - p), Double(n / 2)), accuracy: 1e-14)
      }
    }
  }
}
