// SnippetLibrary.swift — code excerpts for the book, pulled from the real sources by name.
//
// A source file marks a region with two comment lines:
//
//     // snippet: dectiger-belief
//     func updatedBelief(...) { ... }
//     // end snippet
//
// The excerpt is the lines in between, dedented, with any other marker lines (of nested snippets)
// left out. Names, never line numbers, so the book cannot drift from the code. The library scans
// every .swift file under Sources/ and Chapters/ and reports what is wrong (a region never closed,
// an `end` with nothing open, a name used twice) instead of failing.

import Foundation

/// A named region of source code.
public struct Snippet: Equatable, Sendable {
  /// The name after `// snippet:`.
  public let name: String
  /// The file, relative to the repository root, e.g. `Sources/MARL/DecTiger.swift`.
  public let file: String
  /// The line number of the opening marker (1-based).
  public let line: Int
  /// The lines of the region, dedented, without marker lines or surrounding blank lines.
  public let lines: [String]

  /// The lines joined with newlines.
  public var text: String { lines.joined(separator: "\n") }
}

/// Something wrong with the snippet markers, or a snippet that cannot be found.
public struct SnippetProblem: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file (relative to the repository root) where the problem is, if it is in a file.
  public let file: String?
  /// The line of the offending marker, if any.
  public let line: Int?
  /// The snippet concerned, if known.
  public let name: String?
  /// What is wrong, e.g. `snippet “belief” is never closed`.
  public let message: String

  /// `Sources/X.swift:12: snippet “belief” is never closed`.
  public var description: String {
    guard let file else { return message }
    return line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
  }
}

/// All the snippets of a repository, and every problem found while reading their markers.
public struct SnippetLibrary: Sendable {
  /// Every well-formed snippet, in file order (files sorted by path), then line order.
  public let snippets: [Snippet]
  /// Every problem: unclosed regions, stray `end` markers, unnamed markers, duplicate names.
  public let problems: [SnippetProblem]

  static let startMarker = "// snippet:"
  static let endMarker = "// end snippet"

  /// Scans every `.swift` file under the given folders of `root`.
  public init(root: String, folders: [String] = ["Sources", "Chapters"]) {
    var files: [(path: String, text: String)] = []
    var problems: [SnippetProblem] = []
    for folder in folders {
      let directory = (root as NSString).appendingPathComponent(folder)
      let paths = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]) ?? []
      for path in paths.filter({ $0.hasSuffix(".swift") }).sorted() {
        let relative = folder + "/" + path
        let absolute = (directory as NSString).appendingPathComponent(path)
        if let text = try? String(contentsOfFile: absolute, encoding: .utf8) {
          files.append((relative, text))
        } else {
          problems.append(SnippetProblem(file: relative, line: nil, name: nil, message: "cannot be read as UTF-8"))
        }
      }
    }
    self.init(files: files, problems: problems)
  }

  /// Builds the library from file contents already in memory (paths relative to the root).
  init(files: [(path: String, text: String)], problems: [SnippetProblem] = []) {
    var snippets: [Snippet] = []
    var problems = problems
    for file in files {
      let parsed = SnippetLibrary.parse(file.text, file: file.path)
      snippets += parsed.snippets
      problems += parsed.problems
    }
    // A name used twice is ambiguous: report every use.
    let counts = Dictionary(grouping: snippets, by: \.name)
    for snippet in snippets where counts[snippet.name, default: []].count > 1 {
      problems.append(
        SnippetProblem(
          file: snippet.file, line: snippet.line, name: snippet.name,
          message: "snippet “\(snippet.name)” is defined more than once"))
    }
    self.snippets = snippets
    self.problems = problems
  }

  /// The snippet with this name, or the problem that prevents showing it.
  public func snippet(named name: String) -> Result<Snippet, SnippetProblem> {
    if let problem = problems.first(where: { $0.name == name }) { return .failure(problem) }
    if let snippet = snippets.first(where: { $0.name == name }) { return .success(snippet) }
    return .failure(
      SnippetProblem(
        file: nil, line: nil, name: name, message: "no snippet named “\(name)” under Sources/ or Chapters/"))
  }

  /// The nearest directory at or above the file's directory that holds a `Package.swift`.
  public static func repositoryRoot(containing filePath: String) -> String? {
    var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while true {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        return directory.path
      }
      let parent = directory.deletingLastPathComponent()
      if parent.path == directory.path { return nil }
      directory = parent
    }
  }

  // MARK: - Reading the markers of one file

  /// The snippets of one file and the problems with its markers. Regions may nest: every open
  /// region receives each ordinary line; marker lines go to none.
  static func parse(_ text: String, file: String) -> (snippets: [Snippet], problems: [SnippetProblem]) {
    var snippets: [Snippet] = []
    var problems: [SnippetProblem] = []
    var open: [(name: String, line: Int, lines: [String])] = []
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (offset, rawLine) in lines.enumerated() {
      let lineNumber = offset + 1
      let trimmed = rawLine.trimmingSpaces()
      if trimmed.hasPrefix(startMarker) {
        let name = trimmed.dropFirst(startMarker.count).trimmingSpaces()
        if name.isEmpty {
          let message = "snippet marker without a name"
          problems.append(SnippetProblem(file: file, line: lineNumber, name: nil, message: message))
        } else {
          open.append((name, lineNumber, []))
        }
      } else if trimmed == endMarker || trimmed.hasPrefix(endMarker + ":") {
        guard let region = open.popLast() else {
          problems.append(
            SnippetProblem(file: file, line: lineNumber, name: nil, message: "‘\(endMarker)’ without an open snippet"))
          continue
        }
        let closedName = trimmed.dropFirst(endMarker.count).drop(while: { $0 == ":" }).trimmingSpaces()
        if !closedName.isEmpty && closedName != region.name {
          problems.append(
            SnippetProblem(
              file: file, line: lineNumber, name: region.name,
              message: "‘\(endMarker): \(closedName)’ closes snippet “\(region.name)”"))
        }
        snippets.append(Snippet(name: region.name, file: file, line: region.line, lines: dedented(region.lines)))
      } else {
        for index in open.indices { open[index].lines.append(String(rawLine)) }
      }
    }
    for region in open {
      problems.append(
        SnippetProblem(
          file: file, line: region.line, name: region.name,
          message: "snippet “\(region.name)” is never closed (no ‘\(endMarker)’)"))
    }
    return (snippets, problems)
  }

  /// Lines without trailing spaces, without leading and trailing blank lines, and with the
  /// indentation they all share removed.
  static func dedented(_ lines: [String]) -> [String] {
    var lines = lines.map { $0.trimmingTrailingWhitespace() }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    while lines.last?.isEmpty == true { lines.removeLast() }
    let indent = lines.filter { !$0.isEmpty }.map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }.min() ?? 0
    return lines.map { $0.isEmpty ? $0 : String($0.dropFirst(indent)) }
  }
}

extension String {
  /// The string without trailing spaces, tabs and carriage returns.
  fileprivate func trimmingTrailingWhitespace() -> String {
    var result = self
    while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
    return result
  }
}
