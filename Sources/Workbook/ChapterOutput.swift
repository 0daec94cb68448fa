// ChapterOutput.swift — the one place a chapter's text goes.
//
// Everything a chapter prints passes through a `ChapterOutput`: the real program writes to the
// process's standard output and standard error; a test hands in a `CapturedOutput` and reads the
// text back, without spawning a process.

import Foundation

/// Where a chapter run writes: its standard output (the chapter), its standard error (progress bars
/// and usage errors), and whether each of them is a terminal.
public protocol ChapterOutput {
  /// Writes text to standard output.
  func write(_ text: String)
  /// Writes text to standard error.
  func writeError(_ text: String)
  /// Whether standard output is a terminal (colour is only used on a terminal).
  var isTerminal: Bool { get }
  /// Whether standard error is a terminal (progress bars are only drawn on a terminal).
  var errorIsTerminal: Bool { get }
}

/// The process's real standard output and standard error.
struct StandardStreams: ChapterOutput {
  /// Creates the writer for the current process.
  init() {}

  /// Writes text to file descriptor 1, unbuffered, so it interleaves correctly with progress bars.
  func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Writes text to file descriptor 2.
  func writeError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// `isatty(1)`.
  var isTerminal: Bool { isatty(1) != 0 }

  /// `isatty(2)`.
  var errorIsTerminal: Bool { isatty(2) != 0 }
}

/// An in-memory output for tests: everything written is kept in `text` and `errorText`.
public final class CapturedOutput: ChapterOutput {
  /// Everything written to standard output so far.
  public private(set) var text = ""
  /// Everything written to standard error so far.
  public private(set) var errorText = ""
  /// Pretends standard output is a terminal (to test colour).
  public let isTerminal: Bool
  /// Pretends standard error is a terminal (to test the progress bar).
  public let errorIsTerminal: Bool

  /// Creates an empty capture; by default neither stream pretends to be a terminal.
  public init(isTerminal: Bool = false, errorIsTerminal: Bool = false) {
    self.isTerminal = isTerminal
    self.errorIsTerminal = errorIsTerminal
  }

  /// Appends to `text`.
  public func write(_ text: String) { self.text += text }

  /// Appends to `errorText`.
  public func writeError(_ text: String) { errorText += text }
}
