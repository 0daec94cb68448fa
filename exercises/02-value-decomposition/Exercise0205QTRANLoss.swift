import Autodiff
import Foundation

/// Exercise 2.5: QTRAN-base's loss.
///
/// QTRAN learns an unrestricted joint value Q_jt beside the utilities Qᵢ and a state value V_jt, and
/// penalises the two factorisation conditions. For a batch of B samples (means over the batch):
///
///     L_td   = mean (Q_jt(u) − y)²
///     L_opt  = mean (Σᵢ Qᵢ(ūᵢ) − Q_jt(ū) + V_jt)²               with Q_jt(ū) held constant
///     L_nopt = mean (min(Σᵢ Qᵢ(uᵢ) − Q_jt(u) + V_jt, 0))²       with Q_jt(u) held constant
///     L      = L_td + λ_opt · L_opt + λ_nopt · L_nopt
///
/// "Held constant" means no gradient flows into Q_jt through L_opt and L_nopt: Q_jt learns only from
/// the TD loss, and the conditions move the utilities and V_jt toward it (not the other way round).
///
/// - Parameters (each [B], u the taken joint action, ū the agents' greedy one):
///   - utilitySum: Σᵢ Qᵢ(uᵢ).
///   - greedyUtilitySum: Σᵢ Qᵢ(ūᵢ).
///   - jointValue: Q_jt(u).
///   - greedyJointValue: Q_jt(ū).
///   - stateValue: V_jt.
///   - targets: y.
///   - optWeight: λ_opt.
///   - noptWeight: λ_nopt.
/// - Returns: L, a one-element tensor, differentiable in every input that requires a gradient.
///
/// Hint: `.detached` returns a tensor's values without its graph; `minimum(0)` is min(x, 0).
public func qtranLoss(
  utilitySum: Tensor, greedyUtilitySum: Tensor, jointValue: Tensor, greedyJointValue: Tensor,
  stateValue: Tensor, targets: Tensor, optWeight: Double, noptWeight: Double
) throws -> Tensor {
  // BEGIN SOLUTION
  let tdError = jointValue - targets
  let optGap = greedyUtilitySum + stateValue - greedyJointValue.detached
  let noptGap = utilitySum + stateValue - jointValue.detached
  let violation = noptGap.minimum(0)  // only negative gaps break the condition
  return (tdError * tdError).mean() + optWeight * (optGap * optGap).mean() + noptWeight * (violation * violation).mean()
  // END SOLUTION
}
