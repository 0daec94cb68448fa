import Foundation  // log, cos, sqrt on every platform

/// The workbook's one source of randomness: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same stream on every machine and every Swift version, because every
/// number is computed here from 64-bit integer arithmetic (the system generator is never used).
///
///     var rng = RandomGenerator(seed: 42)
///     rng.uniform()            // a Double in [0, 1)
///     rng.normal()             // N(0, 1)
///     rng.categorical([0.2, 0.8])   // 0 or 1
///
/// Source: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2018): xoshiro256**
/// and SplitMix64. It also conforms to `RandomNumberGenerator`, so `array.shuffled(using: &rng)` works.
public struct RandomGenerator: RandomNumberGenerator {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  /// A generator whose whole stream is fixed by `seed`.
  public init(seed: UInt64) {
    // SplitMix64 spreads the seed over the 256-bit state (never all zero).
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, by: 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, by: 45)
    return result
  }

  private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  // MARK: - Samplers

  /// U ~ Uniform[0, 1), from the top 53 bits: U = ⌊bits / 2¹¹⌋ · 2⁻⁵³.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// U ~ Uniform[low, high).
  public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

  /// An integer uniformly in 0..<n (Lemire's nearly-divisionless method, exact).
  ///
  /// The 128-bit product r·n of a random r with n has its high word in 0..<n; the low word tells when r
  /// fell in one of the 2⁶⁴ mod n values that would make some results more likely, and those r are
  /// drawn again. Written out here rather than left to the standard library's `next(upperBound:)`, so
  /// that the stream cannot change with the Swift version. Source: Lemire, "Fast random integer
  /// generation in an interval" (2019), Algorithm 5.
  public mutating func integer(below n: Int) -> Int {
    ensure(n > 0, "RandomGenerator.integer(below:): n must be positive, got \(n)")
    let bound = UInt64(n)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound  // 2⁶⁴ mod n
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
  }

  /// Z ~ N(mean, std²) by the Box–Muller transform: Z = √(−2 ln U₁) · cos(2π U₂).
  public mutating func normal(mean: Double = 0, std: Double = 1) -> Double {
    let u1 = 1 - uniform()  // in (0, 1], so the log is finite
    let u2 = uniform()
    return mean + std * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// An index k drawn with probability pₖ / Σⱼ pⱼ (inverse CDF). The weights need not be normalised.
  public mutating func categorical(_ p: [Double]) -> Int {
    ensure(
      !p.isEmpty && p.allSatisfy { $0 >= 0 }, "RandomGenerator.categorical: weights must be non-negative and non-empty, got \(p)")
    let total = p.reduce(0, +)
    ensure(total > 0, "RandomGenerator.categorical: weights sum to zero")
    let u = uniform() * total
    var cumulative = 0.0
    for (k, pk) in p.enumerated() {
      cumulative += pk
      if u < cumulative { return k }
    }
    return p.lastIndex(where: { $0 > 0 })!  // u landed on the rounding gap at the top
  }

  /// G ~ Gumbel(0, 1): G = −ln(−ln U). argmaxₖ (log pₖ + Gₖ) is a sample of Categorical(p) (the Gumbel-max trick).
  public mutating func gumbel() -> Double {
    let u = max(uniform(), 0x1.0p-53)  // in (0, 1), so both logs are finite
    return -log(-log(u))
  }

  /// A tensor of independent N(mean, std²) samples.
  public mutating func normal(_ shape: [Int], mean: Double = 0, std: Double = 1) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in normal(mean: mean, std: std) })
  }

  /// A tensor of independent Uniform[low, high) samples.
  public mutating func uniform(_ shape: [Int], _ low: Double = 0, _ high: Double = 1) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in uniform(low, high) })
  }

  /// A tensor of independent Gumbel(0, 1) samples.
  public mutating func gumbel(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in gumbel() })
  }

  /// An independent generator derived from this one (for giving each seed or worker its own stream).
  public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }
}
