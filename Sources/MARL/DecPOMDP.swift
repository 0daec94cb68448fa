import Autodiff

/// A finite-horizon decentralised POMDP, M = ⟨D, S, A, T, O, 𝒪, R, h, b⁰⟩, stored as exact tables.
///
/// - D = {1,…,n}: the agents (indexed 0..<n in code; "agent 1" of the text is index 0).
/// - S: the states; A = ×ᵢ Aᵢ the joint actions a = ⟨a₁,…,aₙ⟩; O = ×ᵢ Oᵢ the joint observations.
/// - T(s′|s,a) = Pr(s′|s,a), the transition function; 𝒪(o|a,s′) = Pr(o|a,s′), the observation function
///   (over joint observations, received after the joint action a led to s′).
/// - R(s,a): the one shared reward. h: the horizon, time steps t = 0…h−1. b⁰ ∈ Δ(S): the initial belief.
///
/// Joint actions and joint observations are single integers in mixed radix with agent 1 the most
/// significant digit: a = ((a₁·|A₂| + a₂)·|A₃| + a₃)…, so for two agents a = a₁·|A₂| + a₂.
///
/// Source: Oliehoek & Amato, "A Concise Introduction to Decentralized POMDPs" (2016), ch. 2; the MADP
/// Toolbox manual §3.2.
public struct DecPOMDP: Sendable {
  /// n = |D|, the number of agents.
  public let agentCount: Int
  /// The names of the states s ∈ S.
  public let stateNames: [String]
  /// actionNames[i] names agent i's actions Aᵢ.
  public let actionNames: [[String]]
  /// observationNames[i] names agent i's observations Oᵢ.
  public let observationNames: [[String]]
  /// b⁰(s) = Pr(s₀ = s), shape [|S|].
  public let initialBelief: [Double]
  /// h, the number of decisions: time steps t = 0…h−1.
  public let horizon: Int

  /// |S|.
  public var stateCount: Int { stateNames.count }
  /// |Aᵢ| for each agent i.
  public let actionCounts: [Int]
  /// |Oᵢ| for each agent i.
  public let observationCounts: [Int]
  /// |A| = Πᵢ |Aᵢ|.
  public let jointActionCount: Int
  /// |O| = Πᵢ |Oᵢ|.
  public let jointObservationCount: Int

  // Flat tables (row-major in the order of the subscripts).
  /// T flat: transitionTable[(s·|A| + a)·|S| + s′] = T(s′|s,a).
  let transitionTable: [Double]
  /// 𝒪 flat: observationTable[(a·|S| + s′)·|O| + o] = 𝒪(o|a,s′).
  let observationTable: [Double]
  /// R flat: rewardTable[s·|A| + a] = R(s,a).
  let rewardTable: [Double]
  /// The weight of agent i's digit in a joint action: Π_{j>i} |Aⱼ|.
  let actionPlaceValues: [Int]
  /// The weight of agent i's digit in a joint observation: Π_{j>i} |Oⱼ|.
  let observationPlaceValues: [Int]
  /// localObservationTable[o·n + i] = oᵢ, agent i's component of joint observation o.
  let localObservationTable: [Int]
  /// localActionTable[a·n + i] = aᵢ, agent i's component of joint action a.
  let localActionTable: [Int]

