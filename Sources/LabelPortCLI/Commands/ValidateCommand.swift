import ArgumentParser
import LabelPortCore

/// `labelport validate FILE`: checks an input file offline with the same reader import uses.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a CSV, JSONL or xlsx file of gold labels offline (no token or server needed).",
        discussion: """
            Prints the problems as FILE:LINE[:COLUMN]: message (warnings marked; the first 20, \
            all with --verbose), then a count. \
            Exit status: 0 no problems (warnings allowed), 2 problems found, 64 usage error.

            """ + InputOptions.discussion + """


            Examples:
              labelport validate labels.csv --run-id RUN_UUID \\
                  --map "Document=output_resource_name"
              cat labels.jsonl | labelport validate - --format jsonl
            """
    )

    @Argument(help: ArgumentHelp("The file to check ('-' reads stdin).", valueName: "FILE"))
    var file: String

    @OptionGroup var input: InputOptions

    @Flag(help: "List every problem (not just the first 20).")
    var verbose = false

    /// Where lines go (stdout in the tool; captured in tests).
    var output: (String) -> Void = { line in Console.current.output(line + "\n") }

    enum CodingKeys: String, CodingKey {
        case file, input, verbose
    }

    func run() throws {
        let status = runValidation()
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs the check and returns the exit status (0 clean, 2 problems).
    func runValidation() -> Int32 {
        let options: LabelInputOptions
        do { options = try input.labelInputOptions() } catch { return 64 }
        var reader: LabelInput
        do {
            reader = try LabelInput(path: file, options: options)
        } catch {
            output(error.diagnostic.description)
            output("1 problem in 0 rows")
            return 2
        }
        var shown = CappedList(verbose: verbose)
        let summary = InputValidator.run(&reader) { diagnostic in
            if shown.admit() { output(diagnostic.description) }
        }
        if let more = shown.moreLine("problems", hint: "--verbose lists them all") { output(more) }
        output(Self.line(summary.line, note: reader.readingNote))
        return summary.errors == 0 ? 0 : 2
    }

    /// The summary line with the CSV delimiter said in its parentheses: `5 rows, no problems
    /// (cells separated by ',')`, `… (1 warning; cells separated by ',')`.
    static func line(_ line: String, note: String?) -> String {
        guard let note else { return line }
        return line.hasSuffix(")") ? "\(line.dropLast()); \(note))" : "\(line) (\(note))"
    }
}
