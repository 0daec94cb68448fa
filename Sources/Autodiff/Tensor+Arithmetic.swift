/// Elementwise arithmetic with broadcasting: +, −, ×, ÷ and negation, between tensors and with scalars.
///
/// Each backward rule returns ḡ times the local derivative, summed back to the input's shape wherever
/// the input was broadcast.
extension Tensor {
  /// Applies `f` elementwise to two tensors after broadcasting them to a common shape.
  @inline(__always)
  static func zipBroadcast(_ a: Tensor, _ b: Tensor, op: String, _ f: (Double, Double) -> Double) -> (
    shape: [Int], scalars: [Double]
  ) {
    if a.shape == b.shape {
      return (a.shape, zipWithUnsafe(a.scalars, b.scalars, f))
    }
    let shape = broadcastShape(a.shape, b.shape, op: op)
    let count = shape.reduce(1, *)
    if b.count == 1 {
      let s = b.scalars[0]
      return (shape, a.mapScalars { f($0, s) })
    }
    if a.count == 1 {
      let s = a.scalars[0]
      return (shape, b.mapScalars { f(s, $0) })
    }
    if count == 0 { return (shape, []) }
    // Row by row (see BroadcastRows): a bias [K] added to [N, K] runs N plain loops over K scalars.
    let rowsA = BroadcastRows(from: a.shape, to: shape), rowsB = BroadcastRows(from: b.shape, to: shape)
    let rowLength = rowsA.rowLength
    let out = [Double](unsafeUninitializedCapacity: count) { out, initialised in
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          for r in 0..<rowsA.rowCount {
            let (rowA, rowB) = (pa.baseAddress! + rowsA.rowOffset(r), pb.baseAddress! + rowsB.rowOffset(r))
            let row = out.baseAddress! + r * rowLength
            switch (rowsA.step, rowsB.step) {
            case (1, 1): for j in 0..<rowLength { row[j] = f(rowA[j], rowB[j]) }
            case (1, _): for j in 0..<rowLength { row[j] = f(rowA[j], rowB[0]) }
            case (_, 1): for j in 0..<rowLength { row[j] = f(rowA[0], rowB[j]) }
            default: for j in 0..<rowLength { row[j] = f(rowA[0], rowB[0]) }
            }
          }
        }
      }
      initialised = count
    }
    return (shape, out)
  }

  // MARK: - Addition

  /// z = x + y (broadcasting). Backward: ḡx = Σ_broadcast ḡ, ḡy = Σ_broadcast ḡ.
  public static func + (x: Tensor, y: Tensor) -> Tensor {
    let (shape, values) = zipBroadcast(x, y, op: "add", +)
    return record("add", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
      [ḡ.sum(toShape: x.shape), ḡ.sum(toShape: y.shape)]
    }
  }

  // MARK: - Subtraction

  /// z = x − y (broadcasting). Backward: ḡx = Σ ḡ, ḡy = −Σ ḡ.
  public static func - (x: Tensor, y: Tensor) -> Tensor {
    let (shape, values) = zipBroadcast(x, y, op: "sub", -)
    return record("sub", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
      [ḡ.sum(toShape: x.shape), (-ḡ).sum(toShape: y.shape)]
    }
  }

  // MARK: - Multiplication

  // snippet: op-mul
  /// z = x ⊙ y (elementwise, broadcasting). Backward: ḡx = Σ ḡ ⊙ y, ḡy = Σ ḡ ⊙ x.
  public static func * (x: Tensor, y: Tensor) -> Tensor {
    let (shape, values) = zipBroadcast(x, y, op: "mul", *)
    return record("mul", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
      [(ḡ * y).sum(toShape: x.shape), (ḡ * x).sum(toShape: y.shape)]
    }
  }
  // end snippet

  // MARK: - Division

  /// z = x / y (elementwise, broadcasting). Backward: ḡx = Σ ḡ / y, ḡy = −Σ ḡ ⊙ x / y².
  public static func / (x: Tensor, y: Tensor) -> Tensor {
    let (shape, values) = zipBroadcast(x, y, op: "div", /)
    return record("div", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
      [(ḡ / y).sum(toShape: x.shape), (-(ḡ * x) / (y * y)).sum(toShape: y.shape)]
    }
  }

  // MARK: - Negation

  /// z = −x. Backward: ḡx = −ḡ.
  public static prefix func - (x: Tensor) -> Tensor {
    record("neg", shape: x.shape, scalars: x.mapScalars { -$0 }, inputs: [x]) { ḡ in [-ḡ] }
  }

  // MARK: - With a scalar

  /// z = x + c. Backward: ḡx = ḡ.
  public static func + (x: Tensor, c: Double) -> Tensor {
    record("addScalar", shape: x.shape, scalars: x.mapScalars { $0 + c }, inputs: [x]) { ḡ in [ḡ] }
  }
  /// z = c + x.
  public static func + (c: Double, x: Tensor) -> Tensor { x + c }
  /// z = x − c.
  public static func - (x: Tensor, c: Double) -> Tensor { x + (-c) }
  /// z = c − x.
  public static func - (c: Double, x: Tensor) -> Tensor { (-x) + c }

  /// z = c·x. Backward: ḡx = c·ḡ.
  public static func * (x: Tensor, c: Double) -> Tensor {
    record("mulScalar", shape: x.shape, scalars: x.mapScalars { $0 * c }, inputs: [x]) { ḡ in [ḡ * c] }
  }
  /// z = c·x.
  public static func * (c: Double, x: Tensor) -> Tensor { x * c }
  /// z = x / c.
  public static func / (x: Tensor, c: Double) -> Tensor { x * (1 / c) }
  /// z = c / x. Backward: ḡx = −c·ḡ / x².
  public static func / (c: Double, x: Tensor) -> Tensor { Tensor(repeating: c, shape: x.shape) / x }

  // MARK: - Compound assignment

  public static func += (x: inout Tensor, y: Tensor) { x = x + y }
  public static func -= (x: inout Tensor, y: Tensor) { x = x - y }
  public static func *= (x: inout Tensor, y: Tensor) { x = x * y }
}

/// `f` applied to two equally long arrays, without bounds checks.
@inline(__always)
func zipWithUnsafe(_ a: [Double], _ b: [Double], _ f: (Double, Double) -> Double) -> [Double] {
  [Double](unsafeUninitializedCapacity: a.count) { out, initialised in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        for k in 0..<pa.count { out[k] = f(pa[k], pb[k]) }
      }
    }
    initialised = a.count
  }
}
