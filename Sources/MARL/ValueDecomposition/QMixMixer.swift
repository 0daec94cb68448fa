import Autodiff
import Foundation

/// The configuration of a QMIX mixer: the size of the mixing network and of its hypernetworks.
///
/// pymarl's defaults are `mixing_embed_dim` E = 32, `hypernet_layers` 2, `hypernet_embed` 64
/// (`src/config/algs/qmix.yaml`); the ICML 2018 paper used single-layer weight hypernetworks.
public struct QMixConfig: Sendable {
  /// E, the width of the mixing network's hidden layer.
  public var embedSize: Int
  /// 1: each weight hypernetwork is one linear layer of s; 2: Linear(S, hidden) → ReLU → Linear.
  public var hypernetLayers: Int
  /// The hidden width of two-layer weight hypernetworks (unused with one layer).
  public var hypernetHiddenSize: Int
  /// true: the mixing weights are |hypernetwork(s)|, so Q_tot is monotonic in every Q_a (QMIX).
  /// false: the weights keep their sign: the unconstrained mixer, which can break IGM.
  public var monotonic: Bool

  /// A configuration with every field given.
  public init(embedSize: Int, hypernetLayers: Int, hypernetHiddenSize: Int, monotonic: Bool) {
    ensure(
      embedSize >= 1 && hypernetHiddenSize >= 1,
      "QMixConfig: sizes must be positive, got E = \(embedSize), hidden = \(hypernetHiddenSize)")
    ensure(hypernetLayers == 1 || hypernetLayers == 2, "QMixConfig: hypernetLayers must be 1 or 2, got \(hypernetLayers)")
    self.embedSize = embedSize
    self.hypernetLayers = hypernetLayers
    self.hypernetHiddenSize = hypernetHiddenSize
    self.monotonic = monotonic
  }

  /// pymarl's QMIX: E = 32, two-layer weight hypernetworks of width 64, absolute-value weights.
  public static let pymarl = QMixConfig(embedSize: 32, hypernetLayers: 2, hypernetHiddenSize: 64, monotonic: true)
  /// The ICML 2018 paper's QMIX: E = 32, single-layer weight hypernetworks.
  public static let icml2018 = QMixConfig(embedSize: 32, hypernetLayers: 1, hypernetHiddenSize: 64, monotonic: true)
  /// pymarl's architecture without the absolute values: the unconstrained mixer, for contrast.
  public static let unconstrained = QMixConfig(embedSize: 32, hypernetLayers: 2, hypernetHiddenSize: 64, monotonic: false)
}

/// The mixing weights that QMIX's hypernetworks produce from a batch of states.
///
/// Shapes: W₁ [B, n, E], b₁ [B, E], w₂ [B, E], V [B, 1]. W₁ and w₂ are already non-negative when the
/// mixer is monotonic; b₁ and V are never constrained.
public struct QMixWeights {
  /// W₁(s) [B, n, E]: the first mixing layer's weights.
  public let w1: Tensor
  /// b₁(s) [B, E]: the first mixing layer's bias.
  public let b1: Tensor
  /// w₂(s) [B, E]: the output layer's weights.
  public let w2: Tensor
  /// V(s) [B, 1]: the state-dependent output bias.
  public let v: Tensor
}

