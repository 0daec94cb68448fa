import Foundation
import XCTest

/// Collects the results of the exercise tests and prints, at the end of the test run, how many of
/// each chapter's exercises passed: what a student or an instructor reads after `swift test`.
///
///     Exercises: 8 of 10 passed
///       chapter 00   5/5   0.1 ✓  0.2 ✓  0.3 ✓  0.4 ✓  0.5 ✓
///       chapter 01   3/5   1.1 ✓  1.2 ✗  1.3 ✓  1.4 ✓  1.5 ✗
///
/// An exercise passes when every one of its test methods passes.
final class ExerciseSummary: NSObject, XCTestObservation, @unchecked Sendable {
  /// exercise class name (`Exercise0102Tests`) → whether every test so far passed.
  private var passed: [String: Bool] = [:]
  private let lock = NSLock()

  private static let shared = ExerciseSummary()
  private static let registration: Void = { XCTestObservationCenter.shared.addTestObserver(shared) }()

  /// Adds the observer to XCTest, once per process.
  static func registerOnce() { _ = registration }

  func testCaseDidFinish(_ testCase: XCTestCase) {
    let className = String(describing: type(of: testCase))
    guard className.hasPrefix("Exercise"), className.hasSuffix("Tests") else { return }
    let succeeded = testCase.testRun?.hasSucceeded ?? false
    lock.withLock { passed[className] = (passed[className] ?? true) && succeeded }
  }

  func testBundleDidFinish(_ testBundle: Bundle) {
    let results = lock.withLock { passed }
    guard !results.isEmpty else { return }
    // Exercise0102Tests → chapter "01", id "1.2".
    let entries = results.keys.sorted().map { name -> (chapter: String, id: String, ok: Bool) in
      let digits = Array(name.dropFirst("Exercise".count).prefix(4))
      let chapter = String(digits[0..<2]), number = String(digits[2..<4])
      return (chapter, "\(Int(chapter) ?? 0).\(Int(number) ?? 0)", results[name]!)
    }
    var lines = ["", "Exercises: \(entries.filter(\.ok).count) of \(entries.count) passed"]
    for chapter in Set(entries.map(\.chapter)).sorted() {
      let these = entries.filter { $0.chapter == chapter }
      let marks = these.map { "\($0.id) \($0.ok ? "✓" : "✗")" }.joined(separator: "  ")
      lines.append("  chapter \(chapter)   \(these.filter(\.ok).count)/\(these.count)   \(marks)")
    }
    print(lines.joined(separator: "\n"))
  }
}
