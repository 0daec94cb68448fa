// CommandLineOptions.swift — the command line every chapter understands.
//
//     chapter01-decpomdp [--seed N] [--quick | --full] [--markdown] [--figures DIR]
//                        [--no-color] [--list] [--section N]... [--help]
//
// Parsing is a pure function from the argument list to options or an error, so it is tested
// without running a program. `Chapter.run` turns an error into a one-line message, the usage
// text, and exit status 2.

/// The options of a chapter run, as parsed from its command line.
public struct CommandLineOptions: Equatable, Sendable {
  /// The seed of every random generator in the chapter (`--seed N`, default 0).
  public var seed: UInt64 = 0
  /// Smaller experiments, for tests and quick looks (`--quick`).
  public var quick = false
  /// The full-size experiments (`--full`).
  public var full = false
  /// Print the chapter as GitHub-flavoured Markdown for the book (`--markdown`).
  public var markdown = false
  /// Whether the terminal output uses colour. `--no-color` turns it off; `Chapter.run` also turns it
  /// off for `NO_COLOR`, for output that is not a terminal, and for Markdown.
  public var color = true
  /// Where SVG figures are written (`--figures DIR`); Markdown mode defaults to `book/figures`.
  public var figuresDirectory: String?
  /// Print the numbered section titles and stop (`--list`).
  public var list = false
  /// Print the usage text and stop (`--help`, `-h`).
  public var help = false
  /// The section numbers to run (`--section N`, repeatable); empty means every section.
  public var sections: [Int] = []

  /// Options with every default: seed 0, all sections, terminal output in colour.
  public init() {}

  /// Parses the arguments (without the program name).
  ///
  /// - Parameters:
  ///   - arguments: e.g. `["--seed", "7", "--section", "2"]`; `--name=value` is accepted too.
  ///   - chapterNumber: lets `--section 1.2` mean section 2 of chapter 1.
  ///   - sectionCount: when given, a section number outside `1...sectionCount` is an error.
  public static func parse(
    _ arguments: [String], chapterNumber: Int? = nil, sectionCount: Int? = nil
  ) -> Result<CommandLineOptions, CommandLineError> {
    var options = CommandLineOptions()
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      // Split `--name=value` into the name and an inline value.
      var name = argument
      var inlineValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      /// The flag's value: inline, or the next argument.
      func value() -> String? { inlineValue ?? remaining.popFirst() }

      let switches = ["-h", "--help", "--quick", "--full", "--markdown", "--no-color", "--no-colour", "--list"]
      if inlineValue != nil && switches.contains(name) {
        return .failure(CommandLineError("\(name) takes no value"))
      }

      switch name {
      case "-h", "--help": options.help = true
      case "--quick": options.quick = true
      case "--full": options.full = true
      case "--markdown": options.markdown = true
      case "--no-color", "--no-colour": options.color = false
      case "--list": options.list = true
      case "--seed":
        guard let text = value() else { return .failure(.missingValue(name, expected: "N")) }
        guard let seed = UInt64(text) else {
          return .failure(CommandLineError("--seed expects a whole number from 0 to \(UInt64.max), got '\(text)'"))
        }
        options.seed = seed
      case "--figures":
        guard let text = value(), !text.isEmpty else { return .failure(.missingValue(name, expected: "DIR")) }
        options.figuresDirectory = text
      case "--section":
        guard let text = value() else { return .failure(.missingValue(name, expected: "N")) }
        switch sectionNumber(text, chapterNumber: chapterNumber, sectionCount: sectionCount) {
        case .success(let number): options.sections.append(number)
        case .failure(let error): return .failure(error)
        }
      default:
        return .failure(CommandLineError("unknown option '\(argument)'"))
      }
    }
    if options.quick && options.full {
      return .failure(CommandLineError("--quick and --full cannot be used together"))
    }
    return .success(options)
  }

  /// Reads `N` or `C.N` (chapter C, section N) and checks it against the chapter.
  private static func sectionNumber(
    _ text: String, chapterNumber: Int?, sectionCount: Int?
  ) -> Result<Int, CommandLineError> {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let sectionText = parts.count == 2 ? parts[1] : parts[0]
    guard parts.count <= 2, let number = Int(sectionText) else {
      return .failure(CommandLineError("--section expects a section number such as 2, got '\(text)'"))
    }
    if parts.count == 2, let chapterNumber, Int(parts[0]) != chapterNumber {
      return .failure(CommandLineError("section \(text) is not in chapter \(chapterNumber)"))
    }
    guard number >= 1 && number <= sectionCount ?? Int.max else {
      let sections = sectionRange(chapterNumber: chapterNumber, sectionCount: sectionCount)
      return .failure(CommandLineError("--section \(text) is out of range: this chapter has \(sections)"))
    }
    return .success(number)
  }

  /// The sections as they are printed, chapter number dot index: "sections 0.1 to 0.6".
  private static func sectionRange(chapterNumber: Int?, sectionCount: Int?) -> String {
    let prefix = chapterNumber.map { "\($0)." } ?? ""
    switch sectionCount {
    case nil: return "sections numbered from \(prefix)1"
    case 0: return "no sections"
    case 1: return "one section, \(prefix)1"
    case let count?: return "sections \(prefix)1 to \(prefix)\(count)"
    }
  }

  /// The usage text printed by `--help` and after a command-line error; with the chapter number and
  /// section count it names the sections as they are printed, e.g. "section N, 0.1 to 0.6".
  public static func usage(program: String, title: String, chapterNumber: Int? = nil, sectionCount: Int? = nil)
    -> String
  {
    let chapter = chapterNumber ?? 1
    var range = ""
    if let chapterNumber, let sectionCount, sectionCount > 1 {
      range = ", \(chapterNumber).1 to \(chapterNumber).\(sectionCount)"
    }
    return """
      USAGE: \(program) [options]

      \(title)

      OPTIONS:
        --seed N         seed for every random number in the chapter (default 0)
        --quick          smaller experiments (what the tests run)
        --full           the full-size experiments
        --markdown       print the chapter as Markdown for the book; figures go to book/figures
        --figures DIR    write the SVG figures to DIR
                         (Markdown pages link figures/NAME.svg, relative to the page)
        --no-color       no colour (also when NO_COLOR is set or the output is not a terminal)
        --list           list the sections and exit
        --section N      run only section N\(range) (repeatable; \(chapter).1 or just 1)
        -h, --help       show this help and exit

      """
  }
}

/// A command-line mistake, with the one-line message shown to the user.
public struct CommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What went wrong, e.g. `unknown option '--fast'`.
  public let message: String

  /// Creates an error with its message.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }

  static func missingValue(_ flag: String, expected: String) -> CommandLineError {
    CommandLineError("\(flag) needs a value: \(flag) \(expected)")
  }
}
