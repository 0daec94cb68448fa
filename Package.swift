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

/// On x86-64 Linux the tensor library is compiled for the processor that builds it, so that its matrix
/// kernel uses the widest vector registers there (AVX2, AVX-512) instead of the SSE2 of 2003: matrix
/// products run about 3× faster (Benchmarks/, W3). The numbers do not change, because the kernel never
/// fuses a multiply with an add. Build where you run: such a binary may not start on an older processor.
#if arch(x86_64) && os(Linux)
let forThisProcessor: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native"])]
#else
let forThisProcessor: [SwiftSetting] = []
#endif

/// Every chapter program: the folder `Chapters/NN-slug` builds the executable `chapterNN-slug`. A new
/// chapter joins by adding its folder name here (listed, not discovered: SwiftPM caches this manifest's
/// evaluation by its text, so a discovered folder could go unseen). Tests/ChapterTests checks that this
/// list and the folders agree.
let chapterFolders = [
  "00-autodiff",
  "01-decpomdp",
  "02-value-decomposition",
  "03-policy-gradients",
  "04-coma",
  "05-happo",
]
let chapters: [(target: String, folder: String)] = chapterFolders.map { ("chapter" + $0, $0) }

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
    .target(name: "Autodiff", swiftSettings: optimisedInDebug + forThisProcessor),
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
