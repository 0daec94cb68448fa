/// Broadcasting, as in NumPy: two shapes are aligned at their last axes; each pair of extents must be
/// equal or one of them 1, and a missing leading axis counts as 1. `[3, 1] ⊕ [4]` gives `[3, 4]`.
///
/// Its adjoint is summation: an input that was broadcast receives the sum of the gradients of all the
/// positions it was copied to (``Tensor/sum(toShape:)``).
///
/// A mismatch stops with a message naming `op` and both shapes (see ``broadcastFailure(_:_:op:)``).
public func broadcastShape(_ a: [Int], _ b: [Int], op: String = "broadcast") -> [Int] {
  ensure(valid: broadcastFailure(a, b, op: op))
  let rank = max(a.count, b.count)
  let a1 = Array(repeating: 1, count: rank - a.count) + a
  let b1 = Array(repeating: 1, count: rank - b.count) + b
  return (0..<rank).map { k in a1[k] == 1 ? b1[k] : a1[k] }
}

/// Why shapes `a` and `b` cannot be broadcast together in `op`, or nil when they can.
func broadcastFailure(_ a: [Int], _ b: [Int], op: String) -> String? {
  let rank = max(a.count, b.count)
  let a1 = Array(repeating: 1, count: rank - a.count) + a
  let b1 = Array(repeating: 1, count: rank - b.count) + b
  for k in 0..<rank where a1[k] != b1[k] && a1[k] != 1 && b1[k] != 1 {
    return "\(op): shapes \(a) and \(b) cannot be broadcast together (axis \(k - rank) has \(a1[k]) vs \(b1[k]))"
  }
  return nil
}

/// Why a tensor of shape `from` cannot be broadcast to `to` (``Tensor/broadcast(to:)``), or nil.
func broadcastToFailure(from: [Int], to: [Int]) -> String? {
  // Aligned at the last axes, each extent of `from` must equal that of `to` or be 1.
  let fits = from.count <= to.count && zip(from.reversed(), to.reversed()).allSatisfy { $0 == $1 || $0 == 1 }
  return fits ? nil : "broadcast(to:): shape \(from) cannot be broadcast to \(to)"
}

/// Why a tensor of shape `from` cannot be summed down to `to` (``Tensor/sum(toShape:)``), or nil.
func sumToShapeFailure(from: [Int], to: [Int]) -> String? {
  broadcastToFailure(from: to, to: from) == nil ? nil : "sum(toShape:): shape \(from) is not a broadcast of \(to)"
}

/// For each position of `outShape`, the offset of the scalar that a broadcast tensor of shape `inShape`
/// supplies. Used by elementwise ops when shapes differ.
func broadcastOffsets(from inShape: [Int], to outShape: [Int]) -> [Int] {
  let rank = outShape.count
  let padded = Array(repeating: 1, count: rank - inShape.count) + inShape
  let inStrides = rowMajorStrides(padded).enumerated().map { padded[$0.offset] == 1 ? 0 : $0.element }
  return stridedOffsets(outShape, strides: inStrides)
}

/// A broadcast read row by row, so that no offset is computed per scalar: the output (shape `outShape`)
/// is `rowCount` rows of `rowLength` scalars (its last extent), and entry j of output row r reads the
/// input scalar at `rowOffset(r) + j · step`. The step is 1 when the input has the output's last extent,
/// and 0 when that extent is broadcast from 1 (the row then repeats one scalar).
///
/// A bias [K] added to [N, K] gives N rows that all start at offset 0, with step 1; a column [N, 1]
/// subtracted from [N, K] gives rows starting at 0, 1, …, N−1, with step 0. Those two kinds (the input's
/// leading axes all 1, or all equal to the output's) need no table; any other broadcast looks the row
/// offsets up in a table made by ``broadcastOffsets(from:to:)``.
struct BroadcastRows {
  let rowCount: Int
  let rowLength: Int
  let step: Int
  /// Row r starts at `r · rowStride` in the input, unless `table` gives its start.
  private let rowStride: Int
  private let table: [Int]?

