// NumberFormatting.swift — how numbers look in checks and plots.
//
// One fixed format per role, so that the same numbers always print the same text on every
// machine: values with six significant digits (three in inequalities), differences in scientific
// notation with one decimal, tolerances as short as possible. Negative values use the typographic
// minus sign "−". Plot axes have their own labels (AxisTicks.swift). Tables and prose use
// `fixed` and `sci`.

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

  /// A side of an inequality: `%.3g`, e.g. `1.56e-09`, `0.69`, `−4`.
  static func short(_ x: Double) -> String {
    x.isFinite ? withMinusSign(String(format: "%.3g", x)) : value(x)
  }

  /// The two sides of a failed inequality: `short` each, or `pair`'s digits when two different
  /// numbers would print alike (so a failure never reads "value 5.19 > bound 5.19"). Rounding
  /// never reverses an order, so differing short forms already show the numbers' relation.
  static func shortPair(_ a: Double, _ b: Double) -> (String, String) {
    let (shortA, shortB) = (short(a), short(b))
    return shortA == shortB && a != b ? pair(a, b) : (shortA, shortB)
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

  /// Replaces a leading ASCII hyphen (the sign) with "−"; exponents keep their ASCII sign.
  private static func withMinusSign(_ text: String) -> String {
    text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }
}

/// `x` with exactly `decimals` decimals (`%.*f`) and the typographic minus sign: `fixed(-0.25, 3)` is
/// "−0.250". A value that rounds to zero prints without a sign ("0.000", never "−0.000", which reads
/// as a sign error).
public func fixed(_ x: Double, _ decimals: Int) -> String {
  let text = String(format: "%.\(decimals)f", x)
  let zero = String(format: "%.\(decimals)f", 0.0)
  if text == "-" + zero { return zero }
  return text.replacingOccurrences(of: "-", with: "−")
}

/// `x` in scientific notation with two significant digits (`%.1e`) and a true minus sign, in the
/// mantissa and the exponent alike: `sci(-3.4e-14)` is "−3.4e−14".
public func sci(_ x: Double) -> String {
  String(format: "%.1e", x).replacingOccurrences(of: "-", with: "−")
}
