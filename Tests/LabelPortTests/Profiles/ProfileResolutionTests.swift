import ArgumentParser
import LabelPortCore
import Testing
@testable import LabelPortCLI

@Suite("Profiles: precedence of flags, REFACTOR_* and the profile", .timeLimit(.minutes(1)))
struct ProfileResolutionTests {
    static func config(_ dir: TemporaryDirectory) throws -> [String: String] {
        try dir.write("a-token", "token-from-a-file\n")
        return try ProfileFixtures.environment("""
            [profiles.a]
            base_url = "http://127.0.0.1:1111"
            token_file = "a-token"
            concurrency = 3
            rate = 7

            [profiles.b]
            base_url = "http://127.0.0.1:2222"
            token_env = "B_TOKEN"
            """, in: dir, ["B_TOKEN": "token-from-b-env"])
    }

    static func resolve(_ arguments: [String], _ environment: [String: String]) throws -> ResolvedConnection {
        try ConnectionOptions.parse(arguments).resolve(environment: environment)
    }

    @Test("--profile wins over LABELPORT_PROFILE; each profile gives its URL, token and request settings")
    func profileChoice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try Self.config(dir)
        let a = try Self.resolve(["--profile", "a"], env)
        #expect(a.server.baseURL == "http://127.0.0.1:1111")
        #expect(a.token.isSecret("token-from-a-file"))
        #expect(a.concurrency == 3 && a.rate == 7)
        let b = try Self.resolve([], env.merging(["LABELPORT_PROFILE": "b"]) { $1 })
        #expect(b.server.baseURL == "http://127.0.0.1:2222")
        #expect(b.token.isSecret("token-from-b-env"))
        let both = try Self.resolve(["--profile", "a"], env.merging(["LABELPORT_PROFILE": "b"]) { $1 })
        #expect(both.server.baseURL == "http://127.0.0.1:1111")

