import XCTest

@testable import Autodiff

/// A shape mismatch stops with a message that names the op and both shapes. Each op's check is a
/// validator that returns the message (or nil), and the op stops with it through `ensure(valid:)`
/// (`fatalError`, whose message survives the -O build, unlike `precondition`'s). These tests read the
/// messages without stopping anything.
final class ShapeMessageTests: XCTestCase {
  /// Asserts that `message` is non-nil and contains every one of `parts`.
  private func assertMessage(
    _ message: String?, mentions parts: [String], _ what: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    guard let message else {
      XCTFail("\(what): expected a failure message mentioning \(parts), got nil (accepted)", file: file, line: line)
      return
    }
    for part in parts where !message.contains(part) {
      XCTFail("\(what): expected the message to mention \(part), got \"\(message)\"", file: file, line: line)
    }
  }

  func testElementwiseBroadcastMismatchNamesTheOpAndBothShapes() {
    for op in ["add", "sub", "mul", "div", "minimum", "maximum"] {
      assertMessage(broadcastFailure([2, 3], [4], op: op), mentions: [op, "[2, 3]", "[4]"], "\(op) of [2, 3] and [4]")
    }
    assertMessage(
      broadcastFailure([2, 3, 4], [5, 1], op: "mul"), mentions: ["mul", "[2, 3, 4]", "[5, 1]", "axis -2"], "axis named")
    XCTAssertNil(broadcastFailure([3, 1], [4], op: "add"), "[3, 1] and [4] broadcast")
  }

  func testBroadcastToAndSumToShape() {
    assertMessage(broadcastToFailure(from: [3], to: [2, 4]), mentions: ["broadcast(to:)", "[3]", "[2, 4]"], "[3] to [2, 4]")
    assertMessage(
      broadcastToFailure(from: [2, 3], to: [3]), mentions: ["broadcast(to:)", "[2, 3]", "[3]"], "a rank cannot shrink")
    assertMessage(broadcastToFailure(from: [2, 1], to: [1, 3]), mentions: ["[2, 1]", "[1, 3]"], "[2, 1] to [1, 3]: 2 ≠ 1")
    XCTAssertNil(broadcastToFailure(from: [2, 1], to: [4, 2, 3]), "[2, 1] to [4, 2, 3] is a broadcast")
    assertMessage(
      sumToShapeFailure(from: [2, 3], to: [2]), mentions: ["sum(toShape:)", "[2, 3]", "[2]"], "[2, 3] summed to [2]")
    XCTAssertNil(sumToShapeFailure(from: [2, 3], to: [1, 3]), "[2, 3] summed to [1, 3]")
  }

  func testMatmulNamesBothShapes() {
    assertMessage(matmulFailure([2, 3], [4, 5]), mentions: ["matmul", "[2, 3]", "[4, 5]"], "[2, 3] × [4, 5]")
    assertMessage(matmulFailure([2, 3, 4], [3, 4, 5]), mentions: ["matmul", "[2, 3, 4]", "[3, 4, 5]"], "batch 2 vs 3")
    assertMessage(matmulFailure([2, 3, 4], [2, 5, 6]), mentions: ["matmul", "[2, 3, 4]", "[2, 5, 6]"], "batched inner 4 vs 5")
    assertMessage(matmulFailure([2, 3, 4], [5, 6]), mentions: ["matmul", "[2, 3, 4]", "[5, 6]"], "shared inner 4 vs 5")
    assertMessage(matmulFailure([3], [3, 2]), mentions: ["matmul", "[3]", "[3, 2]"], "a vector is not a matrix")
    assertMessage(matmulFailure([2, 3], [2, 3, 4]), mentions: ["matmul", "[2, 3]", "[2, 3, 4]"], "[m,k]×[b,k,n] is not a form")
    for (a, b) in [([2, 3], [3, 4]), ([5, 2, 3], [5, 3, 1]), ([5, 2, 3], [3, 7])] as [([Int], [Int])] {
      XCTAssertNil(matmulFailure(a, b), "\(a) × \(b) should be accepted")
    }
  }

