import Autodiff
import ExerciseGrading
import Foundation
import MARL
import XCTest

/// The catalogue of plausible wrong answers to chapter 1's exercises. Each one must be rejected by
/// its exercise's grader: a grader that passes a wrong answer would give a student false confidence.
/// (Shipped only with the master copy: the handout removes this folder.)
final class WrongAnswers01Tests: XCTestCase {
  func assertRejected<I>(_ checks: [Check<I>], _ wrong: I, _ mistake: String, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertFalse(failures(of: wrong, checks).isEmpty, "the grader accepted a wrong answer: \(mistake)", file: file, line: line)
  }

  // MARK: - 1.1

  /// Σₛ T(s′|s,a) b(s) for every s′.
  static func predicted(_ model: DecPOMDP, _ b: [Double], _ a: Int) -> [Double] {
    (0..<model.stateCount).map { sNext in
      (0..<model.stateCount).reduce(0.0) { $0 + b[$1] * model.transitionProbability($1, a, sNext) }
    }
  }

  /// x / Σx, or zeros when the sum is 0.
  static func normalised(_ x: [Double]) -> [Double] {
    let total = x.reduce(0, +)
    return total > 0 ? x.map { $0 / total } : x.map { _ in 0 }
  }

  func test0101NotNormalised() {
    assertRejected(
      Grader0101.checks,
      { model, b, a, o in
        Self.predicted(model, b, a).enumerated().map { sNext, p in model.observationProbability(a, sNext, o) * p }
      }, "returns 𝒪(o|a,s′) Σₛ T(s′|s,a) b(s) without dividing by Pr(o|b,a)")
  }

  func test0101ObservationAtOldState() {
    assertRejected(
      Grader0101.checks,
      { model, b, a, o in
        Self.normalised(
          (0..<model.stateCount).map { sNext in
            (0..<model.stateCount).reduce(0.0) {
              $0 + model.observationProbability(a, $1, o) * model.transitionProbability($1, a, sNext) * b[$1]
            }
          })
      }, "weighs by 𝒪(o|a,s) at the old state s instead of the new state s′")
  }

  func test0101SkipsTransition() {
    assertRejected(
      Grader0101.checks,
      { model, b, a, o in
        Self.normalised(b.enumerated().map { s, p in model.observationProbability(a, s, o) * p })
      }, "skips the transition: b′ ∝ 𝒪(o|a,s′) b(s′)")
  }

  func test0101DividesByZero() {
    assertRejected(
      Grader0101.checks,
      { model, b, a, o in
        let weighted = Self.predicted(model, b, a).enumerated().map { sNext, p in model.observationProbability(a, sNext, o) * p }
        let total = weighted.reduce(0, +)
        return weighted.map { $0 / total }  // NaN when o is impossible
      }, "divides by Pr(o|b,a) = 0 for an impossible observation")
  }

  // MARK: - 1.2

  /// log₁₀ Πᵢ |Aᵢ|^nodes(|Oᵢ|) for a given rule for the number of nodes.
  static func logCount(_ actions: [Int], _ observations: [Int], nodes: (Int) -> Double) -> Double {
    zip(actions, observations).reduce(0.0) { $0 + nodes($1.1) * log10(Double($1.0)) }
  }

  func test0102PowerInsteadOfSum() {
    assertRejected(
      Grader0102.checks,
      { actions, observations, h in
        Self.logCount(actions, observations) { k in pow(Double(k), Double(h)) }
      }, "|Oᵢ|ʰ nodes (the leaves) instead of the sum over levels")
  }

  func test0102OneLevelTooMany() {
    assertRejected(
      Grader0102.checks,
      { actions, observations, h in
        Self.logCount(actions, observations) { k in (0...h).reduce(0.0) { $0 + pow(Double(k), Double($1)) } }
      }, "Σ_{t=0}^{h} |Oᵢ|ᵗ nodes: one level too many")
  }

  func test0102SumsOverAgents() {
    assertRejected(
      Grader0102.checks,
      { actions, observations, h in
        log10(
          zip(actions, observations).reduce(0.0) { total, sizes in
            let nodes = (0..<h).reduce(0.0) { $0 + pow(Double(sizes.1), Double($1)) }
            return total + pow(Double(sizes.0), nodes)
          })
      }, "adds the agents' counts instead of multiplying them")
  }

  func test0102GeometricFormulaWithOneObservation() {
    assertRejected(
      Grader0102.checks,
      { actions, observations, h in
        Self.logCount(actions, observations) { k in (pow(Double(k), Double(h)) - 1) / Double(k - 1) }
      }, "(|Oᵢ|ʰ − 1)/(|Oᵢ| − 1) also when |Oᵢ| = 1 (0/0)")
  }

  func test0102SwapsActionsAndObservations() {
    assertRejected(
      Grader0102.checks,
      { actions, observations, h in
        Self.logCount(observations, actions) { k in (0..<h).reduce(0.0) { $0 + pow(Double(k), Double($1)) } }
      }, "swaps the roles of |Aᵢ| and |Oᵢ|")
  }

  func test0102FormsTheCount() {
    assertRejected(
      Grader0102.checks,
      { actions, observations, h in
        log10(
          zip(actions, observations).reduce(1.0) { product, sizes in
            let nodes = (0..<h).reduce(0.0) { $0 + pow(Double(sizes.1), Double($1)) }
            return product * pow(Double(sizes.0), nodes)
          })
      }, "forms the count itself, which overflows to ∞")
  }

