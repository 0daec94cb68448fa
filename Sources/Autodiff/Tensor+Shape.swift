/// Shape operations: reshape, transpose and permute, concatenate and stack, slice and pad.
/// None changes a value, only where it sits, so each backward rule moves ḡ back to where it came from.
extension Tensor {
  // MARK: - reshape

  /// The same scalars in a new shape (same count). One extent may be −1, inferred.
  /// Backward: ḡx = ḡ reshaped to x's shape.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    ensure(valid: reshapeFailure(shape, to: newShape))
    var newShape = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      newShape[inferred] = count / newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
    }
    if newShape == shape { return self }
    let x = self
    return .record("reshape", shape: newShape, scalars: scalars, inputs: [x]) { ḡ in [ḡ.reshaped(x.shape)] }
  }

  // MARK: - permute and transpose

  /// Reorders the axes: result axis k is input axis `order[k]`. Backward: ḡx = ḡ permuted by the inverse order.
  public func permuted(_ order: [Int]) -> Tensor {
    ensure(order.sorted() == Array(0..<rank), "permuted: \(order) is not a permutation of the axes of shape \(shape)")
    if order == Array(0..<rank) { return self }
    let outShape = order.map { shape[$0] }
    let out = [Double](unsafeUninitializedCapacity: count) { y, initialised in
      guard count > 0 else { return }
      scalars.withUnsafeBufferPointer { x in
        if order.dropLast(2).elementsEqual(0..<(rank - 2)) {
          // The matrix transpose (only the last two axes swap), the common case: yⱼᵢ = xᵢⱼ for each
          // matrix, y written in order while x is read down its columns.
          let (rows, columns) = (shape[rank - 2], shape[rank - 1])
          var target = y.baseAddress!
          for start in stride(from: 0, to: count, by: rows * columns) {
            for j in 0..<columns {
              var source = x.baseAddress! + start + j  // xᵢⱼ for i = 0, 1, …, `columns` apart
              for _ in 0..<rows {
                target.pointee = source.pointee
                target += 1
                source += columns
              }
            }
          }
        } else {
          let inStrides = rowMajorStrides(shape)
          let offsets = stridedOffsets(outShape, strides: order.map { inStrides[$0] })
          for position in 0..<count { y[position] = x[offsets[position]] }
        }
      }
      initialised = count
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (k, axis) in order.enumerated() { inverse[axis] = k }
    let x = self
    return .record("permute", shape: outShape, scalars: out, inputs: [x]) { ḡ in [ḡ.permuted(inverse)] }
  }

  /// Swaps the last two axes (the matrix transpose, batched over leading axes).
  public func transposed() -> Tensor {
    ensure(rank >= 2, "transposed: needs rank ≥ 2, shape is \(shape)")
    var order = Array(0..<rank)
    order.swapAt(rank - 1, rank - 2)
    return permuted(order)
  }

  // MARK: - slice and pad

  /// The elements with index in `range` along `axis`. Backward: ḡx = ḡ padded with zeros back to x's shape.
  public func slice(_ range: Range<Int>, alongAxis axis: Int = 0) -> Tensor {
    let axis = normalisedAxes([axis], op: "slice")[0]
    ensure(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "slice: range \(range) out of bounds for axis \(axis) of shape \(shape)")
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    var out: [Double] = []
    out.reserveCapacity(outer * range.count * inner)
    for o in 0..<outer {
      out.append(
        contentsOf: scalars[((o * shape[axis] + range.lowerBound) * inner)..<((o * shape[axis] + range.upperBound) * inner)])
    }
    var outShape = shape
    outShape[axis] = range.count
    let x = self
    return .record("slice", shape: outShape, scalars: out, inputs: [x]) { ḡ in
      [ḡ.padded(before: range.lowerBound, after: x.shape[axis] - range.upperBound, alongAxis: axis)]
    }
  }

  /// Zeros added before and after along `axis` (the adjoint of ``slice(_:alongAxis:)``).
  /// Backward: ḡx = ḡ sliced back.
  public func padded(before: Int, after: Int, alongAxis axis: Int) -> Tensor {
    let axis = normalisedAxes([axis], op: "padded")[0]
    ensure(before >= 0 && after >= 0, "padded: negative padding \(before), \(after)")
    let zerosBefore = Tensor.zeros(shape.enumerated().map { $0.offset == axis ? before : $0.element })
    let zerosAfter = Tensor.zeros(shape.enumerated().map { $0.offset == axis ? after : $0.element })
    return Tensor(concatenating: [zerosBefore, self, zerosAfter], alongAxis: axis)
  }

  // MARK: - concatenate and stack

  /// Joins tensors along an existing axis; all other extents must agree.
  /// Backward: each input gets its own slice of ḡ.
  public init(concatenating parts: [Tensor], alongAxis axis: Int = 0) {
    ensure(valid: concatenationFailure(parts.map(\.shape), alongAxis: axis))
    let first = parts[0]
    let axis = first.normalisedAxes([axis], op: "concatenating")[0]
    let outer = first.shape[..<axis].reduce(1, *)
    let inner = first.shape[(axis + 1)...].reduce(1, *)
    var out: [Double] = []
    out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for o in 0..<outer {
      for part in parts {
        let width = part.shape[axis] * inner
        out.append(contentsOf: part.scalars[(o * width)..<((o + 1) * width)])
      }
    }
    var outShape = first.shape
    outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
    let starts = parts.reduce(into: [0]) { $0.append($0.last! + $1.shape[axis]) }
    self = .record("concat", shape: outShape, scalars: out, inputs: parts) { ḡ in
      parts.indices.map { k in ḡ.slice(starts[k]..<starts[k + 1], alongAxis: axis) }
    }
  }

  /// Stacks equally shaped tensors along a new axis. Backward: each input gets its slice of ḡ.
  public init(stacking parts: [Tensor], alongAxis axis: Int = 0) {
    ensure(valid: stackingFailure(parts.map(\.shape), alongAxis: axis))
    let shape = parts[0].shape
    var expanded = shape
    expanded.insert(1, at: axis)
    self.init(concatenating: parts.map { $0.reshaped(expanded) }, alongAxis: axis)
  }

  /// The sub-tensor at `index` of the first axis (rank drops by one).
  public subscript(row index: Int) -> Tensor {
    slice(index..<(index + 1), alongAxis: 0).reshaped(Array(shape.dropFirst()))
  }
}

