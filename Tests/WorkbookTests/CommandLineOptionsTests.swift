// CommandLineOptionsTests.swift — the command line, as a pure function and as a program.

import XCTest

@testable import Workbook

final class CommandLineOptionsTests: XCTestCase {
  private func parse(_ arguments: [String]) -> Result<CommandLineOptions, CommandLineError> {
    CommandLineOptions.parse(arguments, chapterNumber: 3, sectionCount: 4)
  }

  private func options(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> CommandLineOptions? {
    switch parse(arguments) {
    case .success(let options): return options
    case .failure(let error):
      XCTFail("\(arguments) should parse, got: \(error)", file: file, line: line)
      return nil
    }
  }

  private func error(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
    switch parse(arguments) {
    case .success: XCTFail("\(arguments) should be an error", file: file, line: line); return ""
    case .failure(let error): return error.message
    }
  }

  func testDefaults() {
    XCTAssertEqual(options([]), CommandLineOptions())
    let defaults = CommandLineOptions()
    XCTAssertEqual(defaults.seed, 0)
    XCTAssertFalse(defaults.quick || defaults.full || defaults.markdown || defaults.list || defaults.help)
    XCTAssertTrue(defaults.color)
    XCTAssertNil(defaults.figuresDirectory)
    XCTAssertEqual(defaults.sections, [])
  }

  func testEachFlag() {
    XCTAssertEqual(options(["--seed", "42"])?.seed, 42)
    XCTAssertEqual(options(["--seed=18446744073709551615"])?.seed, UInt64.max)
    XCTAssertEqual(options(["--quick"])?.quick, true)
    XCTAssertEqual(options(["--full"])?.full, true)
    XCTAssertEqual(options(["--markdown"])?.markdown, true)
    XCTAssertEqual(options(["--no-color"])?.color, false)
    XCTAssertEqual(options(["--list"])?.list, true)
    XCTAssertEqual(options(["--help"])?.help, true)
    XCTAssertEqual(options(["-h"])?.help, true)
    XCTAssertEqual(options(["--figures", "out/figs"])?.figuresDirectory, "out/figs")
    XCTAssertEqual(options(["--section", "2"])?.sections, [2])
    XCTAssertEqual(options(["--section", "3.4", "--section=1"])?.sections, [4, 1])
  }

  func testMistakes() {
    XCTAssertEqual(error(["--fast"]), "unknown option '--fast'")
    XCTAssertEqual(error(["extra"]), "unknown option 'extra'")
    XCTAssertTrue(error(["--seed", "-1"]).contains("--seed expects a whole number"))
    XCTAssertTrue(error(["--seed", "abc"]).contains("got 'abc'"))
    XCTAssertTrue(error(["--seed", "18446744073709551616"]).contains("--seed expects"))
    XCTAssertEqual(error(["--seed"]), "--seed needs a value: --seed N")
    XCTAssertEqual(error(["--figures"]), "--figures needs a value: --figures DIR")
    XCTAssertTrue(error(["--section", "0"]).contains("out of range"))
    XCTAssertTrue(error(["--section", "5"]).contains("this chapter has sections 3.1 to 3.4"))
    XCTAssertTrue(error(["--section", "two"]).contains("expects a section number"))
    XCTAssertEqual(error(["--section", "2.1"]), "section 2.1 is not in chapter 3")
    XCTAssertEqual(error(["--quick", "--full"]), "--quick and --full cannot be used together")
    XCTAssertEqual(error(["--quick=yes"]), "--quick takes no value")
  }

  func testSectionsAreNamedAsTheyArePrinted() {
    // Chapter 0's sections print as 0.1 … 0.6, so the messages call them that.
    guard case .failure(let error) = CommandLineOptions.parse(["--section", "7"], chapterNumber: 0, sectionCount: 6)
    else { return XCTFail("section 7 of 6 should be an error") }
    XCTAssertEqual(error.message, "--section 7 is out of range: this chapter has sections 0.1 to 0.6")
    let usage = CommandLineOptions.usage(program: "chapter00-autodiff", title: "Chapter 0", chapterNumber: 0, sectionCount: 6)
    XCTAssertTrue(usage.contains("--section N      run only section N, 0.1 to 0.6 (repeatable; 0.1 or just 1)"), usage)
    XCTAssertFalse(usage.contains("1 to 6"))
    XCTAssertTrue(usage.contains("(Markdown pages link figures/NAME.svg, relative to the page)"))
  }

  // MARK: - As a program

  func testUnknownFlagPrintsOneLineAndUsageAndExitsTwo() {
    let run = runChapter(sampleChapter(), ["--fast"])
    XCTAssertEqual(run.status, 2)
    XCTAssertEqual(run.text, "")
    XCTAssertTrue(
      run.errorText.hasPrefix("chapter03-sample: error: unknown option '--fast'\n\nUSAGE: chapter03-sample"))
    XCTAssertTrue(run.errorText.contains("--section N"))
  }

  func testBadValuesExitTwo() {
    XCTAssertEqual(runChapter(sampleChapter(), ["--seed", "x"]).status, 2)
    XCTAssertEqual(runChapter(sampleChapter(), ["--seed"]).status, 2)
    XCTAssertEqual(runChapter(sampleChapter(), ["--section", "3"]).status, 2, "the sample has two sections")
  }

  func testHelpPrintsUsageAndExitsZero() {
    let run = runChapter(sampleChapter(), ["--help"])
    XCTAssertEqual(run.status, 0)
    XCTAssertTrue(run.text.hasPrefix("USAGE: chapter03-sample [options]\n\nChapter 3 · A sample chapter\n"))
    for flag in ["--seed N", "--quick", "--full", "--markdown", "--figures DIR", "--no-color", "--list", "--section N"] {
      XCTAssertTrue(run.text.contains(flag), flag)
    }
    XCTAssertTrue(run.text.contains("run only section N, 3.1 to 3.2"), "the sample's sections")
    XCTAssertEqual(run.errorText, "")
  }

  func testListPrintsTheNumberedSections() {
    let run = runChapter(sampleChapter(), ["--list"])
    XCTAssertEqual(run.status, 0)
    XCTAssertEqual(run.text, "3.1  Equations and checks\n3.2  An experiment\n")
  }

  func testSectionRunsOnlyThatSectionWithItsOwnNumbers() {
    let run = runChapter(sampleChapter(), ["--section", "2"])
    XCTAssertEqual(run.status, 0)
    XCTAssertFalse(run.text.contains("3.1"))
    XCTAssertTrue(run.text.contains("3.2  An experiment"))
    XCTAssertTrue(withoutTiming(run.text).hasSuffix("\n0 checks passed"))
  }
}
