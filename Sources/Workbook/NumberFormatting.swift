// NumberFormatting.swift — how numbers look in checks and plots.
//
// One fixed format per role, so that the same numbers always print the same text on every
// machine: values with six significant digits, differences in scientific notation with one
// decimal, tolerances as short as possible. Negative values use the typographic minus sign "−".

import Foundation

enum NumberFormatting {
  /// A computed or expected value: `%.6g`, e.g. `−4`, `0.333333`, `1.5e-07`, `NaN`, `∞`.
  static func value(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x < 0 ? "−∞" : "∞" }
    return withMinusSign(String(format: "%.6g", x))
  }

  /// Two values that should agree: `%.6g` each, or every digit needed to tell them apart when
  /// they differ but would print the same (so a failed check never shows "computed 3, expected 3").
  static func pair(_ a: Double, _ b: Double) -> (String, String) {
    let (shortA, shortB) = (value(a), value(b))
    guard shortA == shortB && a != b && a.isFinite && b.isFinite else { return (shortA, shortB) }
    return (withMinusSign("\(a)"), withMinusSign("\(b)"))  // Swift's shortest exact form
  }

  /// A difference such as |Δ|: `%.1e`, e.g. `4.4e-16`.
  static func difference(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x < 0 ? "−∞" : "∞" }
    return withMinusSign(String(format: "%.1e", x))
  }

  /// A tolerance: `%g`, e.g. `1e-09`, `0.0025`.
  static func tolerance(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    return withMinusSign(String(format: "%g", x))
  }

  /// An axis label in the ASCII plot: `%.4g`.
  static func axis(_ x: Double) -> String {
    withMinusSign(String(format: "%.4g", x))
  }

  /// Replaces a leading ASCII hyphen (the sign) with "−"; exponents keep their ASCII sign.
  private static func withMinusSign(_ text: String) -> String {
    text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }
}