// MARK: - Shape validation

/// Why a tensor of shape `shape` cannot be reshaped to `newShape` (where one extent may be −1), or nil.
func reshapeFailure(_ shape: [Int], to newShape: [Int]) -> String? {
  let count = shape.reduce(1, *)
  let inferred = newShape.filter { $0 == -1 }.count
  guard inferred <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
    return "reshaped: \(newShape) is not a shape (extents ≥ 0, at most one −1), for shape \(shape)"
  }
  let known = newShape.filter { $0 != -1 }.reduce(1, *)
  if inferred == 1 {
    return known > 0 && count % known == 0 ? nil : "reshaped: cannot infer -1 in \(newShape) from shape \(shape)"
  }
  return known == count ? nil : "reshaped: shape \(shape) (\(count) scalars) cannot become \(newShape)"
}

/// Why tensors of these shapes cannot be concatenated along `axis`, or nil.
func concatenationFailure(_ shapes: [[Int]], alongAxis axis: Int) -> String? {
  guard let first = shapes.first else { return "concatenating: no tensors given" }
  guard axis >= -first.count && axis < first.count else {
    return "concatenating: axis \(axis) out of range for shape \(first)"
  }
  let axis = axis < 0 ? axis + first.count : axis
  for shape in shapes
  where shape.count != first.count
    || !(0..<first.count).allSatisfy({ $0 == axis || shape[$0] == first[$0] })
  {
    return "concatenating along axis \(axis): shapes \(first) and \(shape) do not match"
  }
  return nil
}

/// Why tensors of these shapes cannot be stacked along a new axis `axis` (0…rank), or nil.
func stackingFailure(_ shapes: [[Int]], alongAxis axis: Int) -> String? {
  guard let first = shapes.first else { return "stacking: no tensors given" }
  if let other = shapes.first(where: { $0 != first }) {
    return "stacking: shapes \(first) and \(other) differ"
  }
  return axis >= 0 && axis <= first.count ? nil : "stacking: axis \(axis) out of range for rank \(first.count)"
}
