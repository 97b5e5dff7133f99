import ArgumentParser

/// `labelport sandbox` — being built; see its issue.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "(not built yet)")

    func run() async throws {
        throw ValidationError("labelport sandbox is not built yet")
    }
}
