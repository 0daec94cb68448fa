import Foundation
import XCTest

/// Runs a built chapter program as a subprocess and captures what it prints, the way a student's
/// terminal (or the book generator) would see it.
struct ChapterProcess {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  /// The directory holding the built executables: the one that holds this test bundle.
  static var productsDirectory: URL {
    #if os(macOS)
      for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
      }
      fatalError("couldn't find the products directory")
    #else
      return Bundle.main.bundleURL
    #endif
  }

  /// Runs `executable` with `arguments`, with colour off and no terminal, and waits for it.
  static func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent(executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a chapter that prints a lot cannot block.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// The output with the run's timings removed: the summary line's " · 2.4 s" and any per-step times.
  static func withoutTimings(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      var line = String(line)
      if let range = line.range(of: #" · [0-9.]+ (ms|s)\b.*$"#, options: .regularExpression) { line.removeSubrange(range) }
      return line
    }.joined(separator: "\n")
  }
}
