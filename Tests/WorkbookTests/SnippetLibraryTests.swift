// SnippetLibraryTests.swift — code excerpts by named markers, from temporary source trees.

import XCTest

@testable import Workbook

final class SnippetLibraryTests: XCTestCase {
  /// A repository with a Package.swift and the given files (paths relative to its root).
  private func repository(_ files: [String: String]) throws -> URL {
    let root = try temporaryDirectory(self)
    for (path, text) in files.merging(
      ["Package.swift": "// swift-tools-version: 6.0\n"], uniquingKeysWith: { a, _ in a })
    {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    return root
  }

  private let model = """
    struct Model {
      // snippet: belief-update
      func update(_ b: Double) -> Double {
        // snippet: inner
        let next = b * 0.85
        // end snippet
        return next
      }
      // end snippet
    }
    """

  func testFindsADedentedSnippetWithoutMarkerLines() throws {
    let root = try repository(["Sources/MARL/Model.swift": model])
    let library = SnippetLibrary(root: root.path)
    XCTAssertEqual(library.problems, [])
    let snippet = try library.snippet(named: "belief-update").get()
    XCTAssertEqual(snippet.file, "Sources/MARL/Model.swift")
    XCTAssertEqual(snippet.line, 2)
    XCTAssertEqual(snippet.text, "func update(_ b: Double) -> Double {\n  let next = b * 0.85\n  return next\n}")
    XCTAssertEqual(try library.snippet(named: "inner").get().text, "let next = b * 0.85")
    XCTAssertEqual(library.snippets.map(\.name), ["inner", "belief-update"])
  }

  func testMissingSnippetIsAProblem() throws {
    let root = try repository(["Sources/MARL/Model.swift": model])
    let result = SnippetLibrary(root: root.path).snippet(named: "absent")
    guard case .failure(let problem) = result else { return XCTFail("absent snippet found") }
    XCTAssertEqual(problem.description, "no snippet named “absent” under Sources/ or Chapters/")
  }

  func testUnclosedDuplicateAndStrayMarkersAreReported() throws {
    let root = try repository([
      "Chapters/01-x/main.swift": "// snippet: open\nlet a = 1\n",
      "Sources/A/One.swift": "// snippet: twice\nlet b = 1\n// end snippet\n// end snippet\n",
      "Sources/A/Two.swift": "// snippet: twice\nlet c = 1\n// end snippet\n// snippet:\n",
    ])
    let library = SnippetLibrary(root: root.path)
    let messages = library.problems.map(\.description)
    XCTAssertTrue(messages.contains("Chapters/01-x/main.swift:1: snippet “open” is never closed (no ‘// end snippet’)"))
    XCTAssertTrue(messages.contains("Sources/A/One.swift:4: ‘// end snippet’ without an open snippet"))
    XCTAssertTrue(messages.contains("Sources/A/One.swift:1: snippet “twice” is defined more than once"))
    XCTAssertTrue(messages.contains("Sources/A/Two.swift:1: snippet “twice” is defined more than once"))
    XCTAssertTrue(messages.contains("Sources/A/Two.swift:4: snippet marker without a name"))
    guard case .failure(let unclosed) = library.snippet(named: "open") else { return XCTFail("unclosed snippet found") }
    XCTAssertTrue(unclosed.message.contains("never closed"))
    guard case .failure = library.snippet(named: "twice") else { return XCTFail("ambiguous snippet found") }
  }

  func testOnlySwiftFilesUnderSourcesAndChaptersAreRead() throws {
    let root = try repository([
      "Tests/X/T.swift": "// snippet: test-only\n// end snippet\n",
      "Sources/A/notes.md": "// snippet: markdown\n// end snippet\n",
    ])
    XCTAssertEqual(SnippetLibrary(root: root.path).snippets, [])
  }

  func testRepositoryRootIsTheDirectoryWithPackageSwift() throws {
    let root = try repository(["Chapters/01-x/main.swift": ""])
    let file = root.appendingPathComponent("Chapters/01-x/main.swift").path
    XCTAssertEqual(
      SnippetLibrary.repositoryRoot(containing: file).map { URL(fileURLWithPath: $0).standardizedFileURL.path },
      root.standardizedFileURL.path)
  }

  // MARK: - On a page

  func testPageShowsTheSnippetWithItsRelativeFileAndFailsWhenItIsMissing() throws {
    let root = try repository(["Sources/MARL/Model.swift": model])
    let callingFile = root.appendingPathComponent("Chapters/01-x/main.swift").path
    let chapter = Chapter(number: 1, slug: "code", title: "Code")
    chapter.section("Excerpts") { page in
      page.code("belief-update", file: callingFile)
      page.code("absent", file: callingFile)
    }

    let markdown = runChapter(chapter, ["--markdown"])
    XCTAssertEqual(markdown.status, 1)
    XCTAssertTrue(
      markdown.text.contains("*From `Sources/MARL/Model.swift`:*\n\n```swift\nfunc update(_ b: Double) -> Double {\n"))
    XCTAssertTrue(markdown.text.contains("- ✗ **1.1a** code excerpt “absent” — no snippet named “absent”"))
    XCTAssertFalse(markdown.text.contains(root.path), "no absolute paths")

    let terminal = runChapter(chapter, [])
    XCTAssertTrue(terminal.text.contains("  ┌ Sources/MARL/Model.swift\n  │ func update(_ b: Double) -> Double {\n"))
    XCTAssertTrue(terminal.text.contains("✗ 1.1a  code excerpt “absent”"))
    XCTAssertFalse(terminal.text.contains(root.path))
  }

  /// Every snippet marker in this repository is well-formed (what the book relies on).
  func testThisRepositorysSnippetsAreWellFormed() throws {
    let root = try XCTUnwrap(SnippetLibrary.repositoryRoot(containing: #filePath))
    XCTAssertEqual(SnippetLibrary(root: root).problems.map(\.description), [])
  }
}
