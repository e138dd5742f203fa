/// The text an event carries, field by field, and its Unicode normal form.
///
/// Text is stored in NFC, so that the same word typed on two keyboards (one composing 한 as a
/// syllable, one as jamo) is one value in every list, group and comparison of bytes.
extension CaseEvent {
    /// Each text field by its name in the log; personal data is sealed and not included.
    public var textFields: [(field: String, text: String)] {
        var fields: [(String, String)] = []
        func add(_ name: String, _ text: String?) { if let text { fields.append((name, text)) } }
        switch self {
        case .petitionFiled(let filed):
            add("title", filed.title)
            add("category", filed.category)
            add("body", filed.body)
        case .sessionHeld(let held):
            add("field", held.field)
            add("theme", held.theme)
            add("place", held.place)
        case .proposalFiled(let filed):
            add("title", filed.title)
            add("category", filed.category)
        case .reviewed(let reviewed):
            add("department", reviewed.department)
        case .declined(let declined):
            add("reason", declined.reason)
        case .visited(let visited):
            add("place", visited.place)
            add("findings", visited.findings)
            for officer in visited.with ?? [] { add("with", officer) }
        case .answered(let answered):
            add("summary", answered.summary)
        case .reflected(let reflected):
            add("policy", reflected.policy)
        case .transferred(let transferred):
            add("department", transferred.department)
            add("reason", transferred.reason)
        case .withdrawn(let withdrawn):
            add("reason", withdrawn.reason)
        case .corrected(let correction):
            add("value", correction.value)
            add("reason", correction.reason)
        case .extended(let extended):
            add("reason", extended.reason)
        case .personalDataErased(let erased):
            add("person", erased.person)
            add("reason", erased.reason)
            add("request", erased.request)
        case .recordPosted(let posted):
            add("title", posted.title)
        case .endorsed, .qualified, .markedDuplicate:
            break
        }
        return fields
    }

    /// The same event with every text field in NFC.
    public var normalizingText: CaseEvent {
        switch self {
        case .petitionFiled(var filed):
            filed.title = filed.title.nfc
            filed.category = filed.category.nfc
            filed.body = filed.body?.nfc
            return .petitionFiled(filed)
        case .sessionHeld(var held):
            held.field = held.field.nfc
            held.theme = held.theme?.nfc
            held.place = held.place?.nfc
            return .sessionHeld(held)
        case .proposalFiled(var filed):
            filed.title = filed.title.nfc
            filed.category = filed.category?.nfc
            return .proposalFiled(filed)
        case .reviewed(var reviewed):
            reviewed.department = reviewed.department.nfc
            return .reviewed(reviewed)
        case .declined(var declined):
            declined.reason = declined.reason?.nfc
            return .declined(declined)
        case .visited(var visited):
            visited.place = visited.place.nfc
            visited.findings = visited.findings?.nfc
            visited.with = visited.with?.map(\.nfc)
            return .visited(visited)
        case .answered(var answered):
            answered.summary = answered.summary.nfc
            return .answered(answered)
        case .reflected(var reflected):
            reflected.policy = reflected.policy?.nfc
            return .reflected(reflected)
        case .transferred(var transferred):
            transferred.department = transferred.department.nfc
            transferred.reason = transferred.reason?.nfc
            return .transferred(transferred)
        case .withdrawn(var withdrawn):
            withdrawn.reason = withdrawn.reason?.nfc
            return .withdrawn(withdrawn)
        case .corrected(var correction):
            correction.value = correction.value.nfc
            correction.reason = correction.reason.nfc
            return .corrected(correction)
        case .extended(var extended):
            extended.reason = extended.reason.nfc
            return .extended(extended)
        case .personalDataErased(var erased):
            erased.person = erased.person.nfc
            erased.reason = erased.reason.nfc
            return .personalDataErased(erased)
        case .recordPosted(var posted):
            posted.title = posted.title.nfc
            return .recordPosted(posted)
        case .endorsed, .qualified, .markedDuplicate:
            return self
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