/// The QMIX mixer: a two-layer network over the utilities whose weights are generated from the state
/// by hypernetworks, and kept non-negative with an absolute value:
///
///     Q_tot = w₂(s)ᵀ · ELU(W₁(s)ᵀ Q + b₁(s)) + V(s)
///     W₁ = |hyper_w₁(s)| ∈ ℝⁿˣᴱ,  w₂ = |hyper_w₂(s)| ∈ ℝᴱ,  b₁ = Linear(s),  V = Linear(ReLU(Linear(s)))
///
/// Since ELU′ > 0 and both weight matrices are non-negative,
/// ∂Q_tot/∂Q_a = Σₖ w₂ₖ · ELU′(hₖ) · W₁,ₐₖ ≥ 0: Q_tot never decreases when one agent's utility rises,
/// which is enough for IGM (per-agent greedy actions form the greedy joint action).
///
/// Shapes: utilities [B, n], states [B, S] → Q_tot [B, 1].
/// Parameters, in order: hyper_w₁ (an MLP), hyper_b₁ (a Linear), hyper_w₂ (an MLP), hyper_V (an MLP).
///
/// Source: Rashid et al., "QMIX: Monotonic Value Function Factorisation for Deep Multi-Agent
/// Reinforcement Learning" (ICML 2018), §4 and eq. 5; pymarl `src/modules/mixers/qmix.py`.
public struct QMixMixer: Mixer {
  /// The sizes and whether the weights are constrained.
  public let config: QMixConfig
  /// n.
  public let agentCount: Int
  /// S, the size of a state vector.
  public let stateSize: Int
  /// K = 1.
  public var valueCount: Int { 1 }

  /// s ↦ W₁ before the absolute value, [B, n·E].
  public private(set) var hyperW1: MLP
  /// s ↦ b₁, [B, E].
  public private(set) var hyperB1: Linear
  /// s ↦ w₂ before the absolute value, [B, E].
  public private(set) var hyperW2: MLP
  /// s ↦ V(s), [B, 1]: two layers with a ReLU between them.
  public private(set) var hyperV: MLP

  /// A mixer for n agents and states of size S, with fresh random hypernetworks.
  public init(agentCount n: Int, stateSize: Int, config: QMixConfig = .pymarl, rng: inout RandomGenerator) {
    ensure(n >= 1 && stateSize >= 1, "QMixMixer: needs n ≥ 1 agents and a state size ≥ 1, got n = \(n), S = \(stateSize)")
    let e = config.embedSize
    let hidden = config.hypernetLayers == 2 ? [config.hypernetHiddenSize] : []
    self.config = config
    self.agentCount = n
    self.stateSize = stateSize
    hyperW1 = MLP(sizes: [stateSize] + hidden + [n * e], activation: .relu, rng: &rng)
    hyperB1 = Linear(inputSize: stateSize, outputSize: e, rng: &rng)
    hyperW2 = MLP(sizes: [stateSize] + hidden + [e], activation: .relu, rng: &rng)
    hyperV = MLP(sizes: [stateSize, e, 1], activation: .relu, rng: &rng)
  }

  /// hyper_w₁, hyper_b₁, hyper_w₂ and hyper_V's parameters, in that order.
  public var parameters: [Tensor] {
    get { hyperW1.parameters + hyperB1.parameters + hyperW2.parameters + hyperV.parameters }
    set {
      let counts = [hyperW1.parameters.count, hyperB1.parameters.count, hyperW2.parameters.count, hyperV.parameters.count]
      ensure(
        newValue.count == counts.reduce(0, +),
        "QMixMixer.parameters: expected \(counts.reduce(0, +)) tensors, got \(newValue.count)")
      var start = 0
      func next(_ k: Int) -> [Tensor] {
        defer { start += k }
        return Array(newValue[start..<(start + k)])
      }
      hyperW1.parameters = next(counts[0])
      hyperB1.parameters = next(counts[1])
      hyperW2.parameters = next(counts[2])
      hyperV.parameters = next(counts[3])
    }
  }

  /// Q_tot = w₂ᵀ ELU(W₁ᵀ Q + b₁) + V: utilities [B, n], states [B, S] (or one shared state [1, S]) → [B, 1].
  public func callAsFunction(_ utilities: Tensor, states: Tensor) -> Tensor {
    checkInputs(utilities, states, in: "QMixMixer")
    return mix(utilities, with: weights(states: states))
  }

  // MARK: - Hypernetworks: the mixing weights from the state

