import XCTest

/// Every chapter program, run as a student runs it (in `--quick` mode, so the tests stay fast):
/// it exits 0, runs at least one check, fails none, and prints the same thing twice for one seed.
final class ChapterRunTests: XCTestCase {
  func testEveryChapterPassesItsChecks() throws {
    XCTAssertFalse(chapterExecutables.isEmpty, "no chapter folders found under Chapters/")
    for chapter in chapterExecutables {
      let result = try ChapterProcess.run(chapter, ["--quick", "--no-color"])
      XCTAssertEqual(result.status, 0, "\(chapter) exited with status \(result.status); stderr: \(result.stderr.suffix(2000))")
      XCTAssertTrue(result.stdout.contains("✓"), "\(chapter) ran no check")
      XCTAssertFalse(
        result.stdout.contains("✗"),
        "\(chapter) has a failed check:\n\(result.stdout.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n"))"
      )
      XCTAssertTrue(
        result.stdout.range(of: #"[0-9]+ checks passed"#, options: .regularExpression) != nil,
        "\(chapter) printed no summary line; its output ends:\n\(result.stdout.suffix(500))")
    }
  }

  func testSameSeedSameOutput() throws {
    XCTAssertFalse(chapterExecutables.isEmpty, "no chapter folders found under Chapters/")
    for chapter in chapterExecutables {
      let first = try ChapterProcess.run(chapter, ["--quick", "--seed", "7"])
      let second = try ChapterProcess.run(chapter, ["--quick", "--seed", "7"])
      XCTAssertEqual(
        ChapterProcess.withoutTimings(first.stdout), ChapterProcess.withoutTimings(second.stdout),
        "\(chapter) printed different output for the same seed")
    }
  }

  func testMarkdownIsDeterministic() throws {
    XCTAssertFalse(chapterExecutables.isEmpty, "no chapter folders found under Chapters/")
    for chapter in chapterExecutables {
      let figures = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-tests-\(chapter)").path
      let first = try ChapterProcess.run(chapter, ["--quick", "--markdown", "--figures", figures])
      let second = try ChapterProcess.run(chapter, ["--quick", "--markdown", "--figures", figures])
      XCTAssertEqual(first.status, 0, "\(chapter) --markdown exited with \(first.status): \(first.stderr.suffix(1000))")
      XCTAssertEqual(first.stdout, second.stdout, "\(chapter) --markdown is not byte-for-byte deterministic")
      XCTAssertFalse(first.stdout.contains("\u{1B}["), "\(chapter) --markdown contains terminal escape codes")
    }
  }
}

/// The shared command line, seen from outside: bad input is a clear message and exit status 2.
final class ChapterCommandLineTests: XCTestCase {
  func testUnknownFlagExitsTwo() throws {
    XCTAssertFalse(chapterExecutables.isEmpty, "no chapter folders found under Chapters/")
    for chapter in chapterExecutables {
      let result = try ChapterProcess.run(chapter, ["--frobnicate"])
      XCTAssertEqual(result.status, 2, "\(chapter) --frobnicate should exit 2, got \(result.status)")
      XCTAssertTrue(
        result.stderr.contains("--frobnicate"), "\(chapter): the error should name the bad flag; stderr: \(result.stderr)")
      XCTAssertTrue(result.stdout.isEmpty, "\(chapter): a usage error prints nothing on stdout")
    }
  }

  func testBadValuesExitTwo() throws {
    for arguments in [["--seed", "minus-one"], ["--seed"], ["--section", "999"], ["--section", "x"]] {
      let result = try ChapterProcess.run(chapterExecutables[0], arguments)
      XCTAssertEqual(result.status, 2, "\(arguments) should exit 2, got \(result.status); stderr: \(result.stderr)")
      XCTAssertFalse(result.stderr.contains("Fatal error"), "\(arguments) crashed instead of printing usage")
    }
  }

  func testHelpAndList() throws {
    XCTAssertFalse(chapterExecutables.isEmpty, "no chapter folders found under Chapters/")
    for chapter in chapterExecutables {
      let help = try ChapterProcess.run(chapter, ["--help"])
      XCTAssertEqual(help.status, 0)
      XCTAssertTrue(help.stdout.contains("--seed"), "\(chapter) --help should describe --seed")
      let list = try ChapterProcess.run(chapter, ["--list"])
      XCTAssertEqual(list.status, 0)
      XCTAssertFalse(list.stdout.contains("✓"), "\(chapter) --list should list sections without running them")
    }
  }
}

/// Package.swift lists the chapters by name; this keeps the list and the folders in step.
final class ChapterListTests: XCTestCase {
  func testEveryChapterFolderIsBuilt() {
    XCTAssertFalse(chapterExecutables.isEmpty, "no chapter folders found under Chapters/")
    for chapter in chapterExecutables {
      let path = ChapterProcess.productsDirectory.appendingPathComponent(chapter).path
      XCTAssertTrue(
        FileManager.default.isExecutableFile(atPath: path),
        "Chapters/\(chapter.dropFirst("chapter".count)) has no built program \(chapter): add its folder to chapterFolders in Package.swift"
      )
    }
  }
}
