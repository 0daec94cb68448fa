import Foundation
import XCTest

@testable import Autodiff

/// The graph and the reverse pass: accumulation at reused nodes, long chains, stop-gradient and no-grad
/// scopes, zero gradients for what y does not depend on, repeatability, seeds, and graph teardown.
final class GraphTests: XCTestCase {
  func testReusedNodeAccumulates() {
    // y = x·x + x uses x three times: dy/dx = x + x + 1 = 2x + 1. At [−1.5, 0, 2.5]: [−2, 1, 6].
    let x = Tensor([-1.5, 0, 2.5], requiresGradient: true)
    let g = gradients(of: (x * x + x).sum(), withRespectTo: [x])[0]
    assertTensor(g, equals: [-2, 1, 6], shape: [3], "d/dx (x² + x) = 2x + 1")
  }

  func testDiamondGraph() {
    // a = 2x feeds two branches, b = eᵃ and c = a², which meet in y = Σ (b + c).
    // dy/da = eᵃ + 2a, da/dx = 2, so dy/dx = 2e²ˣ + 8x. At x = [0, 0.5]: [2, 2e + 4].
    let x = Tensor([0, 0.5], requiresGradient: true)
    let a = x * 2
    let y = (a.exp() + a * a).sum()
    let g = gradients(of: y, withRespectTo: [x, a])
    assertTensor(g[0], equals: [2, 2 * M_E + 4], shape: [2], tolerance: 1e-14, "dy/dx = 2e²ˣ + 8x")
    assertTensor(g[1], equals: [1, M_E + 2], shape: [2], tolerance: 1e-14, "dy/da = eᵃ + 2a at a = [0, 1]")
  }

  func testChainOfOneHundredThousandOps() {
    // y = x · cᴺ by N = 100,000 multiplications: dy/dx = cᴺ. The traversal is iterative and the graph is
    // freed iteratively, so neither the backward pass nor dropping the graph overflows the stack.
    let n = 100_000
    let c = 1.00001
    let x = Tensor([0.5, -2], requiresGradient: true)
    weak var firstNode: GraphNode?
    let g: Tensor = {
      var y = x
      for step in 0..<n {
        y = y * c
        if step == 0 { firstNode = y.node }
      }
      return gradients(of: y.sum(), withRespectTo: [x])[0]
    }()
    let expected = Foundation.pow(c, Double(n))
    assertTensor(g, equals: [expected, expected], shape: [2], tolerance: 1e-9, "d/dx of x·cᴺ = cᴺ = \(expected)")
    XCTAssertNil(firstNode, "after the chain is dropped, its nodes should be freed (first node still alive)")
  }

  func testLongChainWithCreateGraph() {
    // 20,000 steps of y ← y + 0.001·tanh(y), differentiated twice (the gradient graph is as long again).
    let x = Tensor(0.3, requiresGradient: true)
    let (d1, d2): (Double, Double) = {
      var y = x
      for _ in 0..<20_000 { y = y + 0.001 * y.tanh() }
      let g = gradients(of: y, withRespectTo: [x], createGraph: true)[0]
      return (g.scalar, gradients(of: g, withRespectTo: [x])[0].scalar)
    }()
    // Compare with central differences of the same map (computed without a graph).
    func flow(_ start: Double) -> Double {
      var y = start
      for _ in 0..<20_000 { y = y + 0.001 * Foundation.tanh(y) }
      return y
    }
    let h = 1e-4
    assertScalar(d1, equals: (flow(0.3 + h) - flow(0.3 - h)) / (2 * h), tolerance: 1e-6, "dy/dx of the 20,000-step flow")
    assertScalar(d2, equals: (flow(0.3 + h) - 2 * flow(0.3) + flow(0.3 - h)) / (h * h), tolerance: 1e-4, "d²y/dx² of the flow")
  }

  func testFreeingTheEndOfAChainKeepsWhatIsStillHeld() {
    // Dropping the tail of a graph must not unlink a node that another tensor still holds.
    let x = Tensor([1, 2], requiresGradient: true)
    var middle = x
    do {
      var y = x
      for step in 0..<1_000 {
        y = y * 1.001
        if step == 499 { middle = y }
      }
      _ = gradients(of: y.sum(), withRespectTo: [x])
    }
    let g = gradients(of: middle.sum(), withRespectTo: [x])[0]
    let expected = Foundation.pow(1.001, 500.0)
    assertTensor(g, equals: [expected, expected], shape: [2], tolerance: 1e-12, "gradient of the kept middle of a freed chain")
  }

  func testDetachedStopsGradients() {
    // y = x · stop(x): dy/dx = stop(x) = x, not 2x.
    let x = Tensor([3, -1], requiresGradient: true)
    XCTAssertFalse(x.detached.requiresGradient, "x.detached: expected a constant")
    let g = gradients(of: (x * x.detached).sum(), withRespectTo: [x])[0]
    assertTensor(g, equals: [3, -1], shape: [2], "d/dx Σ x ⊙ stop(x) = x")
    let only = gradients(of: (x.detached * 5).sum(), withRespectTo: [x])[0]
    assertTensor(only, equals: [0, 0], shape: [2], "d/dx Σ 5·stop(x) = 0")
  }