  init(from inShape: [Int], to outShape: [Int]) {
    let padded = Array(repeating: 1, count: outShape.count - inShape.count) + inShape
    let (inLeading, outLeading) = (Array(padded.dropLast()), Array(outShape.dropLast()))
    let inRowLength = padded.last ?? 1
    rowCount = outLeading.reduce(1, *)
    rowLength = outShape.last ?? 1
    step = inRowLength == 1 ? 0 : 1
    if inLeading.allSatisfy({ $0 == 1 }) {
      (rowStride, table) = (0, nil)  // every row reads the same input row
    } else if inLeading == outLeading {
      (rowStride, table) = (inRowLength, nil)  // row r reads input row r
    } else {
      (rowStride, table) = (0, broadcastOffsets(from: inLeading, to: outLeading).map { $0 * inRowLength })
    }
  }

  /// The input offset of the first scalar that output row r reads.
  @inline(__always)
  func rowOffset(_ r: Int) -> Int { table?[r] ?? r * rowStride }
}

extension Tensor {
  /// Copies this tensor along broadcast axes to `shape`.
  ///
  /// yᵢ = x_{b(i)}, where b maps each output index to the input index it was broadcast from.
  /// Backward: ḡx = sum of ḡy over the broadcast axes (``sum(toShape:)``).
  public func broadcast(to shape: [Int]) -> Tensor {
    if self.shape == shape { return self }
    ensure(valid: broadcastToFailure(from: self.shape, to: shape))
    let rows = BroadcastRows(from: self.shape, to: shape)
    let count = shape.reduce(1, *)
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialised in
      guard count > 0 else { return }
      scalars.withUnsafeBufferPointer { x in
        for r in 0..<rows.rowCount {
          // Output row r copies the input row it is broadcast from, or (step 0) repeats one scalar.
          let (source, target) = (x.baseAddress! + rows.rowOffset(r), out.baseAddress! + r * rows.rowLength)
          if rows.step == 1 {
            target.initialize(from: source, count: rows.rowLength)
          } else {
            target.initialize(repeating: source[0], count: rows.rowLength)
          }
        }
      }
      initialised = count
    }
    let inShape = self.shape
    return Tensor.record("broadcast", shape: shape, scalars: values, inputs: [self]) { ḡ in
      [ḡ.sum(toShape: inShape)]
    }
  }

  /// Sums over the axes along which `shape` would be broadcast to this tensor's shape: the adjoint of
  /// ``broadcast(to:)``. `[3, 4].sum(toShape: [4])` sums the rows; `.sum(toShape: [3, 1])` the columns.
  ///
  /// Backward: ḡx = ḡy broadcast back to x's shape.
  public func sum(toShape shape: [Int]) -> Tensor {
    if self.shape == shape { return self }
    ensure(valid: sumToShapeFailure(from: self.shape, to: shape))
    let rows = BroadcastRows(from: shape, to: self.shape)
    var result = [Double](repeating: 0, count: shape.reduce(1, *))
    if count > 0 {
      result.withUnsafeMutableBufferPointer { y in
        scalars.withUnsafeBufferPointer { x in
          for r in 0..<rows.rowCount {
            // Row r of x adds into the row of the result it was broadcast from, or (step 0) into one scalar.
            let (source, target) = (x.baseAddress! + r * rows.rowLength, y.baseAddress! + rows.rowOffset(r))
            if rows.step == 1 {
              for j in 0..<rows.rowLength { target[j] += source[j] }
            } else {
              for j in 0..<rows.rowLength { target[0] += source[j] }
            }
          }
        }
      }
    }
    let inShape = self.shape
    return Tensor.record("sumToShape", shape: shape, scalars: result, inputs: [self]) { ḡ in
      [ḡ.broadcast(to: inShape)]
    }
  }
}
