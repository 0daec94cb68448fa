import Autodiff
import XCTest

/// Flattening parameters into one vector θ ∈ ℝᴾ and back (HATRPO's conjugate gradient and line search).
final class ParameterVectorTests: XCTestCase {
  func testFlattenLaysTensorsEndToEndRowMajor() {
    let θ = flatten([Tensor([[1, 2], [3, 4]]), Tensor([5, 6]), Tensor(7.0)])
    XCTAssertEqual(θ.shape, [7])
    XCTAssertEqual(θ.scalars, [1, 2, 3, 4, 5, 6, 7])
    XCTAssertEqual(flattenScalars([Tensor([[1, 2], [3, 4]]), Tensor([5, 6])]), [1, 2, 3, 4, 5, 6])
  }

  func testUnflattenInvertsFlatten() {
    var rng = RandomGenerator(seed: 1)
    let tensors = [rng.normal([2, 3]), rng.normal([3]), rng.normal([1, 2, 2]), rng.normal([])]
    let back = unflatten(flatten(tensors), like: tensors)
    XCTAssertEqual(back.map(\.shape), tensors.map(\.shape))
    XCTAssertEqual(back.map(\.scalars), tensors.map(\.scalars))
    let fromArray = unflatten(flattenScalars(tensors), like: tensors.map(\.shape))
    XCTAssertEqual(fromArray.map(\.scalars), tensors.map(\.scalars))
  }

  func testGradientFlowsThroughFlattenAndUnflatten() {
    var rng = RandomGenerator(seed: 2)
    let (a, b) = (rng.normal([2, 2]), rng.normal([3]))
    let r = rng.normal([7])
    // L(a, b) = Σ flatten(a, b) ⊙ r: ∂L/∂a is the first four entries of r, ∂L/∂b the last three.
    let (_, grads) = valueWithGradients(at: [a, b]) { t in (flatten(t) * r).sum() }
    XCTAssertEqual(grads[0].scalars, Array(r.scalars[0..<4]))
    XCTAssertEqual(grads[1].scalars, Array(r.scalars[4..<7]))
    // And back: L(θ) = Σₖ Σ unflatten(θ)ₖ² has ∂L/∂θ = 2θ.
    let check = checkGradients(at: [rng.normal([7])]) { θ in
      unflatten(θ[0], like: [[2, 2], [3]]).map { ($0 * $0).sum() }.reduce(Tensor(0.0), +)
    }
    XCTAssertTrue(check.passed, "\(check)")
  }

  func testModuleParameterVectorRoundTripAndLineSearchStep() {
    var rng = RandomGenerator(seed: 3)
    var model = MLP(sizes: [3, 4, 2], rng: &rng)
    let θOld = model.parameterVector
    XCTAssertEqual(θOld.shape, [model.parameterCount])
    // A line-search trial θ = θ_old + α x, written into the model and read back.
    let x = rng.normal([model.parameterCount])
    model.parameterVector = withoutGradients { θOld + 0.5 * x }
    for (got, want) in zip(model.parameterVector.scalars, zip(θOld.scalars, x.scalars).map { $0 + 0.5 * $1 }) {
      XCTAssertEqual(got, want)
    }
    XCTAssertEqual(model.parameterShapes, [[3, 4], [4], [4, 2], [2]])
    // Gradients with respect to the flat vector are the flattened per-tensor gradients.
    let input = rng.normal([5, 3])
    let (_, perTensor) = model.valueWithGradients { m in m(input).squared().sum() }
    let (_, flat) = valueWithGradients(at: [model.parameterVector]) { θ in
      var m = model
      m.parameterVector = θ[0]
      return m(input).squared().sum()
    }
    XCTAssertEqual(flat[0].scalars, flatten(perTensor).scalars)
  }
}
