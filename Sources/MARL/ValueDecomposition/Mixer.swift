import Autodiff

/// A value-decomposition mixer: the network that turns the agents' utilities for the actions they took
/// into the value(s) regressed on the TD target during centralised training.
///
///     Q_tot(s, u) = f(Q₁(τ₁, u₁), …, Qₙ(τₙ, uₙ); s)
///
/// Shapes: utilities [B, n] (entry (b, a) is Q_a(τ_a, u_a) for the action agent a took in sample b),
/// states [B, S], or [1, S] when every sample has the same state (a one-state matrix game) → values
/// [B, K]. K = 1 for a joint value (VDN, QMIX); K = n for independent learners
/// (IQL), where each agent's own utility is its value and no mixing happens. The training loss is the
/// mean over B and K of (value − y)².
///
/// The mixer is a ``Module``: its trainable state is `parameters` (none for IQL and VDN).
///
/// Source: Sunehag et al., "Value-Decomposition Networks for Cooperative Multi-Agent Learning" (AAMAS
/// 2018); Rashid et al., "QMIX" (ICML 2018), §4; pymarl `src/modules/mixers/`.
public protocol Mixer: Module {
  /// n, the number of agents whose utilities are mixed.
  var agentCount: Int { get }
  /// K, the number of values per sample: 1 for a joint Q_tot, n for IQL.
  var valueCount: Int { get }
  /// f(Q₁, …, Qₙ; s): utilities [B, n] and states [B, S] (or one shared row [1, S]) → values [B, K].
  func callAsFunction(_ utilities: Tensor, states: Tensor) -> Tensor
}

extension Mixer {
  /// Stops with a message naming `mixer` unless utilities are [B, n] and states [B, ·] or [1, ·].
  func checkInputs(_ utilities: Tensor, _ states: Tensor, in mixer: String) {
    ensure(
      utilities.rank == 2 && utilities.shape[1] == agentCount,
      "\(mixer): expected utilities [B, \(agentCount)], got \(utilities.shape)")
    ensure(
      states.rank == 2 && (states.shape[0] == utilities.shape[0] || states.shape[0] == 1),
      "\(mixer): expected states [B, S] or [1, S] with B = \(utilities.shape[0]), got \(states.shape)")
  }
}
