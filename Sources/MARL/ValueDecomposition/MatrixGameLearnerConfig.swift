import Autodiff

/// The value-based methods a ``MatrixGameLearner`` can run.
public enum ValueMethod: String, CaseIterable, Sendable {
  /// Independent Q-learners: each agent regresses its own utility on the shared reward.
  case iql = "IQL"
  /// Q_tot = Σₐ Q_a.
  case vdn = "VDN"
  /// The monotonic hypernetwork mixer.
  case qmix = "QMIX"
  /// QTRAN-base: an unrestricted Q_jt, V_jt, and the factorisation conditions as losses.
  case qtran = "QTRAN"
}

/// The configuration of value-based learning on a one-step matrix game.
///
/// pymarl's defaults are tuned for thousands of SMAC episodes (RMSprop, lr 5e-4, batch 32); a matrix
/// game has one state and 9 joint actions, so Adam with a larger step learns it in a few hundred
/// updates. The state is a constant vector of ones, as in oxwhirl/wqmix's `matrix_game_simple`
/// (state = ones(5)).
public struct MatrixGameLearnerConfig: Sendable {
  /// IQL, VDN, QMIX or QTRAN.
  public var method: ValueMethod
  /// QMIX's mixer (for `.qmix`).
  public var qmix: QMixConfig
  /// QTRAN's networks and loss weights (for `.qtran`).
  public var qtran: QTRANConfig
  /// S, the size of the constant state vector.
  public var stateSize: Int
  /// Adam's step size α.
  public var learningRate: Double
  /// One-step episodes per minibatch.
  public var batchSize: Int
  /// The replay buffer keeps the most recent `bufferSize` episodes.
  public var bufferSize: Int
  /// Initial utilities are drawn from N(0, scale²).
  public var initialUtilityScale: Double

  /// A configuration for `method` with the matrix-game defaults: a one-layer-hypernetwork QMIX with
  /// E = 8, QTRAN with width 32, S = 5, Adam α = 0.01, batch 32, buffer 500.
  public init(
    method: ValueMethod,
    qmix: QMixConfig = QMixConfig(embedSize: 8, hypernetLayers: 1, hypernetHiddenSize: 16, monotonic: true),
    qtran: QTRANConfig = QTRANConfig(hiddenSize: 32), stateSize: Int = 5, learningRate: Double = 0.01,
    batchSize: Int = 32, bufferSize: Int = 500, initialUtilityScale: Double = 0.1
  ) {
    ensure(
      stateSize >= 1 && learningRate > 0 && batchSize >= 1 && bufferSize >= batchSize,
      "MatrixGameLearnerConfig: needs S ≥ 1, α > 0 and bufferSize ≥ batchSize ≥ 1")
    self.method = method
    self.qmix = qmix
    self.qtran = qtran
    self.stateSize = stateSize
    self.learningRate = learningRate
    self.batchSize = batchSize
    self.bufferSize = bufferSize
    self.initialUtilityScale = initialUtilityScale
  }
}