  func testShapeOps() {
    assertMessage(reshapeFailure([2, 3], to: [4, 2]), mentions: ["reshaped", "[2, 3]", "[4, 2]"], "6 scalars into 8")
    assertMessage(reshapeFailure([2, 3], to: [4, -1]), mentions: ["reshaped", "[2, 3]", "[4, -1]"], "6 is not a multiple of 4")
    assertMessage(reshapeFailure([2, 3], to: [-1, -1]), mentions: ["reshaped", "[2, 3]", "[-1, -1]"], "two −1s")
    XCTAssertNil(reshapeFailure([2, 3], to: [3, -1]), "[2, 3] to [3, −1]")
    assertMessage(
      concatenationFailure([[2, 3], [2, 4]], alongAxis: 0), mentions: ["concatenating", "[2, 3]", "[2, 4]"],
      "extents differ off the axis")
    assertMessage(
      concatenationFailure([[2, 3], [2, 3, 1]], alongAxis: 1), mentions: ["concatenating", "[2, 3]", "[2, 3, 1]"], "ranks differ")
    assertMessage(concatenationFailure([[2, 3]], alongAxis: 2), mentions: ["concatenating", "[2, 3]"], "axis out of range")
    assertMessage(concatenationFailure([], alongAxis: 0), mentions: ["concatenating"], "no parts")
    XCTAssertNil(concatenationFailure([[2, 3], [2, 5]], alongAxis: -1), "[2, 3] ++ [2, 5] along −1")
    assertMessage(
      stackingFailure([[2, 3], [3, 2]], alongAxis: 0), mentions: ["stacking", "[2, 3]", "[3, 2]"], "stacking different shapes")
    assertMessage(stackingFailure([[2, 3]], alongAxis: 3), mentions: ["stacking", "3"], "new axis out of range")
    XCTAssertNil(stackingFailure([[2, 3], [2, 3]], alongAxis: 2), "stacking along the new last axis")
    assertMessage(
      axesFailure([2], shape: [3, 4], op: "sum(alongAxes:)"), mentions: ["sum(alongAxes:)", "[2]", "[3, 4]"], "axis 2 of a matrix"
    )
    assertMessage(
      axesFailure([1, -1], shape: [3, 4], op: "mean(alongAxes:)"), mentions: ["mean(alongAxes:)", "[1, -1]", "[3, 4]"],
      "repeated axis")
    XCTAssertNil(axesFailure([-1, 0], shape: [3, 4], op: "sum"), "axes −1 and 0 of a matrix")
  }

  func testIndexingAndWhere() {
    assertMessage(
      gatheringFailure([3], indices: [0, 1, 2]), mentions: ["gathering", "[3]", "3 indices"], "gathering from a vector")
    assertMessage(gatheringFailure([3, 2], indices: [0, 1]), mentions: ["gathering", "[3, 2]", "2 indices"], "too few indices")
    assertMessage(gatheringFailure([2, 2], indices: [0, 2]), mentions: ["gathering", "0..<2"], "index out of range")
    assertMessage(
      scatteringFailure([2], indices: [0, 3], columns: 3), mentions: ["scattering", "0..<3"], "scatter index out of range")
    assertMessage(
      scatteringFailure([2, 1], indices: [0, 1], columns: 3), mentions: ["scattering", "[2, 1]"], "scattering a matrix")
    XCTAssertNil(scatteringFailure([2], indices: [0, 2], columns: 3), "scattering [2] into [2, 3]")
    assertMessage(
      whereFailure(maskCount: 6, maskShape: [2, 3], [2, 3], [4]), mentions: ["where", "[2, 3]", "[4]"], "x and y do not broadcast"
    )
    assertMessage(
      whereFailure(maskCount: 4, maskShape: [4], [2, 3], [3]), mentions: ["where", "[2, 3]", "[4]"], "the mask does not broadcast"
    )
    assertMessage(
      whereFailure(maskCount: 5, maskShape: [2, 3], [2, 3], [2, 3]), mentions: ["where", "5", "[2, 3]"], "mask count")
    XCTAssertNil(whereFailure(maskCount: 2, maskShape: [2, 1], [3], [2, 3]), "mask [2, 1], x [3], y [2, 3]")
  }

  func testTensorAndGradientChecks() {
    assertMessage(
      scalarCountFailure([2, 3], count: 5), mentions: ["Tensor(shape:scalars:)", "[2, 3]", "6", "5"], "6 needed, 5 given")
    assertMessage(scalarCountFailure([2, -1], count: 0), mentions: ["Tensor(shape:scalars:)", "[2, -1]"], "negative extent")
    XCTAssertNil(scalarCountFailure([], count: 1), "a scalar has one element")
    assertMessage(seedFailure([3], seed: nil), mentions: ["gradients(of:)", "[3]"], "a vector y needs a seed")
    assertMessage(seedFailure([3], seed: [2]), mentions: ["gradients(of:)", "[2]", "[3]"], "seed shape")
    XCTAssertNil(seedFailure([1, 1], seed: nil), "a one-element y needs no seed")
  }
}
