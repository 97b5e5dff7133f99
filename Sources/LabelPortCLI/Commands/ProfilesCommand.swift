import ArgumentParser
import Foundation
import LabelPortCore

/// `labelport profiles`: the config file's profiles, where each takes its token from,
/// and whether that source gives a token now. Never the token.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the profiles (named environments) of the config file.",
        discussion: """
            The config file is $LABELPORT_CONFIG, else $XDG_CONFIG_HOME/labelport/config.toml, \
            else ~/.config/labelport/config.toml. For each profile: its name, base URL, where \
            its token comes from (token_env NAME, token_file PATH or token_command) and whether \
            that source gives a token now (a token_command is run to find out). The token \
            itself is never shown. See docs/environments.md.

            Example:
              labelport profiles
            """
    )

    @Flag(help: "Print the profiles as JSON.")
    var json = false

    func run() throws {
        let console = Console.current
        let environment = ProcessEnvironment.current
        let config: ConfigFile
        do {
            config = try ProfileLoader.configFile(environment: environment)
        } catch {
            if let path = ConfigFile.location(environment: environment), !FileManager.default.fileExists(atPath: path) {
                if json { console.output("{\"file\":\(JSONWriter().string(.string(path))),\"profiles\":[]}\n") }
                console.message("no profiles: there is no config file at \(path)")
                return
            }
            throw ValidationError(error.description)
        }
        var rows: [(profile: Profile, problem: String?)] = []
        for profile in config.profiles {
            do {
                _ = try profile.token(environment: environment)
                rows.append((profile, nil))
            } catch {
                rows.append((profile, error.message))
            }
        }
        if json {
            var object = JSONObject()
            object["file"] = .string(config.path)
            object["profiles"] = .array(rows.map { row in
                var entry = JSONObject()
                entry["name"] = .string(row.profile.name)
                entry["base_url"] = row.profile.baseURL.map(JSONValue.string) ?? .null
                entry["token_source"] = row.profile.tokenSource.map { .string($0.description) } ?? .null
                entry["token_available"] = .bool(row.problem == nil)
                entry["problem"] = row.problem.map(JSONValue.string) ?? .null
                return .object(entry)
            })
            console.output(JSONWriter().string(.object(object)) + "\n")
            return
        }
        console.output("# \(config.path)\n")
        let table = [["NAME", "BASE URL", "TOKEN FROM", "TOKEN NOW"]] + rows.map { row in
            [row.profile.name, row.profile.baseURL ?? "-", row.profile.tokenSource?.description ?? "-", row.problem == nil ? "yes" : "no"]
        }
        let widths = (0..<4).map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            let cells = line.enumerated().map { column, cell in
                column == 3 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            console.output(cells.joined(separator: "  ") + "\n")
        }
        for row in rows {
            if let problem = row.problem { console.message("\(row.profile.name): \(problem)") }
        }
    }
}
