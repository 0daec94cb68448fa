import XCTest

@testable import Autodiff

/// reshape, permute/transpose, slice, pad, concatenate, stack: values against index arithmetic done
/// by hand, gradients against central differences.
final class ShapeGradientTests: XCTestCase {
  func testReshapedKeepsTheScalarsAndInfersMinusOne() {
    var rng = RandomGenerator(seed: 40)
    let x = rng.tensor([2, 3, 4])
    for (target, expected) in [
      ([6, 4], [6, 4]), ([-1, 2], [12, 2]), ([4, -1, 3], [4, 2, 3]), ([24], [24]), ([2, 3, 4], [2, 3, 4]),
    ] {
      let y = x.reshaped(target)
      assertTensor(y, equals: x.scalars, shape: expected, tolerance: 0, "reshaped(\(target)) of [2, 3, 4]")
      let w = weight(expected)
      assertGradientsMatch("reshaped(\(target))", at: [x]) { v in weighted(v[0].reshaped(target), w) }
    }
    assertTensor(Tensor([5.0]).reshaped([]), equals: [5], shape: [], "reshaped([]) of a one-element vector")
  }

  func testPermutedMatchesIndexArithmetic() {
    var rng = RandomGenerator(seed: 41)
    for rank in 2...4 {
      let shape = rng.shape(rank: rank...rank, extent: 2...4)
      let x = rng.tensor(shape)
      for _ in 0..<3 {
        let order = Array(0..<rank).shuffled(using: &rng)
        let y = x.permuted(order)
        let outShape = order.map { shape[$0] }
        // y[i₀, …] = x[j] with j[order[k]] = i[k].
        let expected = (0..<x.count).map { position -> Double in
          let i = multiIndex(position, in: outShape)
          var j = [Int](repeating: 0, count: rank)
          for k in 0..<rank { j[order[k]] = i[k] }
          return x.scalars[flatPosition(j, in: shape)]
        }
        assertTensor(y, equals: expected, shape: outShape, tolerance: 0, "permuted(\(order)) of \(shape)")
        let w = weight(outShape)
        assertGradientsMatch("permuted(\(order)) of \(shape)", at: [x]) { v in weighted(v[0].permuted(order), w) }
      }
    }
  }

  func testTransposedSwapsTheLastTwoAxes() {
    let m = Tensor([[1, 2, 3], [4, 5, 6]])
    assertTensor(m.transposed(), equals: [1, 4, 2, 5, 3, 6], shape: [3, 2], tolerance: 0, "[[1,2,3],[4,5,6]]ᵀ")
    var rng = RandomGenerator(seed: 42)
    for shape in [[3, 4], [2, 3, 4], [2, 1, 3, 2]] {
      let x = rng.tensor(shape)
      let rank = shape.count
      var outShape = shape
      outShape.swapAt(rank - 1, rank - 2)
      // y[…, a, b] = x[…, b, a].
      let expected = (0..<x.count).map { position -> Double in
        var j = multiIndex(position, in: outShape)
        j.swapAt(rank - 1, rank - 2)
        return x.scalars[flatPosition(j, in: shape)]
      }
      assertTensor(x.transposed(), equals: expected, shape: outShape, tolerance: 0, "transposed of \(shape)")
      let w = weight(outShape)
      assertGradientsMatch("transposed of \(shape)", at: [x]) { v in weighted(v[0].transposed(), w) }
    }
  }

  func testSliceAlongEachAxis() {
    var rng = RandomGenerator(seed: 43)
    let shape = [3, 4, 5]
    let x = rng.tensor(shape)
    for (axis, range) in [(0, 1..<3), (1, 0..<2), (2, 2..<5), (-1, 1..<2), (1, 1..<1)] {
      let a = axis < 0 ? axis + 3 : axis
      var outShape = shape
      outShape[a] = range.count
      let expected = (0..<outShape.reduce(1, *)).map { position -> Double in
        var index = multiIndex(position, in: outShape)
        index[a] += range.lowerBound
        return x.scalars[flatPosition(index, in: shape)]
      }
      assertTensor(
        x.slice(range, alongAxis: axis), equals: expected, shape: outShape, tolerance: 0, "slice \(range) along \(axis)")
      let w = weight(outShape)
      assertGradientsMatch("slice \(range) along \(axis)", at: [x]) { v in weighted(v[0].slice(range, alongAxis: axis), w) }
    }
    // Row subscript: a slice along axis 0 with the axis dropped.
    assertTensor(x[row: 2], equals: Array(x.scalars[40..<60]), shape: [4, 5], tolerance: 0, "x[row: 2]")
    assertGradientsMatch("x[row: 1]", at: [x]) { v in weighted(v[0][row: 1], weight([4, 5])) }
  }

