// swift-tools-version: 6.0
//
// Measures the workbook's autodiff library: per-op overhead, a small network's training step, a
// matrix product, attention and a second-order step. Run it in release mode:
//
//   swift run -c release --package-path Benchmarks
//
// It is a separate package so that `swift build` and `swift test` of the workbook never build it.
// Benchmarks/README.md describes the workloads and the reference figures they are compared with.

import PackageDescription

let package = Package(
  name: "Benchmarks",
  dependencies: [.package(name: "MARLWorkbook", path: "..")],
  targets: [
    .executableTarget(
      name: "benchmarks",
      dependencies: [.product(name: "Autodiff", package: "MARLWorkbook")]
    )
  ],
  swiftLanguageModes: [.v6]
)
