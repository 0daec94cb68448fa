// CheckTests.swift — when a check passes, and how it prints.

import XCTest

@testable import Workbook

final class CheckTests: XCTestCase {
  func testScalarCheckComparesTheDifferenceWithTheTolerance() {
    XCTAssertTrue(Check.scalar("", computed: 1, expected: 1 + 1e-10, tolerance: 1e-9).passed)
    XCTAssertFalse(Check.scalar("", computed: 1, expected: 1 + 1e-8, tolerance: 1e-9).passed)
    XCTAssertTrue(Check.scalar("", computed: 0.5, expected: 0.25, tolerance: 0.25).passed, "|Δ| = tolerance passes")
    XCTAssertTrue(Check.scalar("", computed: -.infinity, expected: -.infinity, tolerance: 0).passed)
    XCTAssertFalse(Check.scalar("", computed: .infinity, expected: 1, tolerance: 1e300).passed)
    XCTAssertFalse(Check.scalar("", computed: .nan, expected: .nan, tolerance: 1).passed)
    XCTAssertFalse(
      Check.scalar("", computed: 1, expected: 1, tolerance: -1).passed, "a negative tolerance is a mistake")
  }

  func testArrayCheckReportsTheWorstIndex() {
    let check = Check.arrays("", computed: [1, 2, 3.5, 4], expected: [1, 2, 3, 4.25], tolerance: 0.1)
    XCTAssertFalse(check.passed)
    XCTAssertEqual(check.evidence, ["4 values", "max|Δ| 5.0e-01 > 0.1", "at [2]: computed 3.5, expected 3"])
    XCTAssertTrue(Check.arrays("", computed: [1, 2], expected: [1, 2], tolerance: 0).passed)
    XCTAssertFalse(Check.arrays("", computed: [1, .nan, 5], expected: [1, 2, 3], tolerance: 10).passed)
    XCTAssertFalse(Check.arrays("", computed: [1], expected: [1, 2], tolerance: 10).passed)
    XCTAssertFalse(Check.arrays("", computed: [], expected: [], tolerance: 10).passed)
  }

  func testValuesThatPrintAlikeGetAllTheirDigitsWhenTheyDiffer() {
    let check = Check.scalar("", computed: 3.0000000001, expected: 3, tolerance: 1e-12)
    XCTAssertEqual(check.evidence[0], "computed 3.0000000001")
    XCTAssertEqual(check.evidence[1], "expected 3.0")
  }

  func testInequalityChecks() {
    XCTAssertTrue(Check.atMost("", value: 0.3, bound: 0.69, tolerance: 0).passed)
    XCTAssertTrue(Check.atMost("", value: 0.69 + 1e-13, bound: 0.69, tolerance: 1e-12).passed)
    XCTAssertFalse(Check.atMost("", value: 0.7, bound: 0.69, tolerance: 1e-12).passed)
    XCTAssertTrue(Check.atLeast("", value: 0.7, bound: 0.69, tolerance: 0).passed)
    XCTAssertFalse(Check.atLeast("", value: 0.6, bound: 0.69, tolerance: 1e-12).passed)
    XCTAssertFalse(Check.atLeast("", value: .nan, bound: 0, tolerance: 1).passed)
  }

  func testInequalitiesReadAsInequalities() {
    func evidence(_ check: Check) -> [String] { check.evidence }
    XCTAssertEqual(evidence(.atMost("", value: 1.56433e-09, bound: 1e-7, tolerance: 0)), ["value 1.56e-09 ≤ bound 1e-07"])
    XCTAssertEqual(evidence(.atMost("", value: 5.19, bound: 5.19, tolerance: 1e-6)), ["value 5.19 ≤ bound 5.19 + 1e-06"])
    XCTAssertEqual(evidence(.atMost("", value: -4.5, bound: -4, tolerance: 0)), ["value −4.5 ≤ bound −4"])
    XCTAssertEqual(evidence(.atMost("", value: 0.7, bound: 0.69, tolerance: 1e-12)), ["value 0.7 > bound 0.69 + 1e-12"])
    XCTAssertEqual(evidence(.atLeast("", value: 0.7, bound: 0.69, tolerance: 0)), ["value 0.7 ≥ bound 0.69"])
    XCTAssertEqual(evidence(.atLeast("", value: 0.6, bound: 0.69, tolerance: 1e-12)), ["value 0.6 < bound 0.69 − 1e-12"])
    XCTAssertEqual(evidence(.atLeast("", value: .nan, bound: 0, tolerance: 1)), ["value NaN ≱ bound 0 − 1"])
    XCTAssertEqual(evidence(.atMost("", value: 1, bound: .infinity, tolerance: 0)), ["value 1 ≤ bound ∞"])
    // A failure between numbers that print alike shows the digits that tell them apart.
    XCTAssertEqual(evidence(.atMost("", value: 5.1900001, bound: 5.19, tolerance: 0)), ["value 5.1900001 > bound 5.19"])

    let line = Check.atMost("gradient check", value: 1.56433e-09, bound: 1e-7, tolerance: 0)
      .terminalLine(label: "0.3a", style: TerminalStyle(color: false))
    XCTAssertTrue(line.hasSuffix("  value 1.56e-09 ≤ bound 1e-07"), line)
    XCTAssertEqual(
      Check.atLeast("a floor", value: 2, bound: 1, tolerance: 0).markdownLine(label: "1.1a"),
      "- ✓ **1.1a** a floor — value 2 ≥ bound 1")
  }

  func testPropertyCheckShowsItsEvidence() {
    XCTAssertEqual(Check.property("", holds: true, detail: "min = 0.1").evidence, ["min = 0.1"])
    XCTAssertEqual(Check.property("", holds: false, detail: "").evidence, ["does not hold"])
  }

  func testTerminalAndMarkdownLines() {
    let check = Check.scalar("value of always-listen, h = 2", computed: -4, expected: -4, tolerance: 1e-9)
    let padding = String(repeating: " ", count: Check.claimWidth - 29)
    XCTAssertEqual(
      check.terminalLine(label: "1.2a", style: TerminalStyle(color: false)),
      "  ✓ 1.2a  value of always-listen, h = 2\(padding)  computed −4  expected −4  |Δ| 0.0e+00 ≤ 1e-09")
    XCTAssertEqual(
      check.markdownLine(label: "1.2a"),
      "- ✓ **1.2a** value of always-listen, h = 2 — computed −4, expected −4, |Δ| 0.0e+00 ≤ 1e-09")
  }

  func testLabelsWithinASection() {
    XCTAssertEqual((0..<3).map(Page.letters), ["a", "b", "c"])
    XCTAssertEqual(Page.letters(25), "z")
    XCTAssertEqual(Page.letters(26), "aa")
    XCTAssertEqual(Page.letters(27), "ab")
    XCTAssertEqual(Page.letters(26 + 26 * 26), "aaa")
  }

  func testNumberFormats() {
    XCTAssertEqual(NumberFormatting.value(-4), "−4")
    XCTAssertEqual(NumberFormatting.value(1.0 / 3), "0.333333")
    XCTAssertEqual(NumberFormatting.value(1.5e-7), "1.5e-07")
    XCTAssertEqual(NumberFormatting.value(-.infinity), "−∞")
    XCTAssertEqual(NumberFormatting.difference(4.4e-16), "4.4e-16")
    XCTAssertEqual(NumberFormatting.tolerance(1e-12), "1e-12")
    XCTAssertEqual(NumberFormatting.tolerance(0.0025), "0.0025")
  }
}
