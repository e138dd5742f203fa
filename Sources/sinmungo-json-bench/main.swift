// Times the log's hand-written JSON reader against Foundation's on the replay path: the
// `data` of every event of an exported log, read many times over. Run by
// Scripts/bench-json.sh in a release build; it prints one line per contender and the ratios.
import Foundation
import SinmungoCore
import SinmungoJSON

struct Sample {
    var type: String
    var schemaVersion: Int
    var data: String
}

func samples(from path: String) throws -> [Sample] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        guard case .object(let fields) = try JSONValue.parse(String(line)),
            case .string(let type)? = fields["type"], case .integer(let version)? = fields["schemaVersion"],
            let data = fields["data"]
        else { throw CocoaError(.coderReadCorrupt) }
        return Sample(type: type, schemaVersion: Int(version), data: data.canonicalText)
    }
}

/// Foundation's typed decoding of one payload, as `JSONDecoder` would do it on the replay path.
func foundationDecode(_ sample: Sample, _ decoder: JSONDecoder) throws -> Any {
    let bytes = Data(sample.data.utf8)
    switch EventType(rawValue: sample.type) {
    case .petitionFiled: return try decoder.decode(PetitionFiled.self, from: bytes)
    case .endorsed: return try decoder.decode(Endorsed.self, from: bytes)
    case .qualified: return try decoder.decode(Qualified.self, from: bytes)
    case .sessionHeld: return try decoder.decode(SessionHeld.self, from: bytes)
    case .proposalFiled: return try decoder.decode(ProposalFiled.self, from: bytes)
    case .reviewed: return try decoder.decode(Reviewed.self, from: bytes)
    case .declined: return try decoder.decode(Declined.self, from: bytes)
    case .visited: return try decoder.decode(Visited.self, from: bytes)
    case .answered: return try decoder.decode(Answered.self, from: bytes)
    case .reflected: return try decoder.decode(Reflected.self, from: bytes)
    case .transferred: return try decoder.decode(Transferred.self, from: bytes)
    case .withdrawn: return try decoder.decode(Withdrawn.self, from: bytes)
    case .markedDuplicate: return try decoder.decode(MarkedDuplicate.self, from: bytes)
    case .recordPosted: return try decoder.decode(RecordPosted.self, from: bytes)
    case .corrected: return try decoder.decode(Corrected.self, from: bytes)
    case .extended: return try decoder.decode(Extended.self, from: bytes)
    case .personalDataErased: return try decoder.decode(PersonalDataErased.self, from: bytes)
    case .erasureRequested: return try decoder.decode(ErasureRequested.self, from: bytes)
    case .erasureDeclined: return try decoder.decode(ErasureDeclined.self, from: bytes)
    case .sentToOffice: return try decoder.decode(SentToOffice.self, from: bytes)
    case .receivedFromOffice: return try decoder.decode(ReceivedFromOffice.self, from: bytes)
    case .departmentAdded, .departmentRenamed, .departmentsMerged, .officerGranted, .officerChanged, .officerRemoved, nil:
        throw CocoaError(.coderReadCorrupt)
    }
}

/// Seconds per event for `body` over every sample, `rounds` times; the best of three.
func time(_ samples: [Sample], rounds: Int, _ body: (Sample) throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for sample in samples { try body(sample) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds / Double(rounds * samples.count))
    }
    return best
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: sinmungo-json-bench EXPORT.jsonl [ROUNDS]\n".utf8))
    exit(64)
}
let all = try samples(from: arguments[1])
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 50 : 50
let decoder = JSONDecoder()
var failures = 0
let handParse = try time(all, rounds: rounds) { _ = try JSONValue.parse($0.data) }
let foundationParse = try time(all, rounds: rounds) { _ = try JSONSerialization.jsonObject(with: Data($0.data.utf8)) }
let handDecode = try time(all, rounds: rounds) {
    _ = try EventCodec.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data)
}
let foundationDecodeTime = time(all, rounds: rounds) { sample in
    do { _ = try foundationDecode(sample, decoder) } catch { failures += 1 }
}
func line(_ name: String, _ seconds: Double) -> String {
    name.padding(toLength: 44, withPad: " ", startingAt: 0)
        + String(format: "%8.2f µs/event  %10.0f events/s", seconds * 1e6, 1 / seconds)
}
print("\(all.count) events × \(rounds) rounds, best of 3")
print(line("parse: hand-written JSONValue", handParse))
print(line("parse: Foundation JSONSerialization", foundationParse))
print(line("decode to events: hand-written EventCodec", handDecode))
print(line("decode to payloads: Foundation JSONDecoder", foundationDecodeTime))
print(
    String(
        format: "hand-written is %.1f× faster to parse and %.1f× faster to decode", foundationParse / handParse,
        foundationDecodeTime / handDecode))
if failures > 0 { print("JSONDecoder refused \(failures / (3 * rounds)) of the events (formats it does not read)") }
