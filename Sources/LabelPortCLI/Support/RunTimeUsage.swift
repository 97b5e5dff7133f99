import ArgumentParser

/// Usage errors a command finds when it runs instead of in `validate()`: ArgumentParser
/// names an unknown option (`--runz`) only after `validate()` passes, so a check that a
/// mistyped flag would trip too ("name what to export") waits for `run()` and throws a
/// `ValidationError` there. ``LabelPortCommand/run(_:)`` prints it as ArgumentParser
/// prints a usage error, but with the running command's own usage line.
enum RunTimeUsage {
    /// Prints `Error: message`, the command's usage and where its help is; exit 64.
    static func failure(_ message: String, of command: any ParsableCommand.Type) -> ExitCode {
        let usage = LabelPortCommand.usageString(for: command)
        let path = usage.split(separator: " ").prefix { !$0.hasPrefix("<") && !$0.hasPrefix("[") && !$0.hasPrefix("-") }
        Console.current.message("Error: \(message)\nUsage: \(usage)\n  See '\(path.joined(separator: " ")) --help' for more information.")
        return ExitCode(64)
    }
}
