// ProseTests.swift — paragraphs: wrapped in the terminal, kept as written in Markdown.

import XCTest

@testable import Workbook

final class ProseTests: XCTestCase {
  private let text = """
        The first paragraph is indented in the source, which must not turn it into a Markdown code block.
        It continues here.

        - a list item that is long enough to wrap in the terminal because it keeps going and going on
        - a short item
    """

  func testTerminalWrapsParagraphsAndListItems() {
    let lines = Prose.terminal(text).split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertTrue(lines.allSatisfy { $0.count <= Prose.width })
    XCTAssertEqual(lines.filter(\.isEmpty).count, 1, "one blank line between the paragraphs")
    XCTAssertTrue(lines.contains { $0.hasPrefix("  ") }, "a wrapped list item is indented")
    XCTAssertEqual(lines.last, "- a short item")
  }

  func testMarkdownKeepsTheTextButNotTheIndentation() {
    XCTAssertEqual(
      Prose.markdown(text),
      """
      The first paragraph is indented in the source, which must not turn it into a Markdown code block.
      It continues here.

      - a list item that is long enough to wrap in the terminal because it keeps going and going on
      - a short item
      """)
  }

  func testWrapNeverBreaksAWord() {
    XCTAssertEqual(
      TextLayout.wrap("aaaa bbbb cccccccccc d", width: 9, firstIndent: "", indent: ""),
      ["aaaa bbbb", "cccccccccc", "d"])
  }
}
