import Foundation

/// Where the repository is, and which chapters it has.
enum Repository {
  /// The directory holding Package.swift, found from this source file's path.
  static var root: String {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
      url.deleteLastPathComponent()
    }
    return FileManager.default.currentDirectoryPath
  }

  /// A chapter folder `Chapters/NN-slug` and its executable `chapterNN-slug`.
  struct ChapterFolder {
    let folder: String
    var executable: String { "chapter" + folder }
  }

  /// Every `Chapters/NN-slug` folder, in order, found by listing the folders (Package.swift names the
  /// same folders in its `chapterFolders` list, and ChapterTests checks that the two agree).
  static func chapters() -> [ChapterFolder] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/Chapters")) ?? []
    return names.filter { $0.range(of: #"^[0-9]{2}-[a-z0-9-]+$"#, options: .regularExpression) != nil }.sorted()
      .map(ChapterFolder.init)
  }
}

/// Runs a program and collects what it prints.
enum Shell {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  static func run(_ program: String, _ arguments: [String], in directory: String) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
    process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("book-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
    let errHandle = try FileHandle(forWritingTo: errFile)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errHandle
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errHandle.close()
    let errText = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: errFile)
    return Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: errText)
  }
}

/// Every file that differs between two directory trees, as readable lines.
enum Comparison {
  static func differences(expected: String, actual: String) -> [String] {
    let expectedFiles = files(under: expected), actualFiles = files(under: actual)
    var result: [String] = []
    for file in expectedFiles.union(actualFiles).sorted() {
      switch (expectedFiles.contains(file), actualFiles.contains(file)) {
      case (true, false): result.append("missing from book/: \(file)")
      case (false, true): result.append("in book/ but no longer generated: \(file)")
      default:
        let a = FileManager.default.contents(atPath: expected + "/" + file)
        let b = FileManager.default.contents(atPath: actual + "/" + file)
        if a != b { result.append("differs: \(file)\(firstDifferingLine(a, b))") }
      }
    }
    return result
  }

  static func files(under directory: String) -> Set<String> {
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
    var result: Set<String> = []
    while let path = enumerator.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
        result.insert(path)
      }
    }
    return result
  }

  static func firstDifferingLine(_ a: Data?, _ b: Data?) -> String {
    let linesA = String(decoding: a ?? Data(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let linesB = String(decoding: b ?? Data(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    for k in 0..<max(linesA.count, linesB.count) {
      let x = k < linesA.count ? String(linesA[k]) : "", y = k < linesB.count ? String(linesB[k]) : ""
      if x != y { return "\n      line \(k + 1) generated: \(x.prefix(100))\n      line \(k + 1) in book/:   \(y.prefix(100))" }
    }
    return ""
  }
}

func log(_ message: String) { FileHandle.standardError.write(Data(("book: " + message + "\n").utf8)) }

func fail(_ message: String, status: Int32 = 1) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  exit(status)
}
