// ChapterRun.swift — the state of one run of a chapter, shared by its pages.
//
// A run knows its options and where to write, keeps the result of every check, separates
// the printed blocks with blank lines, and caches the snippet library. It lives only for the
// duration of `Chapter.run`, so nothing here is global.

import Foundation

/// What a printed block is, for spacing: consecutive checks stay together (one list in Markdown).
enum BlockKind {
  case heading, text, check
}

final class ChapterRun {
  /// The options, with `color` already resolved against `NO_COLOR` and the terminal.
  let options: CommandLineOptions
  let output: any ChapterOutput
  let style: TerminalStyle
  /// Where SVG figures go, or `nil` to write none.
  let figuresDirectory: String?

  /// Every check so far, with its label, in order.
  private(set) var results: [(label: String, check: Check)] = []
  private var lastBlock: BlockKind?
  private var libraries: [String: SnippetLibrary] = [:]

  init(options: CommandLineOptions, output: any ChapterOutput, figuresDirectory: String?) {
    self.options = options
    self.output = output
    self.style = TerminalStyle(color: options.color)
    self.figuresDirectory = figuresDirectory
  }

  /// The labels of the failed checks.
  var failedLabels: [String] { results.filter { !$0.check.passed }.map(\.label) }

  /// Prints a block of lines to standard output, after a blank line (except between two checks).
  func emit(_ block: String, kind: BlockKind) {
    if let lastBlock, !(lastBlock == .check && kind == .check) { output.write("\n") }
    output.write(block + "\n")
    lastBlock = kind
  }

  /// Keeps a check's result and prints it.
  func record(_ check: Check, label: String) {
    results.append((label, check))
    let line = options.markdown ? check.markdownLine(label: label) : check.terminalLine(label: label, style: style)
    emit(line, kind: .check)
  }

  /// The snippet library of a repository root, scanned once per run.
  func snippetLibrary(root: String) -> SnippetLibrary {
    if let library = libraries[root] { return library }
    let library = SnippetLibrary(root: root)
    libraries[root] = library
    return library
  }
}
