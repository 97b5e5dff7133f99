import ArgumentParser

/// `labelport export` — being built; see its issue.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(not built yet)")

    func run() async throws {
        throw ValidationError("labelport export is not built yet")
    }
}