  /// W₁(s), b₁(s), w₂(s), V(s) for a batch of states [B, S].
  public func weights(states: Tensor) -> QMixWeights {
    ensure(
      states.rank == 2 && states.shape[1] == stateSize,
      "QMixMixer.weights: expected states [B, \(stateSize)], got \(states.shape)")
    let batch = states.shape[0]
    // snippet: qmix-hypernetworks
    let rawW1 = hyperW1(states).reshaped([batch, agentCount, config.embedSize])
    let rawW2 = hyperW2(states)
    let w1 = config.monotonic ? rawW1.abs() : rawW1  // W₁ ≥ 0
    let w2 = config.monotonic ? rawW2.abs() : rawW2  // w₂ ≥ 0
    return QMixWeights(w1: w1, b1: hyperB1(states), w2: w2, v: hyperV(states))  // b₁, V unconstrained
    // end snippet
  }

  // MARK: - Mixing network

  /// Q_tot = w₂ᵀ ELU(W₁ᵀ Q + b₁) + V for utilities [B, n] and the weights of the same B samples (or of
  /// one state shared by all, batch 1, broadcast) → [B, 1].
  public func mix(_ utilities: Tensor, with weights: QMixWeights) -> Tensor {
    let batch = utilities.shape[0]
    ensure(
      utilities.rank == 2 && utilities.shape[1] == agentCount
        && (weights.w1.shape == [batch, agentCount, config.embedSize] || weights.w1.shape == [1, agentCount, config.embedSize]),
      "QMixMixer.mix: expected utilities [B, \(agentCount)] and W₁ [B or 1, \(agentCount), \(config.embedSize)], got \(utilities.shape) and \(weights.w1.shape)"
    )
    // snippet: qmix-mixing
    let (n, e) = (agentCount, config.embedSize)
    if weights.w1.shape[0] == 1 {
      // One state for the whole batch: plain matrix products, [B, n] · [n, E] and [B, E] · [E, 1].
      let h = utilities.matmul(weights.w1.reshaped([n, e])) + weights.b1  // hₖ = Σₐ Q_a W₁,ₐₖ + b₁ₖ
      return h.elu().matmul(weights.w2.reshaped([e, 1])) + weights.v  // Q_tot = Σₖ w₂ₖ ELU(hₖ) + V
    }
    // A state per sample: batched products, [B, 1, n] · [B, n, E] and [B, 1, E] · [B, E, 1].
    let h = matmul(utilities.reshaped([batch, 1, n]), weights.w1).reshaped([batch, e]) + weights.b1
    return matmul(h.elu().reshaped([batch, 1, e]), weights.w2.reshaped([batch, e, 1])).reshaped([batch, 1]) + weights.v
    // end snippet
  }

  /// ∂Q_tot/∂Q_a written out by the chain rule, without autodiff: Σₖ w₂ₖ · ELU′(hₖ) · W₁,ₐₖ with
  /// ELU′(h) = 1 for h > 0 and eʰ otherwise. Utilities [B, n], states [B, S] → [B, n].
  /// (The chapter checks reverse mode against it.)
  public func utilityGradient(_ utilities: Tensor, states: Tensor) -> Tensor {
    checkInputs(utilities, states, in: "QMixMixer.utilityGradient")
    return withoutGradients {
      let (batch, n, e) = (utilities.shape[0], agentCount, config.embedSize)
      let weights = self.weights(states: states.broadcast(to: [batch, stateSize]))
      let q = utilities.scalars, w1 = weights.w1.scalars, b1 = weights.b1.scalars, w2 = weights.w2.scalars
      var gradient = [Double](repeating: 0, count: batch * n)
      for b in 0..<batch {
        for k in 0..<e {
          var h = b1[b * e + k]
          for a in 0..<n { h += q[b * n + a] * w1[(b * n + a) * e + k] }
          let eluSlope = h > 0 ? 1 : Foundation.exp(h)
          for a in 0..<n { gradient[b * n + a] += w2[b * e + k] * eluSlope * w1[(b * n + a) * e + k] }
        }
      }
      return Tensor(shape: [batch, n], scalars: gradient)
    }
  }
}