  /// Builds the model from functions T(s, a, s′), 𝒪(a, s′, o) and R(s, a) over indices (joint a and o in
  /// mixed radix, agent 1 most significant) and checks that every distribution sums to 1 within 1e-9.
  public init(
    stateNames: [String], actionNames: [[String]], observationNames: [[String]],
    transition T: (_ s: Int, _ a: Int, _ sNext: Int) -> Double,
    observation O: (_ a: Int, _ sNext: Int, _ o: Int) -> Double,
    reward R: (_ s: Int, _ a: Int) -> Double,
    initialBelief: [Double], horizon: Int
  ) {
    let n = actionNames.count
    ensure(n >= 1, "DecPOMDP: need at least one agent, got actionNames with \(n) entries")
    ensure(
      observationNames.count == n,
      "DecPOMDP: observationNames has \(observationNames.count) agents, actionNames has \(n)")
    ensure(!stateNames.isEmpty, "DecPOMDP: S is empty")
    ensure(
      actionNames.allSatisfy { !$0.isEmpty } && observationNames.allSatisfy { !$0.isEmpty },
      "DecPOMDP: every agent needs at least one action and one observation")
    ensure(horizon >= 1, "DecPOMDP: horizon h must be ≥ 1, got \(horizon)")
    let S = stateNames.count
    ensure(initialBelief.count == S, "DecPOMDP: b⁰ has shape [\(initialBelief.count)], expected [|S|] = [\(S)]")
    Self.checkDistribution(initialBelief, "b⁰")

    agentCount = n
    self.stateNames = stateNames
    self.actionNames = actionNames
    self.observationNames = observationNames
    self.initialBelief = initialBelief
    self.horizon = horizon
    actionCounts = actionNames.map(\.count)
    observationCounts = observationNames.map(\.count)
    jointActionCount = actionCounts.reduce(1, *)
    jointObservationCount = observationCounts.reduce(1, *)
    actionPlaceValues = Self.placeValues(actionCounts)
    observationPlaceValues = Self.placeValues(observationCounts)
    let jointA = jointActionCount, jointO = jointObservationCount

    var transitionTable = [Double](repeating: 0, count: S * jointA * S)
    var observationTable = [Double](repeating: 0, count: jointA * S * jointO)
    var rewardTable = [Double](repeating: 0, count: S * jointA)
    for s in 0..<S {
      for a in 0..<jointA {
        rewardTable[s * jointA + a] = R(s, a)
        for sNext in 0..<S { transitionTable[(s * jointA + a) * S + sNext] = T(s, a, sNext) }
        Self.checkDistribution(transitionTable[(s * jointA + a) * S..<(s * jointA + a + 1) * S], "T(·|s=\(s), a=\(a))")
      }
    }
    for a in 0..<jointA {
      for sNext in 0..<S {
        for o in 0..<jointO { observationTable[(a * S + sNext) * jointO + o] = O(a, sNext, o) }
        Self.checkDistribution(
          observationTable[(a * S + sNext) * jointO..<(a * S + sNext + 1) * jointO], "𝒪(·|a=\(a), s′=\(sNext))")
      }
    }
    self.transitionTable = transitionTable
    self.observationTable = observationTable
    self.rewardTable = rewardTable
    localActionTable = Self.digitTable(count: jointA, places: actionPlaceValues, radices: actionCounts)
    localObservationTable = Self.digitTable(count: jointO, places: observationPlaceValues, radices: observationCounts)
  }

  /// Builds the model from nested tables T[s][a][s′] = Pr(s′|s,a), 𝒪[a][s′][o] = Pr(o|a,s′), R[s][a]
  /// (joint a and o in mixed radix, agent 1 most significant), checking every shape and sum.
  public init(
    stateNames: [String], actionNames: [[String]], observationNames: [[String]],
    transition T: [[[Double]]], observation O: [[[Double]]], reward R: [[Double]],
    initialBelief: [Double], horizon: Int
  ) {
    let S = stateNames.count
    let A = actionNames.map(\.count).reduce(1, *)
    let jointO = observationNames.map(\.count).reduce(1, *)
    ensure(
      T.count == S && T.allSatisfy { $0.count == A && $0.allSatisfy { $0.count == S } },
      "DecPOMDP: T must have shape [|S|][|A|][|S|] = [\(S)][\(A)][\(S)]")
    ensure(
      O.count == A && O.allSatisfy { $0.count == S && $0.allSatisfy { $0.count == jointO } },
      "DecPOMDP: 𝒪 must have shape [|A|][|S|][|O|] = [\(A)][\(S)][\(jointO)]")
    ensure(
      R.count == S && R.allSatisfy { $0.count == A },
      "DecPOMDP: R must have shape [|S|][|A|] = [\(S)][\(A)]")
    self.init(
      stateNames: stateNames, actionNames: actionNames, observationNames: observationNames,
      transition: { T[$0][$1][$2] }, observation: { O[$0][$1][$2] }, reward: { R[$0][$1] },
      initialBelief: initialBelief, horizon: horizon)
  }

  /// The same model with another horizon h.
  public func withHorizon(_ h: Int) -> DecPOMDP {
    DecPOMDP(
      stateNames: stateNames, actionNames: actionNames, observationNames: observationNames,
      transition: transitionProbability, observation: observationProbability, reward: reward,
      initialBelief: initialBelief, horizon: h)
  }

