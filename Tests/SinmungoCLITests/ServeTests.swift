import Foundation
import Testing

@Suite("sinmungo serve")
struct ServeTests {
    @Test
    func aWrongPortOrAMissingLogIsRefusedBeforeAnythingStarts() throws {
        let cli = CLI()
        let port = try cli.run(["serve", "--db", cli.path("log.sqlite"), "--port", "99999"])
        #expect(port.status == 64)
        #expect(port.stderr.contains("--port must be from 1 to 65535"))
        let missing = try cli.run(["serve", "--db", cli.path("nothing.sqlite")])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no log at"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("nothing.sqlite")), "nothing is created")
        // A server is served too: one that does not answer is refused as a missing log is.
        let server = try cli.run(["serve", "--db", "postgresql://127.0.0.1:1/sinmungo", "--desk-files", cli.path(".")])
        #expect(server.status == 66)
        #expect(server.stderr.contains("cannot connect to postgresql://127.0.0.1:1/sinmungo"), "\(server.stderr)")
        #expect(server.stderr.split(separator: "\n").count == 1)
        let keys = try cli.run(["serve", "--db", "postgresql://127.0.0.1:1/sinmungo", "--keys", cli.path("k.sqlite")])
        #expect(keys.status == 64)
    }

    @Test
    func aDeskPasswordNeedsALogAndTenCharactersAndNothingIsWrittenOtherwise() throws {
        let cli = CLI()
        let desk = CLI.binary.deletingLastPathComponent().appendingPathComponent("sinmungo-desk").path
        let missing = try cli.run([desk, "password", "--db", cli.path("none.sqlite"), "ydp-0001"], direct: true)
        #expect(missing.status == 66)
        #expect(missing.stderr == "sinmungo-desk: no log at \(cli.path("none.sqlite")): create one with `sinmungo init`\n")
        #expect(try cli.run(["--db", cli.path("log.sqlite"), "init"]).status == 0)
        let short = try cli.run(
            ["/bin/sh", "-c", "echo short | \"$0\" password --db \"$1\" ydp-0001", desk, cli.path("log.sqlite")], direct: true)
        #expect(short.status == 64)
        #expect(short.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.path("log.desk.sqlite")))
        // On PostgreSQL the server checks passwords: the desk keeps none.
        let server = try cli.run(
            ["/bin/sh", "-c", "echo 'a long passphrase' | \"$0\" password --db postgresql://127.0.0.1:1/x ydp-0001", desk],
            direct: true)
        #expect(server.status == 64)
        #expect(server.stderr.contains("sign in with their database login"))
    }
}
