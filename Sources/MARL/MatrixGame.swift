import Autodiff

/// A cooperative matrix game: n agents each pick one action once and share the payoff R(a₁,…,aₙ).
/// It is the one-state, horizon-1 Dec-POMDP.
///
/// The payoff is a flat array over joint actions in mixed radix with agent 1 the most significant digit,
/// so for two agents payoff[a₁·|A₂| + a₂] is row a₁ (agent 1), column a₂ (agent 2) of the matrix.
///
/// Source: Claus & Boutilier, "The dynamics of reinforcement learning in cooperative multiagent systems"
/// (AAAI 1998).
public struct MatrixGame: Sendable {
  /// A short name for printing ("climbing", "penalty(k = −100)").
  public let name: String
  /// |Aᵢ| for each agent i.
  public let actionCounts: [Int]
  /// R(a) for every joint action a, shape [Πᵢ |Aᵢ|].
  public let payoff: [Double]

  /// An n-player game from its flat payoff over joint actions (agent 1 the most significant digit).
  public init(name: String, actionCounts: [Int], payoff: [Double]) {
    ensure(
      !actionCounts.isEmpty && actionCounts.allSatisfy { $0 >= 1 },
      "MatrixGame: actionCounts must be non-empty and positive, got \(actionCounts)")
    let jointCount = actionCounts.reduce(1, *)
    ensure(
      payoff.count == jointCount,
      "MatrixGame: payoff has shape [\(payoff.count)], expected [Πᵢ |Aᵢ|] = [\(jointCount)] for actionCounts \(actionCounts)")
    self.name = name
    self.actionCounts = actionCounts
    self.payoff = payoff
  }

  /// A two-player game from its matrix: rows are agent 1's actions, columns agent 2's.
  public init(name: String, matrix: [[Double]]) {
    ensure(
      !matrix.isEmpty && matrix.allSatisfy { $0.count == matrix[0].count && !$0.isEmpty },
      "MatrixGame: the payoff matrix must be rectangular and non-empty")
    self.init(name: name, actionCounts: [matrix.count, matrix[0].count], payoff: matrix.flatMap { $0 })
  }

  /// R(⟨a₁,…,aₙ⟩), the payoff of the joint action given by its components.
  public func payoff(_ localActions: [Int]) -> Double {
    ensure(
      localActions.count == actionCounts.count,
      "MatrixGame.payoff: expected \(actionCounts.count) actions, got \(localActions.count)")
    var index = 0
    for (a, count) in zip(localActions, actionCounts) {
      ensure(a >= 0 && a < count, "MatrixGame.payoff: action \(a) out of range 0..<\(count)")
      index = index * count + a
    }
    return payoff[index]
  }

  /// The best joint action a* = argmax_a R(a) (the first in index order on ties) and R(a*).
  public var optimum: (jointAction: Int, value: Double) {
    var best = 0
    for a in payoff.indices where payoff[a] > payoff[best] { best = a }
    return (best, payoff[best])
  }

  /// The game as a Dec-POMDP: one state, one (uninformative) observation per agent, horizon 1,
  /// T(s|s,a) = 1, 𝒪(o|a,s) = 1, R(s,a) = payoff[a], b⁰ = (1).
  public var decPOMDP: DecPOMDP {
    DecPOMDP(
      stateNames: ["s"],
      actionNames: actionCounts.map { count in (0..<count).map { "a\($0)" } },
      observationNames: actionCounts.map { _ in ["none"] },
      transition: { _, _, _ in 1 }, observation: { _, _, _ in 1 }, reward: { _, a in payoff[a] },
      initialBelief: [1], horizon: 1)
  }

  // MARK: - The standard games

  /// The climbing game [[11, −30, 0], [−30, 7, 6], [0, 0, 5]]: optimum (0,0) = 11, guarded by −30.
  /// Source: Claus & Boutilier (AAAI 1998).
  public static var climbing: MatrixGame {
    MatrixGame(name: "climbing", matrix: [[11, -30, 0], [-30, 7, 6], [0, 0, 5]])
  }

  /// The penalty game [[k, 0, 10], [0, 2, 0], [10, 0, k]] with k ≤ 0: two optima worth 10, a safe 2, and
  /// miscoordination penalty k. Source: Claus & Boutilier (AAAI 1998).
  public static func penalty(k: Double) -> MatrixGame {
    MatrixGame(name: "penalty(k = \(k))", matrix: [[k, 0, 10], [0, 2, 0], [10, 0, k]])
  }

  /// The non-monotonic game [[8, −12, −12], [−12, 0, 0], [−12, 0, 0]] that VDN and QMIX cannot represent.
  /// Source: Son et al., "QTRAN" (ICML 2019), Table 1; code Sonkyunghwan/QTRAN `MultiAgentSimpleEnv2`.
  public static var nonMonotonic: MatrixGame {
    MatrixGame(name: "non-monotonic", matrix: [[8, -12, -12], [-12, 0, 0], [-12, 0, 0]])
  }
}