  // MARK: - The model's functions

  /// T(s′|s,a) = Pr(s_{t+1} = s′ | s_t = s, a_t = a).
  @inline(__always)
  public func transitionProbability(_ s: Int, _ a: Int, _ sNext: Int) -> Double {
    transitionTable[(s * jointActionCount + a) * stateNames.count + sNext]
  }

  /// 𝒪(o|a,s′) = Pr(o_{t+1} = o | a_t = a, s_{t+1} = s′), over joint observations o.
  @inline(__always)
  public func observationProbability(_ a: Int, _ sNext: Int, _ o: Int) -> Double {
    observationTable[(a * stateNames.count + sNext) * jointObservationCount + o]
  }

  /// R(s,a), the shared reward for joint action a in state s.
  @inline(__always)
  public func reward(_ s: Int, _ a: Int) -> Double { rewardTable[s * jointActionCount + a] }

  // MARK: - Joint index ↔ per-agent components (mixed radix, agent 1 most significant)

  /// a = Σᵢ aᵢ · Π_{j>i} |Aⱼ|: the joint action index of ⟨a₁,…,aₙ⟩.
  public func jointAction(_ localActions: [Int]) -> Int {
    ensure(localActions.count == agentCount, "jointAction: expected \(agentCount) local actions, got \(localActions.count)")
    return zip(localActions, actionPlaceValues).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// ⟨a₁,…,aₙ⟩, the local actions of joint action a.
  public func localActions(ofJointAction a: Int) -> [Int] {
    Array(localActionTable[a * agentCount..<(a + 1) * agentCount])
  }

  /// aᵢ, agent i's component of joint action a.
  @inline(__always)
  public func localAction(of agent: Int, inJointAction a: Int) -> Int { localActionTable[a * agentCount + agent] }

  /// o = Σᵢ oᵢ · Π_{j>i} |Oⱼ|: the joint observation index of ⟨o₁,…,oₙ⟩.
  public func jointObservation(_ localObservations: [Int]) -> Int {
    ensure(
      localObservations.count == agentCount,
      "jointObservation: expected \(agentCount) local observations, got \(localObservations.count)")
    return zip(localObservations, observationPlaceValues).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// ⟨o₁,…,oₙ⟩, the local observations of joint observation o.
  public func localObservations(ofJointObservation o: Int) -> [Int] {
    Array(localObservationTable[o * agentCount..<(o + 1) * agentCount])
  }

  /// oᵢ, agent i's component of joint observation o.
  @inline(__always)
  public func localObservation(of agent: Int, inJointObservation o: Int) -> Int {
    localObservationTable[o * agentCount + agent]
  }

  /// "⟨Listen, OpenLeft⟩": the joint action's local action names.
  public func jointActionName(_ a: Int) -> String {
    "⟨" + localActions(ofJointAction: a).enumerated().map { actionNames[$0.offset][$0.element] }.joined(separator: ", ") + "⟩"
  }

  /// "⟨HearLeft, HearRight⟩": the joint observation's local observation names.
  public func jointObservationName(_ o: Int) -> String {
    "⟨"
      + localObservations(ofJointObservation: o).enumerated().map { observationNames[$0.offset][$0.element] }
      .joined(separator: ", ") + "⟩"
  }

  // MARK: - Helpers

  private static func placeValues(_ radices: [Int]) -> [Int] {
    var places = [Int](repeating: 1, count: radices.count)
    for i in stride(from: radices.count - 2, through: 0, by: -1) { places[i] = places[i + 1] * radices[i + 1] }
    return places
  }

  private static func digitTable(count: Int, places: [Int], radices: [Int]) -> [Int] {
    let n = radices.count
    var table = [Int](repeating: 0, count: count * n)
    for index in 0..<count {
      for i in 0..<n { table[index * n + i] = (index / places[i]) % radices[i] }
    }
    return table
  }

  private static func checkDistribution<C: Collection<Double>>(_ p: C, _ name: String) {
    ensure(p.allSatisfy { $0 >= 0 && $0.isFinite }, "DecPOMDP: \(name) has a negative or non-finite entry: \(Array(p))")
    let total = p.reduce(0, +)
    ensure(abs(total - 1) <= 1e-9, "DecPOMDP: \(name) sums to \(total), expected 1 (within 1e-9)")
  }
}
