import ArgumentParser

/// `labelport import` — being built; see its issue.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "(not built yet)")

    func run() async throws {
        throw ValidationError("labelport import is not built yet")
    }
}
