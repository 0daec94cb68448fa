// The book generator: `swift run book` writes book/ from the chapter programs; `swift run book --check`
// regenerates into a temporary directory and fails if anything differs from book/.
//
// book/ is never edited by hand. Each chapter page is exactly what `chapterNN-slug --markdown` prints
// (code excerpts are pulled from the sources by named markers as the chapter runs, and its figures
// are written as SVG beside the pages); the index and the notation page come from this program.

import Foundation

let usage = """
  usage: swift run book [--check] [--output DIR]

    (no flag)     regenerate book/ from the chapter programs
    --check       regenerate into a temporary directory and compare with book/; exit 1 if they differ
    --output DIR  write the book to DIR instead of book/
  """

// MARK: - Command line

var check = false
var outputOverride: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--check": check = true
  case "--output":
    guard let value = arguments.popFirst() else { fail(usage, status: 2) }
    outputOverride = value
  case "-h", "--help":
    print(usage)
    exit(0)
  default: fail("book: unknown argument \(argument)\n" + usage, status: 2)
  }
}

let root = Repository.root
let bookDirectory = root + "/book"
let output =
  check ? NSTemporaryDirectory() + "book-check-\(ProcessInfo.processInfo.processIdentifier)" : (outputOverride ?? bookDirectory)

// MARK: - Build the chapters

let chapters = Repository.chapters()
guard !chapters.isEmpty else { fail("book: no chapters found under \(root)/Chapters") }
log("building \(chapters.count) chapter programs…")
let binPath = try Shell.run("swift", ["build", "--show-bin-path"], in: root).stdout.trimmingCharacters(
  in: .whitespacesAndNewlines)
for chapter in chapters {
  let build = try Shell.run("swift", ["build", "--product", chapter.executable], in: root)
  guard build.status == 0 else {
    fail("book: building \(chapter.executable) failed:\n\(build.stderr)\(build.stdout.suffix(3000))")
  }
}

// MARK: - Write the pages

try? FileManager.default.removeItem(atPath: output)
try FileManager.default.createDirectory(atPath: output + "/figures", withIntermediateDirectories: true)
var titles: [(chapter: Repository.ChapterFolder, title: String)] = []
for chapter in chapters {
  log("running \(chapter.executable) --markdown")
  let run = try Shell.run(binPath + "/" + chapter.executable, ["--markdown", "--figures", output + "/figures"], in: root)
  guard run.status == 0 else {
    fail("book: \(chapter.executable) --markdown exited with status \(run.status):\n\(run.stderr)\(run.stdout.suffix(2000))")
  }
  try run.stdout.write(toFile: output + "/\(chapter.folder).md", atomically: true, encoding: .utf8)
  let title = run.stdout.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } ?? chapter.folder
  titles.append((chapter, title))
}
try BookIndex.readme(titles: titles.map { ($0.chapter.folder, $0.title) }).write(
  toFile: output + "/README.md", atomically: true, encoding: .utf8)
try Notation.page().write(toFile: output + "/notation.md", atomically: true, encoding: .utf8)

// MARK: - Compare (with --check)

if check {
  let differences = Comparison.differences(expected: output, actual: bookDirectory)
  try? FileManager.default.removeItem(atPath: output)
  if differences.isEmpty {
    print("book: book/ is up to date with the chapter programs (\(chapters.count) chapters).")
    exit(0)
  }
  print("book: book/ is out of date; run `swift run book` and commit the result. Differences:")
  for difference in differences.prefix(20) { print("  " + difference) }
  exit(1)
}
print("book: wrote \(output) (\(chapters.count) chapters, README.md, notation.md, figures/).")
