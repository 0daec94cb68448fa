import Autodiff
import Foundation
import MARL

// The graders of chapter 1's exercises. Every expected value below is either derived by hand in the
// comment beside it or computed independently by the library (Sources/MARL, whose own tests check it
// against Monte-Carlo simulation and published optimal values).

// MARK: - Models and helpers shared by the graders

/// Small models for the graders of chapter 1.
enum GradingModels {
  /// A random distribution over `count` outcomes: ``DecPOMDP/randomDistribution(_:using:)``.
  static func distribution(_ count: Int, using rng: inout RandomGenerator) -> [Double] {
    DecPOMDP.randomDistribution(count, using: &rng)
  }

  /// A random Dec-POMDP with the given sizes: ``DecPOMDP/random(states:actionCounts:observationCounts:horizon:seed:)``.
  static func random(
    states: Int, actionCounts: [Int], observationCounts: [Int], horizon: Int, seed: UInt64
  ) -> DecPOMDP {
    DecPOMDP.random(
      states: states, actionCounts: actionCounts, observationCounts: observationCounts, horizon: horizon, seed: seed)
  }

  /// "Drift": two states that swap with probability 0.9 at every step (stay with 0.1), watched by two
  /// agents with one action each, whose observation names the *new* state correctly with probability
  /// 0.8, independently: 𝒪(⟨o₁,o₂⟩|a,s′) = Πᵢ (0.8 if oᵢ = s′ else 0.2). Rewards 0, b⁰ = (1, 0).
  static var drift: DecPOMDP {
    DecPOMDP(
      stateNames: ["x0", "x1"], actionNames: [["wait"], ["wait"]],
      observationNames: [["see x0", "see x1"], ["see x0", "see x1"]],
      transition: { s, _, sNext in s == sNext ? 0.1 : 0.9 },
      observation: { _, sNext, o in
        let (o1, o2) = (o / 2, o % 2)
        return (o1 == sNext ? 0.8 : 0.2) * (o2 == sNext ? 0.8 : 0.2)
      },
      reward: { _, _ in 0 }, initialBelief: [1, 0], horizon: 1)
  }

  /// Agent 0's actions in `lookBeforeYouLeap`.
  static let look = 0, guessLeft = 1, guessRight = 2

  /// "Look before you leap": a prize is behind the left (state 0) or the right (state 1) door,
  /// b⁰ = (½, ½, 0). Agent 0 may Look (reward −1; the state stays, and its observation then names the
  /// side for certain) or guess a side (+10 if right, 0 if wrong), after which the game is over: state
  /// Done (2), which is absorbing, rewards 0, observations ½–½. Agent 1 is a spectator with one action
  /// and one observation. Joint indices equal agent 0's (|A₁| = |O₁| = 1).
  static func lookBeforeYouLeap(horizon: Int) -> DecPOMDP {
    let done = 2
    return DecPOMDP(
      stateNames: ["PrizeLeft", "PrizeRight", "Done"],
      actionNames: [["Look", "GuessLeft", "GuessRight"], ["Watch"]],
      observationNames: [["SeeLeft", "SeeRight"], ["Nothing"]],
      transition: { s, a, sNext in
        if s == done || a != look { return sNext == done ? 1 : 0 }
        return sNext == s ? 1 : 0
      },
      observation: { a, sNext, o in
        guard a == look && sNext != done else { return 0.5 }
        return o == sNext ? 1 : 0
      },
      reward: { s, a in
        if s == done { return 0 }
        if a == look { return -1 }
        return (a == guessLeft) == (s == 0) ? 10 : 0
      },
      initialBelief: [0.5, 0.5, 0], horizon: horizon)
  }
}

/// A number for a message: six significant digits.
func number(_ x: Double) -> String { String(format: "%.6g", x) }

/// A failure message when the scalar `got` differs from `expected` by more than `tolerance`, else nil.
func scalarMismatch(_ what: String, got: Double, expected: Double, tolerance: Double, hint: String) -> String? {
  let difference = abs(got - expected)
  guard difference.isNaN || difference > tolerance else { return nil }
  return
    "\(what): expected \(number(expected)), got \(number(got)) (|Δ| = \(String(format: "%.3g", difference)) > \(tolerance)). \(hint)"
}

// MARK: - 1.1 Belief update