  // MARK: - 1.3

  enum EvaluationMistake { case extraStep, missingLastStep, rewardAfterMove, uniformObservations, noTransition }

  /// The forward evaluation of exercise 1.3 with one deliberate mistake.
  static func evaluate(_ policy: JointPolicy, _ model: DecPOMDP, _ mistake: EvaluationMistake) -> Double {
    let n = model.agentCount, S = model.stateCount, O = model.jointObservationCount
    let steps = mistake == .extraStep ? model.horizon + 1 : model.horizon
    func walk(_ nodes: [Int], _ weight: [Double], _ t: Int) -> Double {
      let a = model.jointAction((0..<n).map { policy[$0].actions[nodes[$0]] })
      let moved =
        mistake == .noTransition
        ? weight
        : (0..<S).map { sNext in (0..<S).reduce(0.0) { $0 + weight[$1] * model.transitionProbability($1, a, sNext) } }
      let rewarded = mistake == .rewardAfterMove ? moved : weight
      var total =
        mistake == .missingLastStep && t + 1 == steps ? 0 : (0..<S).reduce(0.0) { $0 + rewarded[$1] * model.reward($1, a) }
      guard t + 1 < steps else { return total }
      for o in 0..<O {
        let next = (0..<S).map { sNext in
          mistake == .uniformObservations ? moved[sNext] / Double(O) : moved[sNext] * model.observationProbability(a, sNext, o)
        }
        // Past the last level (the extra step) the agents repeat their last decision.
        let children =
          t + 1 < model.horizon
          ? (0..<n).map { i in
            ObservationHistory.child(
              of: nodes[i], observation: model.localObservation(of: i, inJointObservation: o),
              observationCount: model.observationCounts[i])
          }
          : nodes
        total += walk(children, next, t + 1)
      }
      return total
    }
    return walk([Int](repeating: 0, count: n), model.initialBelief, 0)
  }

  func test0103OneRewardTooMany() {
    assertRejected(Grader0103.checks, { Self.evaluate($0, $1, .extraStep) }, "h + 1 rewards (t = 0…h)")
  }

  func test0103OneRewardTooFew() {
    assertRejected(Grader0103.checks, { Self.evaluate($0, $1, .missingLastStep) }, "h − 1 rewards (the last step dropped)")
  }

  func test0103RewardAfterTheMove() {
    assertRejected(
      Grader0103.checks, { Self.evaluate($0, $1, .rewardAfterMove) }, "earns R(s_{t+1}, a_t) in the state after the move")
  }

  func test0103UniformObservations() {
    assertRejected(
      Grader0103.checks, { Self.evaluate($0, $1, .uniformObservations) }, "ignores 𝒪: every joint observation equally likely")
  }

  func test0103NoTransition() {
    assertRejected(Grader0103.checks, { Self.evaluate($0, $1, .noTransition) }, "forgets T: the state never moves")
  }

  // MARK: - 1.4

  func test0104Argmin() {
    assertRejected(
      Grader0104.checks,
      { agent, policy, model in
        var joint = policy
        var worst: (policy: PolicyTree, value: Double) = (policy[agent], .infinity)
        for tree in model.localPolicies(of: agent) {
          joint[agent] = tree
          let v = model.evaluate(joint).value
          if v < worst.value { worst = (tree, v) }
        }
        return worst
      }, "keeps the worst policy (argmin)")
  }

  func test0104Myopic() {
    assertRejected(
      Grader0104.checks,
      { agent, policy, model in
        // Level by level, each history takes the action with the best expected reward at its own step.
        // E[R_t] is a sum over agent i's nodes at level t, so choosing node by node is exactly greedy.
        let k = model.observationCounts[agent]
        var joint = policy
        var tree = PolicyTree(
          observationCount: k, horizon: model.horizon,
          actions: [Int](repeating: 0, count: model.decisionNodeCount(of: agent)))
        for node in tree.actions.indices {
          let t = ObservationHistory.length(of: node, observationCount: k)
          var best = (action: 0, reward: -Double.infinity)
          for action in 0..<model.actionCounts[agent] {
            tree.actions[node] = action
            joint[agent] = tree
            let r = model.evaluate(joint).expectedRewards[t]
            if r > best.reward + 1e-12 { best = (action, r) }
          }
          tree.actions[node] = best.action
        }
        joint[agent] = tree
        return (tree, model.evaluate(joint).value)
      }, "greedy: maximises each step's expected immediate reward")
  }

  func test0104RespondsForTheWrongAgent() {
    assertRejected(
      Grader0104.checks,
      { agent, policy, model in
        model.bestResponse(of: (agent + 1) % model.agentCount, to: policy)
      }, "changes the next agent's policy instead of agent i's")
  }

  func test0104ValueWithoutItsPolicy() {
    assertRejected(
      Grader0104.checks,
      { agent, policy, model in
        var joint = policy
        var bestValue = -Double.infinity
        var bestTree = policy[agent]
        for tree in model.localPolicies(of: agent) {
          joint[agent] = tree
          bestValue = max(bestValue, model.evaluate(joint).value)
          bestTree = tree  // the last tree tried, not the best one
        }
        return (bestTree, bestValue)
      }, "returns the best value with the last tree tried")
  }

  func test0104KeepsTheGivenPolicy() {
    assertRejected(
      Grader0104.checks,
      { agent, policy, model in
        (policy[agent], model.evaluate(policy).value)
      }, "returns agent i's given policy and its value")
  }
}
