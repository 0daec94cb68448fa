// swift-tools-version: 6.0
//
// The cooperative-MARL workbook: one shared tensor/autodiff library, the MARL models and
// algorithms built on it, a literate presentation layer, one executable per chapter,
// self-grading exercises, and the tests that prove all of it.

import Foundation
import PackageDescription

/// The numeric core runs with optimisation even in the debug build that `swift run` uses:
/// a student's chapter run should take seconds, not minutes. Measured in Benchmarks/ and in
/// the closing notes of the foundation issue.
let optimisedInDebug: [SwiftSetting] = [
  .unsafeFlags(["-O", "-enforce-exclusivity=unchecked"], .when(configuration: .debug))
]

/// Every chapter program: one executable per folder `Chapters/NN-slug`, named `chapterNN-slug`.
/// A new chapter joins the package, its tests and the book by adding its folder.
let chapters: [(target: String, folder: String)] =
  ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Chapters")) ?? [])
  .filter { $0.range(of: #"^[0-9]{2}-[a-z0-9-]+$"#, options: .regularExpression) != nil }
  .sorted()
  .map { ("chapter" + $0, $0) }

/// The catalogue of plausible wrong answers, which must each fail their exercise's grader. It ships
/// with the master copy only: the student handout deletes the folder, and with it this target.
let wrongAnswerTargets: [Target] =
  FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests/WrongAnswerTests")
  ? [.testTarget(name: "WrongAnswerTests", dependencies: ["ExerciseGrading", "Autodiff", "MARL"])] : []

let package = Package(
  name: "MARLWorkbook",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Autodiff", targets: ["Autodiff"]),
    .library(name: "MARL", targets: ["MARL"]),
    .library(name: "Workbook", targets: ["Workbook"]),
  ],
  targets: [
    // MARK: - Libraries
    .target(name: "Autodiff", swiftSettings: optimisedInDebug),
    .target(name: "MARL", dependencies: ["Autodiff"], swiftSettings: optimisedInDebug),
    .target(name: "Workbook"),
    .executableTarget(name: "book", path: "Sources/BookGenerator"),

    // MARK: - Exercises (students edit these; the handout strips the solutions)
    .target(
      name: "Exercises", dependencies: ["Autodiff", "MARL"], path: "exercises",
      exclude: ["README.md", "points.tsv", "handout.sh", "grade.sh"]),

    // MARK: - Tests
    .testTarget(name: "AutodiffTests", dependencies: ["Autodiff"]),
    .testTarget(name: "MARLTests", dependencies: ["MARL"]),
    .testTarget(name: "WorkbookTests", dependencies: ["Workbook"]),
    .testTarget(name: "ChapterTests", dependencies: chapters.map { .target(name: $0.target) }),
    .target(name: "ExerciseGrading", dependencies: ["Autodiff", "MARL"], path: "Tests/ExerciseGrading"),
    .testTarget(name: "ExerciseTests", dependencies: ["Exercises", "ExerciseGrading", "Autodiff", "MARL"]),
  ]
    + wrongAnswerTargets
    + chapters.map { chapter in
      .executableTarget(
        name: chapter.target,
        dependencies: ["Autodiff", "MARL", "Workbook"],
        path: "Chapters/\(chapter.folder)"
      )
    },
  swiftLanguageModes: [.v6]
)