/// Grader of exercise 1.1, `beliefUpdate(in:belief:jointAction:jointObservation:)`.
public enum Grader0101 {
  public typealias Implementation = (DecPOMDP, [Double], Int, Int) throws -> [Double]

  /// The usual cause of a wrong belief, guessed from the answer.
  static func cause(of got: [Double]) -> String {
    let total = got.reduce(0, +)
    if !total.isNaN && total > 0 && abs(total - 1) > 1e-9 {
      return "b′ sums to \(number(total)), not 1: divide by Pr(o|b,a), the sum of the unnormalised values over s′."
    }
    return "Predict with T first, Σₛ T(s′|s,a) b(s), then multiply by 𝒪(o|a,s′) at the *new* state s′, then normalise."
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("Dec-Tiger: listening") { update in
        let tiger = DecTiger.model(horizon: 2)
        let listen = tiger.jointAction([DecTiger.listen, DecTiger.listen])
        let bothLeft = tiger.jointObservation([DecTiger.hearLeft, DecTiger.hearLeft])
        let split = tiger.jointObservation([DecTiger.hearLeft, DecTiger.hearRight])
        // Listening keeps the tiger where it is (T = identity); 𝒪(⟨HL,HL⟩|Listen,TL) = 0.85² = 0.7225 and
        // 𝒪(⟨HL,HL⟩|Listen,TR) = 0.15² = 0.0225. From (½, ½):
        //   b′(TL) = ½·0.7225 / (½·0.7225 + ½·0.0225) = 0.7225/0.745 ≈ 0.969799, b′(TR) = 0.0225/0.745 ≈ 0.030201.
        // From there, hearing left again: b″(TL) = 0.7225² / (0.7225² + 0.0225²) = 0.52200625/0.5225125 ≈ 0.999031.
        // ⟨HL,HR⟩ has likelihood 0.85·0.15 in both states, so it leaves any belief, here (0.8, 0.2), unchanged.
        let once = [0.7225 / 0.745, 0.0225 / 0.745]
        let twice = [0.52200625 / 0.5225125, 0.00050625 / 0.5225125]
        var problems: [String] = []
        let got1 = try update(tiger, [0.5, 0.5], listen, bothLeft)
        problems += [
          mismatch(
            "b′ after ⟨Listen, Listen⟩, ⟨HearLeft, HearLeft⟩ from (½, ½)", got: got1, expected: once,
            tolerance: 1e-9, hint: cause(of: got1))
        ].compactMap { $0 }
        let got2 = try update(tiger, once, listen, bothLeft)
        problems += [
          mismatch(
            "b″ after hearing left twice", got: got2, expected: twice,
            tolerance: 1e-9, hint: cause(of: got2))
        ].compactMap { $0 }
        let got3 = try update(tiger, [0.8, 0.2], listen, split)
        problems += [
          mismatch(
            "b′ after ⟨HearLeft, HearRight⟩ from (0.8, 0.2)", got: got3, expected: [0.8, 0.2],
            tolerance: 1e-9,
            hint: "The two agents contradict each other, equally likely in both states, so the belief must not move. "
              + cause(of: got3))
        ].compactMap { $0 }
        return problems
      },
      Check("Dec-Tiger: opening a door resets the tiger") { update in
        let tiger = DecTiger.model(horizon: 2)
        let bothOpenLeft = tiger.jointAction([DecTiger.openLeft, DecTiger.openLeft])
        let o = tiger.jointObservation([DecTiger.hearRight, DecTiger.hearLeft])
        // After any door is opened the tiger is placed anew: T(s′|s,a) = ½ whatever s, so Σₛ T(s′|s,a) b(s) = ½
        // for every b; and every observation then has probability ¼. So b′ = (½, ½), here from b = (0.9, 0.1).
        let got = try update(tiger, [0.9, 0.1], bothOpenLeft, o)
        return [
          mismatch(
            "b′ after ⟨OpenLeft, OpenLeft⟩ from (0.9, 0.1)", got: got, expected: [0.5, 0.5], tolerance: 1e-9,
            hint:
              "Opening a door resets the tiger (T(s′|s,a) = ½): an answer equal to the old belief means the transition was skipped (b′ ∝ 𝒪·b). "
              + cause(of: got))
        ].compactMap { $0 }
      },
      Check("a state that moves before it is seen") { update in
        // Drift from b = (1, 0), both agents see x0. Predicted: Σₛ T(s′|s) b(s) = (0.1, 0.9).
        // Likelihoods of ⟨see x0, see x0⟩: 𝒪(·|x0) = 0.8² = 0.64, 𝒪(·|x1) = 0.2² = 0.04.
        // Unnormalised (0.064, 0.036), Pr(o|b,a) = 0.1, so b′ = (0.64, 0.36).
        let model = GradingModels.drift
        let got = try update(model, [1, 0], 0, model.jointObservation([0, 0]))
        var hint = cause(of: got)
        if maxAbsDifference(got, [0.1, 0.9]) < 1e-6 {
          hint =
            "(0.1, 0.9) is the prediction weighed by 𝒪 at the *old* state s: the observation is emitted by the new state s′, after the move."
        } else if maxAbsDifference(got, [1, 0]) < 1e-6 {
          hint = "(1, 0) is 𝒪·b without the move: predict the next state with T before weighing by 𝒪(o|a,s′)."
        }
        return [
          mismatch(
            "b′ in the drift model from (1, 0) after ⟨see x0, see x0⟩", got: got, expected: [0.64, 0.36],
            tolerance: 1e-9, hint: hint)
        ].compactMap { $0 }
      },
      Check("agrees with the library on random models") { update in
        // Every joint action and joint observation (impossible ones included, where b′ is all zeros) on
        // random models, against DecPOMDP.beliefUpdate.
        let sizes: [(states: Int, actions: [Int], observations: [Int], seed: UInt64)] = [
          (3, [2, 2], [2, 2], 111), (3, [2, 3], [2, 2], 112), (4, [2, 1, 2], [2, 2, 1], 113),
        ]
        for size in sizes {
          let model = GradingModels.random(
            states: size.states, actionCounts: size.actions,
            observationCounts: size.observations, horizon: 1, seed: size.seed)
          var rng = RandomGenerator(seed: size.seed + 1000)
          for _ in 0..<2 {
            let b = GradingModels.distribution(size.states, using: &rng)
            for a in 0..<model.jointActionCount {
              for o in 0..<model.jointObservationCount {
                let reference = model.beliefUpdate(b, jointAction: a, jointObservation: o)
                let got = try update(model, b, a, o)
                let impossible = reference.observationProbability == 0
                let hint =
                  impossible
                  ? "This observation is impossible here (Pr(o|b,a) = 0): return all zeros instead of dividing by zero."
                  : cause(of: got)
                if let message = mismatch(
                  "b′ for the random model (seed \(size.seed), |S| = \(size.states)) from b = \(show(b)), a = \(a), o = \(o)",
                  got: got, expected: reference.belief, tolerance: 1e-9, hint: hint)
                {
                  return [message]
                }
              }
            }
          }
        }
        return []
      },
    ]
  }
}

