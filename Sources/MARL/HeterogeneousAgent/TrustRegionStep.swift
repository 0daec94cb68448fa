import Autodiff
import Foundation  // sqrt

/// The trust-region settings of HATRPO's per-agent update.
///
/// Defaults follow HARL's `harl/configs/algos_cfgs/hatrpo.yaml` (Zhong et al., JMLR 2024): δ = 0.01, 10 conjugate-gradient
/// iterations to ‖r‖² < 10⁻¹⁰, damping 0.1, 10 line-search steps shrinking by 0.8, acceptance ratio 0.5.
public struct TrustRegionConfig: Sendable, Equatable {
  /// δ, the largest mean KL between an agent's old and new policy.
  public var maxKL: Double
  /// The number of conjugate-gradient iterations.
  public var conjugateGradientIterations: Int
  /// Conjugate gradient stops once ‖r‖² is below this.
  public var residualTolerance: Double
  /// λ in (H + λI) x = g.
  public var damping: Double
  /// L, the largest number of step sizes the line search tries.
  public var lineSearchSteps: Int
  /// α, the factor by which the step shrinks.
  public var backtrackCoefficient: Double
  /// κ, the fraction of the predicted improvement a step must achieve.
  public var acceptRatio: Double

  /// The settings; the defaults are HARL's.
  public init(
    maxKL: Double = 0.01, conjugateGradientIterations: Int = 10, residualTolerance: Double = 1e-10, damping: Double = 0.1,
    lineSearchSteps: Int = 10, backtrackCoefficient: Double = 0.8, acceptRatio: Double = 0.5
  ) {
    ensure(
      maxKL > 0 && conjugateGradientIterations >= 1 && damping >= 0 && lineSearchSteps >= 1
        && backtrackCoefficient > 0 && backtrackCoefficient < 1 && acceptRatio >= 0,
      "TrustRegionConfig: invalid settings δ \(maxKL), CG \(conjugateGradientIterations), damping \(damping), L \(lineSearchSteps), α \(backtrackCoefficient), κ \(acceptRatio)"
    )
    self.maxKL = maxKL
    self.conjugateGradientIterations = conjugateGradientIterations
    self.residualTolerance = residualTolerance
    self.damping = damping
    self.lineSearchSteps = lineSearchSteps
    self.backtrackCoefficient = backtrackCoefficient
    self.acceptRatio = acceptRatio
  }
}

/// Everything one trust-region step computed, for inspection.
public struct TrustRegionStepResult: Sendable {
  /// g = ∇_θ L(θ_old), [P].
  public let gradient: [Double]
  /// x ≈ (H + λI)⁻¹ g from conjugate gradient, [P].
  public let direction: [Double]
  /// The conjugate-gradient run that produced x.
  public let conjugateGradient: ConjugateGradientResult
  /// xᵀ(H + λI)x.
  public let curvature: Double
  /// β = √(2δ / xᵀ(H + λI)x), the largest step along x allowed by the quadratic model of the KL.
  public let stepSize: Double
  /// g · βx, the improvement the linear model predicts for the full step.
  public let expectedImprovement: Double
  /// The line search's decision; its `parameters` are θ_new.
  public let lineSearch: LineSearchResult
}

/// One HATRPO update of agent i_m (eqs. 7–8): maximise the surrogate subject to the mean KL ≤ δ,
///
///     θ_new = θ_old + α^j √(2δ / gᵀH_λ⁻¹g) H_λ⁻¹g,    H_λ = H + λI
///
/// with g the surrogate's gradient, H the Hessian of the mean KL at θ_old (the Fisher matrix there)
/// and λ the damping of `config` (HARL's 0.1). H_λ⁻¹g is solved by conjugate gradient from
/// Fisher-vector products, so H is never formed.
///
/// - Parameters:
///   - θOld: the agent's parameters as one vector [P] (``flatten(_:)``).
///   - surrogate: θ ↦ L(θ), a scalar to maximise (for HATRPO, the mean of (π_θ/π_old) · M).
///   - meanKL: θ ↦ KL̄(π_old ‖ π_θ), a scalar.
/// - Returns: the step's pieces; `lineSearch.parameters` are the new parameters.
/// Source: Kuba et al. (ICLR 2022), eqs. (7)–(8) and Algorithm 2, lines 11–13; Schulman et al., TRPO
/// (ICML 2015), §6 and App. C.
public func trustRegionStep(
  at θOld: Tensor, surrogate: (Tensor) -> Tensor, meanKL: (Tensor) -> Tensor, config: TrustRegionConfig
) -> TrustRegionStepResult {
  ensure(θOld.rank == 1, "trustRegionStep: θ must be a vector [P], got \(θOld.shape)")
  // MARK: - The surrogate's gradient g
  let g = valueWithGradients(at: [θOld]) { surrogate($0[0]) }.gradients[0].scalars
  // MARK: - The natural direction x ≈ H⁻¹g by conjugate gradient on Fisher-vector products
  let Hv = FisherVectorProduct(at: θOld, meanKL: meanKL, damping: config.damping)
  let cg = conjugateGradient(
    { Hv($0) }, g, maxIterations: config.conjugateGradientIterations, residualTolerance: config.residualTolerance)
  let x = cg.solution
  // MARK: - The largest step allowed by the quadratic model, ½(βx)ᵀH(βx) = δ
  let curvature = innerProduct(x, Hv(x))
  let β = curvature > 0 ? sqrt(2 * config.maxKL / curvature) : 0
  let fullStep = x.map { β * $0 }
  let expected = innerProduct(g, fullStep)
  // MARK: - Backtracking line search
  let scalar = { (θ: [Double]) in withoutGradients { surrogate(Tensor(θ)).scalar } }
  let divergence = { (θ: [Double]) in withoutGradients { meanKL(Tensor(θ)).scalar } }
  let search = backtrackingLineSearch(
    from: θOld.scalars, fullStep: fullStep, expectedImprovement: expected, surrogate: scalar, kl: divergence,
    maxKL: config.maxKL, backtrackCoefficient: config.backtrackCoefficient, steps: config.lineSearchSteps,
    acceptRatio: config.acceptRatio)
  return TrustRegionStepResult(
    gradient: g, direction: x, conjugateGradient: cg, curvature: curvature, stepSize: β, expectedImprovement: expected,
    lineSearch: search)
}
