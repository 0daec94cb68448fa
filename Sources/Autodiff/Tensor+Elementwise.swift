import Foundation  // exp, log, tanh, erf, pow

/// Elementwise functions: y = f(x) applied to each scalar, with ḡx = ḡ ⊙ f′(x).
///
/// Every derivative f′(x) is itself written with tensor ops on x, so that a gradient computed with
/// `createGraph: true` can be differentiated again. When only a first-order gradient is being
/// computed (recording is off inside the backward pass), ops whose derivative is most cheaply
/// written in terms of their own output reuse the stored output instead of recomputing it.
extension Tensor {
  /// Applies a scalar function to every element (no gradient).
  func mapScalars(_ f: (Double) -> Double) -> [Double] {
    [Double](unsafeUninitializedCapacity: count) { out, initialised in
      scalars.withUnsafeBufferPointer { x in
        for k in 0..<x.count { out[k] = f(x[k]) }
      }
      initialised = count
    }
  }

  // MARK: - exp

  /// y = eˣ. Backward: ḡx = ḡ ⊙ eˣ = ḡ ⊙ y.
  public func exp() -> Tensor {
    let x = self
    let y = mapScalars(Foundation.exp)
    return .record("exp", shape: shape, scalars: y, inputs: [x]) { ḡ in
      [ḡ * outputInBackward(y, shape: x.shape) { x.exp() }]
    }
  }

  // MARK: - log

  /// y = ln x. Backward: ḡx = ḡ / x.
  public func log() -> Tensor {
    let x = self
    return .record("log", shape: shape, scalars: mapScalars(Foundation.log), inputs: [x]) { ḡ in [ḡ / x] }
  }

  // MARK: - tanh

  // snippet: op-tanh
  /// y = tanh x. Backward: ḡx = ḡ ⊙ (1 − y²).
  public func tanh() -> Tensor {
    let x = self
    let y = mapScalars(Foundation.tanh)
    return .record("tanh", shape: shape, scalars: y, inputs: [x]) { ḡ in
      let y = outputInBackward(y, shape: x.shape) { x.tanh() }
      return [ḡ * (1 - y * y)]
    }
  }
  // end snippet

  // MARK: - sigmoid

  /// y = σ(x) = 1 / (1 + e⁻ˣ). Backward: ḡx = ḡ ⊙ y(1 − y).
  public func sigmoid() -> Tensor {
    let x = self
    let y = mapScalars { $0 >= 0 ? 1 / (1 + Foundation.exp(-$0)) : Foundation.exp($0) / (1 + Foundation.exp($0)) }
    return .record("sigmoid", shape: shape, scalars: y, inputs: [x]) { ḡ in
      let y = outputInBackward(y, shape: x.shape) { x.sigmoid() }
      return [ḡ * y * (1 - y)]
    }
  }

  // MARK: - relu

  /// y = max(x, 0). Backward: ḡx = ḡ ⊙ 𝟙[x > 0] (the mask is a constant: relu″ = 0).
  public func relu() -> Tensor {
    let x = self
    return .record("relu", shape: shape, scalars: mapScalars { Swift.max($0, 0) }, inputs: [x]) { ḡ in
      [ḡ * Tensor(shape: x.shape, scalars: x.mapScalars { $0 > 0 ? 1 : 0 })]
    }
  }

  // MARK: - leaky relu

  /// y = x for x > 0, αx otherwise. Backward: ḡx = ḡ ⊙ (𝟙[x > 0] + α𝟙[x ≤ 0]).
  public func leakyRelu(slope α: Double = 0.01) -> Tensor {
    let x = self
    return .record("leakyRelu", shape: shape, scalars: mapScalars { $0 > 0 ? $0 : α * $0 }, inputs: [x]) { ḡ in
      [ḡ * Tensor(shape: x.shape, scalars: x.mapScalars { $0 > 0 ? 1 : α })]
    }
  }