// MARK: - 1.2 Policy count

/// Grader of exercise 1.2, `log10JointPolicyCount(actionCounts:observationCounts:horizon:)`.
public enum Grader0102 {
  public typealias Implementation = ([Int], [Int], Int) throws -> Double

  static let usualCause =
    "Agent i's tree has 1 + |Oᵢ| + … + |Oᵢ|^(h−1) nodes (not |Oᵢ|ʰ, and not up to |Oᵢ|ʰ), each with |Aᵢ| choices; the agents' counts multiply, so their logarithms add."

  public static var checks: [Check<Implementation>] {
    [
      Check("Dec-Tiger, h = 1, 2, 3, by hand") { count in
        // Two agents, |Aᵢ| = 3, |Oᵢ| = 2. Nodes per tree: h = 1: 1; h = 2: 1 + 2 = 3; h = 3: 1 + 2 + 4 = 7.
        // Joint policies: (3¹)² = 9, (3³)² = 729, (3⁷)² = 2187² = 4,782,969.
        var problems: [String] = []
        for (h, expected) in [(1, 9.0), (2, 729.0), (3, 4_782_969.0)] {
          let got = try count([3, 3], [2, 2], h)
          problems += [
            scalarMismatch(
              "log₁₀|Π| for Dec-Tiger, h = \(h) (|Π| = \(Int(expected)))", got: got,
              expected: log10(expected), tolerance: 1e-9, hint: usualCause)
          ].compactMap { $0 }
        }
        return problems
      },
      Check("one observation: a policy is a plan of h actions") { count in
        // |O₁| = |O₂| = 1: each tree is a chain of h = 4 nodes, so 2⁴ · 3⁴ = 16 · 81 = 1296 joint policies.
        let got = try count([2, 3], [1, 1], 4)
        return [
          scalarMismatch(
            "log₁₀|Π| for |Aᵢ| = (2, 3), |Oᵢ| = (1, 1), h = 4 (|Π| = 1296)", got: got,
            expected: log10(1296), tolerance: 1e-9,
            hint: got.isNaN || got.isInfinite
              ? "(|Oᵢ|ʰ − 1)/(|Oᵢ| − 1) is 0/0 when |Oᵢ| = 1: then the tree has h nodes (sum the levels, or treat that case apart)."
              : usualCause)
        ].compactMap { $0 }
      },
      Check("three agents of different sizes") { count in
        // |Aᵢ| = (2, 3, 4), |Oᵢ| = (3, 1, 2), h = 3. Nodes: 1 + 3 + 9 = 13; 3 (one observation); 1 + 2 + 4 = 7.
        // |Π| = 2¹³ · 3³ · 4⁷ = 8192 · 27 · 16384 = 3,623,878,656.
        let got = try count([2, 3, 4], [3, 1, 2], 3)
        return [
          scalarMismatch(
            "log₁₀|Π| for |Aᵢ| = (2, 3, 4), |Oᵢ| = (3, 1, 2), h = 3 (|Π| = 3,623,878,656)", got: got,
            expected: log10(3_623_878_656), tolerance: 1e-9,
            hint: "The tree branches on observations and each node picks an action: nodes from |Oᵢ|, the base from |Aᵢ|. "
              + usualCause)
        ].compactMap { $0 }
      },
      Check("long horizons: the logarithm stays finite") { count in
        // Dec-Tiger, h = 12: 2¹² − 1 = 4095 nodes per agent, log₁₀|Π| = 2 · 4095 · log₁₀3 ≈ 3907.3 (|Π| ≫ 10³⁰⁸).
        // h = 40: 2⁴⁰ − 1 = 1,099,511,627,775 nodes per agent, log₁₀|Π| = 2 · (2⁴⁰ − 1) · log₁₀3 ≈ 1.0492·10¹².
        var problems: [String] = []
        for (h, nodes) in [(12, 4095.0), (40, 1_099_511_627_775.0)] {
          let expected = 2 * nodes * log10(3)
          let got = try count([3, 3], [2, 2], h)
          problems += [
            scalarMismatch(
              "log₁₀|Π| for Dec-Tiger, h = \(h)", got: got, expected: expected,
              tolerance: 1e-9 * expected,
              hint: got.isFinite
                ? usualCause
                : "∞ or NaN: the count itself (|Aᵢ|^nodes) overflowed. Add nodesᵢ · log₁₀|Aᵢ| over the agents instead.")
          ].compactMap { $0 }
        }
        return problems
      },
      Check("agrees with the library on random sizes") { count in
        var rng = RandomGenerator(seed: 120)
        for _ in 0..<40 {
          let n = 1 + rng.integer(below: 3)
          let actions = (0..<n).map { _ in 1 + rng.integer(below: 4) }
          let observations = (0..<n).map { _ in 1 + rng.integer(below: 3) }
          let h = 1 + rng.integer(below: 6)
          let expected = PolicyCount.jointPolicies(actionCounts: actions, observationCounts: observations, horizon: h).log10
          let got = try count(actions, observations, h)
          if let message = scalarMismatch(
            "log₁₀|Π| for |Aᵢ| = \(actions), |Oᵢ| = \(observations), h = \(h)", got: got,
            expected: expected, tolerance: 1e-9 * max(1, expected),
            hint: actions.contains(1)
              ? "An agent with one action has exactly one policy (log₁₀ 1 = 0). " + usualCause : usualCause)
          {
            return [message]
          }
        }
        return []
      },
    ]
  }
}