  func testPaddedAddsZerosBeforeAndAfter() {
    let x = Tensor([[1, 2], [3, 4]])
    assertTensor(
      x.padded(before: 1, after: 2, alongAxis: 1), equals: [0, 1, 2, 0, 0, 0, 3, 4, 0, 0], shape: [2, 5], tolerance: 0,
      "pad [[1,2],[3,4]] by (1, 2) along axis 1")
    assertTensor(
      x.padded(before: 0, after: 1, alongAxis: 0), equals: [1, 2, 3, 4, 0, 0], shape: [3, 2], tolerance: 0,
      "pad by (0, 1) along axis 0")
    var rng = RandomGenerator(seed: 44)
    let r = rng.tensor([2, 3, 2])
    for axis in [0, 1, -1] {
      var outShape = r.shape
      outShape[axis < 0 ? 2 : axis] += 3
      let w = weight(outShape)
      assertGradientsMatch("padded(1, 2) along \(axis)", at: [r]) { v in
        weighted(v[0].padded(before: 1, after: 2, alongAxis: axis), w)
      }
    }
  }

  func testConcatenatingAlongEachAxis() {
    var rng = RandomGenerator(seed: 45)
    for axis in [0, 1, 2, -1] {
      let a = axis < 0 ? axis + 3 : axis
      let widths = [1, 3, 2]
      let parts = widths.map { width -> Tensor in
        var shape = [2, 3, 2]
        shape[a] = width
        return rng.tensor(shape)
      }
      var outShape = [2, 3, 2]
      outShape[a] = widths.reduce(0, +)
      let starts = [0, 1, 4]
      let expected = (0..<outShape.reduce(1, *)).map { position -> Double in
        var index = multiIndex(position, in: outShape)
        let k = starts.lastIndex { $0 <= index[a] }!
        index[a] -= starts[k]
        return parts[k].scalars[flatPosition(index, in: parts[k].shape)]
      }
      assertTensor(
        Tensor(concatenating: parts, alongAxis: axis), equals: expected, shape: outShape, tolerance: 0,
        "concatenating widths \(widths) along \(axis)")
      let w = weight(outShape)
      assertGradientsMatch("concatenating along \(axis)", at: parts) { v in weighted(Tensor(concatenating: v, alongAxis: axis), w)
      }
    }
    // The same tensor twice: its gradient is the sum of both slices' gradients.
    let x = Tensor([1, 2], requiresGradient: true)
    let g = gradients(of: weighted(Tensor(concatenating: [x, x]), Tensor([1, 10, 100, 1000])), withRespectTo: [x])[0]
    assertTensor(g, equals: [101, 1010], shape: [2], "∂/∂x of Σ w ⊙ [x, x] with w = [1, 10, 100, 1000]: [1 + 100, 10 + 1000]")
  }

  func testStackingAlongEachNewAxis() {
    var rng = RandomGenerator(seed: 46)
    let parts = (0..<3).map { _ in rng.tensor([2, 4]) }
    for axis in 0...2 {
      var outShape = [2, 4]
      outShape.insert(3, at: axis)
      let expected = (0..<24).map { position -> Double in
        var index = multiIndex(position, in: outShape)
        let k = index.remove(at: axis)
        return parts[k].scalars[flatPosition(index, in: [2, 4])]
      }
      assertTensor(
        Tensor(stacking: parts, alongAxis: axis), equals: expected, shape: outShape, tolerance: 0,
        "stacking 3 × [2, 4] along \(axis)")
      let w = weight(outShape)
      assertGradientsMatch("stacking along \(axis)", at: parts) { v in weighted(Tensor(stacking: v, alongAxis: axis), w) }
    }
  }
}
