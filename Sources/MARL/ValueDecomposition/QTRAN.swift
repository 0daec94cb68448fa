import Autodiff

/// The configuration of QTRAN (QTRAN-base): the joint networks' width and the weights of its losses.
///
/// Defaults from pymarl `config/algs/qtran.yaml`: `mixing_embed_dim` 64, `opt_loss` 1,
/// `nopt_min_loss` 0.1; Son et al., "QTRAN" (ICML 2019).
public struct QTRANConfig: Sendable {
  /// The hidden width of Q_jt's and V_jt's networks.
  public var hiddenSize: Int
  /// λ_opt, the weight of L_opt.
  public var optWeight: Double
  /// λ_nopt, the weight of L_nopt.
  public var noptWeight: Double

  /// A configuration with every field given.
  public init(hiddenSize: Int = 64, optWeight: Double = 1, noptWeight: Double = 0.1) {
    ensure(hiddenSize >= 1 && optWeight >= 0 && noptWeight >= 0, "QTRANConfig: needs a positive width and non-negative weights")
    self.hiddenSize = hiddenSize
    self.optWeight = optWeight
    self.noptWeight = noptWeight
  }

  /// pymarl's QTRAN-base.
  public static let pymarl = QTRANConfig()
}

/// QTRAN's three losses for one batch, each a one-element tensor.
public struct QTRANLosses {
  /// L_td = mean (Q_jt(s, u) − y)²: the unrestricted joint value learns the true returns.
  public let td: Tensor
  /// L_opt = mean (Σᵢ Qᵢ(ūᵢ) − Q_jt(s, ū) + V_jt(s))², Q_jt held constant: the condition at the greedy action.
  public let opt: Tensor
  /// L_nopt = mean min(Σᵢ Qᵢ(uᵢ) − Q_jt(s, u) + V_jt(s), 0)², Q_jt held constant: the condition elsewhere.
  public let nopt: Tensor
  /// L = L_td + λ_opt L_opt + λ_nopt L_nopt.
  public let total: Tensor
}

/// QTRAN: factorise any joint value, not only a monotonic one, by learning an unrestricted joint value
/// Q_jt beside the agents' utilities Qᵢ and asking them only to agree where it matters. The
/// utilities factorise Q_jt (IGM holds) if
///
///     Σᵢ Qᵢ(τᵢ, uᵢ) − Q_jt(τ, u) + V_jt(τ) = 0   for u = ū (the tuple of per-agent greedy actions),
///                                             ≥ 0   for every other u,
///     V_jt(τ) = max_u Q_jt(τ, u) − Σᵢ Qᵢ(τᵢ, ūᵢ),
///
/// because then Q_jt(u) − V_jt ≤ Σᵢ Qᵢ(uᵢ) ≤ Σᵢ Qᵢ(ūᵢ) = Q_jt(ū) − V_jt for every u. The losses turn
/// the two conditions into penalties; V_jt is a learned state value.
///
/// Networks (for one-step matrix games, where the agents' histories are constant): Q_jt(s, u) is an MLP
/// on s ⊕ onehot(u₁) ⊕ … ⊕ onehot(uₙ) with two hidden ReLU layers; V_jt(s) an MLP on s with one.
/// Parameters, in order: Q_jt's, then V_jt's.
///
/// Source: Son, Kim, Kang, Hostallero & Yi, "QTRAN: Learning to Factorize with Transformation for
/// Cooperative Multi-Agent Reinforcement Learning" (ICML 2019), Theorem 1 and §3.2 (QTRAN-base);
/// pymarl `src/learners/qtran_learner.py` and `src/modules/mixers/qtran.py`.
public struct QTRAN: Module {
  /// Widths and loss weights.
  public let config: QTRANConfig
  /// |Aᵢ| for every agent.
  public let actionCounts: [Int]
  /// S.
  public let stateSize: Int
  /// s ⊕ onehot(u) ↦ Q_jt(s, u).
  public private(set) var jointNetwork: MLP
  /// s ↦ V_jt(s).
  public private(set) var stateValueNetwork: MLP

