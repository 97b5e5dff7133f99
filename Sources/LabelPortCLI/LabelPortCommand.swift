import ArgumentParser
import LabelPortCore

/// `labelport`: bulk import and export of gold labels and evaluations through the
/// re-factor API.
package struct LabelPortCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "labelport",
        abstract: "Move gold labels and evaluations in and out of the re-factor API in bulk.",
        discussion: """
            Connection: --base-url URL (or REFACTOR_BASE_URL) and the token in REFACTOR_API_TOKEN \
            or the first line of --token-file PATH, or a profile of the config file (--profile NAME, \
            see `labelport profiles`). Try it locally with `labelport sandbox`.

            Examples:
              labelport validate labels.csv --run-id RUN --map "Doc=output_resource_name"
              labelport import labels.csv --dry-run
              labelport export labels --run RUN --out backup.jsonl
            """,
        version: LabelPortCoreVersion.string,
        subcommands: [
            ImportCommand.self, ApplyCommand.self, UndoCommand.self, ExportCommand.self, CopyCommand.self, ValidateCommand.self,
            ProfilesCommand.self, SandboxCommand.self,
        ]
    )

    package init() {}

    /// Parses the process's arguments and runs the command, as ArgumentParser's `main()`
    /// does, through ``run(_:)``.
    package static func main() async {
        do {
            try await run(try parseAsRoot())
        } catch {
            exit(withError: error)
        }
    }

    /// Runs a parsed command. A usage error it finds while running (after ArgumentParser
    /// has named any unknown option: see ``RunTimeUsage``) is printed with that command's
    /// own usage line, not labelport's, and exits 64.
    package static func run(_ command: any ParsableCommand) async throws {
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ValidationError {
            throw RunTimeUsage.failure(error.message, of: type(of: command))
        }
    }
}
