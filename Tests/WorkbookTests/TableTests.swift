// TableTests.swift — tables in the terminal and in Markdown.

import XCTest

@testable import Workbook

final class TableTests: XCTestCase {
  func testTerminalTableAlignsColumnsAndRightAlignsNumberColumns() {
    let table = Table(
      headers: ["h", "V*", "policy"], rows: [["2", "−4.000000", "listen"], ["10", "1.5", "open"]], caption: nil)
    XCTAssertEqual(
      table.terminal(style: TerminalStyle(color: false)),
      """
         h         V*  policy
        ──  ─────────  ──────
         2  −4.000000  listen
        10        1.5  open
      """)
  }

  func testRaggedRowsArePaddedNotACrash() {
    let table = Table(headers: ["a"], rows: [["1", "2"], []], caption: "ragged")
    XCTAssertEqual(table.markdown(), "*ragged*\n\n| a |  |\n|---:|---:|\n| 1 | 2 |\n|  |  |")
    XCTAssertEqual(table.terminal(style: TerminalStyle(color: false)).split(separator: "\n").count, 5)
  }

  func testMarkdownEscapesPipes() {
    let table = Table(headers: ["x|y", "n"], rows: [["a|b", "1"]], caption: nil)
    XCTAssertEqual(table.markdown(), "| x\\|y | n |\n|---|---:|\n| a\\|b | 1 |")
  }
}
