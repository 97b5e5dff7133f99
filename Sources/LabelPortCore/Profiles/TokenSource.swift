/// Where a profile's token comes from. The config file never holds the token itself.
package enum TokenSource: Sendable, Equatable, CustomStringConvertible {
    /// `token_env NAME`: the environment variable NAME holds it.
    case environment(String)
    /// `token_file PATH`: the first line of the file.
    case file(String)
    /// `token_command`: the first line of what the command prints (run by `/bin/sh -c`).
    case command(String)

    /// `token_env NAME`, `token_file PATH` or `token_command` (never the command's text:
    /// it may carry an argument that is itself a secret).
    package var description: String {
        switch self {
        case .environment(let name): "token_env \(name)"
        case .file(let path): "token_file \(path)"
        case .command: "token_command"
        }
    }
}
