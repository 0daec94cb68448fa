import Foundation
import XCTest

@testable import Autodiff

/// The seeded generator: reproducibility (pinned outputs), and the distributions of its samplers checked
/// by moments within ~5 standard errors and by chi-square tests at significance 0.001.
final class RandomGeneratorTests: XCTestCase {
  // MARK: - Reproducibility

  func testPinnedOutputsOfSeedsZeroAndFortyTwo() {
    // Derived once from an independent Python transcription of the reference C code (SplitMix64 seeding,
    // then xoshiro256**), which also reproduces SplitMix64's published first output for seed 0,
    // 0xE220A8397B1DCDAF. uniform() = (bits >> 11) · 2⁻⁵³.
    let pinned: [(seed: UInt64, bits: [UInt64], uniforms: [Double])] = [
      (
        0, [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C],
        [0.6012629994179048, 0.7477740925472398, 0.10301998939503632]
      ),
      (
        42, [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1],
        [0.08386297105988216, 0.3789802506626686, 0.6800434110281394]
      ),
    ]
    for (seed, bits, uniforms) in pinned {
      var rng = RandomGenerator(seed: seed)
      let drawn = (0..<4).map { _ in rng.next() }
      XCTAssertEqual(
        drawn, bits,
        "seed \(seed): expected first outputs \(bits.map { String($0, radix: 16) }), got \(drawn.map { String($0, radix: 16) })")
      var again = RandomGenerator(seed: seed)
      let u = (0..<3).map { _ in again.uniform() }
      XCTAssertEqual(u, uniforms, "seed \(seed): expected first uniforms \(uniforms), got \(u)")
    }
  }

  func testPinnedIntegersBelow() {
    // Lemire's method on the same transcription: the high word of r·n, r drawn again when the low word
    // is below 2⁶⁴ mod n.
    let pinned: [(seed: UInt64, n: Int, values: [Int])] = [
      (0, 10, [6, 7, 1, 4, 7, 9, 4, 5, 8, 9, 1, 0]), (42, 10, [0, 3, 6, 9, 9, 7, 7, 8, 7, 5, 6, 2]),
      (0, 1_000_003, [601264, 747776, 103020, 416590]), (42, 1_000_003, [83863, 378981, 680045, 924695]),
    ]
    for (seed, n, values) in pinned {
      var rng = RandomGenerator(seed: seed)
      let drawn = values.indices.map { _ in rng.integer(below: n) }
      XCTAssertEqual(drawn, values, "seed \(seed), integer(below: \(n)): expected \(values), got \(drawn)")
    }
  }

  func testSameSeedSameStreamOverTenThousandDraws() {
    var a = RandomGenerator(seed: 2024), b = RandomGenerator(seed: 2024)
    for i in 0..<10_000 {
      let (x, y) = (a.next(), b.next())
      if x != y {
        XCTFail("two generators with seed 2024 disagree at draw \(i): \(x) vs \(y)")
        return
      }
    }
    // The samplers too (each consumes the stream the same way).
    var c = RandomGenerator(seed: 7), d = RandomGenerator(seed: 7)
    XCTAssertEqual(c.normal([50]).scalars, d.normal([50]).scalars, "normal tensors from equal seeds")
    XCTAssertEqual((0..<50).map { _ in c.gumbel() }, (0..<50).map { _ in d.gumbel() }, "gumbel draws from equal seeds")
    XCTAssertEqual(
      (0..<50).map { _ in c.categorical([1, 2, 3]) }, (0..<50).map { _ in d.categorical([1, 2, 3]) }, "categorical draws")
    XCTAssertEqual(Array(0..<20).shuffled(using: &c), Array(0..<20).shuffled(using: &d), "shuffles from equal seeds")
  }

  func testDifferentSeedsGiveDifferentStreams() {
    // The first 8 outputs of seeds 0…99: no two streams share any output.
    var seen = Set<UInt64>()
    for seed in UInt64(0)..<100 {
      var rng = RandomGenerator(seed: seed)
      for _ in 0..<8 { seen.insert(rng.next()) }
    }
    XCTAssertEqual(seen.count, 800, "800 outputs of 100 seeds: expected all distinct, got \(seen.count) distinct")
    // split() gives a stream unlike its parent's, and deterministically.
    var parent = RandomGenerator(seed: 5), twin = RandomGenerator(seed: 5)
    var child = parent.split(), twinChild = twin.split()
    let childDraws = (0..<4).map { _ in child.next() }
    XCTAssertEqual(childDraws, (0..<4).map { _ in twinChild.next() }, "split() is deterministic")
    XCTAssertNotEqual(childDraws, (0..<4).map { _ in parent.next() }, "split() differs from the parent's continuation")
  }

  // MARK: - Moments

