import Foundation

/// Every chapter program, in book order: one per folder `Chapters/NN-slug`, found by listing the
/// folders. Package.swift names the same folders in its `chapterFolders` list; ChapterListTests checks
/// that every folder found here was built from that list.
let chapterExecutables: [String] = {
  var root = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { root.deleteLastPathComponent() }  // Tests/ChapterTests/ChapterList.swift → repository
  let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Chapters").path)) ?? []
  return names.filter { $0.range(of: #"^[0-9]{2}-[a-z0-9-]+$"#, options: .regularExpression) != nil }.sorted()
    .map { "chapter" + $0 }
}()
