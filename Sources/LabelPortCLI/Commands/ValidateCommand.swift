import ArgumentParser
import LabelPortCore

/// `labelport validate FILE`: checks an input file offline with the same reader import uses.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a CSV or JSONL file of gold labels offline (no token or server needed).",
        discussion: """
            Prints every problem as FILE:LINE[:COLUMN]: message (warnings marked), then a count. \
            Exit status: 0 no problems (warnings allowed), 2 problems found, 64 usage error.

            """ + InputOptions.discussion + """


            Example:
              labelport validate labels.csv --map "Document=output_resource_name" --run-id RUN
              cat labels.jsonl | labelport validate - --format jsonl
            """
    )

    @Argument(help: ArgumentHelp("The file to check ('-' reads stdin).", valueName: "FILE"))
    var file: String

    @OptionGroup var input: InputOptions

    /// Where lines go (stdout in the tool; captured in tests).
    var output: (String) -> Void = { print($0) }

    enum CodingKeys: String, CodingKey {
        case file, input
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
        let summary = InputValidator.run(&reader) { output($0.description) }
        output(summary.line)
        return summary.errors == 0 ? 0 : 2
    }
}
