import Autodiff
import Foundation
import MARL
import XCTest

/// HATRPO's pieces: conjugate gradient, Fisher-vector products, the trust-region step and its line
/// search, and the r = a¹a² game of Kuba et al.'s Figure 1.
final class HeterogeneousAgentTrustRegionTests: XCTestCase {
  /// A random symmetric positive-definite matrix BᵀB + I, [n][n].
  func spd(_ n: Int, seed: UInt64) -> [[Double]] {
    var rng = RandomGenerator(seed: seed)
    let B = (0..<n).map { _ in (0..<n).map { _ in rng.normal() } }
    return (0..<n).map { r in (0..<n).map { c in (0..<n).reduce(r == c ? 1.0 : 0.0) { $0 + B[$1][r] * B[$1][c] } } }
  }

  func testConjugateGradientSolvesInAtMostNSteps() {
    let H = spd(8, seed: 1)
    let b = (0..<8).map { Double($0) - 3.5 }
    var products = 0
    let result = conjugateGradient(
      { v in
        products += 1; return H.map { innerProduct($0, v) }
      }, b, maxIterations: 8, residualTolerance: 1e-30)
    let direct = solveLinearSystem(H, b)
    for k in 0..<8 { XCTAssertEqual(result.solution[k], direct[k], accuracy: 1e-8) }
    XCTAssertEqual(result.iterations, products)
    XCTAssertEqual(result.squaredResiduals.first!, innerProduct(b, b), accuracy: 1e-12)
  }

  func testConjugateGradientOnADiagonalSystemByHand() {
    // H = diag(2, 4), b = (2, 4): x = (1, 1). From x₀ = 0: r₀ = p₀ = b, α = 20/72, then one more step.
    let result = conjugateGradient({ [2 * $0[0], 4 * $0[1]] }, [2, 4], maxIterations: 2, residualTolerance: 0)
    XCTAssertEqual(result.solution[0], 1, accuracy: 1e-14)
    XCTAssertEqual(result.solution[1], 1, accuracy: 1e-14)
    XCTAssertEqual(result.iterations, 2)
  }

  /// A categorical policy network and its mean KL to its own old copy.
  func smallPolicy(seed: UInt64) -> (θ: Tensor, kl: (Tensor) -> Tensor, logπ: (Tensor) -> Tensor) {
    var rng = RandomGenerator(seed: seed)
    let net = MLP(sizes: [2, 3, 3], activation: .tanh, rng: &rng)
    let x = rng.normal([5, 2])
    let shapes = net.parameterShapes
    let old = withoutGradients { CategoricalDistribution(logits: net(x)) }
    let logπ = { (θ: Tensor) in net.with(parameters: unflatten(θ, like: shapes))(x).logSoftmax(alongAxis: 1) }
    let kl = { (θ: Tensor) in
      old.klDivergence(to: CategoricalDistribution(logits: net.with(parameters: unflatten(θ, like: shapes))(x))).mean()
    }
    return (flatten(net.parameters).detached, kl, logπ)
  }

  func testFisherVectorProductIsTheFisherMatrix() {
    let (θ, kl, logπ) = smallPolicy(seed: 2)
    let H = FisherVectorProduct(at: θ, meanKL: kl).matrix()
    let F = fisherInformationMatrix(at: θ, logProbabilities: logπ)
    for r in H.indices { for c in H.indices { XCTAssertEqual(H[r][c], F[r][c], accuracy: 1e-10) } }
    // Symmetric, and damping adds λI.
    let damped = FisherVectorProduct(at: θ, meanKL: kl, damping: 0.3).matrix()
    for r in H.indices {
      XCTAssertEqual(damped[r][r], H[r][r] + 0.3, accuracy: 1e-12)
      for c in H.indices { XCTAssertEqual(H[r][c], H[c][r], accuracy: 1e-12) }
    }
  }

  func testFisherVectorProductAgainstFiniteDifferencesOfTheGradient() {
    // H v ≈ (∇KL(θ + εv) − ∇KL(θ − εv)) / 2ε, an independent route to the same product.
    let (θ, kl, _) = smallPolicy(seed: 3)
    var rng = RandomGenerator(seed: 33)
    let v = (0..<θ.count).map { _ in rng.normal() }
    let Hv = FisherVectorProduct(at: θ, meanKL: kl)(v)
    let ε = 1e-5
    let up = valueWithGradients(at: [Tensor(zip(θ.scalars, v).map { $0 + ε * $1 })]) { kl($0[0]) }.gradients[0].scalars
    let down = valueWithGradients(at: [Tensor(zip(θ.scalars, v).map { $0 - ε * $1 })]) { kl($0[0]) }.gradients[0].scalars
    for k in v.indices { XCTAssertEqual(Hv[k], (up[k] - down[k]) / (2 * ε), accuracy: 1e-7) }
  }

