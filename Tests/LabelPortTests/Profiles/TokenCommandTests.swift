import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("Profiles: token sources against the sandbox", .timeLimit(.minutes(2)))
struct TokenCommandTests {
    static let token = TestSandbox.tokenA

    static func export(_ sandbox: RunningSandbox, _ dir: TemporaryDirectory, _ tokenLines: String, _ extra: [String: String] = [:]) async throws -> CLIResult {
        let env = try ProfileFixtures.environment(ProfileFixtures.profile("p", sandbox, tokenLines), in: dir, extra)
        return await ProfileFixtures.run(["export", "labels", "--run", TestSandbox.runA, "--profile", "p"], environment: env)
    }

    @Test("token_command: the first line of its output is the token; junk lines after it are ignored")
    func commandSuccess() async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { sandbox, dir in
            let plain = try await Self.export(sandbox, dir, "token_command = \"echo \(Self.token)\"")
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(plain.stdout.contains("doc-unicode"))
            let junk = try await Self.export(sandbox, dir, #"token_command = "printf '%s\\r\\nsecond line\\n\\nthird\\n' \#(Self.token); echo note >&2""#)
            #expect(junk.status == 0, "\(junk.stderr)")
            #expect(junk.stdout == plain.stdout)
            for output in [plain.stdout, plain.stderr, junk.stdout, junk.stderr] { #expect(!output.contains(Self.token)) }
        }
    }

    @Test("token_command failing: exit 64 with its stderr, never its stdout")
    func commandFailure() async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { sandbox, dir in
            let failed = try await Self.export(sandbox, dir, #"token_command = "echo \#(Self.token); echo 'vault: not logged in' >&2; exit 3""#)
            #expect(failed.status == 64)
            #expect(failed.stderr.contains("profile \"p\" (\(dir.url("config.toml"))): token_command failed with exit status 3:\n    vault: not logged in"), "\(failed.stderr)")
            #expect(!failed.stderr.contains(Self.token))
            #expect(failed.stdout.isEmpty)

            let empty = try await Self.export(sandbox, dir, #"token_command = "echo; echo \#(Self.token)""#)
            #expect(empty.status == 64)
            #expect(empty.stderr.contains("token_command printed no token: the first line of its output is empty"), "\(empty.stderr)")
            #expect(!empty.stderr.contains(Self.token))
            #expect(sandbox.stats.requests.isEmpty, "nothing is sent before the token is known")
        }
    }

    @Test("token_command that does not finish is stopped; what it said on stderr by then is shown, never its stdout")
    func commandTimeout() throws {
        #expect(throws: ConfigurationError("x: token_command did not finish within 0.2 s and was stopped (it printed nothing on stderr)")) {
            try TokenCommand.run("sleep 30", what: "x: token_command", timeout: .milliseconds(200))
        }
        // The stderr line is written before the wait starts; the deadline leaves it time to be read.
        #expect(throws: ConfigurationError("x: token_command did not finish within 2.0 s and was stopped:\n    touch your security key")) {
            try TokenCommand.run("echo \(Self.token); echo 'touch your security key' >&2; exec sleep 30", what: "x: token_command", timeout: .seconds(2))
        }
    }

    @Test("token_command writing more than a pipe holds: all of it read, the last lines of stderr shown")
    func commandOutput() throws {
        // 200 KB on stderr (more than a pipe holds) then a failure: all of it read, the end shown.
        let chatty = "i=0; while [ $i -lt 4000 ]; do echo \"line $i of the log, padded to be long enough\" >&2; i=$((i+1)); done; exit 2"
        let shown = (3980..<4000).map { "    line \($0) of the log, padded to be long enough" }.joined(separator: "\n")
        #expect(throws: ConfigurationError("x: token_command failed with exit status 2:\n" + shown)) {
            try TokenCommand.run(chatty, what: "x: token_command")
        }
    }

    @Test("token_env and token_file")
    func envAndFile() async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { sandbox, dir in
            let fromEnv = try await Self.export(sandbox, dir, #"token_env = "MY_TOKEN""#, ["MY_TOKEN": Self.token])
            #expect(fromEnv.status == 0, "\(fromEnv.stderr)")
            let unset = try await Self.export(sandbox, dir, #"token_env = "MY_TOKEN""#)
            #expect(unset.status == 64)
            #expect(unset.stderr.contains("reads it from $MY_TOKEN, which is not set"))
            try dir.write("tok", Self.token + "\n")
            let fromFile = try await Self.export(sandbox, dir, #"token_file = "tok""#)
            #expect(fromFile.status == 0, "\(fromFile.stderr)")
            // Saved by Notepad: a byte order mark and CRLF around the token.
            try dir.write("tok-bom", "\u{FEFF}" + Self.token + "\r\n")
            let withBOM = try await Self.export(sandbox, dir, #"token_file = "tok-bom""#)
            #expect(withBOM.status == 0, "\(withBOM.stderr)")
            // A rejected token is traced to where it came from: the profile's file.
            try dir.write("wrong", "wrong-token-123\n")
            let rejected = try await Self.export(sandbox, dir, #"token_file = "wrong""#)
            #expect(rejected.status == 1)
            #expect(rejected.stderr.contains("the API token was rejected (401); check profile \"p\" ("), "\(rejected.stderr)")
            #expect(rejected.stderr.contains(#"/config.toml): token_file /"#) && rejected.stderr.contains("/wrong: "), "\(rejected.stderr)")
            #expect(!rejected.stderr.contains("wrong-token-123"))
        }
    }

    @Test("`labelport profiles` lists name, URL and token source, and whether it gives a token now; never the token")
    func listing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("tok", Self.token + "\n")
        let env = try ProfileFixtures.environment("""
            [profiles.prod]
            base_url = "https://api.example.com"
            token_command = "echo \(Self.token)"

            [profiles.staging]
            base_url = "https://staging.example.com/api"
            token_env = "STAGING_TOKEN"

            [profiles.local]
            base_url = "http://127.0.0.1:8787"
            token_file = "tok"

            [profiles.broken]
            base_url = "https://broken.example.com"
            token_command = "echo \(Self.token); echo 'not signed in' >&2; exit 1"
            """, in: dir)
        let result = await ProfileFixtures.run(["profiles"], environment: env)
        #expect(result.status == 0)
        let actual = (result.stdout + "--- stderr\n" + result.stderr).replacing(dir.path, with: "DIR")
        #expect(actual == (try ProfileFixtures.golden("list.txt")))
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token))
        let json = await ProfileFixtures.run(["profiles", "--json"], environment: env)
        #expect(json.status == 0)
        #expect(!json.stdout.contains(Self.token))
        #expect(json.stdout.contains(#""name":"local""#))
    }

    @Test("a config file holding a token is refused, also when others can read it")
    func tokenInFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try ProfileFixtures.environment("[profiles.p]\nbase_url = \"http://127.0.0.1:1\"\ntoken = \"\(Self.token)\"\n", in: dir)
        let path = env["LABELPORT_CONFIG"]!
        chmod(path, 0o600)
        let own = await ProfileFixtures.run(["profiles"], environment: env)
        #expect(own.status == 64)
        #expect(own.stderr.contains("\(path):3:1: a config file cannot hold the token itself"))
        chmod(path, 0o644)
        let open = await ProfileFixtures.run(["export", "labels", "--run", TestSandbox.runA, "--profile", "p"], environment: env)
        #expect(open.status == 64)
        #expect(open.stderr.contains("\(path):3:1: this file holds a token and other users can read it"))
        #expect(!own.stderr.contains(Self.token) && !open.stderr.contains(Self.token))
    }
}
