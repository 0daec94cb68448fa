import Autodiff

/// Value-decomposition networks (VDN): the joint value is the sum of the agents' utilities,
///
///     Q_tot(τ, u) = Σₐ Q_a(τ_a, u_a),   so ∂Q_tot/∂Q_a = 1 for every agent.
///
/// Shapes: utilities [B, n], states [B, S] (unused) → Q_tot [B, 1]. No parameters.
///
/// Source: Sunehag et al., "Value-Decomposition Networks for Cooperative Multi-Agent Learning" (AAMAS
/// 2018), eq. 1; pymarl `src/modules/mixers/vdn.py`.
public struct VDNMixer: Mixer {
  /// n.
  public let agentCount: Int
  /// K = 1.
  public var valueCount: Int { 1 }

  /// The sum over n agents.
  public init(agentCount: Int) {
    ensure(agentCount >= 1, "VDNMixer: needs at least one agent, got \(agentCount)")
    self.agentCount = agentCount
  }

  /// None: the sum has nothing to learn.
  public var parameters: [Tensor] {
    get { [] }
    set { ensure(newValue.isEmpty, "VDNMixer.parameters: has none, got \(newValue.count) tensors") }
  }

  /// Q_tot = Σₐ Q_a: utilities [B, n] → [B, 1].
  public func callAsFunction(_ utilities: Tensor, states: Tensor) -> Tensor {
    checkInputs(utilities, states, in: "VDNMixer")
    // snippet: vdn-mixer
    return utilities.sum(alongAxes: [1], keepingDimensions: true)
    // end snippet
  }
}