  func testTrustRegionStepOnAnExactQuadratic() {
    // L(θ) = gᵀθ and KL(θ) = ½ θᵀAθ exactly: the step is √(2δ / gᵀA⁻¹g) A⁻¹g, accepted at once, with KL = δ.
    let A = spd(4, seed: 4)
    let g = [1.0, -2.0, 0.5, 3.0]
    let δ = 0.05
    let step = trustRegionStep(
      at: Tensor([0, 0, 0, 0]), surrogate: { ($0 * Tensor(g)).sum() },
      meanKL: { θ in 0.5 * (θ * matmul(Tensor(A), θ.reshaped([4, 1])).reshaped([4])).sum() },
      config: TrustRegionConfig(maxKL: δ, conjugateGradientIterations: 4, residualTolerance: 1e-30, damping: 0))
    let x = solveLinearSystem(A, g)
    let β = (2 * δ / innerProduct(g, x)).squareRoot()
    XCTAssertTrue(step.lineSearch.accepted)
    XCTAssertEqual(step.lineSearch.backtracks, 0)
    XCTAssertEqual(step.lineSearch.kl, δ, accuracy: 1e-10)
    for k in 0..<4 { XCTAssertEqual(step.lineSearch.parameters[k], β * x[k], accuracy: 1e-8) }
    XCTAssertEqual(step.expectedImprovement, (2 * δ * innerProduct(g, x)).squareRoot(), accuracy: 1e-9)
  }

  func testLineSearchBacktracksAndGivesUp() {
    // Surrogate L(θ) = θ − θ², KL(θ) = θ², from θ = 0 along s = 2, predicted gain 2.
    let L = { (θ: [Double]) in θ[0] - θ[0] * θ[0] }, kl = { (θ: [Double]) in θ[0] * θ[0] }
    // δ = 0.5: j = 0 (θ = 2, KL 4) and j = 1 (θ = 1, KL 1) leave the region; j = 2 (θ = 0.5, KL 0.25, gain 0.25) is
    // inside, but 0.25 < κ α² · 2 = 0.5 · 0.25 · 2 = 0.25 is not *strictly* more; j = 3 (θ = 0.25, gain 0.1875 > 0.125) passes.
    let result = backtrackingLineSearch(
      from: [0], fullStep: [2], expectedImprovement: 2, surrogate: L, kl: kl, maxKL: 0.5, backtrackCoefficient: 0.5, steps: 10,
      acceptRatio: 0.5)
    XCTAssertTrue(result.accepted)
    XCTAssertEqual(result.backtracks, 3)
    XCTAssertEqual(result.parameters, [0.25])
    // A step in a direction that only lowers the surrogate is never accepted: θ stays.
    let none = backtrackingLineSearch(
      from: [0], fullStep: [-1], expectedImprovement: 1, surrogate: L, kl: kl, maxKL: 10, backtrackCoefficient: 0.5, steps: 5,
      acceptRatio: 0.1)
    XCTAssertFalse(none.accepted)
    XCTAssertEqual(none.parameters, [0])
  }

  // MARK: - The r = a¹a² game

  func testPublishedNumbers() {
    let toy = GaussianProductGame(std: 1, maxKL: 0.5)
    let start = [-0.25, 0.25]
    XCTAssertEqual(toy.expectedReward(means: start), -0.0625, accuracy: 1e-12)
    XCTAssertEqual(toy.expectedReward(means: toy.simultaneousUpdate(means: start)), -0.5625, accuracy: 1e-9)
    XCTAssertEqual(toy.expectedReward(means: toy.sequentialUpdate(means: start, order: [0, 1])), 0.9375, accuracy: 1e-9)
    XCTAssertEqual(toy.expectedReward(means: toy.sequentialUpdate(means: start, order: [1, 0])), 0.9375, accuracy: 1e-9)
    // J = μ¹μ² whatever σ.
    XCTAssertEqual(GaussianProductGame(std: 3, maxKL: 0.5).expectedReward(means: [1.5, -2]), -3, accuracy: 1e-10)
  }

  func testImportanceWeightedSurrogateMatchesTheDirectOne() {
    let toy = GaussianProductGame(std: 1, maxKL: 0.5)
    let start = [-0.25, 0.25]
    for candidate in [-0.5, 0.1, 0.9] {
      for partner in [nil, 0.75] as [Double?] {
        let direct = toy.surrogate(agent: 1, candidate: candidate, means: start, updatedPartner: partner)
        let weighted = toy.importanceWeightedSurrogate(
          agent: 1, candidate: Tensor([candidate]), means: start, updatedPartner: partner
        ).scalar
        XCTAssertEqual(weighted, direct, accuracy: 1e-8, "candidate \(candidate), partner \(String(describing: partner))")
      }
    }
  }
}
