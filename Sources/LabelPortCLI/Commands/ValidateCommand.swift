import ArgumentParser

/// `labelport validate` — being built; see its issue.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "(not built yet)")

    func run() async throws {
        throw ValidationError("labelport validate is not built yet")
    }
}