// MARK: - 1.3 Exact evaluation

/// Grader of exercise 1.3, `evaluatePolicy(_:in:)`.
public enum Grader0103 {
  public typealias Implementation = (JointPolicy, DecPOMDP) throws -> Double

  /// Both agents listen at t = 0, then at every later step open the door away from the side they heard
  /// first: HearLeft → OpenRight, HearRight → OpenLeft.
  static func listenThenOpen(_ tiger: DecPOMDP) -> JointPolicy {
    tiger.jointPolicy { _, heard in
      guard let first = heard.first else { return DecTiger.listen }
      return first == DecTiger.hearLeft ? DecTiger.openRight : DecTiger.openLeft
    }
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("always listen on Dec-Tiger: −2 per step") { evaluate in
        // R(s, ⟨Listen, Listen⟩) = −2 in both states, so V = −2h whatever happens: −2, −4, −6, −8.
        var problems: [String] = []
        for h in 1...4 {
          let tiger = DecTiger.model(horizon: h)
          let got = try evaluate(tiger.jointPolicy { _, _ in DecTiger.listen }, tiger)
          problems += [
            scalarMismatch(
              "V(always listen) on Dec-Tiger with h = \(h)", got: got, expected: Double(-2 * h),
              tolerance: 1e-9,
              hint: abs(got - Double(-2 * h)) == 2
                ? "One reward too many or too few: collect R(s_t, a_t) at t = 0…h−1, exactly h of them."
                : "Every step earns −2 here: start from b⁰ with probability 1 in total and keep the probabilities summing to 1.")
          ].compactMap { $0 }
        }
        return problems
      },
      Check("listen, then open away from what you heard (Dec-Tiger, by hand)") { evaluate in
        // t = 0: both listen, −2. By symmetry take TL. Each agent hears left with probability 0.85, independently.
        // t = 1: both heard left (0.7225) → both open right, the treasure: +20; both heard right (0.0225) → both
        //   open the tiger door: −50; they disagree (2 · 0.85 · 0.15 = 0.255) → different doors: −100.
        //   E[R₁] = 0.7225·20 − 0.0225·50 − 0.255·100 = 14.45 − 1.125 − 25.5 = −12.175, so V(h = 2) = −14.175.
        // t = 2: the doors were opened, so the tiger is reset to either side with ½, independently of what was
        //   heard; the agents repeat their doors. Same door (0.745): ½·20 + ½·(−50) = −15; different (0.255): −100.
        //   E[R₂] = 0.745·(−15) − 0.255·100 = −11.175 − 25.5 = −36.675, so V(h = 3) = −14.175 − 36.675 = −50.85.
        var problems: [String] = []
        for (h, expected) in [(2, -14.175), (3, -50.85)] {
          let tiger = DecTiger.model(horizon: h)
          let got = try evaluate(listenThenOpen(tiger), tiger)
          problems += [
            scalarMismatch(
              "V(listen, then open away from the first sound) on Dec-Tiger with h = \(h)", got: got,
              expected: expected, tolerance: 1e-9,
              hint: "Weigh each joint observation by 𝒪(o|a,s′) (0.85 or 0.15 per agent given the tiger's side), not uniformly; "
                + "after a door is opened the tiger is reset, so apply T before the next step; and earn R(s_t, a_t) in the state before the move."
            )
          ].compactMap { $0 }
        }
        return problems
      },
      Check("agrees with the library on random models and policies") { evaluate in
        // Random models (with impossible transitions and observations) and random deterministic joint
        // policies, against DecPOMDP.evaluate.
        let sizes: [(states: Int, actions: [Int], observations: [Int], horizon: Int, seed: UInt64)] = [
          (3, [2, 2], [2, 2], 3, 131), (2, [3, 2], [2, 3], 3, 132), (3, [2, 2, 2], [2, 1, 2], 3, 133),
          (2, [2, 2], [2, 2], 1, 134),
        ]
        for size in sizes {
          let model = GradingModels.random(
            states: size.states, actionCounts: size.actions,
            observationCounts: size.observations, horizon: size.horizon, seed: size.seed)
          var rng = RandomGenerator(seed: size.seed + 1000)
          for _ in 0..<3 {
            let policy = model.randomJointPolicy(using: &rng)
            let expected = model.evaluate(policy).value
            let got = try evaluate(policy, model)
            if let message = scalarMismatch(
              "V(π) on a random model (seed \(size.seed), |S| = \(size.states), |Aᵢ| = \(size.actions), |Oᵢ| = \(size.observations), h = \(size.horizon)) for π = \(policy)",
              got: got, expected: expected, tolerance: 1e-9,
              hint:
                "Each agent acts on its *own* history (its component of each joint observation); the reward is R(s_t, a_t) before the move; "
                + "the next weights are 𝒪(o|a,s′) Σₛ T(s′|s,a) Pr(s, ō), starting from b⁰.")
            {
              return [message]
            }
          }
        }
        return []
      },
    ]
  }
}