  // MARK: - elu

  /// y = x for x > 0, eˣ − 1 otherwise (QMIX's mixing non-linearity).
  /// Backward: ḡx = ḡ ⊙ (𝟙[x > 0] + eˣ 𝟙[x ≤ 0]).
  public func elu() -> Tensor {
    let x = self
    return .record("elu", shape: shape, scalars: mapScalars { $0 > 0 ? $0 : Foundation.exp($0) - 1 }, inputs: [x]) { ḡ in
      let positive = Tensor(shape: x.shape, scalars: x.mapScalars { $0 > 0 ? 1 : 0 })
      return [ḡ * (positive + (1 - positive) * x.minimum(0).exp())]
    }
  }

  // MARK: - gelu

  /// y = x Φ(x), with Φ the standard normal CDF: Φ(x) = ½(1 + erf(x/√2)).
  /// Backward: ḡx = ḡ ⊙ (Φ(x) + x φ(x)), φ(x) = e^{−x²/2}/√(2π).
  public func gelu() -> Tensor {
    let x = self
    return .record("gelu", shape: shape, scalars: mapScalars { $0 * 0.5 * (1 + erf($0 / 2.0.squareRoot())) }, inputs: [x]) { ḡ in
      [ḡ * (x.standardNormalCDF() + x * x.standardNormalPDF())]
    }
  }

  /// Φ(x) = ½(1 + erf(x/√2)). Backward: ḡx = ḡ ⊙ φ(x).
  func standardNormalCDF() -> Tensor {
    let x = self
    return .record("normalCDF", shape: shape, scalars: mapScalars { 0.5 * (1 + erf($0 / 2.0.squareRoot())) }, inputs: [x]) { ḡ in
      [ḡ * x.standardNormalPDF()]
    }
  }

  /// φ(x) = e^{−x²/2} / √(2π), written with differentiable ops.
  func standardNormalPDF() -> Tensor { (x2Half()).exp() * (1 / (2 * Double.pi).squareRoot()) }
  private func x2Half() -> Tensor { self * self * -0.5 }

  // MARK: - abs

  /// y = |x|. Backward: ḡx = ḡ ⊙ sign(x) (sign(0) = 0).
  public func abs() -> Tensor {
    let x = self
    return .record("abs", shape: shape, scalars: mapScalars { Swift.abs($0) }, inputs: [x]) { ḡ in
      [ḡ * Tensor(shape: x.shape, scalars: x.mapScalars { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })]
    }
  }

  // MARK: - sqrt

  /// y = √x. Backward: ḡx = ḡ / (2√x).
  public func sqrt() -> Tensor {
    let x = self
    let y = mapScalars { $0.squareRoot() }
    return .record("sqrt", shape: shape, scalars: y, inputs: [x]) { ḡ in
      [ḡ / (2 * outputInBackward(y, shape: x.shape) { x.sqrt() })]
    }
  }

  // MARK: - square and pow

  /// y = x². Backward: ḡx = 2ḡ ⊙ x.
  public func squared() -> Tensor { self * self }

  /// y = xᵖ for a constant exponent p. Backward: ḡx = ḡ ⊙ p xᵖ⁻¹ (exactly 0 for p = 0, 1 for p = 1, so
  /// that x⁰ and x¹ have finite derivatives at x = 0, where xᵖ⁻¹ would be ∞ or 0⁰).
  public func pow(_ p: Double) -> Tensor {
    let x = self
    return .record("pow", shape: shape, scalars: mapScalars { Foundation.pow($0, p) }, inputs: [x]) { ḡ in
      switch p {
      case 0: [Tensor.zeros(x.shape)]
      case 1: [ḡ]
      default: [ḡ * (x.pow(p - 1) * p)]
      }
    }
  }

