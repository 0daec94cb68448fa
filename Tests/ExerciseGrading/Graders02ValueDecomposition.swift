import Autodiff
import Foundation
import MARL

// The graders of chapter 2's exercises. Expected values are derived by hand in the comments beside
// them, or computed independently: by scalar loops written here, or by the MARL library (whose own
// tests check it against hand values and central differences).

// MARK: - 2.1 QMIX mixing

/// Grader of exercise 2.1, `qmixMixing(utilities:rawW1:b1:rawW2:v:)`.
public enum Grader0201 {
  public typealias Implementation = (Tensor, Tensor, Tensor, Tensor, Tensor) throws -> Tensor

  /// Q_tot for every sample by scalar loops: the definition, written independently of any tensor op.
  static func reference(_ q: Tensor, _ w1: Tensor, _ b1: Tensor, _ w2: Tensor, _ v: Tensor) -> [Double] {
    let (batch, n, e) = (w1.shape[0], w1.shape[1], w1.shape[2])
    return (0..<batch).map { b in
      var total = v.scalars[b]
      for k in 0..<e {
        var h = b1.scalars[b * e + k]
        for a in 0..<n { h += q.scalars[b * n + a] * Swift.abs(w1.scalars[(b * n + a) * e + k]) }
        total += Swift.abs(w2.scalars[b * e + k]) * (h > 0 ? h : Foundation.exp(h) - 1)
      }
      return total
    }
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed sample") { mix in
        // Q = (2, −1); raw W₁ = [[1, −2], [3, −4]] → |W₁| = [[1, 2], [3, 4]]; b₁ = (0.5, −1);
        // h = (2·1 − 1·3 + 0.5, 2·2 − 1·4 − 1) = (−0.5, −1); raw w₂ = (−1, 2) → (1, 2); V = 1.25.
        // Q_tot = 1·(e^−0.5 − 1) + 2·(e^−1 − 1) + 1.25 ≈ −0.40895.
        let got = try mix(
          Tensor([[2, -1]]), Tensor(shape: [1, 2, 2], scalars: [1, -2, 3, -4]), Tensor([[0.5, -1]]), Tensor([[-1, 2]]),
          Tensor([[1.25]]))
        let expected = (exp(-0.5) - 1) + 2 * (exp(-1) - 1) + 1.25
        if got.shape != [1, 1] { return ["expected Q_tot of shape [B, 1] = [1, 1], got \(got.shape)."] }
        return [
          mismatch(
            "Q_tot", got: got.scalars, expected: [expected], tolerance: 1e-12,
            hint: "Take |·| of both weight tensors (W₁ and w₂) but not of the biases, and use ELU (eˣ − 1 below zero), not ReLU.")
        ].compactMap { $0 }
      },
      Check("biases keep their sign") { mix in
        // All weights 1; b₁ = (−3, 2), V = −2, Q = (0.5, 0.5): h = (1 − 3, 1 + 2) = (−2, 3),
        // Q_tot = (e^−2 − 1) + 3 − 2 ≈ −0.86466. |b₁| or |V| would give other numbers.
        let got = try mix(Tensor([[0.5, 0.5]]), Tensor.ones([1, 2, 2]), Tensor([[-3, 2]]), Tensor([[1, 1]]), Tensor([[-2]]))
        return [
          mismatch(
            "Q_tot with negative biases", got: got.scalars, expected: [exp(-2) - 1 + 3 - 2], tolerance: 1e-12,
            hint:
              "Only the weights are made non-negative; b₁ and V are used as they are (a negative bias cannot break monotonicity)."
          )
        ].compactMap { $0 }
      },
      Check("random batch") { mix in
        var rng = RandomGenerator(seed: 201)
        let (batch, n, e) = (6, 3, 4)
        let q = rng.normal([batch, n], std: 3), w1 = rng.normal([batch, n, e]), b1 = rng.normal([batch, e]),
          w2 = rng.normal([batch, e]), v = rng.normal([batch, 1])
        let got = try mix(q, w1, b1, w2, v)
        if got.shape != [batch, 1] { return ["expected shape [B, 1] = [\(batch), 1], got \(got.shape)."] }
        return [
          mismatch(
            "Q_tot on a random batch of 6", got: got.scalars, expected: reference(q, w1, b1, w2, v), tolerance: 1e-10,
            hint:
              "Each sample uses its own weights: sum Q_a·|W₁|ₐₖ over the agents axis (axis 1 of [B, n, E]), not over the batch or the hidden units."
          )
        ].compactMap { $0 }
      },
      Check("monotonic and differentiable") { mix in
        // ∂Q_tot/∂Q_a by reverse mode through the answer must equal the chain rule
        // Σₖ |w₂|ₖ ELU′(hₖ) |W₁|ₐₖ, which is ≥ 0.
        var rng = RandomGenerator(seed: 202)
        let (batch, n, e) = (5, 2, 3)
        let q = rng.normal([batch, n], std: 2), w1 = rng.normal([batch, n, e]), b1 = rng.normal([batch, e]),
          w2 = rng.normal([batch, e]), v = rng.normal([batch, 1])
        let variable = Tensor(shape: q.shape, scalars: q.scalars, requiresGradient: true)
        let got = gradients(of: try mix(variable, w1, b1, w2, v).sum(), withRespectTo: [variable])[0]
        var expected = [Double](repeating: 0, count: batch * n)
        for b in 0..<batch {
          for k in 0..<e {
            var h = b1.scalars[b * e + k]
            for a in 0..<n { h += q.scalars[b * n + a] * Swift.abs(w1.scalars[(b * n + a) * e + k]) }
            for a in 0..<n {
              expected[b * n + a] +=
                Swift.abs(w2.scalars[b * e + k]) * (h > 0 ? 1 : Foundation.exp(h)) * Swift.abs(w1.scalars[(b * n + a) * e + k])
            }
          }
        }
        return [
          mismatch(
            "∂Q_tot/∂Q_a", got: got.scalars, expected: expected, tolerance: 1e-10,
            hint:
              "All zeros means the result was built from plain numbers: compute it with Tensor ops so that gradients reach the utilities."
          )
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 2.2 Additive fit

/// Grader of exercise 2.2, `additiveFit(payoff:)`.
public enum Grader0202 {
  public typealias Implementation = ([[Double]]) throws -> [[Double]]

  public static var checks: [Check<Implementation>] {
    [
      Check("non-monotonic game") { fit in
        // Row and column means (−16/3, −4, −4), grand mean −40/9:
        // (A, A) = −32/3 + 40/9 = −56/9, (A, B) = −28/3 + 40/9 = −44/9, (B, B) = −8 + 40/9 = −32/9.
        let got = try fit([[8, -12, -12], [-12, 0, 0], [-12, 0, 0]])
        let (c, e, i) = (-56.0 / 9, -44.0 / 9, -32.0 / 9)
        return [
          mismatch(
            "Q_tot", got: got.flatMap { $0 }, expected: [c, e, e, e, i, i, e, i, i], tolerance: 1e-12,
            hint: "Q_tot(i, j) = row mean + column mean − grand mean; without the − grand mean every entry is too high by ḡ.")
        ].compactMap { $0 }
      },
      Check("a 2 × 4 matrix") { fit in
        // Rows: means 2.5 and 2.5; columns (1 + 5)/2 = 3, (2 + 2)/2 = 2, (3 + 1)/2 = 2, (4 + 2)/2 = 3; ḡ = 2.5.
        let got = try fit([[1, 2, 3, 4], [5, 2, 1, 2]])
        guard got.count == 2, got.allSatisfy({ $0.count == 4 }) else {
          return ["expected a 2 × 4 result (the payoff's shape), got \(got.map(\.count))."]
        }
        return [
          mismatch(
            "Q_tot of [[1, 2, 3, 4], [5, 2, 1, 2]]", got: got.flatMap { $0 }, expected: [3, 2, 2, 3, 3, 2, 2, 3],
            tolerance: 1e-12,
            hint: "A row mean averages over the k columns and a column mean over the m rows; with m ≠ k, swapping them shows.")
        ].compactMap { $0 }
      },
      Check("normal equations on a random 3 × 5 game") { fit in
        // The least-squares solution leaves a residual R − Q that sums to zero along every row and every
        // column (the normal equations), and Q is additive. The library's projection must agree.
        var rng = RandomGenerator(seed: 203)
        let payoff = (0..<3).map { _ in (0..<5).map { _ in rng.normal(std: 4) } }
        let got = try fit(payoff)
        let library = MatrixGame(name: "random", matrix: payoff).additiveProjection
        return [
          mismatch(
            "Q_tot on a random 3 × 5 payoff", got: got.flatMap { $0 }, expected: library, tolerance: 1e-10,
            hint: "The residual R − Q should sum to zero along every row and column; check both means and the single − ḡ.")
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 2.3 IGM check

/// Grader of exercise 2.3, `satisfiesIGM(utilities:jointValue:tolerance:)`.
public enum Grader0203 {
  public typealias Implementation = ([[Double]], ([Int]) -> Double, Double) throws -> Bool

  static func expect(_ got: Bool, _ expected: Bool, _ what: String, hint: String) -> [String] {
    got == expected ? [] : ["\(what): expected \(expected), got \(got). \(hint)"]
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("additive and non-monotonic values") { igm in
        // A sum always satisfies IGM. The non-monotonic payoff, with utilities whose greedy tuple is
        // (B, B), does not: (A, A) is worth 8 > 0.
        let utilities = [[-1.0, 0.5, 0.2], [-1.0, 0.7, 0.1]]
        let sum = try igm(utilities, { u in utilities[0][u[0]] + utilities[1][u[1]] }, 1e-9)
        let payoff = [[8.0, -12, -12], [-12, 0, 0], [-12, 0, 0]]
        let table = try igm(utilities, { u in payoff[u[0]][u[1]] }, 1e-9)
        return expect(
          sum, true, "Q_tot = Q₁ + Q₂",
          hint: "The agents' greedy tuple maximises a sum; compare Q_tot(ū) with the maximum over joint actions.")
          + expect(
            table, false, "Q_tot = the non-monotonic payoff, ū = (B, B)", hint: "Enumerate every joint action: (A, A) beats ū.")
      },
      Check("three agents, a violation off the diagonal") { igm in
        // Greedy tuple (0, 0, 0). Q_tot is 1 at (0, 0, 0), 0 elsewhere, except 2 at (1, 0, 1): a joint
        // action whose agents do not all play the same index.
        let utilities = [[1.0, 0], [1.0, 0, -1], [1.0, 0]]
        let q: ([Int]) -> Double = { u in u == [0, 0, 0] ? 1 : (u == [1, 0, 1] ? 2 : 0) }
        return expect(
          try igm(utilities, q, 1e-9), false, "violation at (1, 0, 1) only",
          hint: "Visit all |A₁|·|A₂|·|A₃| joint actions, every combination, for any number of agents and of actions per agent.")
      },
      Check("ties are not violations") { igm in
        // ū = (1, 1). Q_tot's maximum 5 is attained at (0, 1) and at (1, 1): enumeration meets (0, 1) first.
        let utilities = [[1.0, 3.0], [0.0, 3.0]]
        let q: ([Int]) -> Double = { u in u[1] == 1 ? 5 : 0 }
        let holds = try igm(utilities, q, 1e-9)
        // Within tolerance: Q_tot(ū) = 5 − 1e-12 still counts as the maximum.
        let nearly = try igm(utilities, { u in u == [1, 1] ? 5 - 1e-12 : (u[1] == 1 ? 5 : 0) }, 1e-9)
        // Beyond the tolerance: Q_tot(ū) = 5 − 10⁻⁶ is not the maximum.
        let short = try igm(utilities, { u in u == [1, 1] ? 5 - 1e-6 : (u[1] == 1 ? 5 : 0) }, 1e-9)
        // An agent's own tie: utilities (1, 1) give ū = (0, 0), the lowest index, worth 1 = max Q_tot.
        // Taking the last maximum instead gives (1, 0), worth 0, and a violation that is not there.
        let ownTie = try igm([[1, 1], [0]], { u in u[0] == 0 ? 1 : 0 }, 1e-9)
        return expect(
          holds, true, "a tie for the joint maximum",
          hint: "Another joint action with the same value as ū is not a violation: compare values, not indices.")
          + expect(
            nearly, true, "Q_tot(ū) within the tolerance of the maximum", hint: "IGM holds when Q_tot(ū) ≥ max − tolerance.")
          + expect(
            short, false, "Q_tot(ū) = 5 − 10⁻⁶, the maximum 5, tolerance 10⁻⁹",
            hint: "IGM fails when Q_tot(ū) < max − tolerance: the tolerance forgives rounding, not a real gap.")
          + expect(
            ownTie, true, "agent 1's utilities tie (1, 1); Q_tot(0, 0) = 1, Q_tot(1, 0) = 0",
            hint: "When an agent's utilities tie, its greedy action is the lowest index, as argmax does.")
      },
      Check("agrees with the library on random monotonic and unconstrained mixers") { igm in
        var rng = RandomGenerator(seed: 204)
        var problems: [String] = []
        for trial in 0..<20 {
          let utilities = [rng.normal([3], std: 2).scalars, rng.normal([2], std: 2).scalars]
          let state = rng.normal([3]).scalars
          let mixer = QMixMixer(agentCount: 2, stateSize: 3, config: trial % 2 == 0 ? .icml2018 : .unconstrained, rng: &rng)
          let q: ([Int]) -> Double = { u in
            withoutGradients { mixer(Tensor([[utilities[0][u[0]], utilities[1][u[1]]]]), states: Tensor([state])) }.scalar
          }
          let expected = checkIGM(utilities: utilities, state: state, mixer: mixer).holds(tolerance: 1e-9)
          problems += expect(
            try igm(utilities, q, 1e-9), expected, "random mixer \(trial)",
            hint: "Compare Q_tot(ū) with the maximum of Q_tot over all joint actions.")
        }
        return Array(problems.prefix(3))
      },
    ]
  }
}

// MARK: - 2.4 Double-Q target

/// Grader of exercise 2.4, `doubleQTargets(rewards:terminated:gamma:liveNext:targetNext:targetMix:)`.
public enum Grader0204 {
  public typealias Implementation = ([Double], [Bool], Double, [[[Double]]], [[[Double]]], (Int, [Double]) -> Double) throws ->
    [Double]

  public static var checks: [Check<Implementation>] {
    [
      Check("hand example") { targets in
        // Live utilities (1, 2) and (3, 0) choose ū′ = (1, 0); the target utilities (5, −1) and (0, 4)
        // value it at −1 + 0: y = 1 + 0.9·(−1) = 0.1. Plain max of the target: 1 + 0.9·9 = 9.1.
        let got = try targets([1], [false], 0.9, [[[1, 2], [3, 0]]], [[[5, -1], [0, 4]]], { _, q in q.reduce(0, +) })
        // A tie: live utilities (2, 2) choose the lowest index, ū′ = 0, and the target reads 1: y = 0 + 1·1 = 1.
        let tie = try targets([0], [false], 1, [[[2, 2]]], [[[1, 5]]], { _, q in q[0] })
        return [
          mismatch(
            "y", got: got, expected: [0.1], tolerance: 1e-12,
            hint:
              "Choose ū′ with the live utilities, then read the target utilities at ū′. 9.1 means the max was taken over the target utilities; 1 + 0.9·2 + 0.9·3 means the live values were used for both."
          ),
          mismatch(
            "y when the live utilities tie (2, 2)", got: tie, expected: [1], tolerance: 1e-12,
            hint: "On ties choose the lowest action index, as argmax does: 5 means the last maximum was taken."),
        ].compactMap { $0 }
      },
      Check("terminal transitions") { targets in
        // Transition 0 ends the episode: y = r = −3. Transition 1 continues: ū′ = (0), Q̄ = 2, y = 1 + 0.5·2 = 2.
        let got = try targets([-3, 1], [true, false], 0.5, [[[4, 1]], [[4, 1]]], [[[10, 10]], [[2, 7]]], { _, q in q[0] })
        return [
          mismatch(
            "y with one terminal transition", got: got, expected: [-3, 2], tolerance: 1e-12,
            hint: "At a terminal transition there is nothing to bootstrap from: y = r, with no γ term.")
        ].compactMap { $0 }
      },
      Check("agrees with the library, QMIX target mixer") { targets in
        var rng = RandomGenerator(seed: 205)
        let (batch, n, actions, stateSize) = (8, 3, 4, 2)
        let live = rng.normal([batch, n, actions], std: 2), target = rng.normal([batch, n, actions], std: 2)
        let rewards = rng.normal([batch]), states = rng.normal([batch, stateSize])
        let terminated = (0..<batch).map { $0 % 3 == 2 }
        let mixer = QMixMixer(agentCount: n, stateSize: stateSize, config: .icml2018, rng: &rng)
        let expected = doubleQTarget(
          rewards: rewards, terminated: terminated, discount: 0.95, liveNextUtilities: live, targetNextUtilities: target,
          nextStates: states, targetMixer: mixer
        ).scalars
        func nested(_ t: Tensor) -> [[[Double]]] {
          (0..<batch).map { b in (0..<n).map { a in Array(t.scalars[((b * n + a) * actions)..<((b * n + a + 1) * actions)]) } }
        }
        let got = try targets(
          rewards.scalars, terminated, 0.95, nested(live), nested(target),
          { b, q in
            withoutGradients { mixer(Tensor([q]), states: states.slice(b..<(b + 1))) }.scalar
          })
        return [
          mismatch(
            "y on a random batch of 8", got: got, expected: expected, tolerance: 1e-10,
            hint:
              "Pass the n chosen target utilities of transition b to targetMix(b, …), and discount only the bootstrapped part.")
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 2.5 QTRAN loss

/// Grader of exercise 2.5, `qtranLoss(utilitySum:greedyUtilitySum:jointValue:greedyJointValue:stateValue:targets:optWeight:noptWeight:)`.
public enum Grader0205 {
  public typealias Implementation = (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Double, Double) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-computed loss") { loss in
        // Σ Q(u) = (1, −2), Σ Q(ū) = (3, 3), Q_jt(u) = (2, 1), Q_jt(ū) = (4, 4), V = (0.5, 0.5), y = (1, 1):
        // L_td = (1 + 0)/2 = 0.5; L_opt = (0.25 + 0.25)/2 = 0.25; L_nopt: gaps (−0.5, −2.5) → (0.25 + 6.25)/2 = 3.25.
        // L = 0.5 + 1·0.25 + 0.1·3.25 = 1.075.
        let got = try loss(
          Tensor([1, -2]), Tensor([3, 3]), Tensor([2, 1]), Tensor([4, 4]), Tensor([0.5, 0.5]), Tensor([1, 1]), 1, 0.1)
        return [
          mismatch(
            "L", got: got.scalars, expected: [1.075], tolerance: 1e-12,
            hint: "Means over the batch; λ_opt multiplies L_opt and λ_nopt multiplies L_nopt.")
        ].compactMap { $0 }
      },
      Check("only violations are penalised") { loss in
        // Gaps Σ Q(u) − Q_jt(u) + V = (3 − 1 + 0, 0 − 2 + 0) = (2, −2): only −2 counts, (0 + 4)/2 = 2.
        // L_td = 0 (Q_jt = y), L_opt = 0 (Σ Q(ū) = Q_jt(ū) − V). L = 1·2 = 2.
        let got = try loss(
          Tensor([3, 0]), Tensor([5, 5]), Tensor([1, 2]), Tensor([5, 5]), Tensor([0, 0]), Tensor([1, 2]), 1, 1)
        return [
          mismatch(
            "L with one satisfied and one violated condition", got: got.scalars, expected: [2], tolerance: 1e-12,
            hint: "L_nopt squares min(gap, 0): a positive gap satisfies the condition and costs nothing.")
        ].compactMap { $0 }
      },
      Check("gradients: Q_jt learns only from L_td") { loss in
        // Same inputs as the hand-computed check. ∂L/∂Q_jt(u) = 2(Q_jt(u) − y)/B = (1, 0) from L_td alone;
        // ∂L/∂Q_jt(ū) = 0; ∂L/∂V = λ_opt·2·(−0.5)/2 + λ_nopt·2·gap/2 = (−0.5 − 0.05, −0.5 − 0.25).
        // ∂L/∂Σ Q(ū) = λ_opt·2·(Σ Q(ū) − Q_jt(ū) + V)/B = 1·2·(3 − 4 + 0.5)/2 = (−0.5, −0.5).
        let qjt = Tensor([2, 1], requiresGradient: true), qjtGreedy = Tensor([4, 4], requiresGradient: true)
        let v = Tensor([0.5, 0.5], requiresGradient: true), sum = Tensor([1, -2], requiresGradient: true)
        let greedySum = Tensor([3, 3], requiresGradient: true)
        let total = try loss(sum, greedySum, qjt, qjtGreedy, v, Tensor([1, 1]), 1, 0.1)
        let g = gradients(of: total, withRespectTo: [qjt, qjtGreedy, v, sum, greedySum])
        return [
          mismatch(
            "∂L/∂Q_jt(u)", got: g[0].scalars, expected: [1, 0], tolerance: 1e-12,
            hint: "Inside L_nopt, Q_jt(u) must be held constant (.detached): the condition moves the utilities and V, not Q_jt."),
          mismatch(
            "∂L/∂Q_jt(ū)", got: g[1].scalars, expected: [0, 0], tolerance: 1e-12,
            hint: "Inside L_opt, Q_jt(ū) must be held constant (.detached)."),
          mismatch(
            "∂L/∂V_jt", got: g[2].scalars, expected: [-0.55, -0.75], tolerance: 1e-12,
            hint: "V_jt appears with a + sign in both conditions and must receive gradients from both."),
          mismatch(
            "∂L/∂Σ Q(u)", got: g[3].scalars, expected: [-0.05, -0.25], tolerance: 1e-12,
            hint: "The utilities learn from L_nopt: 2·λ_nopt·min(gap, 0)/B."),
          mismatch(
            "∂L/∂Σ Q(ū)", got: g[4].scalars, expected: [-0.5, -0.5], tolerance: 1e-12,
            hint: "The greedy utilities learn from L_opt: keep Σ Q(ū) attached there; only Q_jt(ū) is held constant."),
        ].compactMap { $0 }
      },
      Check("agrees with the library on a random batch") { loss in
        var rng = RandomGenerator(seed: 206)
        let b = 12
        let inputs = (0..<6).map { _ in rng.normal([b], std: 3) }
        let expected = QTRAN.losses(
          utilitySum: inputs[0], greedyUtilitySum: inputs[1], jointValue: inputs[2], greedyJointValue: inputs[3],
          stateValue: inputs[4],
          targets: inputs[5], config: QTRANConfig(optWeight: 0.7, noptWeight: 0.3)
        ).total
        let got = try loss(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], 0.7, 0.3)
        return [
          mismatch(
            "L on a random batch of 12", got: got.scalars, expected: expected.scalars, tolerance: 1e-10,
            hint: "Check the signs inside each condition: Σ Q − Q_jt + V.")
        ].compactMap { $0 }
      },
    ]
  }
}
