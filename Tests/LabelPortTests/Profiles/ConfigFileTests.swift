import LabelPortCore
import Testing

@Suite("Config file and its TOML subset", .timeLimit(.minutes(1)))
struct ConfigFileTests {
    static let example = """
        # labelport profiles
        [profiles.prod]
        base_url = "https://api.example.com"   # the API root
        token_command = 'op read "op://Labels/prod/token"'
        concurrency = 16
        rate = 50

        [profiles.staging]
        base_url = "https://staging.example.com/api"
        token_env = "STAGING_TOKEN"
        rate = 12.5
        allow_insecure_http = false

        [profiles."local dev"]
        base_url = "http://127.0.0.1:8787"
        token_file = "~/.labelport/local-token"
        ca_file = "certs/dev.pem"
        """

    @Test("reads tables, strings, integers, floats, booleans and comments")
    func readsExample() throws {
        let config = try ConfigFile(text: Self.example, path: "/home/me/.config/labelport/config.toml", home: "/home/me")
        #expect(config.profiles.map(\.name) == ["prod", "staging", "local dev"])
        let prod = try #require(config.profile(named: "prod"))
        #expect(prod.baseURL == "https://api.example.com")
        #expect(prod.tokenSource == .command(#"op read "op://Labels/prod/token""#))
        #expect(prod.concurrency == 16)
        #expect(prod.rate == 50)
        let staging = try #require(config.profile(named: "staging"))
        #expect(staging.tokenSource == .environment("STAGING_TOKEN"))
        #expect(staging.rate == 12.5)
        #expect(staging.allowInsecureHTTP == false)
        let local = try #require(config.profile(named: "local dev"))
        #expect(local.tokenSource == .file("/home/me/.labelport/local-token"))
        #expect(local.caFile == "/home/me/.config/labelport/certs/dev.pem")
        #expect(local.tokenSource?.description == "token_file /home/me/.labelport/local-token")
        #expect(prod.tokenSource?.description == "token_command")
    }

    @Test("basic string escapes and literal strings")
    func strings() throws {
        let reader = try TOMLSubsetReader(#"a = "tab\there \"q\" \u00e9 \\" "# + "\n" + #"b = 'C:\raw\path'"#)
        #expect(reader.entries.map(\.value) == [.string("tab\there \"q\" é \\"), .string(#"C:\raw\path"#)])
    }

    @Test("problems are located as FILE:LINE:COLUMN, never quoting a value", arguments: [
        ("[profiles.a]\nbase_url = [1, 2]\n", "c.toml:2:12: arrays are not used in a labelport config"),
        ("[profiles.a]\nbase_url = \"open\n", "c.toml:2:17: a string is not closed on its line"),
        ("[profiles.a]\nrate = fast-secret\n", "c.toml:2:8: not a value labelport reads: write a \"quoted string\", a number, true or false"),
        ("[profiles.a]\nbase_url = \"x\"\nbase_url = \"y\"\n", "c.toml:3:1: key profiles.a.base_url is defined twice"),
        ("[profiles.a]\nbase_url = \"x\" junk\n", "c.toml:2:16: unexpected text after the value; put one key = value on each line"),
        ("[profiles.a]\nurl = \"x\"\n", "c.toml:2:1: unknown key url in profile \"a\"; a profile's keys are base_url, token_env, token_file, token_command, ca_file, proxy, allow_insecure_http, concurrency, rate"),
        ("[servers.a]\n", "c.toml:1:1: unknown table [servers.a]: the config holds only [profiles.NAME] tables"),
        ("[profiles.a]\nconcurrency = 0\n", "c.toml:2:1: concurrency must be a whole number of at least 1"),
        ("[profiles.a]\nrate = \"10\"\n", "c.toml:2:1: rate must be a number of requests per second, not a string"),
        ("[profiles.a]\ntoken_env = \"A\"\ntoken_file = \"f\"\n", "c.toml:3:1: profile \"a\" already takes its token from token_env; give one of token_env, token_file, token_command"),
    ])
    func problems(text: String, message: String) {
        #expect(throws: ConfigurationError(message)) { try ConfigFile(text: text, path: "c.toml") }
    }

    @Test("a token in the file is refused, worded for a file others can read")
    func tokenRefused() {
        let text = "[profiles.prod]\nbase_url = \"https://x\"\ntoken = \"s3cret-value\"\n"
        do {
            _ = try ConfigFile(text: text, path: "c.toml", openToOthers: false)
            Issue.record("accepted a token")
        } catch {
            #expect(error.message.hasPrefix("c.toml:3:1: a config file cannot hold the token itself; keep the token out of the config: name where it comes from with token_env"))
            #expect(!error.message.contains("s3cret"))
        }
        do {
            _ = try ConfigFile(text: text, path: "c.toml", openToOthers: true)
            Issue.record("accepted a token")
        } catch {
            #expect(error.message.hasPrefix("c.toml:3:1: this file holds a token and other users can read it: remove the token, consider it exposed and rotate it;"))
            #expect(error.message.contains("token_command"))
            #expect(!error.message.contains("s3cret"))
        }
    }

    @Test("the config file's location: LABELPORT_CONFIG, XDG_CONFIG_HOME, HOME")
    func location() {
        #expect(ConfigFile.location(environment: ["LABELPORT_CONFIG": "/c.toml", "XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/c.toml")
        #expect(ConfigFile.location(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/labelport/config.toml")
        #expect(ConfigFile.location(environment: ["HOME": "/h"]) == "/h/.config/labelport/config.toml")
        #expect(ConfigFile.location(environment: [:]) == nil)
    }
}
