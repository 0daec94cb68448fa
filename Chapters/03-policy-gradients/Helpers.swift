// Formatting and small statistics shared by the sections of chapter 3.

import Foundation

func f2(_ x: Double) -> String { String(format: "%.2f", x) }
func f3(_ x: Double) -> String { String(format: "%.3f", x) }
func f4(_ x: Double) -> String { String(format: "%.4f", x) }
func f6(_ x: Double) -> String { String(format: "%.6f", x) }
func sci(_ x: Double) -> String { String(format: "%.1e", x) }
func percent(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }

/// The mean of a non-empty list.
func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

/// The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
func sampleStd(_ xs: [Double]) -> Double {
  guard xs.count > 1 else { return 0 }
  let m = mean(xs)
  return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

/// max_i |a_i − b_i|.
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count, "maxAbsDifference: \(a.count) vs \(b.count) values")
  return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Composite Simpson's rule for ∫ₐᵇ f(x) dx with an even number of intervals.
func simpson(from a: Double, to b: Double, intervals: Int = 4000, _ f: (Double) -> Double) -> Double {
  let h = (b - a) / Double(intervals)
  var sum = f(a) + f(b)
  for k in 1..<intervals { sum += (k % 2 == 1 ? 4 : 2) * f(a + Double(k) * h) }
  return sum * h / 3
}
