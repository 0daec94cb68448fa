// Formatting and small statistics shared by the sections of chapter 3.

import Foundation
import Workbook

/// Two, three, four and six decimals with a true minus sign (Workbook's `fixed`).
func f2(_ x: Double) -> String { fixed(x, 2) }
func f3(_ x: Double) -> String { fixed(x, 3) }
func f4(_ x: Double) -> String { fixed(x, 4) }
func f6(_ x: Double) -> String { fixed(x, 6) }
func percent(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }

/// The mean of a non-empty list.
func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

/// The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
func sampleStd(_ xs: [Double]) -> Double {
  guard xs.count > 1 else { return 0 }
  let m = mean(xs)
  return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

/// Composite Simpson's rule for ∫ₐᵇ f(x) dx with an even number of intervals.
func simpson(from a: Double, to b: Double, intervals: Int = 4000, _ f: (Double) -> Double) -> Double {
  let h = (b - a) / Double(intervals)
  var sum = f(a) + f(b)
  for k in 1..<intervals { sum += (k % 2 == 1 ? 4 : 2) * f(a + Double(k) * h) }
  return sum * h / 3
}
