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
        let server = try cli.run(["serve", "--db", "postgresql://127.0.0.1:1/sinmungo"])
        #expect(server.status == 64)
        #expect(server.stderr.contains("not a PostgreSQL one"))
    }
}
