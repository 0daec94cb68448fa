// Page.swift — what a section writes on: prose, equations, checks, tables, experiments, plots, code.
//
// A section's closure receives a `Page` and calls its methods in reading order. Each method
// prints its block at once, in the terminal form or the Markdown form, so a long experiment
// shows the text before it while it runs. Checks are labelled within the section: 1.2a, 1.2b, …

import Foundation

/// The page of one section: everything a chapter prints goes through its methods.
public final class Page {
  /// The run's options: `seed`, `quick`, `full`, `markdown`, `color`, …
  public let options: CommandLineOptions
  /// The section number, e.g. "1.2".
  let number: String
  private let run: ChapterRun
  private var checkCount = 0
  private var stepCount = 0

  init(number: String, run: ChapterRun) {
    self.number = number
    self.run = run
    self.options = run.options
  }

  private var style: TerminalStyle { run.style }

  // MARK: - Text

  /// Paragraphs of Markdown text: blank lines separate paragraphs, "- " starts a list item,
  /// `code` goes in backticks and $…$ is inline LaTeX math.
  public func prose(_ text: String) {
    run.emit(options.markdown ? Prose.markdown(text) : Prose.terminal(text), kind: .text)
  }

  /// Text shown exactly as given, in a fixed-width block: a policy tree, a small matrix, program output.
  public func preformatted(_ text: String) {
    if options.markdown {
      run.emit("```text\n\(text)\n```", kind: .text)
    } else {
      run.emit(
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"), kind: .text)
    }
  }

  /// A displayed equation, written in LaTeX (without `$$`); `\\` breaks lines.
  public func equation(_ latex: String) {
    run.emit(equationBlock(latex), kind: .text)
  }

  /// A numbered derivation step: what is done, in words, then the resulting equation.
  public func step(_ words: String, _ latex: String) {
    stepCount += 1
    if options.markdown {
      run.emit("**Step \(stepCount).** \(words)\n\n" + equationBlock(latex), kind: .text)
    } else {
      let title = style.bold("Step \(stepCount).") + " " + Prose.inlineMathToUnicode(words)
      run.emit(title + "\n" + equationBlock(latex), kind: .text)
    }
  }

  /// `$$ … $$` in Markdown; indented Unicode in the terminal.
  private func equationBlock(_ latex: String) -> String {
    if options.markdown { return "$$\n\(latex.trimmingCharacters(in: .whitespacesAndNewlines))\n$$" }
    return LaTeXToUnicode.render(latex).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
  }

  // MARK: - Checks

  /// Checks `|computed − expected| ≤ tolerance` and prints both sides; NaN fails. Returns whether it passed.
  @discardableResult
  public func check(_ claim: String, computed: Double, expected: Double, tolerance: Double) -> Bool {
    record(.scalar(claim, computed: computed, expected: expected, tolerance: tolerance))
  }

  /// Checks `max_i |computed[i] − expected[i]| ≤ tolerance`; different lengths or no values fail.
  @discardableResult
  public func check(_ claim: String, computed: [Double], expected: [Double], tolerance: Double) -> Bool {
    record(.arrays(claim, computed: computed, expected: expected, tolerance: tolerance))
  }

  /// Checks the inequality `value ≤ bound + tolerance`.
  @discardableResult
  public func checkAtMost(_ claim: String, value: Double, bound: Double, tolerance: Double = 0) -> Bool {
    record(.atMost(claim, value: value, bound: bound, tolerance: tolerance))
  }

  /// Checks the inequality `value ≥ bound − tolerance`.
  @discardableResult
  public func checkAtLeast(_ claim: String, value: Double, bound: Double, tolerance: Double = 0) -> Bool {
    record(.atLeast(claim, value: value, bound: bound, tolerance: tolerance))
  }

  /// Checks a property computed by the chapter; `detail` states the evidence, e.g. "min ∂Q_tot/∂Q_a = 0.0031".
  @discardableResult
  public func checkTrue(_ claim: String, holds: Bool, detail: String = "") -> Bool {
    record(.property(claim, holds: holds, detail: detail))
  }

  /// Records a failure that is not a comparison (a missing snippet, an error thrown by the section).
  func fail(_ claim: String, reason: String) {
    record(.failure(claim, reason: reason))
  }

  @discardableResult
  private func record(_ check: Check) -> Bool {
    let label = number + Page.letters(checkCount)
    checkCount += 1
    run.record(check, label: label)
    return check.passed
  }

  /// a, b, …, z, aa, ab, … for the 0th, 1st, … check of a section.
  static func letters(_ index: Int) -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
    var index = index
    var result = ""
    repeat {
      result = String(alphabet[index % 26]) + result
      index = index / 26 - 1
    } while index >= 0
    return result
  }

