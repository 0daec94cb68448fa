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

  func testTerminalDropsEmphasisMarkersAroundWordsAndPhrases() {
    XCTAssertEqual(Prose.terminal("We *listen* first."), "We listen first.")
    XCTAssertEqual(Prose.terminal("**Not** a *whole phrase*, then **bold**."), "Not a whole phrase, then bold.")
    XCTAssertEqual(
      Prose.terminal("- *one* item\n* a star item with **strong** words"), "- one item\n* a star item with strong words")
    XCTAssertEqual(Prose.terminal("*Hint:* read it.\n(*see below*)"), "Hint: read it. (see below)")
  }

  func testTerminalKeepsAsterisksThatAreNotEmphasis() {
    XCTAssertEqual(Prose.terminal("a * b and 2*3*4"), "a * b and 2*3*4", "arithmetic")
    XCTAssertEqual(Prose.terminal("a lone *star"), "a lone *star")
    XCTAssertEqual(Prose.terminal("the code `*p*` and `x ** 2`"), "the code `*p*` and `x ** 2`", "code spans")
    XCTAssertEqual(Prose.terminal(#"the optimum $\pi^*$ and $V^{*}$ *here*"#), "the optimum π* and V* here", "math")
    XCTAssertEqual(Prose.terminal(#"costs \$5 *each*, `$x*`"#), "costs $5 each, `$x*`")
    XCTAssertEqual(Prose.markdown("We *listen*."), "We *listen*.", "Markdown keeps the emphasis")
  }

  func testWrapNeverBreaksAWord() {
    XCTAssertEqual(
      TextLayout.wrap("aaaa bbbb cccccccccc d", width: 9, firstIndent: "", indent: ""),
      ["aaaa bbbb", "cccccccccc", "d"])
  }
}