  /// Sample mean, variance, skewness and excess kurtosis.
  private func moments(_ xs: [Double]) -> (mean: Double, variance: Double, skewness: Double, kurtosis: Double) {
    let n = Double(xs.count)
    let mean = xs.reduce(0, +) / n
    var (m2, m3, m4) = (0.0, 0.0, 0.0)
    for x in xs {
      let d = x - mean
      let d2 = d * d
      m2 += d2
      m3 += d2 * d
      m4 += d2 * d2
    }
    (m2, m3, m4) = (m2 / n, m3 / n, m4 / n)
    return (mean, m2, m3 / Foundation.pow(m2, 1.5), m4 / (m2 * m2) - 3)
  }

  func testUniformIsInTheUnitIntervalWithTheRightMoments() {
    // U ~ Uniform[0, 1): mean ½, variance 1/12. Standard errors on n draws: √(1/12n) for the mean, and
    // √((μ₄ − σ⁴)/n) = √((1/80 − 1/144)/n) for the variance.
    let n = 200_000
    var rng = RandomGenerator(seed: 11)
    let u = rng.uniform([n]).scalars
    XCTAssertTrue(
      u.allSatisfy { $0 >= 0 && $0 < 1 }, "uniform(): expected every draw in [0, 1), got min \(u.min()!) max \(u.max()!)")
    let m = moments(u)
    assertScalar(m.mean, equals: 0.5, tolerance: 5 * (1.0 / 12 / Double(n)).squareRoot(), "uniform mean (5 standard errors)")
    assertScalar(
      m.variance, equals: 1.0 / 12, tolerance: 5 * ((1.0 / 80 - 1.0 / 144) / Double(n)).squareRoot(),
      "uniform variance (5 standard errors)")
    var ranged = RandomGenerator(seed: 12)
    let r = (0..<1000).map { _ in ranged.uniform(-3, 5) }
    XCTAssertTrue(
      r.allSatisfy { $0 >= -3 && $0 < 5 }, "uniform(−3, 5): expected draws in [−3, 5), got min \(r.min()!) max \(r.max()!)")
  }

  func testNormalMoments() {
    // Z ~ N(0, 1) on n = 200,000 draws. Standard errors: mean 1/√n, variance √(2/n), skewness √(6/n),
    // excess kurtosis √(24/n). Each must be within 5 of them of 0, 1, 0, 0.
    let n = 200_000
    var rng = RandomGenerator(seed: 13)
    let z = rng.normal([n]).scalars
    let m = moments(z)
    let root = Double(n).squareRoot()
    assertScalar(m.mean, equals: 0, tolerance: 5 / root, "normal mean")
    assertScalar(m.variance, equals: 1, tolerance: 5 * 2.0.squareRoot() / root, "normal variance")
    assertScalar(m.skewness, equals: 0, tolerance: 5 * 6.0.squareRoot() / root, "normal skewness")
    assertScalar(m.kurtosis, equals: 0, tolerance: 5 * 24.0.squareRoot() / root, "normal excess kurtosis")
    // Location and scale: N(3, 0.5²).
    var shifted = RandomGenerator(seed: 14)
    let s = moments((0..<20_000).map { _ in shifted.normal(mean: 3, std: 0.5) })
    assertScalar(s.mean, equals: 3, tolerance: 5 * 0.5 / 20_000.0.squareRoot(), "N(3, 0.25) mean")
    assertScalar(s.variance, equals: 0.25, tolerance: 5 * 0.25 * 2.0.squareRoot() / 20_000.0.squareRoot(), "N(3, 0.25) variance")
  }

  func testGumbelMeanIsEulerMascheroni() {
    // G ~ Gumbel(0, 1): E G = γ = 0.5772156649015329, Var G = π²/6; standard error of the mean √(π²/6n).
    let n = 200_000
    var rng = RandomGenerator(seed: 15)
    let g = rng.gumbel([n]).scalars
    XCTAssertTrue(g.allSatisfy(\.isFinite), "gumbel(): expected finite draws")
    let m = moments(g)
    assertScalar(
      m.mean, equals: 0.5772156649015329, tolerance: 5 * (Double.pi * Double.pi / 6 / Double(n)).squareRoot(), "Gumbel mean ≈ γ")
    // Var of the sample variance is (μ₄ − σ⁴)/n with μ₄ = (27/5)σ⁴ for the Gumbel (excess kurtosis 12/5).
    let σ2 = Double.pi * Double.pi / 6
    assertScalar(
      m.variance, equals: σ2, tolerance: 5 * σ2 * (27.0 / 5 - 1).squareRoot() / Double(n).squareRoot(), "Gumbel variance ≈ π²/6")
  }

  // MARK: - Chi-square tests

