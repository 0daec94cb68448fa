// TestSupport.swift — a small chapter that uses every kind of block, and helpers to run it.

import Foundation
import XCTest

@testable import Workbook

/// A chapter with prose, equations, a derivation step, every kind of check, a table, an experiment
/// whose numbers depend on the seed, and a plot.
func sampleChapter() -> Chapter {
  let chapter = Chapter(number: 3, slug: "sample", title: "A sample chapter")
  chapter.section("Equations and checks") { page in
    page.prose(
      """
      The return is a sum of rewards $r_t$, discounted by `gamma`.

      - first point
      - second point
      """)
    page.equation(#"G = \sum_{t=0}^{h-1} \gamma^t r_t"#)
    page.step("Take the expectation", #"V(\pi) = \mathbb{E}_\pi[G]"#)
    page.check("one plus one", computed: 1 + 1, expected: 2, tolerance: 0)
    page.check("squares", computed: [1, 2, 3].map { $0 * $0 }, expected: [1, 4, 9], tolerance: 1e-12)
    page.checkAtMost("a bound", value: 0.5, bound: 0.75, tolerance: 1e-12)
    page.checkTrue("a property", holds: true, detail: "min = 0.25")
    page.table(["n", "value", "note"], rows: [["1", "0.500000", "a|b"], ["2", "−0.250000", "c"]], caption: "Values")
  }
  chapter.section("An experiment") { page in
    let rewards = page.experiment("random walk", total: 20) { progress in
      var generator = TestGenerator(seed: page.options.seed)
      var values: [Double] = []
      for _ in 0..<20 {
        values.append(Double(generator.next() % 1000) / 1000)
        progress.advance()
      }
      return values
    }
    page.table(["step", "reward"], rows: rewards.prefix(3).enumerated().map { ["\($0.offset)", "\($0.element)"] })
    page.plot(
      Plot(title: "Rewards", xLabel: "step", yLabel: "reward", series: [Series("walk", values: rewards)]),
      file: "sample-rewards")
  }
  return chapter
}

/// A tiny deterministic generator (SplitMix64), so the sample chapter's numbers depend on the seed.
struct TestGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The result of running a chapter in memory.
struct RunResult {
  let status: Int32
  let output: CapturedOutput
  var text: String { output.text }
  var errorText: String { output.errorText }
}

/// Runs a chapter with a captured output.
func runChapter(
  _ chapter: Chapter, _ arguments: [String], environment: [String: String] = [:],
  isTerminal: Bool = false, errorIsTerminal: Bool = false
) -> RunResult {
  let output = CapturedOutput(isTerminal: isTerminal, errorIsTerminal: errorIsTerminal)
  let status = chapter.run(arguments: arguments, environment: environment, output: output)
  return RunResult(status: status, output: output)
}

/// A fresh temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("WorkbookTests-" + UUID().uuidString)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

/// The terminal output without the timing at the end of its last line (after the last " · ").
func withoutTiming(_ text: String) -> String {
  var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  while lines.last?.isEmpty == true { lines.removeLast() }
  if let last = lines.last, let range = last.range(of: " · ", options: .backwards) {
    lines[lines.count - 1] = String(last[..<range.lowerBound])
  }
  return lines.joined(separator: "\n")
}