  func testWithoutGradientsRecordsNothing() {
    let x = Tensor([1, 2], requiresGradient: true)
    XCTAssertTrue(GradientMode.isRecording, "recording is on by default")
    let y = withoutGradients { () -> Tensor in
      XCTAssertFalse(GradientMode.isRecording, "inside withoutGradients: expected recording off")
      return (x * x).exp().sum()
    }
    XCTAssertTrue(GradientMode.isRecording, "after withoutGradients: expected recording back on")
    XCTAssertFalse(y.requiresGradient, "a value computed inside withoutGradients: expected a constant, got \(y)")
    assertTensor(gradients(of: y, withRespectTo: [x])[0], equals: [0, 0], shape: [2], "gradient of a no-grad value")
    // Mixing: only the recorded part contributes. z = x·a + (x·x inside no-grad) → dz/dx = a.
    let a = Tensor([10, 20])
    let z = x * a + withoutGradients { x * x }
    assertTensor(gradients(of: z.sum(), withRespectTo: [x])[0], equals: [10, 20], shape: [2], "d/dx (x ⊙ a + no-grad x²) = a")
  }

  func testValueWithGradientsRecordsEvenInsideWithoutGradients() {
    // Asking for gradients means asking for the graph: d/dx Σ x³ = 3x² at [1, 2] = [3, 12].
    let g = withoutGradients { valueWithGradients(at: [Tensor([1, 2])]) { v in (v[0] * v[0] * v[0]).sum() }.gradients[0] }
    assertTensor(g, equals: [3, 12], shape: [2], "valueWithGradients inside withoutGradients")
  }

  func testUnrelatedAndConstantInputsGetZeroGradients() {
    let x = Tensor([1, 2], requiresGradient: true)
    let unrelated = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGradient: true)
    let constant = Tensor([5, 6])
    let y = (x * constant).sum()
    let g = gradients(of: y, withRespectTo: [x, unrelated, constant])
    assertTensor(g[0], equals: [5, 6], shape: [2], "d/dx Σ x ⊙ c = c")
    assertTensor(g[1], equals: [0, 0, 0, 0], shape: [2, 2], "gradient w.r.t. a variable y does not use")
    assertTensor(g[2], equals: [0, 0], shape: [2], "gradient w.r.t. a constant")
    // y a constant altogether.
    assertTensor(gradients(of: constant.sum(), withRespectTo: [x])[0], equals: [0, 0], shape: [2], "gradient of a constant y")
  }

  func testRequestingGradientsTwiceGivesTheSameResult() {
    var rng = RandomGenerator(seed: 90)
    let x = Tensor(shape: [3, 2], scalars: rng.tensor([3, 2]).scalars, requiresGradient: true)
    let y = (matmul(x, x.transposed()).tanh() * x.sum()).logSumExp(alongAxis: 0).sum()
    let first = gradients(of: y, withRespectTo: [x])[0]
    let second = gradients(of: y, withRespectTo: [x])[0]
    let withGraph = gradients(of: y, withRespectTo: [x], createGraph: true)[0]
    XCTAssertEqual(first.scalars, second.scalars, "two backward passes over one graph: expected identical gradients")
    XCTAssertEqual(first.scalars, withGraph.scalars, "createGraph changes only differentiability, not the values")
  }

  func testGradientWithRespectToAnIntermediate() {
    // h = 3x, y = Σ h²: dy/dh = 2h = 6x, dy/dx = 18x.
    let x = Tensor([1, -2], requiresGradient: true)
    let h = x * 3
    let g = gradients(of: (h * h).sum(), withRespectTo: [h, x])
    assertTensor(g[0], equals: [6, -12], shape: [2], "dy/dh = 2h")
    assertTensor(g[1], equals: [18, -36], shape: [2], "dy/dx = 18x")
  }

  func testSeedGivesAVectorJacobianProduct() {
    // y = x ⊙ x (a vector), seed s: sᵀ ∂y/∂x = 2 x ⊙ s. With x = [1, 2, 3], s = [1, 0, −1]: [2, 0, −6].
    let x = Tensor([1, 2, 3], requiresGradient: true)
    let g = gradients(of: x * x, withRespectTo: [x], seed: Tensor([1, 0, -1]))[0]
    assertTensor(g, equals: [2, 0, -6], shape: [3], "VJP of x ⊙ x with seed [1, 0, −1]")
    // y = x itself: the gradient is the seed.
    assertTensor(
      gradients(of: x, withRespectTo: [x], seed: Tensor([4, 5, 6]))[0], equals: [4, 5, 6], shape: [3], "VJP of the identity")
  }

  func testValueWithGradientsTurnsConstantsIntoVariables() {
    let (value, g) = valueWithGradients(at: [Tensor([2, 3]), Tensor(4)]) { v in (v[0] * v[1]).sum() }
    assertTensor(value, equals: [20], shape: [], "Σ [2, 3]·4")
    assertTensor(g[0], equals: [4, 4], shape: [2], "∂/∂x Σ x·s = s")
    assertTensor(g[1], equals: [5], shape: [], "∂/∂s Σ x·s = Σ x")
  }

  func testGradientModeIsPerTask() async {
    // The flag is task-local: a no-grad scope in one task does not switch recording off in another. The
    // other task starts and finishes while the scope is still open, so a flag shared by all tasks (a
    // global) would read false there and fail the second assertion.
    let (inside, concurrent) = await GradientMode.$recording.withValue(false) {
      let other = Task.detached { GradientMode.isRecording }
      return (GradientMode.isRecording, await other.value)
    }
    XCTAssertFalse(inside, "inside the no-grad scope: expected recording off")
    XCTAssertTrue(concurrent, "a detached task started inside the no-grad scope: expected recording on")
  }
}
