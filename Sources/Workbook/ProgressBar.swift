// ProgressBar.swift — the progress of an experiment, drawn on standard error.
//
//   JESP from 200 random starts  ██████████████░░░░░░░░░░░░░░  104/200  1.3 s
//
// The bar is drawn only when standard error is a terminal and the chapter is not printing
// Markdown; otherwise `advance()` just counts. It goes to standard error so that the chapter's
// own output (standard output) stays identical from run to run.

import Foundation

/// Counts the steps of an experiment; on a terminal, shows them as a progress bar.
public final class Progress {
  /// The number of steps the experiment expects.
  public let total: Int
  /// The number of steps done so far.
  public private(set) var completed = 0

  private let title: String
  /// Where the bar is drawn, or `nil` when no bar is shown.
  private let output: (any ChapterOutput)?
  private let start = ContinuousClock.now
  /// The number of filled cells last drawn: the bar is redrawn only when it changes.
  private var drawnCells = -1

  private static let barWidth = 28

  init(title: String, total: Int, output: (any ChapterOutput)?) {
    self.title = title
    self.total = total
    self.output = output
    draw(force: true)
  }

  /// Records that `steps` more steps are done (one by default).
  public func advance(by steps: Int = 1) {
    completed += steps
    draw(force: false)
  }

  /// Draws the final state of the bar and ends its line.
  func finish() {
    guard let output else { return }
    draw(force: true)
    output.writeError("\n")
  }

  private func draw(force: Bool) {
    guard let output else { return }
    let fraction = total > 0 ? min(1, max(0, Double(completed) / Double(total))) : 1
    let cells = Int(fraction * Double(Progress.barWidth))
    guard force || cells != drawnCells else { return }
    drawnCells = cells
    let bar = String(repeating: "█", count: cells) + String(repeating: "░", count: Progress.barWidth - cells)
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    output.writeError("\r  \(title.prefix(40))  \(bar)  \(completed)/\(total)  \(String(format: "%.1f s", seconds))  ")
  }
}