  // MARK: - Tables, experiments, plots

  /// A table of strings with a header row; numeric columns are right-aligned.
  public func table(_ headers: [String], rows: [[String]], caption: String? = nil) {
    let table = Table(headers: headers, rows: rows, caption: caption)
    run.emit(options.markdown ? table.markdown() : table.terminal(style: style), kind: .text)
  }

  /// Runs an experiment of `total` steps; the body calls `progress.advance()` after each step.
  /// A progress bar is drawn on standard error when it is a terminal (never in Markdown).
  @discardableResult
  public func experiment<Value>(_ title: String, total: Int, _ body: (Progress) throws -> Value) rethrows -> Value {
    let heading =
      options.markdown
      ? "**Experiment:** \(title)"
      : style.bold("Experiment:") + " " + Prose.inlineMathToUnicode(title)
    run.emit(heading, kind: .text)
    let showBar = !options.markdown && run.output.errorIsTerminal
    let progress = Progress(title: title, total: total, output: showBar ? run.output : nil)
    defer { progress.finish() }
    return try body(progress)
  }

  /// A line plot: drawn with characters in the terminal, written as `file`.svg to the figures
  /// directory (with `--figures DIR`, or `book/figures` in Markdown, where it is shown as an image).
  public func plot(_ plot: Plot, file: String) {
    let fileName = file.hasSuffix(".svg") ? file : file + ".svg"
    if options.markdown {
      let alt = plot.title.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
      run.emit("![\(alt)](figures/\(fileName))", kind: .text)
    } else {
      run.emit(ASCIIPlot.render(plot, style: style), kind: .text)
    }
    guard let directory = run.figuresDirectory else { return }
    let path = (directory as NSString).appendingPathComponent(fileName)
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try SVGPlot.render(plot).write(toFile: path, atomically: true, encoding: .utf8)
      if !options.markdown { run.emit("  " + style.dim("SVG figure written to \(path)"), kind: .text) }
    } catch {
      fail("figure \(fileName) is written", reason: "cannot write \(path): \(error.localizedDescription)")
    }
  }

  // MARK: - Code

  /// The source region marked `// snippet: name` … `// end snippet` in a .swift file under Sources/
  /// or Chapters/ of the repository that contains `file` (the caller's file, by default).
  /// A missing or unclosed snippet counts as a failed check.
  public func code(_ name: String, file: String = #filePath) {
    let root = SnippetLibrary.repositoryRoot(containing: file) ?? FileManager.default.currentDirectoryPath
    switch run.snippetLibrary(root: root).snippet(named: name) {
    case .failure(let problem):
      fail("code excerpt “\(name)”", reason: problem.description)
    case .success(let snippet):
      if options.markdown {
        run.emit("*From `\(snippet.file)`:*\n\n```swift\n\(snippet.text)\n```", kind: .text)
      } else {
        let lines = ["  " + style.dim("┌ \(snippet.file)")] + snippet.lines.map { "  " + style.dim("│ " + $0) }
        run.emit(lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n"), kind: .text)
      }
    }
  }
}
