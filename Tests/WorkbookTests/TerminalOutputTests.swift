// TerminalOutputTests.swift — what a student sees: checks, failures, colour, progress, summary.

import XCTest

@testable import Workbook

final class TerminalOutputTests: XCTestCase {
  func testPassingRunPrintsChecksAndEndsWithTheSummary() {
    let run = runChapter(sampleChapter(), [])
    XCTAssertEqual(run.status, 0, run.text)
    XCTAssertTrue(run.text.hasPrefix("Chapter 3 · A sample chapter\n═══"))
    XCTAssertTrue(run.text.contains("\n3.1  Equations and checks\n───"))
    XCTAssertTrue(run.text.contains("      G = Σₜ₌₀ʰ⁻¹ γᵗ rₜ\n"))
    XCTAssertTrue(run.text.contains("The return is a sum of rewards rₜ, discounted by `gamma`."))
    let check =
      "  ✓ 3.1a  one plus one" + String(repeating: " ", count: 48 - 12)
      + "  computed 2  expected 2  |Δ| 0.0e+00 ≤ 0\n"
    XCTAssertTrue(run.text.contains(check), run.text)
    XCTAssertTrue(withoutTiming(run.text).hasSuffix("\n4 checks passed"))

    let lastLine = run.text.split(separator: "\n").last.map(String.init) ?? ""
    XCTAssertNotNil(lastLine.range(of: #"^4 checks passed · \d+\.\d s$"#, options: .regularExpression), lastLine)
  }

  func testTerminalOutputIsTheSameApartFromTheTiming() {
    let a = runChapter(sampleChapter(), ["--seed", "3"])
    let b = runChapter(sampleChapter(), ["--seed", "3"])
    XCTAssertEqual(withoutTiming(a.text), withoutTiming(b.text))
  }

  func testAFailedCheckPrintsACrossBothValuesAndExitsWithOne() {
    let chapter = Chapter(number: 4, slug: "failing", title: "Failing checks")
    chapter.section("Wrong") { page in
      page.check("two plus two", computed: 2 + 2, expected: 5, tolerance: 1e-9)
      page.check("right", computed: 1, expected: 1, tolerance: 0)
    }
    chapter.section("Still runs") { page in
      page.checkTrue("later sections still run", holds: true)
    }
    let run = runChapter(chapter, [])
    XCTAssertEqual(run.status, 1)
    XCTAssertTrue(run.text.contains("  ✗ 4.1a  two plus two"))
    XCTAssertTrue(run.text.contains("computed 4  expected 5  |Δ| 1.0e+00 > 1e-09"))
    XCTAssertTrue(run.text.contains("  ✓ 4.2a  later sections still run"))
    XCTAssertTrue(run.text.contains("\n✗ failed: 4.1a\n"))
    XCTAssertTrue(withoutTiming(run.text).hasSuffix("\n2 passed, 1 FAILED"))
  }

  func testNaNOnEitherSideFails() {
    let chapter = Chapter(number: 1, slug: "nan", title: "NaN")
    chapter.section("NaN") { page in
      page.check("computed NaN", computed: .nan, expected: 1, tolerance: 1e9)
      page.check("expected NaN", computed: 1, expected: .nan, tolerance: 1e9)
      page.check("NaN in an array", computed: [1, .nan], expected: [1, 2], tolerance: 1e9)
      page.checkAtMost("NaN bound", value: 1, bound: .nan, tolerance: 1e9)
    }
    let run = runChapter(chapter, [])
    XCTAssertEqual(run.status, 1)
    for label in ["1.1a", "1.1b", "1.1c", "1.1d"] {
      XCTAssertTrue(run.text.contains("✗ \(label)"), "\(label) should fail:\n\(run.text)")
    }
    XCTAssertTrue(run.text.contains("|Δ| NaN > 1e+09"))
  }

  func testArraysOfDifferentLengthsFailWithAMessage() {
    let chapter = Chapter(number: 1, slug: "lengths", title: "Lengths")
    chapter.section("Lengths") { page in
      page.check("lengths differ", computed: [1, 2, 3], expected: [1, 2], tolerance: 1)
      page.check("nothing to compare", computed: [], expected: [], tolerance: 1)
    }
    let run = runChapter(chapter, [])
    XCTAssertEqual(run.status, 1)
    XCTAssertTrue(run.text.contains("length mismatch: computed has 3 values, expected has 2"))
    XCTAssertTrue(run.text.contains("no values to compare"))
  }

  func testAnErrorThrownBySectionIsAFailedCheck() {
    struct Oops: Error {}
    let chapter = Chapter(number: 1, slug: "throws", title: "Throws")
    chapter.section("Throws") { _ in throw Oops() }
    let run = runChapter(chapter, [])
    XCTAssertEqual(run.status, 1)
    XCTAssertTrue(run.text.contains("✗ 1.1a  section 1.1 runs to the end"))
  }

  func testColourOnlyOnATerminalAndNeverWithNoColor() {
    XCTAssertTrue(runChapter(sampleChapter(), [], isTerminal: true).text.contains("\u{1B}[32m✓"))
    XCTAssertFalse(runChapter(sampleChapter(), ["--no-color"], isTerminal: true).text.contains("\u{1B}"))
    XCTAssertFalse(
      runChapter(sampleChapter(), [], environment: ["NO_COLOR": "1"], isTerminal: true).text.contains("\u{1B}"))
    XCTAssertFalse(runChapter(sampleChapter(), [], isTerminal: false).text.contains("\u{1B}"))
    // An empty NO_COLOR does not count (no-color.org).
    XCTAssertTrue(
      runChapter(sampleChapter(), [], environment: ["NO_COLOR": ""], isTerminal: true).text.contains("\u{1B}"))
  }

  func testProgressBarOnlyWhenStandardErrorIsATerminal() {
    let onTerminal = runChapter(sampleChapter(), [], errorIsTerminal: true)
    XCTAssertTrue(onTerminal.errorText.contains("random walk"))
    XCTAssertTrue(onTerminal.errorText.contains("20/20"))
    XCTAssertFalse(onTerminal.text.contains("20/20"))
    XCTAssertEqual(runChapter(sampleChapter(), [], errorIsTerminal: false).errorText, "")
  }

  func testTerminalWritesSVGOnlyWithFigures() throws {
    let plain = runChapter(sampleChapter(), [])
    XCTAssertFalse(plain.text.contains("SVG"))
    XCTAssertTrue(plain.text.contains("  * walk"))

    let figures = try temporaryDirectory(self)
    let run = runChapter(sampleChapter(), ["--figures", figures.path])
    let path = figures.appendingPathComponent("sample-rewards.svg").path
    XCTAssertTrue(run.text.contains("SVG figure written to \(path)"))
    XCTAssertTrue(FileManager.default.fileExists(atPath: path))
  }

  func testAnUnwritableFigureIsAFailedCheck() throws {
    let directory = try temporaryDirectory(self)
    let blocker = directory.appendingPathComponent("file")
    try Data("x".utf8).write(to: blocker)
    let run = runChapter(sampleChapter(), ["--figures", blocker.appendingPathComponent("figures").path])
    XCTAssertEqual(run.status, 1)
    XCTAssertTrue(run.text.contains("✗ 3.2a  figure sample-rewards.svg is written"))
  }
}
