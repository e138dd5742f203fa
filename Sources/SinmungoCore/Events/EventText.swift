/// The text an event carries, field by field, and its Unicode normal form.
///
/// Text is stored in NFC, so that the same word typed on two keyboards (one composing 한 as a
/// syllable, one as jamo) is one value in every list, group and comparison of bytes.
extension CaseEvent {
    /// Each text field by its name in the log; personal data is sealed and not included.
    public var textFields: [(field: String, text: String)] {
        var fields: [(String, String)] = []
        var copy = self
        copy.visitText { name, text in fields.append((name, text)) }
        return fields
    }

    /// The same event with every text field in NFC.
    public var normalizingText: CaseEvent {
        var copy = self
        copy.visitText { _, text in text = text.nfc }
        return copy
    }

    /// Calls `body` with each text field of the event, by its name in the log, letting it
    /// change the text: the one list of an event's text, which reading and rewriting share.
    public mutating func visitText(_ body: (String, inout String) -> Void) {
        func visit(_ name: String, _ text: inout String) { body(name, &text) }
        func visit(_ name: String, _ text: inout String?) {
            guard var value = text else { return }
            body(name, &value)
            text = value
        }
        switch self {
        case .petitionFiled(var filed):
            visit("title", &filed.title)
            visit("category", &filed.category)
            visit("body", &filed.body)
            self = .petitionFiled(filed)
        case .sessionHeld(var held):
            visit("field", &held.field)
            visit("theme", &held.theme)
            visit("place", &held.place)
            self = .sessionHeld(held)
        case .proposalFiled(var filed):
            visit("title", &filed.title)
            visit("category", &filed.category)
            self = .proposalFiled(filed)
        case .reviewed(var reviewed):
            visit("department", &reviewed.department)
            self = .reviewed(reviewed)
        case .declined(var declined):
            visit("reason", &declined.reason)
            self = .declined(declined)
        case .visited(var visited):
            visit("place", &visited.place)
            visit("findings", &visited.findings)
            if var officers = visited.with {
                for index in officers.indices { visit("with", &officers[index]) }
                visited.with = officers
            }
            self = .visited(visited)
        case .answered(var answered):
            visit("summary", &answered.summary)
            self = .answered(answered)
        case .reflected(var reflected):
            visit("policy", &reflected.policy)
            self = .reflected(reflected)
        case .transferred(var transferred):
            visit("department", &transferred.department)
            visit("reason", &transferred.reason)
            self = .transferred(transferred)
        case .withdrawn(var withdrawn):
            visit("reason", &withdrawn.reason)
            self = .withdrawn(withdrawn)
        case .corrected(var correction):
            visit("value", &correction.value)
            visit("reason", &correction.reason)
            self = .corrected(correction)
        case .extended(var extended):
            visit("reason", &extended.reason)
            self = .extended(extended)
        case .personalDataErased(var erased):
            visit("person", &erased.person)
            visit("reason", &erased.reason)
            visit("request", &erased.request)
            self = .personalDataErased(erased)
        case .roster(var change):
            change.visitText(body)
            self = .roster(change)
        case .erasureRequested(var requested):
            visit("person", &requested.person)
            visit("reason", &requested.reason)
            visit("request", &requested.request)
            self = .erasureRequested(requested)
        case .erasureDeclined(var declined):
            visit("reason", &declined.reason)
            self = .erasureDeclined(declined)
        case .recordPosted(var posted):
            visit("title", &posted.title)
            self = .recordPosted(posted)
        case .sentToOffice(var sent):
            visit("office", &sent.office)
            visit("reason", &sent.reason)
            self = .sentToOffice(sent)
        case .receivedFromOffice(var received):
            visit("office", &received.office)
            visit("title", &received.title)
            visit("category", &received.category)
            visit("reason", &received.reason)
            self = .receivedFromOffice(received)
        case .endorsed, .qualified, .markedDuplicate:
            break
        }
    }
}

extension String {
    /// The text in Unicode Normalization Form C.
    public var nfc: String {
        isNFC ? self : String(decoding: _nfcCodeUnits, as: UTF8.self)
    }

    /// True when the text is already in NFC. ASCII always is; otherwise the standard
    /// library's own normaliser (the one behind `==` on strings) decides.
    public var isNFC: Bool {
        utf8.allSatisfy { $0 < 0x80 } || _nfcCodeUnits.elementsEqual(utf8)
    }
}