// MARK: - 1.4 Best response

/// Grader of exercise 1.4, `bestResponse(of:to:in:)`.
public enum Grader0104 {
  public typealias Implementation = (Int, JointPolicy, DecPOMDP) throws -> (policy: PolicyTree, value: Double)

  /// Problems with `answer` as agent `agent`'s best response to `policy` in `model`, whose best value
  /// is `expected`. `expectedTree`, when given, is the unique best response.
  static func problems(
    _ answer: (policy: PolicyTree, value: Double), agent: Int, policy: JointPolicy, model: DecPOMDP,
    expected: Double, expectedTree: [Int]? = nil, what: String
  ) -> [String] {
    var problems: [String] = []
    if let message = scalarMismatch(
      "\(what): the best value V(⟨BRᵢ, π₋ᵢ⟩)", got: answer.value, expected: expected, tolerance: 1e-9,
      hint: answer.value < expected
        ? "Too low: keep the *maximum* over all of agent \(agent)'s trees, and compare whole trees by their value, not step by step by immediate reward (information pays later)."
        : "Higher than any policy of agent \(agent) can reach: change only agent \(agent)'s slot, keep the others' policies as given, and return the value of that joint policy."
    ) {
      problems.append(message)
    }
    let tree = answer.policy
    let k = model.observationCounts[agent], actions = model.actionCounts[agent]
    guard tree.observationCount == k, tree.horizon == model.horizon, tree.actions.allSatisfy({ $0 >= 0 && $0 < actions }) else {
      problems.append(
        "\(what): the returned tree should be one of agent \(agent)'s (k = |O_\(agent)| = \(k), h = \(model.horizon), actions in 0..<\(actions)), got k = \(tree.observationCount), h = \(tree.horizon), actions \(tree.actions). Return a tree from model.localPolicies(of: \(agent))."
      )
      return problems
    }
    var joint = policy
    joint[agent] = tree
    let achieved = model.evaluate(joint).value
    if let message = scalarMismatch(
      "\(what): the value of the returned tree with the others' policies", got: answer.value,
      expected: achieved, tolerance: 1e-9,
      hint:
        "The returned tree is worth \(number(achieved)), not the returned value: return the tree that achieved the best value together with that value."
    ) {
      problems.append(message)
    }
    if let expectedTree, tree.actions != expectedTree {
      let cause =
        abs(achieved - expected) <= 1e-9
        ? ""
        : abs(answer.value - expected) <= 1e-9
          ? " Keep the tree that achieved the best value, not the last one tried." : " (See the value above.)"
      problems.append(
        "\(what): expected agent \(agent)'s tree \(expectedTree) (the only best response), got \(tree.actions).\(cause)")
    }
    return problems
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("Dec-Tiger h = 3, against a partner who always listens") { respond in
        // Agent 1 always listens, so agent 0 faces a POMDP: each of its own observations is right
        // with 0.85. Opening at once costs ½·9 − ½·101 = −46, far worse than listening (−2), so it listens.
        // The last step (t = 2): after two equal sounds, Pr(tiger there) = 0.7225/0.745 ≈ 0.9698, and opening the
        //   other door earns (0.7225·9 − 0.0225·101)/0.745 = 4.23/0.745 ≈ 5.678 > −2; after two different
        //   sounds it is ½–½, and listening (−2) beats opening (−46).
        // t = 1, after one sound (0.85): opening now earns 0.85·9 − 0.15·101 = −7.5, then −2 from the reset: −9.5;
        //   listening earns −2 + 0.745·5.678 + 0.255·(−2) = −2 + 4.23 − 0.51 = 1.72. So it listens.
        // V = −2 + 1.72 = −0.28, with the tree [Listen | Listen Listen | OpenRight Listen Listen OpenLeft]
        //   (histories ∅ | HL HR | HL·HL HL·HR HR·HL HR·HR). Agent 0's own entry (always OpenLeft) is ignored.
        let tiger = DecTiger.model(horizon: 3)
        let policy = tiger.jointPolicy { agent, _ in agent == 0 ? DecTiger.openLeft : DecTiger.listen }
        let answer = try respond(0, policy, tiger)
        let (l, ol, or) = (DecTiger.listen, DecTiger.openLeft, DecTiger.openRight)
        return problems(
          answer, agent: 0, policy: policy, model: tiger, expected: -0.28,
          expectedTree: [l, l, l, or, l, l, ol], what: "agent 0's best response to an always-listening agent 1, h = 3")
      },
      Check("Dec-Tiger h = 2, the second agent against listen-then-open") { respond in
        // Agent 0 listens, then opens the door away from what it heard; agent 1 responds.
        // Listening first (−2), then after its own sound, say HL (tiger left with 0.85):
        //   Listen: agent 0 opens the treasure door with 0.85 whatever the side: 0.85·9 − 0.15·101 = −7.5.
        //   OpenRight: TL (0.85): agent 0 opens right w.p. 0.85 (+20) or left (−100): 2; TR (0.15): agent 0 opens
        //     left w.p. 0.85 (−100) or right, the tiger (−50): −92.5. Total 0.85·2 + 0.15·(−92.5) = −12.175.
        //   OpenLeft: 0.85·(−92.5) + 0.15·2 = −78.325.
        //   So it listens again: V = −2 − 7.5 = −9.5. Opening at t = 0 instead costs −46 and then at best −46: −92.
        // The best response is to always listen, [Listen | Listen Listen]; agent 1's own entry is ignored.
        let tiger = DecTiger.model(horizon: 2)
        var policy = Grader0103.listenThenOpen(tiger)
        policy[1] = tiger.policy(of: 1) { _ in DecTiger.openRight }
        let answer = try respond(1, policy, tiger)
        return problems(
          answer, agent: 1, policy: policy, model: tiger, expected: -9.5,
          expectedTree: [DecTiger.listen, DecTiger.listen, DecTiger.listen],
          what: "agent 1's best response to agent 0's listen-then-open, h = 2")
      },
      Check("look before you leap: information is worth paying for") { respond in
        // Agent 0 in lookBeforeYouLeap, h = 2. Look (−1) reveals the prize; then guess it (+10): V = 9.
        // Guessing at once earns only ½·10 = 5 and ends the game (Done pays 0): V = 5. Looking twice: −2.
        // So the best response is [Look | GuessLeft GuessRight] (after SeeLeft, after SeeRight), worth 9,
        // though a step-by-step greedy choice (5 > −1 at t = 0) guesses at once.
        let model = GradingModels.lookBeforeYouLeap(horizon: 2)
        let policy = model.jointPolicy { _, _ in 0 }  // agent 0 always looks (ignored); the spectator watches
        let answer = try respond(0, policy, model)
        return problems(
          answer, agent: 0, policy: policy, model: model, expected: 9,
          expectedTree: [GradingModels.look, GradingModels.guessLeft, GradingModels.guessRight],
          what: "agent 0's best response in look-before-you-leap, h = 2")
      },
      Check("agrees with the library on random models") { respond in
        // Random models and random policies for the others, against DecPOMDP.bestResponse (a depth-first
        // search, not an enumeration).
        let cases: [(states: Int, actions: [Int], observations: [Int], horizon: Int, agent: Int, seed: UInt64)] = [
          (3, [2, 3], [2, 2], 3, 0, 141), (3, [2, 3], [2, 2], 3, 1, 142), (2, [2, 2, 2], [2, 1, 2], 2, 2, 143),
          (2, [3, 2], [3, 2], 2, 0, 144),
        ]
        for c in cases {
          let model = GradingModels.random(
            states: c.states, actionCounts: c.actions,
            observationCounts: c.observations, horizon: c.horizon, seed: c.seed)
          var rng = RandomGenerator(seed: c.seed + 1000)
          let policy = model.randomJointPolicy(using: &rng)
          let expected = model.bestResponse(of: c.agent, to: policy).value
          let answer = try respond(c.agent, policy, model)
          let found = problems(
            answer, agent: c.agent, policy: policy, model: model, expected: expected,
            what:
              "agent \(c.agent)'s best response on a random model (seed \(c.seed), |Aᵢ| = \(c.actions), |Oᵢ| = \(c.observations), h = \(c.horizon)) to π = \(policy)"
          )
          if !found.isEmpty { return found }
        }
        return []
      },
    ]
  }
}
