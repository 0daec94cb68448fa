import Foundation
import XCTest

@testable import Autodiff

/// sum, mean, max and logSumExp: values against loops over multi-indices, gradients against central
/// differences, over all elements, along axes (negative ones too), with and without kept dimensions.
final class ReductionGradientTests: XCTestCase {
  /// The reduction of `x` along `axes` by `combine`, computed naively over multi-indices, with the axes kept.
  private func naiveReduce(_ x: Tensor, axes: [Int], initial: Double, _ combine: (Double, Double) -> Double) -> (
    shape: [Int], scalars: [Double]
  ) {
    let axes = axes.map { $0 < 0 ? $0 + x.rank : $0 }
    let kept = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    var out = [Double](repeating: initial, count: kept.reduce(1, *))
    for position in 0..<x.count {
      var index = multiIndex(position, in: x.shape)
      for axis in axes { index[axis] = 0 }
      let target = flatPosition(index, in: kept)
      out[target] = combine(out[target], x.scalars[position])
    }
    return (kept, out)
  }

  /// Every subset of the axes of a rank-`rank` tensor, some written as negative axes.
  private func axisSubsets(rank: Int) -> [[Int]] {
    (1..<(1 << rank)).map { bits in
      (0..<rank).filter { bits & (1 << $0) != 0 }.map { $0 == rank - 1 && bits % 2 == 1 ? -1 : $0 }
    }
  }

  func testSumOfAllElements() {
    var rng = RandomGenerator(seed: 20)
    for _ in 0..<3 {
      let shape = rng.shape(rank: 0...3)
      let x = rng.tensor(shape)
      assertTensor(x.sum(), equals: [x.scalars.reduce(0, +)], shape: [], tolerance: 1e-13, "sum() of shape \(shape)")
      assertGradientsMatch("(sum x)² at \(shape)", at: [x]) { v in v[0].sum() * v[0].sum() }
    }
  }

  func testSumAndMeanAlongAxesWithAndWithoutKeptDimensions() {
    var rng = RandomGenerator(seed: 21)
    for rank in 1...3 {
      let shape = rng.shape(rank: rank...rank, extent: 2...4)
      let x = rng.tensor(shape)
      for axes in axisSubsets(rank: rank) {
        let (kept, sums) = naiveReduce(x, axes: axes, initial: 0, +)
        let n = Double(x.count / sums.count)
        let dropped = kept.enumerated().filter { !axes.map { $0 < 0 ? $0 + rank : $0 }.contains($0.offset) }.map(\.element)
        for keep in [true, false] {
          let outShape = keep ? kept : dropped
          assertTensor(
            x.sum(alongAxes: axes, keepingDimensions: keep), equals: sums, shape: outShape, tolerance: 1e-13,
            "sum along \(axes) of \(shape), keeping \(keep)")
          assertTensor(
            x.mean(alongAxes: axes, keepingDimensions: keep), equals: sums.map { $0 / n }, shape: outShape, tolerance: 1e-13,
            "mean along \(axes) of \(shape), keeping \(keep)")
          let w = weight(outShape)
          assertGradientsMatch("sum along \(axes), keeping \(keep)", at: [x]) { v in
            weighted(v[0].sum(alongAxes: axes, keepingDimensions: keep), w)
          }
          assertGradientsMatch("mean along \(axes), keeping \(keep)", at: [x]) { v in
            weighted(v[0].mean(alongAxes: axes, keepingDimensions: keep), w)
          }
        }
      }
    }
  }

  func testMeanOfAllElements() {
    var rng = RandomGenerator(seed: 22)
    let x = rng.tensor([3, 4])
    assertTensor(x.mean(), equals: [x.scalars.reduce(0, +) / 12], shape: [], tolerance: 1e-14, "mean() of [3, 4]")
    // ∂ mean/∂xᵢ = 1/12 for every i.
    let v = Tensor(shape: [3, 4], scalars: x.scalars, requiresGradient: true)
    assertTensor(
      gradients(of: v.mean(), withRespectTo: [v])[0], equals: Array(repeating: 1.0 / 12, count: 12), shape: [3, 4],
      tolerance: 1e-16, "∂ mean/∂x = 1/N")
    assertGradientsMatch("exp(mean x)", at: [x]) { v in v[0].mean().exp() }
  }