  /// The chi-square critical value at significance 0.001 for an even number of degrees of freedom,
  /// derived by bisection on the closed-form tail P(χ²ₖ > x) = e^{−x/2} Σ_{i<k/2} (x/2)ⁱ / i!.
  private func chiSquareCritical(degreesOfFreedom k: Int, significance: Double = 0.001) -> Double {
    precondition(k % 2 == 0, "closed form needs even degrees of freedom")
    func tail(_ x: Double) -> Double {
      var term = 1.0, sum = 0.0
      for i in 0..<(k / 2) {
        if i > 0 { term *= (x / 2) / Double(i) }
        sum += term
      }
      return Foundation.exp(-x / 2) * sum
    }
    var (low, high) = (0.0, 500.0)
    for _ in 0..<100 {
      let mid = (low + high) / 2
      if tail(mid) > significance { low = mid } else { high = mid }
    }
    return low
  }

  /// Pearson's statistic Σ (observed − expected)² / expected for counts against probabilities p.
  private func chiSquare(_ counts: [Int], _ p: [Double]) -> Double {
    let n = Double(counts.reduce(0, +))
    return zip(counts, p).reduce(0) { $0 + Foundation.pow(Double($1.0) - n * $1.1, 2) / (n * $1.1) }
  }

  func testChiSquareCriticalValuesMatchTables() {
    // Published values of the 0.999 quantile: 18.467 (4 df), 22.458 (6 df), 29.588 (10 df).
    assertScalar(chiSquareCritical(degreesOfFreedom: 4), equals: 18.467, tolerance: 5e-4, "χ²₀.₉₉₉(4)")
    assertScalar(chiSquareCritical(degreesOfFreedom: 6), equals: 22.458, tolerance: 5e-4, "χ²₀.₉₉₉(6)")
    assertScalar(chiSquareCritical(degreesOfFreedom: 10), equals: 29.588, tolerance: 5e-4, "χ²₀.₉₉₉(10)")
  }

  func testCategoricalMatchesItsProbabilities() {
    // Eight unnormalised weights, one of them zero (never drawn): 7 categories drawn, 6 degrees of freedom.
    let weights = [1, 3, 0, 2, 4, 0.5, 1.5, 0.7]
    let total = weights.reduce(0, +)
    var rng = RandomGenerator(seed: 16)
    var counts = [Int](repeating: 0, count: weights.count)
    for _ in 0..<100_000 { counts[rng.categorical(weights)] += 1 }
    XCTAssertEqual(counts[2], 0, "categorical: a zero weight must never be drawn, got \(counts[2]) draws")
    let nonzero = weights.indices.filter { weights[$0] > 0 }
    let statistic = chiSquare(nonzero.map { counts[$0] }, nonzero.map { weights[$0] / total })
    let critical = chiSquareCritical(degreesOfFreedom: nonzero.count - 1)
    XCTAssertLessThan(
      statistic, critical, "categorical chi-square: expected below \(critical) (6 df, 0.001), got \(statistic); counts \(counts)")
    // A single non-zero weight always wins.
    XCTAssertEqual((0..<20).map { _ in rng.categorical([0, 0, 5]) }, Array(repeating: 2, count: 20), "categorical([0, 0, 5])")
  }

  func testGumbelMaxSamplesTheCategorical() {
    // argmaxₖ (log pₖ + Gₖ) ~ Categorical(p): 5 categories, 4 degrees of freedom.
    let p = [0.1, 0.25, 0.05, 0.4, 0.2]
    let logP = p.map { Foundation.log($0) }
    var rng = RandomGenerator(seed: 17)
    var counts = [Int](repeating: 0, count: p.count)
    for _ in 0..<50_000 {
      var best = 0, bestValue = -Double.infinity
      for k in 0..<p.count {
        let value = logP[k] + rng.gumbel()
        if value > bestValue { (best, bestValue) = (k, value) }
      }
      counts[best] += 1
    }
    let statistic = chiSquare(counts, p)
    let critical = chiSquareCritical(degreesOfFreedom: 4)
    XCTAssertLessThan(
      statistic, critical, "Gumbel-max chi-square: expected below \(critical) (4 df, 0.001), got \(statistic); counts \(counts)")
  }

  func testIntegerBelowIsUniform() {
    // integer(below: 11): 11 values, 10 degrees of freedom.
    var rng = RandomGenerator(seed: 18)
    var counts = [Int](repeating: 0, count: 11)
    for _ in 0..<110_000 {
      let k = rng.integer(below: 11)
      guard (0..<11).contains(k) else {
        XCTFail("integer(below: 11): expected 0…10, got \(k)")
        return
      }
      counts[k] += 1
    }
    let statistic = chiSquare(counts, Array(repeating: 1.0 / 11, count: 11))
    let critical = chiSquareCritical(degreesOfFreedom: 10)
    XCTAssertLessThan(
      statistic, critical,
      "integer(below:) chi-square: expected below \(critical) (10 df, 0.001), got \(statistic); counts \(counts)")
    XCTAssertEqual((0..<10).map { _ in rng.integer(below: 1) }, Array(repeating: 0, count: 10), "integer(below: 1) is always 0")
  }
}
