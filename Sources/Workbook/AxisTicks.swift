// AxisTicks.swift — where the labelled ticks of a plot axis go, and how their labels read.
//
// Both plots (ASCIIPlot.swift in the terminal, SVGPlot.swift for the book) label their axes at
// "nice" values: multiples of a step of 1, 2 or 5 × 10ᵏ, such as 0, 0.2, 0.4 or 0, 500, 1000.
// Every label of an axis has the same number of decimals ("0.0", "0.5", "1.0"), negative labels
// use the typographic minus sign "−", and an axis of whole numbers (iterations, episodes) gets
// whole-number ticks only.

import Foundation

/// The tick values of one axis, at multiples of `step`, and their labels.
struct AxisTicks: Equatable {
  /// The tick values, in increasing order.
  let values: [Double]
  /// The distance between neighbouring ticks: 1, 2 or 5 × 10ᵏ.
  let step: Double

  /// About `count` steps across `low…high`, each 1, 2 or 5 × 10ᵏ (at least 1 when `integers`).
  ///
  /// - Parameters:
  ///   - enclosing: `true` extends the ticks to the multiples of the step at or beyond both ends,
  ///     so the axis can run from the first tick to the last (a y axis: −0.6 … 0.2 for data in
  ///     −0.55 … 0.17); `false` keeps only the multiples inside `low…high`, so the axis ends at the
  ///     data (an x axis of 1500 steps ends at 1499, with its last tick at 1000).
  ///   - integers: the values on this axis are whole numbers, so a tick between them means nothing.
  static func nice(_ low: Double, _ high: Double, count: Double = 5, enclosing: Bool, integers: Bool = false)
    -> AxisTicks
  {
    let raw = (high - low) / count
    let magnitude = pow(10, floor(log10(raw)))
    let normalized = raw / magnitude
    var step = (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude
    if integers { step = max(step, 1) }
    // The multiples of the step to keep; the small slack absorbs rounding in low / step.
    let first = enclosing ? (low / step + 1e-9).rounded(.down) : (low / step - 1e-9).rounded(.up)
    let last = enclosing ? (high / step - 1e-9).rounded(.up) : (high / step + 1e-9).rounded(.down)
    // A range beyond what multiples of the step can express gets just its two ends.
    guard step > 0, first.isFinite, last.isFinite, last >= first, last - first <= 50 else {
      return AxisTicks(values: [low, high], step: high - low)
    }
    return AxisTicks(values: (0...Int(last - first)).map { (first + Double($0)) * step }, step: step)
  }

  /// The label of a tick, with as many decimals as the step needs: "0.25" when the step is 0.05,
  /// "20" when it is 10, "−0.6" below zero. Very large or very small values are written in
  /// scientific notation with one number of decimals for the whole axis ("2.5e+07", "3.0e+07").
  func label(_ value: Double) -> String {
    let value = abs(value) < abs(step) * 1e-6 ? 0 : value  // no "−0.0" from rounding
    let stepExponent = step.isFinite && step > 0 ? Int(floor(log10(step) + 1e-9)) : 0
    let largest = values.map(abs).max() ?? abs(value)
    if (stepExponent >= -5 && largest < 1e7) || !largest.isFinite {
      return fixed(value, max(0, -stepExponent))
    }
    let largestExponent = largest > 0 ? Int(floor(log10(largest))) : 0
    let text = String(format: "%.\(max(0, largestExponent - stepExponent))e", value)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }

  /// Every tick's label, in order.
  var labels: [String] { values.map(label) }
}

extension PlotBounds {
  /// The x ticks of both plots: nice values inside the data's range, so that the x axis ends
  /// where the data ends; whole numbers when every x is one.
  var xTicks: AxisTicks { AxisTicks.nice(xMin, xMax, enclosing: false, integers: xIntegers) }

  /// The y ticks of both plots: nice values from just below the data to just above it; the y axis
  /// runs from the first tick to the last, so both of its ends are labelled.
  var yTicks: AxisTicks { AxisTicks.nice(yMin, yMax, enclosing: true) }
}