  /// y = xᵖ with a tensor exponent (broadcasting), for x > 0. Backward: ḡx = Σ ḡ p xᵖ⁻¹, ḡp = Σ ḡ xᵖ ln x.
  public func pow(_ p: Tensor) -> Tensor { (p * self.log()).exp() }

  // MARK: - clamp, minimum, maximum

  /// y = min(max(x, low), high): PPO's clip. Backward: ḡx = ḡ ⊙ 𝟙[low ≤ x ≤ high] (zero outside).
  public func clamped(_ low: Double, _ high: Double) -> Tensor {
    ensure(low <= high, "clamped: low \(low) is above high \(high)")
    let x = self
    return .record("clamp", shape: shape, scalars: mapScalars { Swift.min(Swift.max($0, low), high) }, inputs: [x]) { ḡ in
      [ḡ * Tensor(shape: x.shape, scalars: x.mapScalars { $0 >= low && $0 <= high ? 1 : 0 })]
    }
  }

  /// y = min(x, c). Backward: ḡx = ḡ ⊙ 𝟙[x ≤ c].
  public func minimum(_ c: Double) -> Tensor {
    let x = self
    return .record("minScalar", shape: shape, scalars: mapScalars { Swift.min($0, c) }, inputs: [x]) { ḡ in
      [ḡ * Tensor(shape: x.shape, scalars: x.mapScalars { $0 <= c ? 1 : 0 })]
    }
  }

  /// y = max(x, c). Backward: ḡx = ḡ ⊙ 𝟙[x ≥ c].
  public func maximum(_ c: Double) -> Tensor {
    let x = self
    return .record("maxScalar", shape: shape, scalars: mapScalars { Swift.max($0, c) }, inputs: [x]) { ḡ in
      [ḡ * Tensor(shape: x.shape, scalars: x.mapScalars { $0 >= c ? 1 : 0 })]
    }
  }
}

/// z = min(x, y) elementwise (broadcasting). Backward: the gradient goes to the smaller input
/// (to x on ties): ḡx = Σ ḡ ⊙ 𝟙[x ≤ y], ḡy = Σ ḡ ⊙ 𝟙[x > y].
public func minimum(_ x: Tensor, _ y: Tensor) -> Tensor {
  let (shape, values) = Tensor.zipBroadcast(x, y, op: "minimum") { Swift.min($0, $1) }
  let (_, xWins) = Tensor.zipBroadcast(x, y, op: "minimum") { $0 <= $1 ? 1 : 0 }
  return .record("minimum", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
    let mask = Tensor(shape: shape, scalars: xWins)
    return [(ḡ * mask).sum(toShape: x.shape), (ḡ * (1 - mask)).sum(toShape: y.shape)]
  }
}

/// z = max(x, y) elementwise (broadcasting). Backward: the gradient goes to the larger input
/// (to x on ties): ḡx = Σ ḡ ⊙ 𝟙[x ≥ y], ḡy = Σ ḡ ⊙ 𝟙[x < y].
public func maximum(_ x: Tensor, _ y: Tensor) -> Tensor {
  let (shape, values) = Tensor.zipBroadcast(x, y, op: "maximum") { Swift.max($0, $1) }
  let (_, xWins) = Tensor.zipBroadcast(x, y, op: "maximum") { $0 >= $1 ? 1 : 0 }
  return .record("maximum", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
    let mask = Tensor(shape: shape, scalars: xWins)
    return [(ḡ * mask).sum(toShape: x.shape), (ḡ * (1 - mask)).sum(toShape: y.shape)]
  }
}

/// An op's output, for use inside its own backward rule: a differentiable function of the input when a
/// graph is being recorded (`createGraph: true`), or the stored value as a constant when not. Both have
/// the same value; only the first lets a second derivative see how the output depends on the input.
@inline(__always)
func outputInBackward(_ stored: [Double], shape: [Int], recompute: () -> Tensor) -> Tensor {
  GradientMode.isRecording ? recompute() : Tensor(shape: shape, scalars: stored)
}