  /// QTRAN's joint networks for agents with `actionCounts` actions and states of size S.
  public init(actionCounts: [Int], stateSize: Int, config: QTRANConfig = .pymarl, rng: inout RandomGenerator) {
    ensure(
      !actionCounts.isEmpty && actionCounts.allSatisfy { $0 >= 1 } && stateSize >= 1,
      "QTRAN: needs action counts ≥ 1 and S ≥ 1, got \(actionCounts), S = \(stateSize)")
    self.config = config
    self.actionCounts = actionCounts
    self.stateSize = stateSize
    let h = config.hiddenSize
    jointNetwork = MLP(sizes: [stateSize + actionCounts.reduce(0, +), h, h, 1], activation: .relu, rng: &rng)
    stateValueNetwork = MLP(sizes: [stateSize, h, 1], activation: .relu, rng: &rng)
  }

  /// Q_jt's parameters, then V_jt's.
  public var parameters: [Tensor] {
    get { jointNetwork.parameters + stateValueNetwork.parameters }
    set {
      let k = jointNetwork.parameters.count
      ensure(
        newValue.count == k + stateValueNetwork.parameters.count,
        "QTRAN.parameters: expected \(k + stateValueNetwork.parameters.count) tensors, got \(newValue.count)")
      jointNetwork.parameters = Array(newValue[..<k])
      stateValueNetwork.parameters = Array(newValue[k...])
    }
  }

  /// Q_jt(s, u) for states [B, S] and joint actions (B rows of n actions) → [B].
  public func jointValue(states: Tensor, actions: [[Int]]) -> Tensor {
    ensure(
      states.rank == 2 && states.shape == [actions.count, stateSize] && actions.allSatisfy { $0.count == actionCounts.count },
      "QTRAN.jointValue: expected states [B, \(stateSize)] and B joint actions of \(actionCounts.count) agents, got \(states.shape) and \(actions.count)"
    )
    let encodings = actionCounts.indices.map { a in Tensor.oneHot(actions.map { $0[a] }, depth: actionCounts[a]) }
    return jointNetwork(Tensor(concatenating: [states] + encodings, alongAxis: 1)).reshaped([actions.count])
  }

  /// V_jt(s) for states [B, S] → [B].
  public func stateValue(states: Tensor) -> Tensor {
    ensure(
      states.rank == 2 && states.shape[1] == stateSize, "QTRAN.stateValue: expected states [B, \(stateSize)], got \(states.shape)"
    )
    return stateValueNetwork(states).reshaped([states.shape[0]])
  }

  /// QTRAN-base's losses for a batch.
  ///
  /// - Parameters:
  ///   - utilitySum: Σᵢ Qᵢ(uᵢ) at the taken joint actions, [B].
  ///   - greedyUtilitySum: Σᵢ Qᵢ(ūᵢ) at the per-agent greedy actions, [B].
  ///   - jointValue: Q_jt(s, u) at the taken joint actions, [B].
  ///   - greedyJointValue: Q_jt(s, ū), [B].
  ///   - stateValue: V_jt(s), [B].
  ///   - targets: y, [B] (for a one-step game, y = r).
  ///   - config: the loss weights.
  public static func losses(
    utilitySum: Tensor, greedyUtilitySum: Tensor, jointValue: Tensor, greedyJointValue: Tensor,
    stateValue: Tensor, targets: Tensor, config: QTRANConfig
  ) -> QTRANLosses {
    let b = targets.shape
    ensure(
      b.count == 1 && [utilitySum, greedyUtilitySum, jointValue, greedyJointValue, stateValue].allSatisfy { $0.shape == b },
      "QTRAN.losses: every input must be [B] = \(b), got \([utilitySum, greedyUtilitySum, jointValue, greedyJointValue, stateValue].map(\.shape))"
    )
    // snippet: qtran-losses
    let td = (jointValue - targets).squared().mean()
    let opt = (greedyUtilitySum - greedyJointValue.detached + stateValue).squared().mean()
    let nopt = (utilitySum - jointValue.detached + stateValue).minimum(0).squared().mean()
    // end snippet
    return QTRANLosses(td: td, opt: opt, nopt: nopt, total: td + config.optWeight * opt + config.noptWeight * nopt)
  }
}