        let execution = try ExecutionOptionGroup.parse([])
        #expect(try execution.options(for: a).concurrency == 3)
        #expect(try execution.options(for: a).rate == 7)
        let flags = try ExecutionOptionGroup.parse(["--concurrency", "5", "--rate", "2"])
        #expect(try flags.options(for: a).concurrency == 5)
        #expect(try flags.options(for: a).rate == 2)
        #expect(try execution.options(for: b).concurrency == 8)
    }

    @Test("--burst takes the profile's rate; with no rate anywhere it is a usage error")
    func burstWithProfileRate() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try Self.config(dir)
        let burst = try ExecutionOptionGroup.parse(["--burst", "2"])
        let a = try burst.options(for: try Self.resolve(["--profile", "a"], env))
        #expect(a.rate == 7 && a.burst == 2)
        #expect(throws: ConfigurationError("--burst needs --rate (or a profile's rate)")) {
            try burst.options(for: try Self.resolve(["--profile", "b"], env))
        }
        // copy: the side with a rate takes the burst, the other has none; neither is an error.
        let sides = try burst.options(forSource: try Self.resolve(["--profile", "b"], env), destination: try Self.resolve(["--profile", "a"], env))
        #expect(sides.source.rate == nil && sides.source.burst == nil)
        #expect(sides.destination.rate == 7 && sides.destination.burst == 2)
        #expect(throws: ConfigurationError("--burst needs --rate (or a profile's rate)")) {
            let b = try Self.resolve(["--profile", "b"], env)
            _ = try burst.options(forSource: b, destination: b)
        }
    }

    @Test("a negative number is read as that number and refused with its range, not as a missing value and a flag")
    func negativeValues() {
        func message(_ parse: () throws -> Void) -> String {
            do { try parse() } catch { return ExecutionOptionGroup.message(for: error) }
            return "accepted"
        }
        #expect(message { _ = try ExecutionOptionGroup.parse(["--rate", "-1"]) } == "--rate must be a number of requests per second from 0.01 to 1000000")
        #expect(message { _ = try ExecutionOptionGroup.parse(["--concurrency", "-3"]) } == "--concurrency must be from 1 to 1024")
        #expect(message { _ = try ExecutionOptionGroup.parse(["--retries", "-1"]) } == "--retries must be 0 or more")
        #expect(message { _ = try ExecutionOptionGroup.parse(["--burst", "-2", "--rate", "5"]) } == "--burst must be at least 1")
        #expect(message { _ = try ConnectionOptions.parse(["--timeout", "-5"]) } == "--timeout must be a number of seconds above 0, at most a day (86400)")
    }

    @Test("values that would overflow are usage errors, from flags or a profile (they crashed the process)")
    func outOfRange() throws {
        #expect(throws: (any Error).self) { try ConnectionOptions.parse(["--timeout", "1e20"]) }
        #expect(throws: (any Error).self) { try ExecutionOptionGroup.parse(["--rate", "1e20"]) }
        #expect(throws: (any Error).self) { try ExecutionOptionGroup.parse(["--rate", "1e-20"]) }
        #expect(throws: (any Error).self) { try ExecutionOptionGroup.parse(["--concurrency", "9223372036854775807"]) }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try ProfileFixtures.environment("""
            [profiles.big]
            base_url = "http://127.0.0.1:4444"
            token_env = "T"
            rate = 1e20
            """, in: dir, ["T": "t"])
        let file = try #require(env["LABELPORT_CONFIG"])
        #expect(throws: ConfigurationError("profile \"big\" (\(file)): rate must be a number of requests per second from 0.01 to 1000000")) {
            try ExecutionOptionGroup.parse([]).options(for: try Self.resolve(["--profile", "big"], env))
        }
    }

    @Test("a profile's ca_file that cannot be read is named as the profile's, not as --ca-file")
    func profileCAFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try ProfileFixtures.environment("""
            [profiles.c]
            base_url = "https://127.0.0.1:3333"
            token_env = "C_TOKEN"
            ca_file = "/nonexistent/ca.pem"
            """, in: dir, ["C_TOKEN": "t"])
        let resolved = try Self.resolve(["--profile", "c"], env)
        #expect(throws: ConfigurationError("profile \"c\" (\(env["LABELPORT_CONFIG"]!)): ca_file /nonexistent/ca.pem: cannot read it (No such file or directory)")) {
            try resolved.clientConfiguration(concurrency: 1, environment: env)
        }
        let flagged = try Self.resolve(["--profile", "c", "--ca-file", "/nonexistent/flag.pem"], env)
        #expect(throws: ConfigurationError("--ca-file /nonexistent/flag.pem: cannot read it (No such file or directory)")) {
            try flagged.clientConfiguration(concurrency: 1, environment: env)
        }
    }

    @Test("flags and REFACTOR_* override the profile's URL and token")
    func overrides() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try Self.config(dir)
        let byEnv = try Self.resolve(["--profile", "a"], env.merging(["REFACTOR_BASE_URL": "http://127.0.0.1:3333", "REFACTOR_API_TOKEN": "token-from-env"]) { $1 })
        #expect(byEnv.server.baseURL == "http://127.0.0.1:3333")
        #expect(byEnv.token.isSecret("token-from-env"))
        let tokenFile = try dir.write("flag-token", "token-from-flag\n")
        let byFlags = try Self.resolve(
            ["--profile", "a", "--base-url", "http://127.0.0.1:4444", "--token-file", tokenFile],
            env.merging(["REFACTOR_BASE_URL": "http://127.0.0.1:3333", "REFACTOR_API_TOKEN": "token-from-env"]) { $1 })
        #expect(byFlags.server.baseURL == "http://127.0.0.1:4444")
        #expect(byFlags.token.isSecret("token-from-flag"))
        #expect(byFlags.concurrency == 3, "the profile's other values still apply")
    }

    @Test("no profile named: the config file is not read at all")
    func noProfile() throws {
        let env = ["LABELPORT_CONFIG": "/nonexistent/config.toml", "REFACTOR_BASE_URL": "http://127.0.0.1:5555", "REFACTOR_API_TOKEN": "t0ken"]
        #expect(try Self.resolve([], env).server.baseURL == "http://127.0.0.1:5555")
    }

    @Test("an unknown profile or key is a usage error (exit 64) naming the file")
    func unknown() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try Self.config(dir)
        let path = env["LABELPORT_CONFIG"]!
        let result = await ProfileFixtures.run(["export", "labels", "--run", TestSandbox.runA, "--profile", "prod"], environment: env)
        #expect(result.status == 64)
        #expect(result.stderr.contains("\(path): no profile \"prod\" (named by --profile); it defines a, b"), "\(result.stderr)")

        try dir.write("config.toml", "[profiles.a]\nbase_url = \"http://127.0.0.1:1\"\ntimeout = 5\n")
        let key = await ProfileFixtures.run(["export", "labels", "--run", TestSandbox.runA], environment: env.merging(["LABELPORT_PROFILE": "a"]) { $1 })
        #expect(key.status == 64)
        #expect(key.stderr.contains("\(path):3:1: unknown key timeout in profile \"a\""), "\(key.stderr)")
    }
}
