// Check.swift — a numerical claim, both of its sides, and whether it holds.
//
// A check compares what the chapter computed with what the derivation says it should be, and
// shows the evidence: both values, their difference, and the tolerance (an inequality reads as
// itself: "value 1.56e-09 ≤ bound 1e-07"). It passes only if the difference is a number no larger
// than the tolerance, so a NaN on either side always fails.
// `Page` gives each check its label (1.2a, 1.2b, …) and prints it.

/// The outcome of one check: its claim, whether it passed, and the evidence to print.
struct Check {
  /// What is being claimed, e.g. "value of always-listen, h = 2".
  let claim: String
  /// Whether the claim held within the tolerance.
  let passed: Bool
  /// Short pieces of evidence, e.g. ["computed −4", "expected −4", "|Δ| 0.0e+00 ≤ 1e-09"].
  let evidence: [String]

  // MARK: - Kinds of checks

  /// `|computed − expected| ≤ tolerance`.
  static func scalar(_ claim: String, computed: Double, expected: Double, tolerance: Double) -> Check {
    let (computedText, expectedText) = NumberFormatting.pair(computed, expected)
    let values = ["computed \(computedText)", "expected \(expectedText)"]
    if let problem = invalid(tolerance) { return Check(claim: claim, passed: false, evidence: values + [problem]) }
    let delta = computed == expected ? 0 : abs(computed - expected)  // equal infinities agree
    let passed = delta <= tolerance  // false for NaN
    return Check(claim: claim, passed: passed, evidence: values + [comparison("|Δ|", delta, tolerance, passed)])
  }

  /// `max_i |computed[i] − expected[i]| ≤ tolerance`; the arrays must have the same, non-zero length.
  static func arrays(_ claim: String, computed: [Double], expected: [Double], tolerance: Double) -> Check {
    guard computed.count == expected.count else {
      let message = "length mismatch: computed has \(computed.count) values, expected has \(expected.count)"
      return Check(claim: claim, passed: false, evidence: [message])
    }
    guard !computed.isEmpty else { return Check(claim: claim, passed: false, evidence: ["no values to compare"]) }
    if let problem = invalid(tolerance) { return Check(claim: claim, passed: false, evidence: [problem]) }

    // The worst index; a NaN difference counts as the worst of all.
    var worst = 0
    var maxDelta = 0.0
    for i in computed.indices {
      let delta = computed[i] == expected[i] ? 0 : abs(computed[i] - expected[i])
      if delta.isNaN || delta > maxDelta {
        worst = i
        maxDelta = delta
        if delta.isNaN { break }
      }
    }
    let passed = maxDelta <= tolerance
    var evidence = ["\(computed.count) values", comparison("max|Δ|", maxDelta, tolerance, passed)]
    if !passed {
      let (computedText, expectedText) = NumberFormatting.pair(computed[worst], expected[worst])
      evidence.append("at [\(worst)]: computed \(computedText), expected \(expectedText)")
    }
    return Check(claim: claim, passed: passed, evidence: evidence)
  }

  /// `value ≤ bound + tolerance`, shown as "value 1.56e-09 ≤ bound 1e-07" (or "> bound" when it fails).
  static func atMost(_ claim: String, value: Double, bound: Double, tolerance: Double) -> Check {
    inequality(claim, value: value, bound: bound, tolerance: tolerance, upper: true)
  }

  /// `value ≥ bound − tolerance`, shown as "value 0.7 ≥ bound 0.69" (or "< bound" when it fails).
  static func atLeast(_ claim: String, value: Double, bound: Double, tolerance: Double) -> Check {
    inequality(claim, value: value, bound: bound, tolerance: tolerance, upper: false)
  }

  /// An upper bound (`value ≤ bound + tolerance`) or a lower one (`value ≥ bound − tolerance`), with
  /// one piece of evidence that reads as the inequality: "value 5.19 ≤ bound 5.19 + 1e-06". Both
  /// sides have three significant digits (more only when a failure needs them to differ); the
  /// tolerance is shown only when it is not zero; a NaN, neither smaller nor larger than anything,
  /// fails with "≰" or "≱".
  private static func inequality(_ claim: String, value: Double, bound: Double, tolerance: Double, upper: Bool) -> Check {
    let passed = (upper ? value - bound : bound - value) <= tolerance  // false for NaN
    let (valueText, boundText) =
      passed ? (NumberFormatting.short(value), NumberFormatting.short(bound)) : NumberFormatting.shortPair(value, bound)
    if let problem = invalid(tolerance) {
      return Check(claim: claim, passed: false, evidence: ["value \(valueText)", "bound \(boundText)", problem])
    }
    let relation =
      passed ? (upper ? "≤" : "≥") : value.isNaN || bound.isNaN ? (upper ? "≰" : "≱") : (upper ? ">" : "<")
    let slack = tolerance == 0 ? "" : (upper ? " + " : " − ") + NumberFormatting.tolerance(tolerance)
    return Check(claim: claim, passed: passed, evidence: ["value \(valueText) \(relation) bound \(boundText)\(slack)"])
  }

  /// A property that holds or not, with the computed evidence in words.
  static func property(_ claim: String, holds: Bool, detail: String) -> Check {
    let evidence = detail.isEmpty ? [holds ? "holds" : "does not hold"] : [detail]
    return Check(claim: claim, passed: holds, evidence: evidence)
  }

  /// Something the page could not do (a missing snippet, an unwritable figure, a thrown error).
  static func failure(_ claim: String, reason: String) -> Check {
    Check(claim: claim, passed: false, evidence: [reason])
  }

  /// "|Δ| 4.4e-16 ≤ 1e-12", or with ">" when it fails.
  private static func comparison(_ name: String, _ difference: Double, _ tolerance: Double, _ passed: Bool) -> String {
    "\(name) \(NumberFormatting.difference(difference)) \(passed ? "≤" : ">") \(NumberFormatting.tolerance(tolerance))"
  }

  /// A tolerance must be a non-negative number.
  private static func invalid(_ tolerance: Double) -> String? {
    tolerance >= 0 ? nil : "invalid tolerance \(NumberFormatting.tolerance(tolerance))"
  }

  // MARK: - Rendering

  /// The column where the evidence starts, so that the checks of a section line up.
  static let claimWidth = 48

  /// `  ✓ 1.2a  claim…  computed −4  expected −4  |Δ| 0.0e+00 ≤ 1e-09` (one line).
  func terminalLine(label: String, style: TerminalStyle) -> String {
    let mark = passed ? style.green("✓") : style.red("✗")
    let claimText = Prose.inlineMathToUnicode(claim)
    let padding = String(repeating: " ", count: max(0, Check.claimWidth - claimText.count))
    let evidenceText = evidence.joined(separator: "  ")
    let paddedLabel = label.padded(to: 6)
    return "  \(mark) \(paddedLabel)\(claimText)\(padding)  \(passed ? style.dim(evidenceText) : evidenceText)"
  }

  /// `- ✓ **1.2a** claim — computed −4, expected −4, |Δ| 0.0e+00 ≤ 1e-09`.
  func markdownLine(label: String) -> String {
    "- \(passed ? "✓" : "✗") **\(label)** \(claim) — \(evidence.joined(separator: ", "))"
  }
}