  func testMaxAlongEachAxisWithoutTies() {
    var rng = RandomGenerator(seed: 23)
    for rank in 1...3 {
      let shape = rng.shape(rank: rank...rank, extent: 2...4)
      let x = rng.tensorWithoutTies(shape)
      for axis in Array(0..<rank) + [-1] {
        let (kept, maxima) = naiveReduce(x, axes: [axis], initial: -.infinity) { Swift.max($0, $1) }
        for keep in [true, false] {
          var outShape = kept
          if !keep { outShape.remove(at: axis < 0 ? axis + rank : axis) }
          assertTensor(
            x.max(alongAxis: axis, keepingDimensions: keep), equals: maxima, shape: outShape,
            "max along \(axis) of \(shape), keeping \(keep)")
          let w = weight(outShape)
          assertGradientsMatch("max along \(axis) of \(shape), keeping \(keep)", at: [x]) { v in
            weighted(v[0].max(alongAxis: axis, keepingDimensions: keep), w)
          }
        }
      }
      assertTensor(x.max(), equals: [x.scalars.max()!], shape: [], "max() of \(shape)")
      assertGradientsMatch("max() of \(shape)", at: [x]) { v in v[0].max() * 3 }
    }
  }

  func testMaxTieGoesToTheFirstPosition() {
    // Documented rule: the gradient goes to the first position attaining the maximum.
    let x = Tensor([[1, 5, 5], [7, 2, 7]], requiresGradient: true)
    let g = gradients(of: x.max(alongAxis: 1).sum(), withRespectTo: [x])[0]
    assertTensor(g, equals: [0, 1, 0, 1, 0, 0], shape: [2, 3], "∂ max/∂x with ties: 1 at the first maximum of each row")
  }

  func testArgmaxAlongTheLastAxis() {
    let x = Tensor([[0.1, 0.9, 0.3], [2, 2, 1], [-1, -3, -0.5]])
    XCTAssertEqual(x.argmax(), [1, 0, 2], "argmax of each row (ties to the lowest index)")
    XCTAssertEqual(Tensor([4.0]).argmax(), [0], "argmax of a one-element vector")
  }

  func testLogSumExpAlongAxes() {
    var rng = RandomGenerator(seed: 24)
    for rank in 1...3 {
      let shape = rng.shape(rank: rank...rank, extent: 2...4)
      let x = rng.tensor(shape, in: -3...3)
      for axis in Array(0..<rank) + [-1] {
        let (kept, sums) = naiveReduce(x, axes: [axis], initial: 0) { $0 + Foundation.exp($1) }
        for keep in [true, false] {
          var outShape = kept
          if !keep { outShape.remove(at: axis < 0 ? axis + rank : axis) }
          assertTensor(
            x.logSumExp(alongAxis: axis, keepingDimensions: keep), equals: sums.map { Foundation.log($0) }, shape: outShape,
            tolerance: 1e-14, "logSumExp along \(axis) of \(shape)")
          let w = weight(outShape)
          assertGradientsMatch("logSumExp along \(axis), keeping \(keep)", at: [x]) { v in
            weighted(v[0].logSumExp(alongAxis: axis, keepingDimensions: keep), w)
          }
        }
      }
    }
  }

  func testLogSumExpIsStableForLargeAndInfiniteInputs() {
    // log(e¹⁰⁰⁰ + e¹⁰⁰⁰) = 1000 + log 2, which a naive exp would turn into ∞.
    let x = Tensor([[1000, 1000], [-1000, -1001], [-.infinity, 0]])
    assertTensor(
      x.logSumExp(alongAxis: 1),
      equals: [1000 + Foundation.log(2), -1000 + Foundation.log(1 + Foundation.exp(-1)), 0], shape: [3], tolerance: 1e-12,
      "logSumExp of [[1000, 1000], [−1000, −1001], [−∞, 0]] = [1000 + ln 2, −1000 + ln(1 + e⁻¹), 0]")
    let allMinusInfinity = Tensor([-Double.infinity, -.infinity]).logSumExp(alongAxis: 0)
    XCTAssertEqual(
      allMinusInfinity.scalar, -.infinity, "logSumExp of [−∞, −∞]: expected −∞ (log 0), got \(allMinusInfinity.scalar)")
    assertGradientsMatch("logSumExp at logits near 1000", at: [Tensor([1000, 1000.5, 999.2])], epsilon: 1e-4, tolerance: 1e-7) {
      v in
      v[0].logSumExp(alongAxis: 0) * 2
    }
  }
}
